"""Creating tensors, converting data, moving between backends, casting."""

import math

from .. import dtypes as _dt
from ..backend import get_backend, infer_backend, load_backend
from ..primitive import Primitive, apply
from ..tensor import Tensor

__all__ = ["constant", "convert_to_tensor", "asarray", "zeros", "ones", "full", "zeros_like",
           "ones_like", "full_like", "arange", "linspace", "eye", "cast", "to_backend"]

_KIND_DTYPE = {"b": _dt.bool_, "i": _dt.int32, "f": _dt.float32, "c": _dt.complex128}
_KIND_ORDER = "bifc"


def python_data_dtype(data):
    """TensorFlow's default dtype for Python data: float32 for floats, int32 for ints."""
    kind = _python_kind(data)
    return None if kind is None else _kind_dtype(kind, data)


def _kind_dtype(kind, data):
    from ._int_width import needs_int64
    return _dt.int64 if kind == "i" and needs_int64(data) else _KIND_DTYPE[kind]


def _python_kind(data):
    if isinstance(data, bool):
        return "b"
    if isinstance(data, int):
        return "i"
    if isinstance(data, float):
        return "f"
    if isinstance(data, complex):
        return "c"
    if isinstance(data, range):
        return "i"
    if isinstance(data, (list, tuple)):
        kinds = [_python_kind(item) for item in data]
        if any(k is None for k in kinds):
            return None
        return max(kinds, key=_KIND_ORDER.index) if kinds else "f"
    return None


def _contains_tensor(data):
    if isinstance(data, Tensor):
        return True
    return isinstance(data, (list, tuple)) and any(_contains_tensor(d) for d in data)


def convert_to_tensor(value, dtype=None, backend=None, name=None):
    """A Tensor from a Tensor, a backend array, or Python data (TensorFlow's defaults).

    ``backend`` (a name or Backend) applies to Python data; arrays keep their backend.
    """
    if isinstance(value, Tensor):
        if type(value) is not Tensor:               # a Variable: read its current value
            value = Tensor._make(value._value, value._backend)
        if dtype is not None and value.dtype != _dt.as_dtype(dtype):
            return cast(value, dtype)
        return value
    target = infer_backend(value)
    if target is not None and target.host:
        # Host (NumPy) arrays are data to convert, like Python lists: they go to the
        # selected backend. Device arrays (CuPy, ...) keep their own backend.
        selected = get_backend() if backend is None else load_backend(backend)
        if selected is not target:
            return Tensor._make(selected.asarray(value, dtype=None if dtype is None
                                                 else _dt.as_dtype(dtype)), selected)
    if target is None:
        if _contains_tensor(value):
            from .shape import stack
            return convert_to_tensor(stack([convert_to_tensor(v) for v in value]), dtype)
        kind = _python_kind(value)
        if kind is None and not hasattr(value, "__array__"):
            raise TypeError(
                f"cannot convert {type(value).__name__} to a tensor: expected a Tensor, an "
                f"array, or (nested lists of) Python numbers")
        target = get_backend() if backend is None else load_backend(backend)
        if dtype is None and kind is not None:
            dtype = _kind_dtype(kind, value)
        if isinstance(value, range):
            value = list(value)
    try:
        raw = target.asarray(value, dtype=None if dtype is None else _dt.as_dtype(dtype))
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"cannot convert {type(value).__name__} to a tensor: {exc}") from exc
    return Tensor._make(raw, target)


def constant(value, dtype=None, shape=None, name=None, backend=None):
    """A Tensor holding ``value`` (``tf.constant``); ``shape`` broadcasts or reshapes it.

    Python data and NumPy arrays go to the selected backend (or ``backend``).
    """
    t = convert_to_tensor(value, dtype=dtype, backend=backend)
    if shape is not None:
        from .shape import broadcast_to, reshape
        from ._args import shape_arg
        shape = shape_arg(shape, "constant")
        t = reshape(t, shape) if t.size == math.prod(shape) else broadcast_to(t, shape)
    return t


def asarray(value, dtype=None):
    """NumPy's name for ``convert_to_tensor``."""
    return convert_to_tensor(value, dtype=dtype)



def _filled(shape, value, dtype, backend, opname="full"):
    from ._args import shape_arg
    shape = shape_arg(shape, opname)
    b = get_backend() if backend is None else load_backend(backend)
    return Tensor._make(b.ops.full(shape, value, _dt.as_dtype(dtype)), b)


def zeros(shape, dtype=_dt.float32, backend=None):
    return _filled(shape, 0, dtype, backend, "zeros")


def ones(shape, dtype=_dt.float32, backend=None):
    return _filled(shape, 1, dtype, backend, "ones")


def full(shape, fill_value, dtype=None, backend=None):
    from ._args import number_arg
    fill_value = number_arg(fill_value, "full", "fill_value")
    if dtype is None:
        dtype = python_data_dtype(fill_value) or _dt.float32
    return _filled(shape, fill_value, dtype, backend)


def _like(x, value, dtype):
    from ._args import number_arg
    value = number_arg(value, "full_like", "fill_value")
    x = convert_to_tensor(x)
    dtype = x.dtype if dtype is None else _dt.as_dtype(dtype)
    # full_like, not full(x.shape): a lazy backend's shape may be unknown until computed
    return Tensor._make(x._backend.ops.full_like(x._value, value, dtype), x._backend)


def zeros_like(x, dtype=None):
    return _like(x, 0, dtype)


def ones_like(x, dtype=None):
    return _like(x, 1, dtype)


def full_like(x, fill_value, dtype=None):
    return _like(x, fill_value, dtype)


def arange(start, stop=None, step=1, dtype=None, backend=None):
    """Evenly spaced values (TF's ``range``); int32 for ints, float32 for floats by default."""
    from ._args import number_arg
    if stop is None:
        start, stop = 0, start
    for what, value in (("start", start), ("stop", stop), ("step", step)):
        number_arg(value, "arange", what)
    if dtype is None:
        dtype = python_data_dtype([start, stop, step])
    b = get_backend() if backend is None else load_backend(backend)
    return Tensor._make(b.xp.arange(start, stop, step, dtype=b.native_dtype(dtype)), b)


def linspace(start, stop, num=50, dtype=_dt.float32, backend=None):
    from ._args import integer_arg, number_arg
    number_arg(start, "linspace", "start")
    number_arg(stop, "linspace", "stop")
    num = integer_arg(num, "linspace", "num")
    if num < 0:
        raise ValueError(f"mg.linspace: num must be non-negative, got {num}")
    b = get_backend() if backend is None else load_backend(backend)
    return Tensor._make(b.xp.linspace(start, stop, num, dtype=b.native_dtype(dtype)), b)


def eye(n, m=None, dtype=_dt.float32, backend=None):
    from ._args import integer_arg
    n = integer_arg(n, "eye", "n")
    m = None if m is None else integer_arg(m, "eye", "m")
    if n < 0 or (m is not None and m < 0):
        raise ValueError(f"mg.eye: negative dimensions are not allowed, got n={n}, m={m}")
    b = get_backend() if backend is None else load_backend(backend)
    return Tensor._make(b.xp.eye(n, m, dtype=b.native_dtype(dtype)), b)


# --- casting (differentiable between floating dtypes) ---------------------------------

_CAST = Primitive("cast", lambda ns, x, dtype: ns.astype(x, dtype), check_output_dtype=True)
_CAST.defvjp(lambda ns, g, ans, x, dtype: ns.astype(g, x.dtype))


def cast(x, dtype, name=None):
    """``x`` converted to ``dtype`` (``tf.cast``); gradients flow between float dtypes."""
    dtype = _dt.as_dtype(dtype)
    if isinstance(x, Tensor) and type(x) is Tensor and x.dtype is dtype:
        return x
    return apply(_CAST, (x,), {"dtype": dtype})


def to_backend(x, backend):
    """``x`` moved to another backend: DLPack when both sides support it (no copy on the
    same device), else a copy through host NumPy. Gradients do not flow through it."""
    target = load_backend(backend)
    t = convert_to_tensor(x)
    if t._backend is target:
        return t
    from ..array_api import move_array   # DLPack when both sides support it, else the host
    return Tensor._make(move_array(t._value, t._backend, target), target)
