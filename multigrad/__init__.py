"""multigrad: TensorFlow-style GradientTape autodiff over NumPy, CuPy and plugin backends.

``import multigrad as mg``. Importing is cheap: backends load on first use.
"""

import importlib as _importlib
import os as _os

from . import dtypes
from .array_backend import ArrayOps, Backend, BackendSpec
from .backend import (backend_names, get_backend, list_backends, load_backend, register_backend,
                      set_backend, use_backend)
from .dtypes import (DType, as_dtype, bool_, complex64, complex128, float16, float32, float64,
                     int8, int16, int32, int64, uint8, uint16, uint32, uint64)
from .errors import (AxisError, BackendError, BackendMismatchError, BackendUnavailableError,
                     PerformanceWarning, UnknownBackendError)
from .ops import *  # noqa: F401,F403 - the array functions are the public API
from .ops import abs, clip, concatenate, divide, getitem, max, mean, min, power, sum, transpose
from .primitive import Primitive
from .tape import GradientTape, UnconnectedGradients
from .tensor import Tensor, Variable

__version__ = "0.1.0"

bool = bool_  # noqa: A001 - TensorFlow's spelling, mg.bool

# TensorFlow's and the Array API's names for the same operations.
reduce_sum = sum
reduce_mean = mean
reduce_max = max
reduce_min = min
amax = max
amin = min
concat = concatenate
pow = power  # noqa: A001
permute_dims = transpose
clip_by_value = clip
absolute = abs
true_divide = divide


# Optional pieces load on first access, keeping ``import multigrad`` cheap (benchmark W6):
# submodules by name, and functions as name -> (module, attribute).
_LAZY_MODULES = ("linalg", "fft", "nn", "optimizers", "debugging", "testing")
_LAZY_ATTRIBUTES = {
    "compute": ("compute", "compute"),
    "custom_gradient": ("custom_gradient", "custom_gradient"),
    "recompute_grad": ("custom_gradient", "recompute_grad"),
    "ForwardAccumulator": ("forward", "ForwardAccumulator"),
    "hookimpl": ("hookspecs", "hookimpl"),
    "array_api_backend": ("array_api", "array_api_backend"),
    "array_api_spec": ("array_api", "array_api_spec"),
    "register_array_api_backend": ("array_api", "register_array_api_backend"),
    **{name: ("functional", name)
       for name in ("grad", "value_and_grad", "jacobian", "hessian", "hvp", "vjp", "jvp")},
}


def __getattr__(name):
    if name in _LAZY_MODULES:
        return _importlib.import_module(f".{name}", __name__)
    if name in _LAZY_ATTRIBUTES:
        module, attribute = _LAZY_ATTRIBUTES[name]
        value = getattr(_importlib.import_module(f".{module}", __name__), attribute)
        globals()[name] = value        # later reads are plain attribute lookups
        return value
    raise AttributeError(f"module 'multigrad' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_MODULES) | set(_LAZY_ATTRIBUTES))


if _os.environ.get("MULTIGRAD_CHECK_NUMERICS", "").strip():
    from . import debugging  # noqa: E402,F401 - it reads the variable and switches checking on
