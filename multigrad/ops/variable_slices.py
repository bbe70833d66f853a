"""Sliced Variable assignment: ``v[1, 2].assign(9)``, ``v[:, 0].assign_add(d)`` (TensorFlow's
``Variable.__getitem__(...).assign``).

``v[index]`` is an ordinary Tensor (the read is recorded on tapes like any getitem) that
remembers which Variable and index it came from, so its ``assign``, ``assign_add`` and
``assign_sub`` write into the Variable: the Variable's value becomes
``index_update(value, index, new)``, stored as ``Variable.assign`` stores (no gradient path
from the old value or the assigned one; inside ``mg.function`` a traced Variable write).
The memory of the origin is kept beside the Tensor (keyed by its identity, dropped when it
dies), not in it: Tensors keep one layout and one class, so every op's fast path sees a
plain Tensor.
"""

import weakref

from ..errors import BackendMismatchError
from . import convert_to_tensor, getitem, index_update
from ..core.tensor import Tensor, Variable, _check_lossless

__all__ = ["install"]

# id(slice tensor) -> (weak reference to it, Variable, index).
_ORIGINS = {}
_ASSIGNS = ("assign", "assign_add", "assign_sub")


def _forget(key):
    return lambda _ref: _ORIGINS.pop(key, None)


def _variable_getitem(var, index):
    out = getitem(var, index)
    key = id(out)
    _ORIGINS[key] = (weakref.ref(out, _forget(key)), var, index)
    return out


def _origin(tensor):
    entry = _ORIGINS.get(id(tensor))
    if entry is None or entry[0]() is not tensor:
        return None
    return entry[1], entry[2]


def _new_slice_value(var, index, value, what):
    """``value`` as a Tensor of the Variable's dtype and backend, checked like ``assign``."""
    probe = convert_to_tensor(value, backend=var._backend)
    if probe._backend is not var._backend:
        raise BackendMismatchError(
            f"Variable slice {what}: the value lives on backend {probe._backend.name!r} but "
            f"variable '{var.name}' lives on {var._backend.name!r}; move it first: "
            f"mg.to_backend(value, {var._backend.name!r})")
    _check_lossless(probe, value, var.dtype, var._backend, f"Variable slice {what}", var.name)
    if probe.dtype != var.dtype:
        probe = convert_to_tensor(probe if isinstance(value, Tensor) else value,
                                  dtype=var.dtype, backend=var._backend)
    return probe


def _slice_assigner(what):
    def method(tensor, value, use_locking=False, name=None, read_value=True):
        var, index = _origin(tensor)
        current = Tensor._make(var._value, var._backend)     # not recorded: assign cuts
        new = _new_slice_value(var, index, value, what)
        old = getitem(current, index)
        if new.shape != old.shape and _broadcast_fails(new.shape, old.shape):
            raise ValueError(
                f"Variable slice {what}: a value of shape {new.shape} does not fit the "
                f"slice of shape {old.shape} of variable '{var.name}' (it must have the "
                f"slice's shape or broadcast to it)")
        if what != "assign":
            new = old + new if what == "assign_add" else old - new
        var._store(index_update(current, index, new)._value)
        return var if read_value else None
    method.__name__ = what
    method.__doc__ = (f"TensorFlow's sliced ``{what}``: writes into the Variable this "
                      f"tensor was sliced from; returns the Variable.")
    return method


def _broadcast_fails(shape, target):
    if len(shape) > len(target):
        return True
    return any(s not in (1, t) for s, t in zip(reversed(shape), reversed(target)))


def _assign_property(what):
    """Tensor's ``assign``/``assign_add``/``assign_sub``: a slice read straight from a Variable
    has them (bound to it); any other Tensor raises AttributeError, saying why, so
    ``hasattr(t, "assign")`` is True exactly where TensorFlow's is. A property, not a
    ``__getattr__`` (which would slow every attribute read on every Tensor)."""
    assigner = _slice_assigner(what)

    def get(tensor):
        if _origin(tensor) is None:
            raise AttributeError(
                f"mg.Tensor has no attribute {what!r}: tensors are immutable. Only a "
                f"Variable (v.{what}(...)) or a slice read straight from one "
                f"(v[i, j].{what}(...)) can be assigned; for a new tensor use "
                f"mg.index_update / mg.tensor_scatter_nd_update")
        return assigner.__get__(tensor)
    return property(get)


def install():
    """Variable's ``__getitem__`` remembers its origin; Tensor's assign properties use it."""
    Variable.__getitem__ = _variable_getitem
    for what in _ASSIGNS:
        setattr(Tensor, what, _assign_property(what))
