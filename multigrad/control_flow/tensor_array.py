"""``mg.TensorArray`` (``tf.TensorArray``): a list of same-dtype tensors, written by index.

As TF's eager TensorArray it is a Python list of Tensors: ``write`` returns the array (use
the returned one, as TF's graph mode requires), ``read``/``stack``/``gather``/``concat``
are ordinary ops, so a tape differentiates through them. As a loop variable of
``mg.while_loop`` inside ``mg.function``, writes at consecutive indices (``write(i, v)``
with ``i`` counting up from ``size()``) become the loop's per-iteration outputs
(``control_flow.py``): the loop still traces once.
"""

from .. import dtypes as _dt
from ..core.convert import convert_to_tensor
from ..ops import concatenate, stack, zeros
from ..core.tensor import Tensor
from ..ops.tf.gather import gather

__all__ = ["TensorArray"]


class TensorArray:
    """TensorFlow's TensorArray: ``size`` slots (growing with ``dynamic_size``) of tensors
    of one ``dtype``; ``clear_after_read`` (the default) allows one read per slot."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = _dt.as_dtype(dtype)
        size = 0 if size is None else int(size)
        if size < 0:
            raise ValueError(f"mg.TensorArray: size must be >= 0, got {size}")
        self._items = [None] * size
        self._dynamic = bool(dynamic_size)
        self._clear = True if clear_after_read is None else bool(clear_after_read)
        self._read = set()
        self._element_shape = None if element_shape is None else tuple(element_shape)
        self._infer_shape = infer_shape
        self._blocks = []         # [(stacked rows, their count)] written by a traced loop
        self._loop = None         # in a traced loop body: (the array before, [(i, value)])

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._element_shape

    @property
    def dynamic_size(self):
        return self._dynamic

    def _copy(self):
        new = object.__new__(TensorArray)
        new.__dict__.update(self.__dict__)
        new._items, new._read, new._blocks = list(self._items), set(self._read), \
            list(self._blocks)
        return new

    def _not_in_loop(self, what):
        if self._loop is not None:
            raise TypeError(f"mg.TensorArray.{what} inside the body of an mg.while_loop "
                            f"traced by mg.function is not supported; write(i, value) there "
                            f"and call {what}() after the loop")

    def _index(self, index, what):
        if what != "read":
            self._not_in_loop(what)
        i = int(index)
        if i < 0:
            raise IndexError(f"mg.TensorArray.{what}: index {i} is negative")
        if self._blocks:
            raise TypeError(f"mg.TensorArray.{what}: this array was written by a traced "
                            f"mg.while_loop; read it with stack(), gather() or concat()")
        return i

    def write(self, index, value, name=None):
        """The array with ``value`` at ``index``."""
        value = convert_to_tensor(value, dtype=self._dtype) if not isinstance(value, Tensor) \
            else value
        if value.dtype != self._dtype:
            raise TypeError(f"mg.TensorArray: TensorArray dtype is {self._dtype.name} but "
                            f"the value written has dtype {value.dtype.name}")
        self._check_shape(tuple(value.shape))
        new = self._copy()
        if self._loop is not None:               # recorded: the loop collects it
            origin, writes = self._loop
            new._loop = (origin, writes + [(convert_to_tensor(index, dtype=_dt.int32),
                                            value)])
            return new
        i = self._index(index, "write")
        if i >= len(new._items):
            if not new._dynamic:
                raise IndexError(f"mg.TensorArray.write: tried to write to index {i} but "
                                 f"the array is not resizeable and its size is "
                                 f"{len(new._items)} (pass dynamic_size=True)")
            new._items.extend([None] * (i + 1 - len(new._items)))
        new._items[i] = value
        new._read.discard(i)
        return new

    def _check_shape(self, shape):
        if self._element_shape is None:
            if self._infer_shape:
                self._element_shape = shape
        elif shape != self._element_shape:
            raise ValueError(f"mg.TensorArray: the value written has shape {shape}, the "
                             f"array's elements have shape {self._element_shape}")

    def read(self, index, name=None):
        """The tensor at ``index`` (once per slot with ``clear_after_read``)."""
        i = self._index(index, "read")
        if i >= len(self._items):
            raise IndexError(f"mg.TensorArray.read: index {i} is out of range for an array "
                             f"of size {len(self._items)}")
        if self._items[i] is None:
            if i in self._read:
                raise ValueError(f"mg.TensorArray.read: could not read index {i} twice "
                                 f"because it was cleared after a previous read (pass "
                                 f"clear_after_read=False)")
            raise ValueError(f"mg.TensorArray.read: could not read index {i} because it "
                             f"has not been written to")
        value = self._items[i]
        if self._clear:
            self._items[i] = None
            self._read.add(i)
        return value

    def size(self, name=None):
        """The number of slots, an int32 scalar tensor."""
        self._not_in_loop("size")
        n = convert_to_tensor(len(self._items), dtype=_dt.int32)
        for _, count in self._blocks:
            n = n + count
        return n

    def _rows(self):
        missing = [i for i, t in enumerate(self._items) if t is None]
        if missing:
            raise ValueError(f"mg.TensorArray: index {missing[0]} has not been written to "
                             f"(or was cleared after a read); cannot stack")
        parts = [stack(self._items, axis=0)] if self._items else []
        return parts + [block for block, _ in self._blocks]

    def stack(self, name=None):
        """All elements stacked along a new first axis."""
        self._not_in_loop("stack")
        parts = self._rows()
        if not parts:
            if self._element_shape is None:
                raise ValueError("mg.TensorArray.stack: the array is empty and its "
                                 "element_shape is unknown; pass element_shape")
            return zeros((0,) + self._element_shape, dtype=self._dtype)
        return parts[0] if len(parts) == 1 else concatenate(parts, axis=0)

    def gather(self, indices, name=None):
        """The elements at ``indices``, stacked."""
        return gather(self.stack(), indices)

    def concat(self, name=None):
        """The elements concatenated along their first axis."""
        if self._blocks:
            raise TypeError("mg.TensorArray.concat: this array was written by a traced "
                            "mg.while_loop, whose row count changes from call to call; use "
                            "stack()")
        parts = self._rows()
        if not parts:
            return self.stack()
        return concatenate([self._items[i] for i in range(len(self._items))], axis=0)

    def unstack(self, value, name=None):
        """The array holding the rows of ``value``."""
        value = convert_to_tensor(value, dtype=self._dtype)
        new = self
        for i in range(value.shape[0]):
            new = new.write(i, value[i])
        return new

    def scatter(self, indices, value, name=None):
        """The array with ``value[k]`` at ``indices[k]``."""
        value = convert_to_tensor(value, dtype=self._dtype)
        new = self
        for k, i in enumerate(convert_to_tensor(indices).numpy().tolist()):
            new = new.write(i, value[k])
        return new

    def _loop_view(self):
        """The array as a traced loop body sees it: its writes are recorded."""
        view = self._copy()
        view._loop = (self, [])
        return view

    def _loop_writes(self, origin, what):
        """The (index, value) pairs written in one iteration, from the view of ``origin``."""
        if self._loop is None or self._loop[0] is not origin:
            raise ValueError(f"{what}: the body must return the TensorArray it was given "
                             f"(or one written from it) in the same position")
        return self._loop[1]

    def _loop_start(self):
        """The index a traced loop's first write must use: the first slot not written
        (the slots after it must be unwritten too)."""
        items = self._items
        start = next((i for i, t in enumerate(items) if t is None), len(items))
        if any(t is not None for t in items[start:]):
            raise ValueError("mg.while_loop inside mg.function: a TensorArray carried by the "
                             "loop must have its written slots first (the loop writes from "
                             f"index {start} on), but a later slot is written")
        return start

    def _after_loop(self, rows, count):
        """The array after a traced loop wrote ``rows`` (``count`` of them) from
        ``_loop_start()`` on."""
        new = self._copy()
        new._items = new._items[:self._loop_start()]
        new._blocks.append((rows, count))
        return new

    def close(self, name=None):
        return None

    def __repr__(self):
        return (f"<mg.TensorArray dtype={self._dtype.name} size={len(self._items)}"
                f"{' (+ traced loop rows)' if self._blocks else ''}>")

