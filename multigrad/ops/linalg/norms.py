"""``mg.linalg``'s norms, compositions of differentiable ops: ``norm`` (NumPy's),
``vector_norm`` and ``matrix_norm`` (the Array API's), ``global_norm``
(``tf.linalg.global_norm``, shared with the TF functions)."""

from ... import ops
from ...core.args import normalize_axis
from ...core.convert import as_tensor
from ...core.tensor import Tensor
from .. import constant, sqrt, sum
from ..define import defop
from ..layout import moveaxis
from ..shape import expand_dims, squeeze
from .matrix_tools import matrix_arg
from .spectral import svd

__all__ = ["norm", "vector_norm", "matrix_norm", "global_norm"]


def tensor_list(t_list, opname):
    """A list of tensors (None entries kept), or a TypeError naming the op."""
    if isinstance(t_list, Tensor) or not isinstance(t_list, (list, tuple)):
        raise TypeError(f"mg.{opname}: t_list must be a list or tuple of tensors, got "
                        f"{type(t_list).__name__}; wrap a single tensor as [t]")
    return [None if t is None else as_tensor(t) for t in t_list]


@defop()
def global_norm(t_list, name=None):
    """sqrt(sum over the tensors of sum(t**2)) (``tf.linalg.global_norm``); None entries
    are ignored."""
    tensors = [t for t in tensor_list(t_list, "global_norm") if t is not None]
    if not tensors:
        return constant(0.0)
    total = sum(tensors[0] * tensors[0])
    for t in tensors[1:]:
        total = total + sum(t * t)
    return sqrt(total)


def _vector_norm(x, ord, axis, keepdims):
    if ord is None or ord == 2:
        return ops.sqrt(ops.sum(ops.square(ops.abs(x)) if x.dtype.is_complex else x * x,
                                axis=axis, keepdims=keepdims))
    ax = ops.abs(x)
    if ord == float("inf"):
        return ops.max(ax, axis=axis, keepdims=keepdims)
    if ord == float("-inf"):
        return ops.min(ax, axis=axis, keepdims=keepdims)
    if ord == 1:
        return ops.sum(ax, axis=axis, keepdims=keepdims)
    if ord == 0:
        return ops.sum(ops.cast(ops.not_equal(x, 0), x.dtype), axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"mg.linalg.norm: ord={ord!r} is a matrix norm; vectors take a "
                         f"number, inf or -inf")
    return ops.sum(ax ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _matrix_norm(x, ord, axes, keepdims):
    r, c = axes
    if ord in (None, "fro"):
        return _vector_norm(x, 2, axes, keepdims)
    if ord in (1, -1, float("inf"), float("-inf")):
        sum_axis, pick_axis = (r, c) if ord in (1, -1) else (c, r)
        sums = ops.sum(ops.abs(x), axis=sum_axis, keepdims=True)
        pick = ops.max if ord in (1, float("inf")) else ops.min
        out = pick(sums, axis=pick_axis, keepdims=True)
    elif ord in ("nuc", 2, -2):
        s = svd(moveaxis(x, (r, c), (-2, -1)))[1]
        out = ops.sum(s, axis=-1) if ord == "nuc" else (s[..., 0] if ord == 2 else s[..., -1])
        if not keepdims:
            return out
        return expand_dims(out, tuple(sorted((r, c))))
    else:
        raise ValueError(f"mg.linalg.norm: matrix ord must be 'fro', 'nuc', 1, -1, 2, -2, inf "
                         f"or -inf, got {ord!r}")
    if keepdims:
        return out
    return squeeze(out, axis=(r, c))


@defop()
def norm(x, ord=None, axis=None, keepdims=False, name=None):
    """NumPy's ``linalg.norm``: vector norms over one axis, matrix norms over two.

    Vector ``ord``: None/2, 1, inf, -inf, 0 (a count, no gradient), any other p.
    Matrix ``ord``: 'fro' (default), 'nuc', 1, -1, 2, -2, inf, -inf. The 2-norm's
    gradient is undefined at zero; 'nuc', 2 and -2 go through the SVD.
    """
    x = as_tensor(x)
    if axis is None:
        if ord is None:
            return _vector_norm(x, 2, None, keepdims)
        if x.ndim == 1:
            return _vector_norm(x, ord, None, keepdims)
        if x.ndim == 2:
            return _matrix_norm(x, ord, (0, 1), keepdims)
        raise ValueError(f"mg.linalg.norm: ord={ord!r} needs axis for a tensor of shape "
                         f"{x.shape} (an int for vector norms, a pair for matrix norms)")
    if isinstance(axis, int) or len(tuple(axis)) == 1:
        return _vector_norm(x, ord, normalize_axis(axis, x.ndim, "linalg.norm"), keepdims)
    axes = tuple(int(a) % x.ndim if -x.ndim <= int(a) < x.ndim else None for a in axis)
    if len(axes) != 2 or None in axes or axes[0] == axes[1]:
        raise ValueError(f"mg.linalg.norm: axis {axis!r} must be an int or a pair of distinct "
                         f"axes of a tensor of rank {x.ndim}")
    return _matrix_norm(x, ord, axes, keepdims)


@defop()
def vector_norm(x, axis=None, keepdims=False, ord=2, name=None):
    """The Array API's vector norm over ``axis`` (None: every axis; a tuple: those axes
    read as one vector, never a matrix norm)."""
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim, "linalg.vector_norm")
    axes = tuple(range(x.ndim)) if axes is None else axes
    if len(axes) == 1:
        return norm(x, ord, axis=axes[0], keepdims=keepdims)
    keep = [i for i in range(x.ndim) if i not in axes]
    merged = ops.reshape(ops.transpose(x, keep + list(axes)),
                         tuple(x.shape[i] for i in keep) + (-1,))
    out = norm(merged, ord, axis=-1)
    if keepdims:
        out = ops.reshape(out, tuple(1 if i in axes else d for i, d in enumerate(x.shape)))
    return out


@defop()
def matrix_norm(x, keepdims=False, ord="fro", name=None):
    """The Array API's matrix norm over the last two axes."""
    return norm(matrix_arg(x, "matrix_norm", square=False), ord, axis=(-2, -1),
                keepdims=keepdims)
