"""The cache key of a call, as TensorFlow's ``tf.function`` forms it.

Tensors count by backend, dtype and shape (their values are the program's inputs);
Variables by identity; Python numbers, strings and None by value (and type: 1, 1.0 and
True are three keys); lists, tuples and dicts by structure; any other object by its
hash, else its identity. ``walk`` also collects the Tensor leaves in a fixed order, and
``substitute`` rebuilds the arguments with traced Tensors in the same order.
"""

from ..core.tensor import Tensor, Variable

__all__ = ["signature", "substitute", "describe_change"]

_BY_VALUE = (int, float, bool, str, bytes, type(None), complex)


def _key(obj, leaves):
    t = type(obj)
    if t is Tensor:
        leaves.append(obj)
        value = obj._value
        return (obj._backend, value.dtype, value.shape)
    if t is Variable:
        return ("Variable", id(obj))
    if t in _BY_VALUE:
        return (t, obj)
    if t is tuple or t is list:
        return (t, tuple([_key(x, leaves) for x in obj]))
    if t is dict or isinstance(obj, dict):
        return (t, tuple((k, _key(obj[k], leaves)) for k in sorted(obj)))
    if isinstance(obj, tuple):                    # namedtuple
        return (t, tuple([_key(x, leaves) for x in obj]))
    if isinstance(obj, Tensor):                   # a Tensor subclass
        leaves.append(obj)
        return (t, obj._backend, obj._value.dtype, obj._value.shape)
    try:
        hash(obj)
    except TypeError:
        return ("id", t, id(obj))
    return (t, obj)


def signature(args, kwargs):
    """(key, Tensor leaves) of one call; the key is (positional part, keyword part)."""
    leaves = []
    parts = []
    for x in args:
        if type(x) is Tensor:                      # the common case, inline
            leaves.append(x)
            value = x._value
            parts.append((x._backend, value.dtype, value.shape))
        else:
            parts.append(_key(x, leaves))
    positional = tuple(parts)
    if kwargs:
        return (positional, tuple((k, _key(kwargs[k], leaves)) for k in sorted(kwargs))), leaves
    return (positional, ()), leaves


def substitute(obj, replace):
    """``obj`` with each Tensor leaf (in ``signature``'s order) replaced by ``replace(t)``."""
    t = type(obj)
    if t is Tensor or (isinstance(obj, Tensor) and t is not Variable):
        return replace(obj)
    if t is tuple or t is list:
        return t(substitute(x, replace) for x in obj)
    if isinstance(obj, dict):
        new = {k: substitute(obj[k], replace) for k in sorted(obj)}
        return t((k, new[k]) for k in obj)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return t(*(substitute(x, replace) for x in obj))
    return obj


def _show(key):
    if isinstance(key, tuple) and len(key) == 3 and hasattr(key[0], "ops"):
        return f"Tensor(dtype={key[1]}, shape={tuple(key[2])}, backend={key[0].name})"
    if isinstance(key, tuple) and len(key) == 2 and key[0] == "Variable":
        return f"Variable at {key[1]:#x}"
    if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], type) \
            and key[0] in _BY_VALUE:
        return repr(key[1])
    return "a different structure or object"


def describe_change(old, new, names):
    """Which argument differs between two keys, in words (for the retracing warning)."""
    (a, old_kw), (b, new_kw) = old, new
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            name = names[i] if i < len(names) else f"#{i}"
            return f"argument {name!r} changed from {_show(x)} to {_show(y)}"
    if len(a) != len(b):
        return f"the number of arguments changed from {len(a)} to {len(b)}"
    for (k1, x), (k2, y) in zip(old_kw, new_kw):
        if k1 != k2 or x != y:
            return f"keyword argument {k2!r} changed from {_show(x)} to {_show(y)}"
    if old_kw != new_kw:
        return "the keyword arguments changed"
    return "a guard (a Python value read from a tensor) saw a new value"
