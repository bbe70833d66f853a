"""TensorFlow's math functions that NumPy lacks (``mg.math.xlogy``, ``mg.nn.moments``, ...).

Compositions of public ops. The ``*_no_nan`` family and ``x*`` functions use the "safe
where" pattern: the operand of a function that would be infinite or NaN on the masked
branch is first replaced by a harmless value, so that the gradient of the branch that
``where`` discards is 0, not NaN (TensorFlow's gradients there are 0 as well).
"""

from ... import dtypes as _dt
from ...core.convert import as_tensor
from ..real_only import refuse_complex
from .. import (abs, all, cast, equal, isfinite, log, log1p, logaddexp, logical_or,
                maximum, mean, not_equal, reciprocal, reshape, sqrt, square, subtract, sum,
                var, where)
from ..define import defop

__all__ = ["squared_difference", "xlogy", "xdivy", "xlog1py", "divide_no_nan",
           "multiply_no_nan", "reciprocal_no_nan", "log_sigmoid", "rsqrt", "softsign",
           "scalar_mul", "reduce_euclidean_norm", "l2_normalize", "zero_fraction",
           "is_non_decreasing", "is_strictly_increasing", "moments", "l2_loss"]


@defop()
def squared_difference(x, y, name=None):
    """(x - y)**2 elementwise (``tf.math.squared_difference``)."""
    return square(subtract(x, y))


def _zero_where_zero(x, y, zero_of, safe, f):
    """f(x, y), and 0 where ``zero_of`` (x or y) is 0. There y is replaced by ``safe``
    inside f, so those entries get a gradient of 0, not NaN (0 * inf)."""
    x, y = as_tensor(x), as_tensor(y)
    zero = equal(x if zero_of == "x" else y, 0)
    return where(zero, 0.0, f(x, where(zero, safe, y)))


@defop()
def xlogy(x, y, name=None):
    """x * log(y), and 0 where x == 0 (even where y is 0 or NaN)."""
    return _zero_where_zero(x, y, "x", 1.0, lambda a, b: a * log(b))


@defop()
def xdivy(x, y, name=None):
    """x / y, and 0 where x == 0 (even where y is 0)."""
    return _zero_where_zero(x, y, "x", 1.0, lambda a, b: a / b)


@defop()
def xlog1py(x, y, name=None):
    """x * log1p(y), and 0 where x == 0 (even where y is -1)."""
    return _zero_where_zero(x, y, "x", 0.0, lambda a, b: a * log1p(b))


@defop()
def divide_no_nan(x, y, name=None):
    """x / y, and 0 where y == 0 (even where x is 0, inf or NaN)."""
    return _zero_where_zero(x, y, "y", 1.0, lambda a, b: a / b)


@defop()
def multiply_no_nan(x, y, name=None):
    """x * y, and 0 where y == 0 even where x is inf or NaN (``tf.math.multiply_no_nan``)."""
    x, y = as_tensor(x), as_tensor(y)
    # Only a non-finite x needs replacing: a finite x keeps d/dy = x at y == 0.
    return where(logical_or(isfinite(x), not_equal(y, 0)), x, 0.0) * y


@defop()
def reciprocal_no_nan(x, name=None):
    """1 / x, and 0 where x == 0."""
    return divide_no_nan(1.0, as_tensor(x))


@defop()
def log_sigmoid(x, name=None):
    """log(sigmoid(x)) = -softplus(-x) = -logaddexp(0, -x), finite for any input."""
    return -logaddexp(0.0, -as_tensor(x))      # softplus(-x), stable for any x


@defop()
def rsqrt(x, name=None):
    """1 / sqrt(x)."""
    return reciprocal(sqrt(x))


@defop()
def softsign(features, name=None):
    """x / (1 + |x|) (``tf.nn.softsign``)."""
    x = as_tensor(features)
    refuse_complex(x, "nn.softsign")
    return x / (1 + abs(x))


@defop()
def scalar_mul(scalar, x, name=None):
    """``scalar * x`` for a 0-d ``scalar`` (``tf.math.scalar_mul``)."""
    s = as_tensor(scalar)
    if s.ndim != 0:
        raise ValueError(f"mg.math.scalar_mul: scalar must be 0-d, got shape {s.shape}; use "
                         f"mg.multiply to broadcast a tensor")
    return s * as_tensor(x)


@defop()
def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(sum(x**2)) over ``axis``; integer input gives an integer (truncated), as TF.
    The gradient is undefined (NaN) where the norm is 0."""
    x = as_tensor(input_tensor)
    if x.dtype.is_integer:       # the Array API has no sqrt of integers
        root = sqrt(sum(square(cast(x, _dt.float64)), axis=axis, keepdims=keepdims))
        return cast(root, x.dtype)
    if x.dtype.is_complex:       # TF: sqrt(sum(|x|^2)), a real value in x's complex dtype
        return cast(sqrt(sum(square(abs(x)), axis=axis, keepdims=keepdims)), x.dtype)
    return sqrt(sum(square(x), axis=axis, keepdims=keepdims))


@defop()
def l2_normalize(x, axis=None, epsilon=1e-12, name=None):
    """x / sqrt(max(sum(|x|**2, axis), epsilon)) (``tf.math.l2_normalize``, complex too)."""
    x = as_tensor(x)
    sq = square(abs(x)) if x.dtype.is_complex else square(x)
    return x * reciprocal(sqrt(maximum(sum(sq, axis=axis, keepdims=True), epsilon)))


@defop(differentiable=False)
def zero_fraction(value, name=None):
    """The fraction of entries equal to 0, as a float32 scalar."""
    return mean(cast(equal(as_tensor(value), 0), _dt.float32))


def _flat_pairs(x, opname):
    x = reshape(as_tensor(x), (-1,))
    if x.dtype.is_complex:
        raise TypeError(f"mg.math.{opname}: complex numbers have no order")
    return x[1:], x[:-1]


@defop(differentiable=False)
def is_non_decreasing(x, name=None):
    """Whether every element (in row-major order) is >= the one before; True when < 2."""
    later, earlier = _flat_pairs(x, "is_non_decreasing")
    return all(later >= earlier)


@defop(differentiable=False)
def is_strictly_increasing(x, name=None):
    """Whether every element (in row-major order) is > the one before; True when < 2."""
    later, earlier = _flat_pairs(x, "is_strictly_increasing")
    return all(later > earlier)


# --- mg.nn -----------------------------------------------------------------------------

@defop()
def moments(x, axes, shift=None, keepdims=False, name=None):
    """``(mean, variance)`` over ``axes`` (``tf.nn.moments``; ``shift`` is ignored, as in
    TF 2). Exact at every order: the variance is mg.var's, not a stop_gradient form."""
    x = as_tensor(x)
    axes = axes if isinstance(axes, int) else tuple(axes)
    return mean(x, axis=axes, keepdims=keepdims), var(x, axis=axes, keepdims=keepdims)


@defop()
def l2_loss(t, name=None):
    """sum(t**2) / 2 (``tf.nn.l2_loss``)."""
    return sum(square(as_tensor(t))) / 2
