"""``mg.math``'s TensorFlow meaning of names NumPy also has, with another meaning there.

The top-level names stay NumPy's (``mg.argmax`` flattens, ``mg.sum`` of int32 gives int64);
``mg.math.<name>`` is ``tf.math.<name>``:

- ``argmax``/``argmin`` reduce axis 0 when ``axis`` is None and return ``output_type``
  (int64 by default);
- ``cumsum``/``cumprod(x, axis=0, exclusive=False, reverse=False)``: TF's positions and
  default axis, integers keep their dtype;
- (``reduce_sum``/``reduce_prod``/``reduce_mean`` keep TF's integer dtypes at the top level
  too: ``ops/tf_reductions.py``;)
- ``reduce_std``/``reduce_variance`` refuse integers (TF's TypeError);
- ``count_nonzero(..., dtype=int64)``.
Float inputs go through the NumPy-named ops unchanged, gradients included.
"""

from ... import dtypes as _dt
from ...core.convert import as_tensor
from ...errors import InvalidArgumentError
from .. import argmax as _argmax
from .. import argmin as _argmin
from .. import cast
from ..tf_reductions import keep_integer_dtype
from .. import count_nonzero as _count_nonzero
from .. import cumprod as _cumprod
from .. import cumsum as _cumsum
from .. import std, var
from ..define import defop

__all__ = ["argmax", "argmin", "cumsum", "cumprod", "reduce_std", "reduce_variance",
           "count_nonzero"]

_INDEX_TYPES = (_dt.int16, _dt.uint16, _dt.int32, _dt.int64)


def _arg_reduction(fn, opname, input, axis, output_type):
    x = as_tensor(input)
    axis = 0 if axis is None else int(axis)
    if not -x.ndim <= axis < x.ndim:
        raise InvalidArgumentError(f"mg.math.{opname}: Expected dimension in the range "
                                   f"[{-x.ndim}, {x.ndim}), but got {axis}")
    out_type = _dt.as_dtype(output_type)
    if out_type not in _INDEX_TYPES:
        raise TypeError(f"mg.math.{opname}: output_type must be one of int16, uint16, int32, "
                        f"int64; got {out_type.name}")
    out = fn(x, axis=axis)
    return out if out.dtype == out_type else cast(out, out_type)


@defop(differentiable=False)
def argmax(input, axis=None, output_type=_dt.int64, name=None):  # noqa: A002 - TF's name
    """Index of the largest value along ``axis`` (axis 0 when None), as ``tf.math.argmax``."""
    return _arg_reduction(_argmax, "argmax", input, axis, output_type)


@defop(differentiable=False)
def argmin(input, axis=None, output_type=_dt.int64, name=None):  # noqa: A002 - TF's name
    """Index of the smallest value along ``axis`` (axis 0 when None), as ``tf.math.argmin``."""
    return _arg_reduction(_argmin, "argmin", input, axis, output_type)


@defop()
def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along ``axis`` (default 0), as ``tf.math.cumsum``."""
    x = as_tensor(x)
    return keep_integer_dtype(x, _cumsum(x, axis=axis, exclusive=exclusive, reverse=reverse))


@defop()
def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product along ``axis`` (default 0), as ``tf.math.cumprod``."""
    x = as_tensor(x)
    return keep_integer_dtype(x, _cumprod(x, axis=axis, exclusive=exclusive,
                                           reverse=reverse))


def _floating_or_complex(x, opname):
    if x.dtype.is_integer or x.dtype == _dt.bool_:
        raise TypeError(f"mg.math.{opname}: Input must be either real or complex. Received "
                        f"{x.dtype.name}; cast it first (mg.cast(x, mg.float32))")
    return x


@defop()
def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Standard deviation over ``axis`` (``tf.math.reduce_std``: floats and complex only)."""
    return std(_floating_or_complex(as_tensor(input_tensor), "reduce_std"), axis=axis,
               keepdims=keepdims)


@defop()
def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Variance over ``axis`` (``tf.math.reduce_variance``: floats and complex only)."""
    return var(_floating_or_complex(as_tensor(input_tensor), "reduce_variance"), axis=axis,
               keepdims=keepdims)


@defop(differentiable=False)
def count_nonzero(input, axis=None, keepdims=None, dtype=_dt.int64, name=None):  # noqa: A002
    """Number of non-zero elements over ``axis``, as ``dtype`` (``tf.math.count_nonzero``)."""
    out = _count_nonzero(input, axis=axis, keepdims=bool(keepdims))
    dtype = _dt.as_dtype(dtype)
    return out if out.dtype == dtype else cast(out, dtype)
