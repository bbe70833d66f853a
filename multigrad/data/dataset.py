"""``mg.data.Dataset``: TensorFlow's input pipeline for in-memory data.

A Dataset is a recipe: each ``iter(ds)`` starts a fresh pass over its elements (nested
tuples and dicts of Tensors on the data's backend). Transformations return new Datasets.
Elements are made eagerly, outside any ``mg.function``: iterate outside a traced step and
pass each batch in as an argument (a trace would otherwise freeze one pass's data).
"""

import itertools
import operator

from .. import random as _random
from ..dtypes import int64
from ..ops import constant, zeros
from ..tracing.proxy import TracingError, current_trace
from . import pipeline
from .structure import (TensorSpec, call_with_element, flatten, map_structure, pack_like,
                        spec_of, to_tensors)

__all__ = ["Dataset", "DatasetIterator", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY",
           "AUTOTUNE"]

INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
AUTOTUNE = -1


def _count(value, what, minimum):
    try:
        n = operator.index(value.numpy().item() if hasattr(value, "numpy") else value)
    except TypeError:
        raise TypeError(f"mg.data.Dataset.{what}: expected an int, got "
                        f"{type(value).__name__} {value!r}") from None
    if n < minimum:
        raise ValueError(f"mg.data.Dataset.{what}: must be at least {minimum}, got {n}")
    return n


class Dataset:
    """A pass-repeatable stream of elements (see ``tf.data.Dataset``)."""

    def __init__(self, make_iterator, cardinality, spec, rows=None):
        # make_iterator(): a fresh generator of elements; spec: the element_spec, or a
        # function computing it (a map's spec costs a call of its function). rows:
        # (element, make_positions) when every element is a row of ``element``'s leaves
        # (sliced data, shuffled, repeated, taken ...): transformations then work on row
        # positions, and batch gathers rows with one op per leaf.
        self._make_iterator = make_iterator
        self._cardinality = cardinality
        self._spec = spec
        self._rows = rows

    def _reorder(self, transform, cardinality):
        """A dataset of the same kind of elements: ``transform`` maps a make-iterator (of
        elements, or of row positions) to a new one."""
        spec = lambda: self.element_spec        # noqa: E731
        if self._rows is not None:
            element, positions = self._rows
            return _rows_dataset(element, transform(positions), cardinality, spec)
        return Dataset(transform(self._make_iterator), cardinality, spec)

    # --- sources -----------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per row (axis 0) of every component of ``tensors``."""
        element = to_tensors(tensors, "from_tensor_slices")
        leaves = flatten(element)
        if any(leaf.ndim == 0 for leaf in leaves):
            raise ValueError("mg.data.Dataset.from_tensor_slices: every component needs at "
                             "least one dimension to slice; a scalar component was given "
                             "(use from_tensors for a single element)")
        sizes = {leaf.shape[0] for leaf in leaves}
        if len(sizes) > 1:
            raise ValueError(f"mg.data.Dataset.from_tensor_slices: all components must have "
                             f"the same size along axis 0, got sizes "
                             f"{[leaf.shape[0] for leaf in leaves]}")
        n = leaves[0].shape[0]
        spec = map_structure(lambda t: TensorSpec(t.shape[1:], t.dtype), element)
        return _rows_dataset(element, lambda: iter(range(n)), n, spec)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: ``tensors`` itself."""
        element = to_tensors(tensors, "from_tensors")
        return Dataset(lambda: iter([element]), 1, spec_of(element))

    @staticmethod
    def range(*args, dtype=int64, name=None):
        """``range(stop)``, ``range(start, stop[, step])`` as int64 scalars (by default)."""
        numbers = range(*[_count(a, "range", -2 ** 63) for a in args])
        return Dataset(lambda: (constant(i, dtype=dtype) for i in numbers), len(numbers),
                       TensorSpec((), constant(0, dtype=dtype).dtype))

    @staticmethod
    def zip(*datasets, name=None):
        """Elements of several datasets side by side: ``zip((a, b))``, ``zip(a, b)`` or a
        dict of datasets; as long as the shortest."""
        structure = datasets[0] if len(datasets) == 1 else tuple(datasets)
        parts = flatten(structure)
        if not parts or not all(isinstance(d, Dataset) for d in parts):
            raise TypeError("mg.data.Dataset.zip expects Datasets (as arguments, or one tuple "
                            "or dict of them)")

        def make():
            return (pack_like(structure, list(row))
                    for row in zip(*(d._make_iterator() for d in parts)))
        return Dataset(make, _zip_cardinality([d._cardinality for d in parts]),
                       lambda: pack_like(structure, [d.element_spec for d in parts]))

    # --- transformations ---------------------------------------------------------------

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Consecutive elements stacked along a new axis 0."""
        size = _count(batch_size, "batch: batch_size", 1)
        drop = bool(drop_remainder)
        n = self._cardinality
        card = n if n < 0 else n // size + (0 if drop or n % size == 0 else 1)
        if self._rows is not None:
            element, positions = self._rows
            make = lambda: pipeline.row_batches(element, positions(), size, drop)  # noqa: E731
        else:
            make = lambda: pipeline.batches(self._make_iterator(), size, drop)     # noqa: E731
        return Dataset(make, card, lambda: map_structure(lambda s: TensorSpec(
            (size if drop else None,) + s.shape, s.dtype), self.element_spec))

    def unbatch(self, name=None):
        """The inverse of ``batch``: one element per row of each element."""
        def spec():
            specs = flatten(self.element_spec)
            if any(len(s.shape) == 0 for s in specs):
                raise ValueError("mg.data.Dataset.unbatch needs elements of rank >= 1")
            return map_structure(lambda s: TensorSpec(s.shape[1:], s.dtype), self.element_spec)
        return Dataset(lambda: pipeline.unbatched(self._make_iterator()),
                       UNKNOWN_CARDINALITY, spec)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        """TensorFlow's buffered shuffle. With a ``seed`` the order of every pass is
        reproducible; each pass is shuffled anew unless ``reshuffle_each_iteration=False``."""
        size = _count(buffer_size, "shuffle: buffer_size", 1)
        seed = _random.host_seed() if seed is None else _count(seed, "shuffle: seed", 0)
        reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        passes = itertools.count()

        def order(source):
            def make():
                rng = pipeline.seed_stream(seed, next(passes), reshuffle)
                return pipeline.shuffled(source(), size, rng)
            return make
        return self._reorder(order, self._cardinality)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """``map_func`` on every element (a tuple's components as separate arguments)."""
        def make():
            return (to_tensors(call_with_element(map_func, e), "map")
                    for e in self._make_iterator())

        def spec():      # as TF traces map_func: its result on zeros of the input's spec
            probe = map_structure(lambda s: zeros([1 if d is None else d for d in s.shape],
                                                  dtype=s.dtype), self.element_spec)
            return spec_of(to_tensors(call_with_element(map_func, probe), "map"))
        return Dataset(make, self._cardinality, spec)

    def filter(self, predicate, name=None):
        """The elements for which ``predicate`` (a scalar bool) is true."""
        def make():
            return (e for e in self._make_iterator() if _truth(call_with_element(predicate, e)))
        return Dataset(make, UNKNOWN_CARDINALITY, lambda: self.element_spec)

    def repeat(self, count=None, name=None):
        """The elements ``count`` times (forever for None or -1)."""
        count = None if count is None else _count(count, "repeat: count", -1)
        count = None if count == -1 else count
        n = self._cardinality
        card = (0 if n == 0 else INFINITE_CARDINALITY) if count is None else (
            0 if count == 0 else n if n < 0 else n * count)
        return self._reorder(lambda source: lambda: pipeline.repeated(source, count), card)

    def take(self, count, name=None):
        """The first ``count`` elements (all of them for -1)."""
        count = _count(count, "take: count", -1)
        n = self._cardinality
        card = n if count == -1 else count if n == INFINITE_CARDINALITY else (
            n if n == UNKNOWN_CARDINALITY else min(n, count))
        stop = None if count == -1 else count
        return self._reorder(lambda source: lambda: itertools.islice(source(), stop), card)

    def skip(self, count, name=None):
        """All but the first ``count`` elements (none of them for -1)."""
        count = _count(count, "skip: count", -1)
        n = self._cardinality
        card = 0 if count == -1 else n if n < 0 else max(n - count, 0)
        start = None if count == -1 else count
        return self._reorder(
            lambda source: lambda: itertools.islice(source(), 0 if start is None else start,
                                                    0 if start is None else None), card)

    def prefetch(self, buffer_size, name=None):
        """The same elements (in-memory data needs no read-ahead)."""
        _count(buffer_size, "prefetch: buffer_size", -1)
        return self._reorder(lambda source: source, self._cardinality)

    def cache(self, filename="", name=None):
        """The first complete pass is kept in memory; later passes replay it."""
        if filename:
            raise NotImplementedError("mg.data.Dataset.cache keeps elements in memory only; "
                                      "call cache() without a filename")
        store = {}
        return Dataset(lambda: pipeline.cached(self._make_iterator, store), self._cardinality,
                       lambda: self.element_spec)

    def enumerate(self, start=0, name=None):
        """``(index, element)`` pairs, the index an int64 scalar from ``start``."""
        start = _count(start, "enumerate: start", -2 ** 63)

        def make():
            return ((constant(i, dtype=int64), e)
                    for i, e in zip(itertools.count(start), self._make_iterator()))
        return Dataset(make, self._cardinality,
                       lambda: (TensorSpec((), int64), self.element_spec))

    def concatenate(self, dataset, name=None):
        """This dataset's elements, then ``dataset``'s."""
        a, b = self._cardinality, dataset._cardinality
        card = (INFINITE_CARDINALITY if INFINITE_CARDINALITY in (a, b) else
                UNKNOWN_CARDINALITY if UNKNOWN_CARDINALITY in (a, b) else a + b)
        return Dataset(lambda: itertools.chain(self._make_iterator(), dataset._make_iterator()),
                       card, lambda: self.element_spec)

    # --- reading -----------------------------------------------------------------------

    @property
    def element_spec(self):
        """The structure of an element with a ``TensorSpec`` per component."""
        if callable(self._spec):
            self._spec = self._spec()
        return self._spec

    def cardinality(self):
        """The number of elements as an int64 scalar, or ``INFINITE_CARDINALITY`` (-1) /
        ``UNKNOWN_CARDINALITY`` (-2) (after ``filter``, ``unbatch``)."""
        return constant(self._cardinality, dtype=int64)

    def __len__(self):
        if self._cardinality == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __iter__(self):
        return DatasetIterator(self)

    def as_numpy_iterator(self):
        """The elements with NumPy arrays (NumPy scalars for 0-d components)."""
        return (map_structure(lambda t: t.numpy()[()], e) for e in DatasetIterator(self))

    def __bool__(self):
        return True          # not len(): an infinite dataset is still a dataset

    def __repr__(self):
        return f"<mg.data.Dataset element_spec={self.element_spec!r}>"


def _rows_dataset(element, make_positions, cardinality, spec):
    return Dataset(lambda: pipeline.rows(element, make_positions()), cardinality, spec,
                   rows=(element, make_positions))


def _zip_cardinality(cards):
    if UNKNOWN_CARDINALITY in cards:
        return UNKNOWN_CARDINALITY
    finite = [c for c in cards if c != INFINITE_CARDINALITY]
    return min(finite) if finite else INFINITE_CARDINALITY


def _truth(value):
    if hasattr(value, "shape") and tuple(value.shape) != ():
        raise ValueError(f"mg.data.Dataset.filter: the predicate must return a scalar bool, "
                         f"got shape {tuple(value.shape)}")
    return bool(value)


def _refuse_inside_trace():
    if current_trace.get() is not None:
        raise TracingError(
            "iterating an mg.data.Dataset inside mg.function is not supported: the trace "
            "would freeze this pass's elements into the program. Iterate outside the traced "
            "step and pass each element in: `for x, y in ds: step(x, y)`")


class DatasetIterator:
    """One pass over a Dataset: ``next(it)`` or ``it.next()`` / ``it.get_next()``."""

    def __init__(self, dataset):
        _refuse_inside_trace()
        self._dataset = dataset
        self._elements = dataset._make_iterator()

    def __iter__(self):
        return self

    def __next__(self):
        _refuse_inside_trace()
        return next(self._elements)

    def next(self):
        return self.__next__()

    def get_next(self):
        return self.__next__()

    @property
    def element_spec(self):
        return self._dataset.element_spec
