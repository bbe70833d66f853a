"""TensorFlow's top-level functions that NumPy has no name for (``mg.norm``, ``mg.shape``, ...).

Each is a composition of public multigrad ops, so it is differentiable wherever the
ops it uses are, and runs on every backend. TensorFlow's semantics, not NumPy's: where
both libraries have the name (``shape``, ``size``) the function returns what
``tf.<name>`` returns (docs/ops.md, "TensorFlow functions").
"""

import math as _math

from ... import dtypes as _dt
from ...core.convert import as_tensor
from .. import (arange, broadcast_to, cast, constant, convert_to_tensor, equal,
                expand_dims, isfinite, maximum, reshape, sqrt, sum, where)
from ..linalg.norms import global_norm, tensor_list
from ...core.tensor import Tensor
from ..define import defop

__all__ = ["norm", "clip_by_norm", "clip_by_global_norm", "shape", "size", "rank", "fill",
           "one_hot", "add_n", "is_tensor", "range"]


# --- norms and clipping --------------------------------------------------------------

def _norm_ord(ord, matrix):
    """TensorFlow's ``ord`` as mg.linalg.norm's, or a ValueError naming what is allowed."""
    if ord in ("euclidean", "fro"):
        if ord == "fro" and not matrix:
            raise ValueError("mg.norm: ord='fro' is a matrix norm: pass a pair of axes, or "
                             "use ord='euclidean' for a vector")
        return "fro" if matrix else 2
    number = isinstance(ord, (int, float)) and not isinstance(ord, bool)
    if matrix and not (number and ord in (1, 2, _math.inf)):
        raise ValueError(f"mg.norm: matrix ord must be 'euclidean', 'fro', 1, 2 or inf, got "
                         f"{ord!r}")
    if not number or not ord > 0:
        raise ValueError(f"mg.norm: vector ord must be 'euclidean' or a positive number "
                         f"(inf allowed), got {ord!r}")
    return ord


@defop()
def norm(tensor, ord="euclidean", axis=None, keepdims=False, name=None):  # noqa: A002
    """``tf.norm``: the whole tensor as one vector when ``axis`` is None, a vector norm
    over an int axis, a matrix norm over a pair of axes ('euclidean' is Frobenius there)."""
    from .. import linalg
    x = as_tensor(tensor)
    axes = None if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    if axes is not None and len(axes) not in (1, 2):
        raise ValueError(f"mg.norm: axis must be None, an int or a pair of ints, got {axis!r}")
    matrix = axes is not None and len(axes) == 2
    linalg_ord = _norm_ord(ord, matrix)
    if axes is None:
        # TF reads every element as one vector (NumPy would take a matrix norm of a matrix).
        result = linalg.norm(reshape(x, (-1,)), ord=linalg_ord, axis=0)
        return reshape(result, (1,) * x.ndim) if keepdims else result
    return linalg.norm(x, ord=linalg_ord, axis=axes if matrix else axes[0], keepdims=keepdims)


def _bound(value, like):
    """A clipping bound in ``like``'s dtype and backend (TF casts it to the tensor's dtype);
    Python numbers stay Python numbers (weak, no promotion)."""
    if type(value) in (int, float):
        return value
    t = value if isinstance(value, Tensor) else convert_to_tensor(value, backend=like.backend)
    return cast(t, like.dtype)


def _safe_l2(t, axes):
    """sqrt(sum(t^2)) with a finite gradient (0) where the sum is 0."""
    squares = sum(t * t, axis=axes, keepdims=True)
    positive = squares > 0
    # sqrt's gradient is infinite at 0: take it only where the sum is positive.
    return where(positive, sqrt(where(positive, squares, 1.0)), squares)


@defop()
def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t * clip_norm / max(l2norm(t, axes), clip_norm)`` (``tf.clip_by_norm``): rescaled
    so that its L2 norm over ``axes`` (all by default) is at most ``clip_norm``."""
    t = as_tensor(t)
    if t.dtype.is_complex:
        raise TypeError("mg.clip_by_norm: complex tensors are not supported; clip the real "
                        "and imaginary parts (mg.real, mg.imag) instead")
    clip_norm = _bound(clip_norm, t)
    return t * clip_norm / maximum(_safe_l2(t, axes), clip_norm)


@defop()
def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``(clipped, global_norm)`` (``tf.clip_by_global_norm``): every tensor scaled by
    ``clip_norm / max(global_norm, clip_norm)``. An infinite or NaN global norm makes every
    entry NaN (as TensorFlow). None entries stay None."""
    tensors = tensor_list(t_list, "clip_by_global_norm")
    norm_value = global_norm(tensors) if use_norm is None else as_tensor(use_norm)
    clip_norm = _bound(clip_norm, norm_value)
    # clip_norm / max(norm, clip_norm) is TF's clip_norm * min(1/norm, 1/clip_norm)
    # without a division by zero when every tensor is 0.
    scale = clip_norm / maximum(norm_value, clip_norm)
    scale = where(isfinite(norm_value), scale, _math.nan)
    clipped = [None if t is None else t * cast(scale, t.dtype) for t in tensors]
    return clipped, norm_value


# --- shapes as tensors ---------------------------------------------------------------

def _known(x):
    """x with its sizes worked out where a lazy backend left them unknown (after a mask)."""
    return as_tensor(x)._known_shape()


@defop(differentiable=False)
def shape(input, out_type=_dt.int32, name=None):  # noqa: A002 - TensorFlow's argument name
    """The shape as a 1-D integer Tensor (``tf.shape``); ``x.shape`` is the Python tuple."""
    x = _known(input)
    return constant(list(x.shape), dtype=out_type, backend=x.backend)


@defop(differentiable=False)
def size(input, out_type=_dt.int32, name=None):  # noqa: A002
    """The number of elements as a 0-d integer Tensor (``tf.size``); ``x.size`` is an int."""
    x = _known(input)
    return constant(x.size, dtype=out_type, backend=x.backend)


@defop(differentiable=False)
def rank(input, name=None):  # noqa: A002
    """The number of axes as a 0-d int32 Tensor (``tf.rank``); ``x.ndim`` is an int."""
    x = as_tensor(input)
    return constant(x.ndim, dtype=_dt.int32, backend=x.backend)


def _dims(dims, opname):
    if isinstance(dims, int):
        return (dims,)
    if isinstance(dims, Tensor) and dims.ndim != 1:
        raise ValueError(f"mg.{opname}: dims must be 1-D (a list, tuple or tensor of sizes), "
                         f"got a tensor of shape {dims.shape}")
    return tuple(int(d) for d in dims)


@defop()
def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with the scalar ``value`` (``tf.fill``): its dtype
    is ``value``'s, and the gradient with respect to ``value`` is the sum of the cotangent."""
    v = as_tensor(value)
    if v.ndim != 0:
        raise ValueError(f"mg.fill: value must be a scalar, got shape {v.shape}; use "
                         f"mg.broadcast_to to repeat a tensor")
    return broadcast_to(v, _dims(dims, "fill"))


@defop()
def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """``tf.one_hot``: ``on_value`` where the new axis equals the index, else ``off_value``.

    Indices outside [0, depth) give a row of ``off_value``. The dtype is ``dtype``, else that
    of ``on_value`` (or ``off_value``; a Python int is int32), else float32; gradients
    reach tensor on/off values.
    """
    idx = as_tensor(indices)
    if not idx.dtype.is_integer:
        raise TypeError(f"mg.one_hot: indices must be integers, got dtype {idx.dtype.name}; "
                        f"cast them with mg.cast(indices, mg.int32)")
    axis = -1 if axis is None else int(axis)
    if not -idx.ndim - 1 <= axis <= idx.ndim:
        raise ValueError(f"mg.one_hot: axis {axis} is out of range for indices of rank "
                         f"{idx.ndim} (the output has rank {idx.ndim + 1})")
    axis %= idx.ndim + 1
    if dtype is None:
        given = [as_tensor(v) for v in (on_value, off_value) if v is not None]
        dtype = given[0].dtype if given else _dt.float32
    on = cast(as_tensor(1 if on_value is None else on_value), dtype)
    off = cast(as_tensor(0 if off_value is None else off_value), dtype)
    positions = reshape(arange(int(depth), dtype=idx.dtype, backend=idx.backend),
                        (1,) * axis + (int(depth),) + (1,) * (idx.ndim - axis))
    return where(equal(expand_dims(idx, axis), positions), on, off)


# --- small TensorFlow helpers ----------------------------------------------------------

@defop()
def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape (``tf.add_n``, no broadcasting)."""
    if isinstance(inputs, Tensor) or not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("mg.add_n: inputs must be a non-empty list of tensors of one shape")
    tensors = [as_tensor(t) for t in inputs]
    shapes = {t.shape for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"mg.add_n: every input must have the same shape (add_n does not "
                         f"broadcast), got {sorted(shapes)}; use mg.add to broadcast")
    total = tensors[0]
    for t in tensors[1:]:
        total = total + t
    return total


@defop(differentiable=False)
def is_tensor(x):
    """Whether ``x`` is a multigrad Tensor (a Variable is one), as ``tf.is_tensor``."""
    return isinstance(x, Tensor)


@defop(differentiable=False)
def range(start, limit=None, delta=1, dtype=None, name=None):  # noqa: A001 - TF's name
    """``tf.range``: [start, limit) by ``delta``; int32 for ints, float32 when any is a
    float (or ``dtype``). Defined last: below, ``range`` is this function."""
    values = [v if not isinstance(v, Tensor)
              else int(v) if v.dtype.is_integer else float(v)
              for v in (start, limit, delta)]
    if values[2] == 0:
        raise ValueError("mg.range: delta must not be 0 (the sequence would never reach "
                         "limit)")
    return arange(values[0], values[1], values[2], dtype=dtype)
