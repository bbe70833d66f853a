"""TensorFlow's ``reduce_sum``, ``reduce_mean``, ``reduce_prod``: NumPy's ``sum``, ``mean`` and
``prod`` with TensorFlow's result dtypes.

An integer tensor reduces to its own dtype (``tf.reduce_sum`` of int32 is int32, where
NumPy's ``sum`` widens to int64; the wrapped-around values agree, as both are the sums modulo
2**bits), and ``reduce_mean`` of integers is the integer mean: the sum divided by the count,
truncated toward zero (TF: ``reduce_mean([1, 2])`` is 1). Floating and complex inputs are the
NumPy ops unchanged; ``mg.sum`` / ``mg.mean`` / ``mg.prod`` keep NumPy's rules.
"""

from .. import dtypes as _dt
from ..core.convert import as_tensor
from ..errors import InvalidArgumentError
from .define import defop
from .creation import cast
from .elementwise import abs, floor_divide, sign
from .reductions import mean, sum
from .aggregates import prod

__all__ = ["reduce_sum", "reduce_mean", "reduce_prod"]   # (keep_integer_dtype: for mg.math)


def keep_integer_dtype(x, out):
    """TF's integer reductions and scans accumulate in the input's dtype: NumPy's wider
    result cast back wraps around exactly as that accumulation would."""
    return cast(out, x.dtype) if x.dtype.is_integer and out.dtype != x.dtype else out


def _numeric(input_tensor, opname):
    """The input as a Tensor; a bool one is refused, as TensorFlow's kernels refuse it
    (NumPy's sum would count the True entries)."""
    x = as_tensor(input_tensor)
    if x.dtype == _dt.bool_:
        raise TypeError(f"mg.{opname}: bool tensors are not reduced arithmetically (as in "
                        f"TensorFlow); cast first, e.g. mg.{opname}(mg.cast(x, mg.int32)), "
                        f"or use mg.math.count_nonzero / mg.reduce_any / mg.reduce_all")
    return x


@defop()
def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum over ``axis`` (all axes by default); an integer tensor's sum keeps its dtype."""
    x = _numeric(input_tensor, "reduce_sum")
    out = sum(x, axis=axis, keepdims=keepdims)
    return keep_integer_dtype(x, out)


@defop()
def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Product over ``axis``; an integer tensor's product keeps its dtype."""
    x = _numeric(input_tensor, "reduce_prod")
    out = prod(x, axis=axis, keepdims=keepdims)
    return keep_integer_dtype(x, out)


@defop()
def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean over ``axis``; of integers, the integer mean (truncated toward zero) in the
    input's dtype, as TensorFlow computes it."""
    x = _numeric(input_tensor, "reduce_mean")
    if not x.dtype.is_integer:
        return mean(x, axis=axis, keepdims=keepdims)
    total = sum(x, axis=axis, keepdims=keepdims)             # NumPy: in 64 bits
    count = x.size // total.size if total.size else 1        # entries per reduced value
    if count == 0:
        raise InvalidArgumentError("reduce_mean: the integer mean of an empty selection is "
                                   "undefined (TF divides by zero); cast to a float dtype first")
    return keep_integer_dtype(x, sign(total) * floor_divide(abs(total), count))
