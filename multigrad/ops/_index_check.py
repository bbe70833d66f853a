"""Indices checked before any backend sees them: NumPy's IndexErrors on every backend (as
``mg.errors.InvalidIndexError``, also TF's InvalidArgumentError).

Backends disagree on bad indices (NumPy raises, Dask clamps integer arrays, the generic
fallbacks wrap or drop them, the strict Array API refuses slices NumPy clamps), and the
fallbacks behind ``getitem``/``index_update`` catch ``IndexError`` to try a rewrite, which
turned a bad index into wrong data. So every public indexing path runs its index through
``prepare_index`` first:

- host index data (Python lists, NumPy arrays, NumPy integers) is converted to the
  indexed tensor's backend (an empty list is an empty integer array, as in NumPy);
- slices are normalised with ``slice.indices`` (clamped, non-negative), which every
  backend reads the same way;
- integers and integer arrays are checked against their axis, boolean masks against the
  axes they cover, with NumPy's messages;
- boolean masks go through the backend's ``index_mask`` (Dask brings them to the host, so
  that the sizes of what they select are known).

Only the index is inspected (its minimum and maximum, brought to the host in one
transfer), never the indexed data: on Dask that computes the index's graph alone.
"""

import numbers

from .. import dtypes as _dt
from ..errors import InvalidIndexError
from ..core.convert import convert_to_tensor
from ..core.tensor import Tensor
from .creation import to_backend

__all__ = ["prepare_index", "check_bounds", "out_of_bounds", "index_data"]

_traced_type = None   # late-bound slot (multigrad/slots.py): mg.function's proxy type


def out_of_bounds(value, axis, size, opname):
    return InvalidIndexError(f"mg.{opname}: index {value} is out of bounds for axis {axis} with "
                             f"size {size}")


def _known(n):
    return n == n       # False for a NaN size (Dask after a boolean mask)


def check_bounds(arr, size, axis, backend, opname):
    """Raise NumPy's IndexError unless every entry of the integer array ``arr`` lies in
    ``[-size, size)``; one host transfer of its minimum and maximum."""
    if not _known(size):
        return
    if not all(_known(d) for d in arr.shape):
        arr = backend.ops.known_shape(arr)
    if any(d == 0 for d in arr.shape):
        return
    if type(arr) is _traced_type and arr.in_branch():
        # In a loop body or branch (mg.while_loop, mg.cond) the index and the indexed
        # size change from one iteration or call to the next (a guard would fail): the
        # backend's own indexing raises there.
        return
    ops = backend.ops
    if type(arr) is _traced_type and bool(
            (ops.min(arr) >= -size) & (ops.max(arr) < size)):
        return      # in mg.function: one guard (in bounds), not one per index values
    lo, hi = (int(v) for v in backend.to_numpy(ops.stack([ops.min(arr), ops.max(arr)])))
    if lo < -size:
        raise out_of_bounds(lo, axis, size, opname)
    if hi >= size:
        raise out_of_bounds(hi, axis, size, opname)


def _empty_sequence(data):
    return isinstance(data, (list, tuple)) and (
        not data or all(_empty_sequence(d) for d in data))


def index_data(data, backend):
    """Index data (Python lists, host arrays) as a Tensor on ``backend``; an empty Python
    sequence is an empty integer array, as in NumPy (not TensorFlow's float32)."""
    dtype = _dt.int64 if _empty_sequence(data) else None
    return convert_to_tensor(data, dtype=dtype, backend=backend)


def _on_backend(item, backend):
    """One index item with any array data as a raw array of ``backend``."""
    if isinstance(item, Tensor):
        return (item if item._backend is backend else to_backend(item, backend))._value
    if isinstance(item, bool) or item is None or item is Ellipsis \
            or isinstance(item, (int, slice)):
        return item
    if isinstance(item, numbers.Integral):          # NumPy integers
        return int(item)
    if isinstance(item, (list, tuple)):
        return index_data(item, backend)._value
    if isinstance(item, backend.array_types) or type(item) is _traced_type \
            or not (hasattr(item, "shape") and hasattr(item, "dtype")):
        return item     # raw already (inside mg.function, a raw array is its proxy)
    t = convert_to_tensor(item, backend=backend)     # host data goes to ``backend``
    return (t if t._backend is backend else to_backend(t, backend))._value


def _is_array(item):
    return hasattr(item, "shape") and hasattr(item, "dtype")


def _covers(item, backend):
    """How many axes of the indexed array one index item consumes."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if _is_array(item) and backend.dtype_of(item).is_bool:
        return item.ndim
    return 1


def _start_axes(items, ndim, backend, opname):
    """The first axis each item indexes (Ellipsis expanded), after NumPy's count checks."""
    counts = [_covers(item, backend) for item in items]
    if sum(1 for item in items if item is Ellipsis) > 1:
        raise InvalidIndexError(f"mg.{opname}: an index can only have a single ellipsis ('...')")
    total = sum(counts)
    if total > ndim:
        raise InvalidIndexError(f"mg.{opname}: too many indices for array: array is "
                                f"{ndim}-dimensional, but {total} were indexed")
    starts, axis = [], 0
    for item, count in zip(items, counts):
        starts.append(axis)
        axis += ndim - total if item is Ellipsis else count
    return starts


def normalize_slice(s, size):
    """``s`` as clamped, non-negative bounds (an empty selection is ``slice(0, 0, 1)``)."""
    if not _known(size):
        return s
    start, stop, step = s.indices(size)
    if not len(range(start, stop, step)):
        return slice(0, 0, 1)
    return slice(start, None if stop < 0 else stop, step)


def _check_mask(mask, axis, shape, opname):
    for k, m in enumerate(mask.shape):
        n = shape[axis + k]
        if _known(m) and _known(n) and m != n:
            raise InvalidIndexError(
                f"mg.{opname}: boolean index did not match indexed array along axis "
                f"{axis + k}; size of axis is {n} but size of corresponding boolean axis "
                f"is {m}")


def _checked(item, axis, shape, backend, opname):
    if isinstance(item, slice):
        return normalize_slice(item, shape[axis])
    if isinstance(item, int) and not isinstance(item, bool):
        n = shape[axis]
        if _known(n) and not -n <= item < n:
            raise out_of_bounds(item, axis, n, opname)
        return item
    if item is None or item is Ellipsis:
        return item
    if not _is_array(item):
        # NumPy's message (backends say other things: dask a KeyError about fields for a str)
        raise InvalidIndexError(f"mg.{opname}: only integers, slices (`:`), ellipsis (`...`), None "
                                f"(newaxis) and integer or boolean arrays are valid indices; got "
                                f"{type(item).__name__} {item!r:.40}")
    dtype = backend.dtype_of(item)
    if dtype.is_bool:
        _check_mask(item, axis, shape, opname)
        return backend.ops.index_mask(item) if item.ndim else item
    if dtype.is_integer:
        check_bounds(item, shape[axis], axis, backend, opname)
    else:
        raise InvalidIndexError(f"mg.{opname}: arrays used as indices must be of integer (or "
                                f"boolean) type, got {dtype.name}")
    return item


def _python_bools(items, backend, opname):
    """A Python bool indexes as a 0-d mask (a new axis of length 1 or 0, NumPy): in a basic
    index ``True`` is exactly ``None``; otherwise it becomes a 0-d boolean array (some
    backends read a Python bool as the integer 0 or 1)."""
    if not any(isinstance(item, bool) for item in items):
        return items
    if any(_is_array(item) for item in items):
        raise InvalidIndexError(f"mg.{opname}: a Python bool next to array indices is not "
                                "supported (backends disagree on it); index in two steps")
    return [(None if item else backend.asarray(item)) if isinstance(item, bool) else item
            for item in items]


def prepare_index(index, shape, backend, opname):
    """``index`` for an array of ``shape`` on ``backend``: raw, normalised and checked."""
    items = index if isinstance(index, tuple) else (index,)
    items = _python_bools([_on_backend(item, backend) for item in items], backend, opname)
    shape = tuple(shape)
    starts = _start_axes(items, len(shape), backend, opname)
    out = tuple(_checked(item, axis, shape, backend, opname)
                for item, axis in zip(items, starts))
    return out if isinstance(index, tuple) else out[0]
