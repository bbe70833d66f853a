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
from .primitive import Primitive
from .tape import GradientTape, UnconnectedGradients
from .tensor import Tensor, Variable
from . import numpy_dispatch as _numpy_dispatch
# TensorFlow's top-level functions NumPy has no name for (mg.norm, mg.gather, mg.range...).
from .tf_functions import (add_n, clip_by_global_norm, clip_by_norm, fill, is_tensor, norm,
                           one_hot, rank, shape, size)
from .tf_functions import range  # noqa: A004 - tf.range; the builtin is unchanged elsewhere
from .tf_gather import boolean_mask, gather, gather_nd

_numpy_dispatch.install(Tensor)     # np.sin(t) is mg.sin(t): NumPy's protocols on Tensor

__version__ = "0.1.0"

bool = bool_  # noqa: A001 - TensorFlow's spelling, mg.bool


# Optional pieces load on first access, keeping ``import multigrad`` cheap (benchmark W6):
# submodules by name, and functions as name -> (module, attribute).
_LAZY_MODULES = ("linalg", "fft", "nn", "optimizers", "debugging", "testing", "random",
                 "config")
# mg.math is tf.math (multigrad/math_namespace.py: a file named math.py would shadow the
# standard library's math for scripts run from inside the package).
_LAZY_RENAMED_MODULES = {"math": "math_namespace"}
_LAZY_ATTRIBUTES = {
    "compute": ("evaluation", "compute"),
    "function": ("tracing", "function"),
    "Function": ("tracing", "Function"),
    "TensorSpec": ("tracing", "TensorSpec"),
    "custom_gradient": ("custom_gradients", "custom_gradient"),
    "recompute_grad": ("custom_gradients", "recompute_grad"),
    "ForwardAccumulator": ("forward", "ForwardAccumulator"),
    "Module": ("module", "Module"),
    "save": ("checkpoint", "save"),
    "load": ("checkpoint", "load"),
    "hookimpl": ("hookspecs", "hookimpl"),
    "sigmoid": ("nn", "sigmoid"),          # tf.sigmoid
    "array_api_backend": ("array_api", "array_api_backend"),
    "array_api_spec": ("array_api", "array_api_spec"),
    "register_array_api_backend": ("array_api", "register_array_api_backend"),
    **{name: ("functional", name)
       for name in ("grad", "value_and_grad", "jacobian", "hessian", "hvp", "vjp", "jvp")},
}


def __getattr__(name):
    if name in _LAZY_MODULES:
        return _importlib.import_module(f".{name}", __name__)
    if name in _LAZY_RENAMED_MODULES:
        value = _importlib.import_module(f".{_LAZY_RENAMED_MODULES[name]}", __name__)
        globals()[name] = value
        return value
    if name in _LAZY_ATTRIBUTES:
        module, attribute = _LAZY_ATTRIBUTES[name]
        value = getattr(_importlib.import_module(f".{module}", __name__), attribute)
        globals()[name] = value        # later reads are plain attribute lookups
        return value
    raise AttributeError(f"module 'multigrad' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_MODULES) | set(_LAZY_RENAMED_MODULES)
                  | set(_LAZY_ATTRIBUTES))


if _os.environ.get("MULTIGRAD_CHECK_NUMERICS", "").strip():
    from . import debugging  # noqa: E402,F401 - it reads the variable and switches checking on
