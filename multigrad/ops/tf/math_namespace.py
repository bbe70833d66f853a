"""``mg.math``: TensorFlow's ``tf.math`` namespace, each name bound to a multigrad function.

Where multigrad has the function under the same name, ``mg.math.<name> is mg.<name>``;
TensorFlow's other spellings are bound to the same objects (``is_nan`` is ``mg.isnan``,
``floormod`` is ``mg.remainder``). Where NumPy's function of the same name means something
else, the name here is TensorFlow's (``multigrad/tf_math_names.py``): ``argmax``/``argmin``
reduce axis 0, ``cumsum``/``cumprod`` take TF's arguments, integer ``reduce_sum``/``_prod``/
``_mean`` keep the dtype.
Not provided (no differentiable composition here yet): the special functions (bessel_*,
betainc, digamma, erfc, erfinv, igamma, lbeta, lgamma, ndtri, polygamma, zeta),
approx_max_k/min_k, bincount, confusion_matrix, cumulative_logsumexp, in_top_k,
invert_permutation, nextafter, segment_max/min/prod, sobol_sample.
"""

from ..nn import log_softmax, sigmoid, softmax, softplus
from .. import (abs, acos, acosh, add, angle, asin, asinh, atan, atan2, atanh, ceil, conj,
                cos, cosh, divide, equal, erf, exp, expm1, floor, greater, greater_equal,
                imag, less, less_equal, log, log1p, logical_and, logical_not, logical_or,
                logical_xor, maximum, minimum, mod, multiply, negative, not_equal, real,
                reciprocal, reduce_all, reduce_any, reduce_logsumexp, rint, round, sign, sin,
                sinh, sqrt, square, subtract, tan, tanh)
# TensorFlow's spellings of multigrad functions with other names.
from .. import divide as truediv
from .. import floor_divide as floordiv
from .. import isfinite as is_finite
from .. import isinf as is_inf
from .. import isnan as is_nan
from .. import max as reduce_max
from .. import min as reduce_min
from .. import polyval
from .. import power as pow
from .. import remainder as floormod
from .functions import add_n
# TF's meaning where NumPy has the same name with another (argmax reduces axis 0 ...).
from .math_names import (argmax, argmin, count_nonzero, cumprod, cumsum, reduce_std,
                         reduce_variance)
from .. import reduce_mean, reduce_prod, reduce_sum   # TF's integer dtypes (tf_reductions)
from .functions import add_n as accumulate_n
from .gather import (segment_mean, segment_sum, top_k, unsorted_segment_mean,
                     unsorted_segment_sum)
from .math_functions import (divide_no_nan, is_non_decreasing, is_strictly_increasing, l2_normalize,
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
