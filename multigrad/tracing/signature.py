"""The cache key of a call: what its inputs are (docs/design.md, "The signature model").

``signature(args, kwargs)`` walks the arguments once, positional first, then keywords in
sorted order (the one order every walk here uses), and returns ``(key, leaves)``:

- Tensors (and Tensor subclasses but Variables) are leaves: the key holds their type,
  backend, dtype and rank, ``key[1]`` their shapes (kept apart, so that ``input_signature``
  and ``reduce_retracing`` can put ``None`` in a dimension);
- arrays (NumPy's, NumPy scalars, any backend's) are converted to Tensors, as TF converts
  NumPy arguments: leaves too, copied, so that the caller refilling a buffer is seen;
- Variables count by identity (the key holds the Variable, keeping it alive);
- Python numbers, strings, bytes and None by type and value; floats by their bits
  (``0.0`` and ``-0.0`` are two keys, every NaN one);
- lists, tuples (and their subclasses), dicts (and their subclasses: ``defaultdict`` with
  its factory) and dataclass instances by structure, with their exact types;
- any other hashable object by itself (its ``==``; identity for most objects), held by the
  key; an unhashable one raises ``TypeError``, as tf.function does: nothing is ever keyed
  by an ``id()`` that the cache does not keep alive.

``substitute(args, kwargs, leaves)`` rebuilds the arguments with new leaves in that order.
"""

import copy
import dataclasses

from ..backend.select import infer_backend
from ..core.convert import convert_to_tensor
from ..core.tensor import Tensor, Variable

__all__ = ["signature", "substitute", "describe_change", "structure_of"]

_BY_VALUE = (int, bool, str, bytes, type(None))


class _Same:
    """A key part that equals only the very same object (and keeps it alive)."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other):
        return type(other) is _Same and other.obj is self.obj

    def __hash__(self):
        return id(self.obj)

    def __repr__(self):
        return f"<{type(self.obj).__name__} at {id(self.obj):#x}>"


def _float_key(x):
    return x.hex()          # 0.0 and -0.0 differ; every NaN is one key


def _is_array(obj):
    return hasattr(obj, "shape") and hasattr(obj, "dtype") and infer_backend(obj) is not None


def _key(obj, leaves, shapes):
    t = type(obj)
    if t is Tensor or (isinstance(obj, Tensor) and not isinstance(obj, Variable)):
        leaves.append(obj)
        value = obj._value
        shapes.append(tuple(value.shape))
        return (t, obj._backend, value.dtype, len(value.shape))
    if isinstance(obj, Variable):
        return _Same(obj)
    if t in _BY_VALUE:
        return (t, obj)
    if t is float:
        return (t, _float_key(obj))
    if t is complex:
        return (t, _float_key(obj.real), _float_key(obj.imag))
    if t is tuple or t is list or isinstance(obj, tuple):
        return (t, tuple([_key(x, leaves, shapes) for x in obj]))
    if isinstance(obj, dict):
        factory = getattr(obj, "default_factory", None)
        return (t, _hashable(factory), tuple((k, _key(obj[k], leaves, shapes))
                                             for k in _keys(obj)))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return (t, tuple((f.name, _key(getattr(obj, f.name), leaves, shapes))
                         for f in dataclasses.fields(obj)))
    if _is_array(obj):
        tensor = convert_to_tensor(obj)
        if tensor._value is obj:            # a Tensor must not share the caller's buffer
            tensor = Tensor._make(tensor._backend.ops.asarray(obj, copy=True), tensor._backend)
        return _key(tensor, leaves, shapes)
    try:
        hash(obj)
    except TypeError:
        raise TypeError(
            f"mg.function: an argument of type {t.__name__} is not hashable, so a call "
            f"cannot tell whether it changed since the function was traced (tf.function "
            f"raises here too). Pass Tensors, arrays, Python numbers, or lists, tuples, dicts "
            f"or dataclasses of them; or make the object hashable (e.g. a frozen "
            f"dataclass)") from None
    return (t, obj)


def _hashable(obj):
    try:
        hash(obj)
        return obj
    except TypeError:
        return _Same(obj)


def _keys(d):
    """A dict's keys in the walk's order: sorted (as TF's nest), else insertion order."""
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def signature(args, kwargs):
    """(key, Tensor leaves): ``key = (structure, shapes)``, one shape per leaf."""
    leaves, shapes, parts = [], [], []
    for x in args:
        parts.append(_tensor_key(x, leaves, shapes) if type(x) is Tensor
                     else _key(x, leaves, shapes))
    named = tuple((k, _tensor_key(x, leaves, shapes) if type(x) is Tensor
                   else _key(x, leaves, shapes))
                  for k, x in sorted(kwargs.items())) if kwargs else ()
    return ((tuple(parts), named), tuple(shapes)), leaves


def _tensor_key(x, leaves, shapes):
    """The common case: a Tensor argument."""
    leaves.append(x)
    value = x._value
    shape = value.shape
    shapes.append(tuple(shape))
    return (Tensor, x._backend, value.dtype, len(shape))


def structure_of(key):
    return key[0]


def substitute(args, kwargs, leaves):
    """(args, kwargs) with their leaves replaced, in ``signature``'s order, by ``leaves``."""
    it = iter(leaves)
    new_args = tuple(_rebuild(x, it) for x in args)
    new_kwargs = {k: None for k in kwargs}            # the caller's keyword order
    for k in sorted(kwargs):
        new_kwargs[k] = _rebuild(kwargs[k], it)
    return new_args, new_kwargs


def _rebuild(obj, it):
    t = type(obj)
    if t is Tensor or (isinstance(obj, Tensor) and not isinstance(obj, Variable)):
        return next(it)
    if isinstance(obj, Variable) or t in _BY_VALUE or t is float or t is complex:
        return obj
    if t is tuple or t is list:
        return t([_rebuild(x, it) for x in obj])
    if isinstance(obj, tuple):
        items = [_rebuild(x, it) for x in obj]
        return t._make(items) if hasattr(t, "_make") else t(items)
    if isinstance(obj, dict):
        new = copy.copy(obj)                    # keeps its type, factory and key order
        for k in _keys(obj):
            new[k] = _rebuild(obj[k], it)
        return new
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        new = copy.copy(obj)
        for f in dataclasses.fields(obj):
            object.__setattr__(new, f.name, _rebuild(getattr(obj, f.name), it))
        return new
    if _is_array(obj):
        return next(it)
    return obj


def _show(part):
    if isinstance(part, tuple) and len(part) == 4 and hasattr(part[1], "ops"):
        return f"Tensor(dtype={part[2]}, rank {part[3]}, backend={part[1].name})"
    if type(part) is _Same:
        return repr(part)
    if isinstance(part, tuple) and len(part) >= 2 and part[0] in _BY_VALUE + (float,):
        return repr(part[1]) if part[0] is not float else repr(float.fromhex(part[1]))
    return None     # a structure or an object: no short form


def _changed(what, x, y):
    shown = _show(x), _show(y)
    if None in shown:
        return (f"{what} changed: its structure, or a Python value or object inside it (a "
                f"number, string or object in a list, tuple, dict or dataclass is part of "
                f"the signature; Tensors there are inputs)")
    return f"{what} changed from {shown[0]} to {shown[1]}"


def describe_change(old, new, names):
    """Which argument differs between two keys, in words (for the retracing warning)."""
    (a, old_kw), (b, new_kw) = old[0], new[0]
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            name = names[i] if i < len(names) else f"#{i}"
            return _changed(f"argument {name!r}", x, y)
    if len(a) != len(b):
        return f"the number of arguments changed from {len(a)} to {len(b)}"
    for (k1, x), (k2, y) in zip(old_kw, new_kw):
        if k1 != k2 or x != y:
            return _changed(f"keyword argument {k2!r}", x, y)
    if old_kw != new_kw:
        return "the keyword arguments changed"
    if old[1] != new[1]:
        return (f"the shapes of the Tensor arguments changed from {list(old[1])} to "
                f"{list(new[1])}")
    return "a guard (a Python value read from a tensor) saw a new value"
