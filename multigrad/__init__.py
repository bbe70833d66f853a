"""multigrad: TensorFlow-style GradientTape autodiff over NumPy, CuPy and plugin backends.

``import multigrad as mg``. Importing is cheap: backends load on first use.
"""

from . import dtypes
from .array_api import array_api_backend, array_api_spec, register_array_api_backend
from .array_backend import ArrayOps, Backend, BackendSpec
from .backend import (backend_names, get_backend, list_backends, load_backend, register_backend,
                      set_backend, use_backend)
from .dtypes import (DType, as_dtype, bool_, complex64, complex128, float16, float32, float64,
                     int8, int16, int32, int64, uint8, uint16, uint32, uint64)
from .errors import (BackendError, BackendMismatchError, BackendUnavailableError,
                     PerformanceWarning, UnknownBackendError)
from .ops import *  # noqa: F401,F403 - the array functions are the public API
from . import fft, linalg
from .ops import abs, clip, concatenate, divide, getitem, max, mean, min, power, sum, transpose
from .primitive import Primitive
from .tape import GradientTape, UnconnectedGradients
from .tensor import Tensor, Variable
from . import nn  # noqa: E402 - mg.nn, after the ops it is built from
from . import debugging, optimizers
from .compute import compute
from .custom_gradient import custom_gradient, recompute_grad
from .forward import ForwardAccumulator
from .functional import grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp

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


def __getattr__(name):
    # Heavier or optional pieces load on first access, keeping `import multigrad` cheap.
    if name == "hookimpl":
        from .hookspecs import hookimpl
        return hookimpl
    if name == "testing":
        import importlib
        return importlib.import_module(".testing", __name__)
    raise AttributeError(f"module 'multigrad' has no attribute {name!r}")
