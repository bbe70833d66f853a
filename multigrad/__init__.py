"""multigrad: TensorFlow-style GradientTape autodiff over NumPy, CuPy and plugin backends.

``import multigrad as mg``. Importing is cheap: backends load on first use.
"""

import importlib as _importlib
import os as _os

from . import dtypes
from .backend.spec import ArrayOps, Backend, BackendSpec
from .backend.select import (backend_names, get_backend, list_backends, load_backend,
                             register_backend, set_backend, use_backend)
from .dtypes import (DType, as_dtype, bool_, complex64, complex128, float16, float32, float64,
                     int8, int16, int32, int64, uint8, uint16, uint32, uint64)
from .errors import (AxisError, BackendError, BackendMismatchError, BackendUnavailableError,
                     PerformanceWarning, TracingError, UnknownBackendError)
from .ops import *  # noqa: F401,F403 - the array functions are the public API
from .core.primitive import Primitive
from .autodiff.tape import GradientTape, UnconnectedGradients
from .core.tensor import Tensor, Variable
from .core.tensor_shape import TensorShape
from .core.variable_options import VariableAggregation, VariableSynchronization
from .ops import numpy_dispatch as _numpy_dispatch
from .core import warning_location as _warning_location
# TensorFlow's top-level functions NumPy has no name for (mg.norm, mg.gather, mg.range...).
from .ops.tf.functions import (add_n, clip_by_global_norm, clip_by_norm, fill, is_tensor, norm,
                               one_hot, rank, shape, size)
from .ops.tf.functions import range  # noqa: A004 - tf.range; the builtin is unchanged elsewhere
from .ops.tf.gather import boolean_mask, gather, gather_nd

_numpy_dispatch.install(Tensor)     # np.sin(t) is mg.sin(t): NumPy's protocols on Tensor
_warning_location.install()         # an op's NumPy warning points at the user's line
from .ops import variable_slices as _variable_slices
_variable_slices.install()          # v[i, j].assign(x): TensorFlow's sliced Variable writes

__version__ = "0.1.0"

bool = bool_  # noqa: A001 - TensorFlow's spelling, mg.bool


# Optional pieces load on first access, keeping ``import multigrad`` cheap (benchmark W6):
# public namespaces as name -> module, and functions as name -> (module, attribute).
_LAZY_MODULES = {
    "linalg": "ops.linalg",
    "fft": "ops.fft",
    "nn": "ops.nn",
    "math": "ops.tf.math_namespace",       # tf.math
    "optimizers": "optimizers",
    "debugging": "debugging",
    "testing": "testing",
    "random": "random",
    "config": "config",
    "data": "data",
    "losses": "losses",
    "keras": "keras",
}
_LAZY_ATTRIBUTES = {
    "compute": ("core.compute", "compute"),
    "function": ("tracing", "function"),
    "Function": ("tracing", "Function"),
    "TensorSpec": ("tracing", "TensorSpec"),
    "init_scope": ("tracing.scope", "init_scope"),
    "device": ("placement", "device"),
    "print": ("effects.printing", "print_"),        # tf.print
    "py_function": ("effects.py_function", "py_function"),
    "cond": ("control_flow.structured", "cond"),
    "while_loop": ("control_flow.structured", "while_loop"),
    "switch_case": ("control_flow.structured", "switch_case"),
    "TensorArray": ("control_flow.tensor_array", "TensorArray"),
    "foldl": ("control_flow.folds", "foldl"),
    "foldr": ("control_flow.folds", "foldr"),
    "scan": ("control_flow.folds", "scan"),
    "custom_gradient": ("autodiff.custom_gradients", "custom_gradient"),
    "recompute_grad": ("autodiff.custom_gradients", "recompute_grad"),
    "ForwardAccumulator": ("autodiff.forward", "ForwardAccumulator"),
    "Module": ("module", "Module"),
    "save": ("checkpoint", "save"),
    "load": ("checkpoint", "load"),
    "hookimpl": ("hookspecs", "hookimpl"),
    "sigmoid": ("ops.nn", "sigmoid"),          # tf.sigmoid
    "array_api_backend": ("backend.array_api", "array_api_backend"),
    "array_api_spec": ("backend.array_api", "array_api_spec"),
    "register_array_api_backend": ("backend.array_api", "register_array_api_backend"),
    **{name: ("autodiff.functional", name)
       for name in ("grad", "value_and_grad", "jacobian", "hessian", "hvp", "vjp", "jvp")},
}


def __getattr__(name):
    if name in _LAZY_MODULES:
        value = _importlib.import_module(f".{_LAZY_MODULES[name]}", __name__)
        globals()[name] = value
        return value
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
