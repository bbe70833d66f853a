"""``mg.TensorSpec`` and the shape rules of ``input_signature`` and ``reduce_retracing``.

A shape here is a tuple of ints and ``None`` (a dimension of any size). A relaxed program
(one whose signature has a ``None``) checks only the rank and the fixed sizes of its
arguments; its trace guards every shape its Python read (``Trace.relaxed``).
"""

from .. import dtypes as _dt

__all__ = ["TensorSpec", "compatible", "generalize", "spec_of"]


class TensorSpec:
    """The shape, dtype and name of a Tensor argument (``tf.TensorSpec``); ``None`` in the
    shape (or a ``None`` shape: any rank, unused by mg.function) matches any size."""

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=_dt.float32, name=None):
        if shape is not None:
            try:
                shape = tuple(None if d is None else int(d) for d in shape)
            except TypeError:
                raise TypeError(f"TensorSpec: shape must be a list or tuple of ints and None, "
                                f"e.g. [None, 3]; got {shape!r}") from None
        self._shape = shape
        self._dtype = _dt.as_dtype(dtype)
        self._name = name

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name)

    @classmethod
    def from_tensor(cls, tensor, name=None):
        return cls(tensor.shape, tensor.dtype, name)

    def is_compatible_with(self, other):
        """A Tensor or TensorSpec this spec accepts: the same dtype, a shape that fits."""
        return _dt.as_dtype(other.dtype) == self._dtype and (
            self._shape is None or other.shape is None or compatible(self._shape, other.shape))

    def __eq__(self, other):
        return type(other) is TensorSpec and (self._shape, self._dtype, self._name) == (
            other._shape, other._dtype, other._name)

    def __hash__(self):
        return hash((self._shape, self._dtype.name, self._name))

    def __repr__(self):
        return (f"TensorSpec(shape={self._shape}, dtype=mg.{self._dtype.name}, "
                f"name={self._name!r})")


def compatible(pattern, shape):
    """True if ``shape`` fits ``pattern`` (same rank; each fixed size equal)."""
    return len(pattern) == len(shape) and all(
        p is None or p == d for p, d in zip(pattern, shape))


def generalize(a, b):
    """The most specific shape both fit: sizes that differ become None."""
    if len(a) != len(b):
        return None
    return tuple(x if x == y else None for x, y in zip(a, b))


def spec_of(tensor, shape=None):
    """The TensorSpec of a Tensor (with ``shape`` in place of its own, if given)."""
    return TensorSpec(tensor.shape if shape is None else shape, tensor.dtype)
