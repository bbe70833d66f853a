"""``mg.math``: TensorFlow's ``tf.math`` namespace, each name bound to a multigrad function.

Where multigrad has the function under the same name, ``mg.math.<name> is mg.<name>``,
except where TensorFlow's defaults or dtypes differ from NumPy's (``reduce_sum``,
``reduce_mean``, ``reduce_prod``: integer dtypes kept; ``cumsum``, ``cumprod``: axis 0);
TensorFlow's other spellings are bound to the same objects (``is_nan`` is ``mg.isnan``,
``floormod`` is ``mg.remainder``). Semantics are multigrad's: notably ``argmax``/``argmin``
flatten when ``axis`` is None (NumPy), where TensorFlow reduces axis 0 — pass ``axis``.
Not provided (no differentiable composition here yet): the special functions (bessel_*,
betainc, digamma, erfc, erfinv, igamma, lbeta, lgamma, ndtri, polygamma, zeta),
approx_max_k/min_k, bincount, confusion_matrix, cumulative_logsumexp, in_top_k,
invert_permutation, nextafter, segment_max/min/prod, sobol_sample.
"""

from .nn import log_softmax, sigmoid, softmax, softplus
from .ops import (abs, acos, acosh, add, angle, argmax, argmin, asin, asinh, atan, atan2,
                  atanh, ceil, conj, cos, cosh, count_nonzero, divide, equal,
                  erf, exp, expm1, floor, greater, greater_equal, imag, less, less_equal, log,
                  log1p, logical_and, logical_not, logical_or, logical_xor, maximum, minimum,
                  mod, multiply, negative, not_equal, real, reciprocal, reduce_all, reduce_any,
                  reduce_logsumexp, reduce_mean, reduce_prod, reduce_std, reduce_sum,
                  reduce_variance, rint, round, sign, sin, sinh, sqrt, square, subtract, tan,
                  tanh)
# TensorFlow's spellings of multigrad functions with other names.
from .ops import divide as truediv
from .ops import floor_divide as floordiv
from .ops import isfinite as is_finite
from .ops import isinf as is_inf
from .ops import isnan as is_nan
from .ops import max as reduce_max
from .ops import min as reduce_min
from .ops import polyval
from .ops import power as pow
from .ops import remainder as floormod
from .tf_functions import add_n
from .tf_scans import cumprod, cumsum
from .tf_functions import add_n as accumulate_n
from .tf_gather import (segment_mean, segment_sum, top_k, unsorted_segment_mean,
                        unsorted_segment_sum)
from .tf_math import (divide_no_nan, is_non_decreasing, is_strictly_increasing, l2_normalize,
                      log_sigmoid, multiply_no_nan, reciprocal_no_nan,
                      reduce_euclidean_norm, rsqrt, scalar_mul, softsign, squared_difference,
                      xdivy, xlog1py, xlogy, zero_fraction)

__all__ = [
    "abs", "accumulate_n", "acos", "acosh", "add", "add_n", "angle", "argmax", "argmin", "asin",
    "asinh", "atan", "atan2", "atanh", "ceil", "conj", "cos", "cosh", "count_nonzero",
    "cumprod", "cumsum", "divide", "divide_no_nan", "equal", "erf", "exp", "expm1", "floor",
    "floordiv", "floormod", "greater", "greater_equal", "imag", "is_finite", "is_inf",
    "is_nan", "is_non_decreasing", "is_strictly_increasing", "l2_normalize", "less",
    "less_equal", "log", "log1p", "log_sigmoid", "log_softmax", "logical_and", "logical_not",
    "logical_or", "logical_xor", "maximum", "minimum", "mod", "multiply", "multiply_no_nan",
    "negative", "not_equal", "polyval", "pow", "real", "reciprocal", "reciprocal_no_nan",
    "reduce_all", "reduce_any", "reduce_euclidean_norm", "reduce_logsumexp", "reduce_max",
    "reduce_mean", "reduce_min", "reduce_prod", "reduce_std", "reduce_sum", "reduce_variance",
    "rint", "round", "rsqrt", "scalar_mul", "segment_mean", "segment_sum", "sigmoid", "sign",
    "sin", "sinh", "softmax", "softplus", "softsign", "sqrt", "square", "squared_difference",
    "subtract", "tan", "tanh", "top_k", "truediv", "unsorted_segment_mean",
    "unsorted_segment_sum", "xdivy", "xlog1py", "xlogy", "zero_fraction"]
