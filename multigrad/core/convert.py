"""Data to Tensors: the conversion every op applies to its array arguments."""

from .. import dtypes as _dt
from ..backend.select import get_backend, infer_backend, load_backend
from ..dtypes import python_data_dtype, python_kind
from .tensor import Tensor
from .vocabulary import tensor_ops

__all__ = ["as_tensor", "convert_to_tensor"]

_traced_type = None   # late-bound slot (multigrad/slots.py): mg.function's proxy type


def as_tensor(x):
    """``x`` itself if it is a Tensor or Variable, else ``convert_to_tensor(x)``.

    What every op does with its array arguments: a Variable is passed on as it is
    (``apply`` snapshots it and the tape sees its identity), never copied.
    """
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


def _contains_tensor(data):
    if isinstance(data, Tensor):
        return True
    return isinstance(data, (list, tuple)) and any(_contains_tensor(d) for d in data)


def _fractional(data):
    """The first Python float in ``data`` (nested lists) that is not a whole number, or None."""
    if isinstance(data, (list, tuple)):
        return next((f for f in map(_fractional, data) if f is not None), None)
    if isinstance(data, complex):
        return data if data.imag or not float(data.real).is_integer() else None
    return data if isinstance(data, float) and not data.is_integer() else None


def _check_lossless(value, dtype):
    """TensorFlow refuses Python floats with a fractional part (or inf/nan) into an integer
    dtype instead of truncating them; so do we. Arrays keep NumPy's casting."""
    if dtype.is_integer and (bad := _fractional(value)) is not None:
        raise TypeError(f"cannot convert {bad!r} to a tensor of dtype {dtype.name}: it is not a "
                        f"whole number (converting would truncate it); round it first "
                        f"(e.g. round(x)) or cast an array explicitly with mg.cast")


_NOT_NUMBERS = frozenset("USOV")     # NumPy's str, bytes, object, void (structured) kinds


def convert_to_tensor(value, dtype=None, backend=None, name=None):
    """A Tensor from a Tensor, a backend array, or Python data (TensorFlow's defaults).

    ``backend`` (a name or Backend) applies to Python data; arrays keep their backend.
    Python floats with a fractional part (or inf/nan) into an integer dtype raise a
    TypeError, as in TensorFlow; arrays are cast as NumPy casts them.
    """
    if isinstance(value, Tensor):
        if type(value) is not Tensor:               # a Variable: read its current value
            value = Tensor._make(value._value, value._backend)
        if dtype is not None and value.dtype != _dt.as_dtype(dtype):
            return tensor_ops.cast(value, dtype)
        return value
    if getattr(getattr(value, "dtype", None), "kind", None) in _NOT_NUMBERS:
        _dt.as_dtype(value.dtype)           # raises: what multigrad tensors can hold
    target = infer_backend(value)
    if type(value) is _traced_type and (not target.host or target is (
            get_backend() if backend is None else load_backend(backend))):
        # A raw array inside mg.function's trace, staying on its backend: taken as it is
        # (asarray of the proxy would read it on the host: a guard and a constant).
        t = Tensor._make(value, target)
        return t if dtype is None or t.dtype == _dt.as_dtype(dtype) else tensor_ops.cast(t, dtype)
    if target is not None and target.host:
        # Host (NumPy) arrays are data to convert, like Python lists: they go to the
        # selected backend. Device arrays (CuPy, ...) keep their own backend.
        selected = get_backend() if backend is None else load_backend(backend)
        if selected is not target:
            # Copied first: another backend's asarray may wrap the caller's buffer.
            value = target.ops.asarray(value, copy=True)
            return Tensor._make(selected.asarray(value, dtype=None if dtype is None
                                                 else _dt.as_dtype(dtype)), selected)
    if target is None:
        if _contains_tensor(value):
            return convert_to_tensor(tensor_ops.stack([as_tensor(v) for v in value]), dtype)
        kind = python_kind(value)
        if kind is None and not hasattr(value, "__array__"):
            raise TypeError(
                f"cannot convert {type(value).__name__} to a tensor: expected a Tensor, an "
                f"array, or (nested lists of) Python numbers")
        target = get_backend() if backend is None else load_backend(backend)
        if dtype is None and kind is not None:
            dtype = python_data_dtype(value)
        elif kind in ("f", "c"):
            _check_lossless(value, _dt.as_dtype(dtype))
        if isinstance(value, range):
            value = list(value)
    try:
        raw = target.asarray(value, dtype=None if dtype is None else _dt.as_dtype(dtype))
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"cannot convert {type(value).__name__} to a tensor: {exc}") from exc
    if target.host and (raw is value or (type(raw) is _traced_type
                                         and raw.real is value)):
        # The caller's own NumPy array: a Tensor is immutable and a Variable owns its
        # state, so they hold a copy (as TF does); ``a[:] = 9`` later changes neither.
        raw = target.ops.asarray(value, copy=True)
    if target.canonical is not None:        # an array passed in as it is (raw Dask)
        raw = target.canonical(raw)
    return Tensor._make(raw, target)
