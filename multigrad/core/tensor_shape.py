"""``mg.TensorShape``: TensorFlow's shape object, which is also a Python tuple.

``x.shape`` returns one. As a tuple it indexes, unpacks, compares, hashes and goes to NumPy
exactly as before (``x.shape == (2, 3)``, ``np.zeros(x.shape)``); ``str`` is the tuple's
``(2, 3)``, as TF prints it. On top come TensorFlow's methods (``as_list``, ``rank``,
``num_elements``, ``is_compatible_with``, ``merge_with`` ...) and its ``repr``,
``TensorShape([2, 3])``. A dimension is an int or None (unknown); a Dask size left unknown
by a boolean mask (NaN) counts as unknown too. A shape of unknown rank,
``TensorShape(None)``, is an empty tuple of the subclass ``_UnknownRankShape``.

Where tuple and TF disagree the tuple wins, since existing code relies on it: ``bool(())``
is False (TF: True for a known scalar shape) and ``shape + (1,)`` is a tuple (use
``concatenate``). A slice is a TensorShape, and ``==`` also accepts a list, as TF's.
"""

__all__ = ["TensorShape", "as_shape", "dimension_value"]


def _dimension(d):
    """One dimension as TF accepts it: None, or an int >= 0 (anything with ``__index__``)."""
    if d is None or d != d:                 # NaN: a Dask size still unknown
        return None
    if hasattr(d, "value") and not hasattr(d, "__index__"):   # TF's Dimension-like objects
        return _dimension(d.value)
    try:
        value = d.__index__()
    except (AttributeError, TypeError):
        raise TypeError(f"a shape's dimension must be an int or None, got "
                        f"{type(d).__name__} {d!r}") from None
    if value < 0:
        raise ValueError(f"Dimension {value} must be >= 0")
    return value


class TensorShape(tuple):
    """A tensor's shape: a tuple of ints (None where unknown) with TensorFlow's methods."""

    __slots__ = ()

    def __new__(cls, dims=()):
        if dims is None:
            return tuple.__new__(_UnknownRankShape)
        if isinstance(dims, TensorShape):
            return dims
        if isinstance(dims, (str, bytes)):
            raise TypeError(f"a shape is a list of dimensions, not a string: {dims!r}")
        try:
            dims = tuple(_dimension(d) for d in dims)
        except TypeError:
            if hasattr(dims, "__iter__"):
                raise
            dims = (_dimension(dims),)      # TensorShape(3) is TensorShape([3]), as TF
        return tuple.__new__(TensorShape, dims)

    # --- TensorFlow's view ------------------------------------------------------------

    @property
    def rank(self):
        """The number of dimensions (None for an unknown rank)."""
        return len(self)

    ndims = rank

    @property
    def dims(self):
        return list(self)

    def as_list(self):
        """The dimensions as a list (None where unknown)."""
        return [None if d != d else d for d in self]

    def num_elements(self):
        """The number of elements, or None unless every dimension is known."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self:
            n *= d
        return n

    def is_fully_defined(self):
        return all(d is not None and d == d for d in self)

    def is_compatible_with(self, other):
        """Whether some fully known shape could be both (equal ranks and dimensions, None
        matching anything)."""
        other = as_shape(other)
        if self.rank is None or other.rank is None:
            return True
        return len(self) == len(other) and all(
            a is None or b is None or a == b for a, b in zip(self.as_list(), other.as_list()))

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other):
        """The most specific shape compatible with both; ValueError where they conflict."""
        other = as_shape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        if self.rank is None:
            return other
        if other.rank is None:
            return self
        return TensorShape(a if a is not None else b
                           for a, b in zip(self.as_list(), other.as_list()))

    def most_specific_compatible_shape(self, other):
        """The most specific shape that both are compatible with (unknown where they differ)."""
        other = as_shape(other)
        if self.rank is None or other.rank is None or len(self) != len(other):
            return TensorShape(None)
        return TensorShape(a if a == b else None for a, b in zip(self.as_list(), other.as_list()))

    def concatenate(self, other):
        """The dimensions of this shape followed by those of ``other``."""
        other = as_shape(other)
        if self.rank is None or other.rank is None:
            return TensorShape(None)
        return TensorShape(self.as_list() + other.as_list())

    def with_rank(self, rank):
        return self.merge_with(TensorShape([None] * rank))

    def with_rank_at_least(self, rank):
        if self.rank is not None and self.rank < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank):
        if self.rank is not None and self.rank > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank):
        if self.rank not in (None, rank):
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_is_fully_defined(self):
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    # --- Python protocol where TF adds to the tuple's ------------------------------------

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return tuple.__new__(TensorShape, item) if type(key) is slice else item

    def __eq__(self, other):
        if type(other) is tuple or type(other) is TensorShape:     # the common case first
            return tuple.__eq__(self, other)
        if isinstance(other, list):
            other = tuple(other)
        elif not isinstance(other, tuple):
            return NotImplemented
        if isinstance(other, _UnknownRankShape):
            return False
        return tuple.__eq__(self, other)

    def __ne__(self, other):
        if type(other) is tuple or type(other) is TensorShape:
            return tuple.__ne__(self, other)
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __repr__(self):
        return f"TensorShape({self.as_list()})"

    def __str__(self):
        return tuple.__repr__(tuple(self.as_list()))

    def __reduce__(self):
        return TensorShape, (self.as_list(),)


class _UnknownRankShape(TensorShape):
    """``TensorShape(None)``: nothing is known, not even the number of dimensions."""

    __slots__ = ()

    rank = ndims = dims = None

    def as_list(self):
        raise ValueError("as_list() is not defined on an unknown TensorShape.")

    def num_elements(self):
        return None

    def is_fully_defined(self):
        return False

    def __len__(self):
        raise ValueError("Cannot take the length of shape with unknown rank.")

    def __iter__(self):
        raise ValueError("Cannot iterate over a shape with unknown rank.")

    def __getitem__(self, key):
        # TF: any dimension of an unknown shape is unknown; a slice is unknown too.
        return TensorShape(None) if type(key) is slice else None

    def __eq__(self, other):
        return isinstance(other, _UnknownRankShape)

    def __ne__(self, other):
        return not isinstance(other, _UnknownRankShape)

    __hash__ = tuple.__hash__

    def __repr__(self):
        return "TensorShape(None)"

    def __str__(self):
        return "<unknown>"

    def __reduce__(self):
        return TensorShape, (None,)


def as_shape(shape):
    """``shape`` as a TensorShape (TF's ``tf.TensorShape`` conversion)."""
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def dimension_value(dimension):
    """TF's ``tf.compat.dimension_value``: an int or None."""
    return None if dimension is None else _dimension(dimension)
