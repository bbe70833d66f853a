"""Creating tensors, converting data, moving between backends, casting."""

import math

from .. import dtypes as _dt
from ..backend.array_api import move_array
from ..backend.select import get_backend, load_backend
from ..core.convert import convert_to_tensor
from ..dtypes import python_data_dtype
from ..core.primitive import Primitive, apply
from ..core.tensor import Tensor
from ..core.vocabulary import tensor_ops
from .define import declare, defop
from ..core.args import integer_arg, number_arg, shape_arg

__all__ = ["constant", "convert_to_tensor", "asarray", "zeros", "ones", "full", "zeros_like",
           "ones_like", "full_like", "arange", "eye", "cast", "to_backend"]

declare(convert_to_tensor, differentiable=False)


@defop(differentiable=False)
def constant(value, dtype=None, shape=None, name=None, backend=None):
    """A Tensor holding ``value`` (``tf.constant``); ``shape`` broadcasts or reshapes it.

    Python data and NumPy arrays go to the selected backend (or ``backend``).
    """
    t = convert_to_tensor(value, dtype=dtype, backend=backend)
    if shape is not None:
        shape = shape_arg(shape, "constant")
        t = (tensor_ops.reshape(t, shape) if t.size == math.prod(shape)
             else tensor_ops.broadcast_to(t, shape))
    return t


@defop(differentiable=False)
def asarray(value, dtype=None):
    """NumPy's name for ``convert_to_tensor``."""
    return convert_to_tensor(value, dtype=dtype)



def _filled(shape, value, dtype, backend, opname="full"):
    shape = shape_arg(shape, opname)
    b = get_backend() if backend is None else load_backend(backend)
    return Tensor._make(b.ops.full(shape, value, _dt.as_dtype(dtype)), b)


@defop(differentiable=False)
def zeros(shape, dtype=_dt.float32, backend=None):
    return _filled(shape, 0, dtype, backend, "zeros")


@defop(differentiable=False)
def ones(shape, dtype=_dt.float32, backend=None):
    return _filled(shape, 1, dtype, backend, "ones")


@defop(differentiable=False)
def full(shape, fill_value, dtype=None, backend=None):
    fill_value = number_arg(fill_value, "full", "fill_value")
    if dtype is None:
        dtype = python_data_dtype(fill_value) or _dt.float32
    return _filled(shape, fill_value, dtype, backend)


def _like(x, value, dtype):
    value = number_arg(value, "full_like", "fill_value")
    x = convert_to_tensor(x)
    dtype = x.dtype if dtype is None else _dt.as_dtype(dtype)
    # full_like, not full(x.shape): a lazy backend's shape may be unknown until computed
    return Tensor._make(x._backend.ops.full_like(x._value, value, dtype), x._backend)


@defop(differentiable=False)
def zeros_like(x, dtype=None):
    return _like(x, 0, dtype)


@defop(differentiable=False)
def ones_like(x, dtype=None):
    return _like(x, 1, dtype)


@defop(differentiable=False)
def full_like(x, fill_value, dtype=None):
    return _like(x, fill_value, dtype)


@defop(differentiable=False)
def arange(start, stop=None, step=1, dtype=None, backend=None):
    """Evenly spaced values (TF's ``range``); int32 for ints, float32 for floats by default."""
    if stop is None:
        start, stop = 0, start
    for what, value in (("start", start), ("stop", stop), ("step", step)):
        number_arg(value, "arange", what)
    if dtype is None:
        dtype = python_data_dtype([start, stop, step])
    b = get_backend() if backend is None else load_backend(backend)
    return Tensor._make(b.ops.arange(start, stop, step, dtype=b.native_dtype(dtype)), b)


@defop(differentiable=False)
def eye(n, m=None, dtype=_dt.float32, backend=None):
    n = integer_arg(n, "eye", "n")
    m = None if m is None else integer_arg(m, "eye", "m")
    if n < 0 or (m is not None and m < 0):
        raise ValueError(f"mg.eye: negative dimensions are not allowed, got n={n}, m={m}")
    b = get_backend() if backend is None else load_backend(backend)
    return Tensor._make(b.ops.eye(n, m, dtype=b.native_dtype(dtype)), b)


# --- casting (differentiable between floating dtypes) ---------------------------------

_CAST = Primitive("cast", lambda ns, x, dtype: ns.astype(x, dtype), check_output_dtype=True)
# The tape casts the cotangent back to x's dtype (the real part for a real x).
_CAST.defvjp(lambda ns, g, ans, x, dtype: g)


@defop(_CAST)
def cast(x, dtype, name=None):
    """``x`` converted to ``dtype`` (``tf.cast``); gradients flow between float dtypes."""
    dtype = _dt.as_dtype(dtype)
    if isinstance(x, Tensor) and type(x) is Tensor and x.dtype is dtype:
        return x
    return apply(_CAST, (x,), {"dtype": dtype})


@defop(differentiable=False)
def to_backend(x, backend):
    """``x`` moved to another backend: DLPack when both sides support it (no copy on the
    same device), else a copy through host NumPy. Gradients do not flow through it."""
    target = load_backend(backend)
    t = convert_to_tensor(x)
    if t._backend is target:
        return t
    return Tensor._make(move_array(t._value, t._backend, target), target)
