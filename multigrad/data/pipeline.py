"""The element streams behind each Dataset transformation: plain generators over elements."""

import numpy as _np

from ..ops import getitem, stack, take
from .structure import flatten, pack_like, stack_elements

__all__ = ["slices", "rows", "row_batches", "batches", "unbatched", "shuffled", "repeated",
           "cached"]


def slices(element, n):
    """``element``'s leaves sliced along axis 0, one element per row."""
    leaves = flatten(element)
    for i in range(n):
        yield pack_like(element, [getitem(leaf, i) for leaf in leaves])


def rows(element, positions):
    """Row ``i`` of ``element``'s leaves for each ``i`` of ``positions``."""
    leaves = flatten(element)
    for i in positions:
        yield pack_like(element, [getitem(leaf, i) for leaf in leaves])


def row_batches(element, positions, size, drop_remainder):
    """What ``batches(rows(element, positions), ...)`` gives, one gather (or slice, for
    consecutive rows) per leaf and batch instead of a getitem per row and a stack."""
    leaves = flatten(element)
    group = []
    for i in positions:
        group.append(i)
        if len(group) == size:
            yield pack_like(element, [_gather(leaf, group) for leaf in leaves])
            group = []
    if group and not drop_remainder:
        yield pack_like(element, [_gather(leaf, group) for leaf in leaves])


def _gather(leaf, group):
    if group == list(range(group[0], group[0] + len(group))):
        return getitem(leaf, slice(group[0], group[0] + len(group)))
    if leaf.backend.lazy:    # Dask: a gather checks its indices eagerly; row slices do not
        return stack([getitem(leaf, i) for i in group])
    return take(leaf, _np.array(group), axis=0)


def batches(elements, size, drop_remainder):
    """Consecutive groups of ``size`` elements, stacked (the last one shorter unless
    ``drop_remainder``)."""
    group = []
    for element in elements:
        group.append(element)
        if len(group) == size:
            yield stack_elements(group)
            group = []
    if group and not drop_remainder:
        yield stack_elements(group)


def unbatched(elements):
    for element in elements:
        yield from slices(element, flatten(element)[0].shape[0])


def shuffled(elements, buffer_size, rng):
    """TensorFlow's shuffle buffer: fill ``buffer_size`` elements, then repeatedly emit a
    uniformly chosen one and put the next input element in its place."""
    buffer = []
    for element in elements:
        if len(buffer) < buffer_size:
            buffer.append(element)
            continue
        i = int(rng.integers(len(buffer)))
        yield buffer[i]
        buffer[i] = element
    while buffer:
        i = int(rng.integers(len(buffer)))
        buffer[i], buffer[-1] = buffer[-1], buffer[i]
        yield buffer.pop()


def repeated(make_iterator, count):
    """``make_iterator()``'s elements ``count`` times (forever for ``count`` None); an
    empty pass ends the stream (TF: repeating nothing is nothing)."""
    done = 0
    while count is None or done < count:
        empty = True
        for element in make_iterator():
            empty = False
            yield element
        done += 1
        if empty:
            return


def cached(make_iterator, store):
    """The first complete pass fills ``store`` (a list); later passes replay it."""
    if store.get("elements") is not None:
        yield from store["elements"]
        return
    seen = []
    for element in make_iterator():
        seen.append(element)
        yield element
    store["elements"] = seen


def seed_stream(seed, epoch, reshuffle):
    """The random stream of one pass of a shuffle: a new one per pass when ``reshuffle``."""
    return _np.random.Generator(_np.random.PCG64([seed, epoch if reshuffle else 0]))
