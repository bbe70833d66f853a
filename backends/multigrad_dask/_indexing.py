"""Indexing on Dask: getitem, take, index_add, index_update, and how masks are read.

A mixin of ``DaskNamespace`` (it uses the namespace's ``zeros``, ``reshape``, ``from_host``,
``to_numpy`` and ``known_shape``). Boolean masks are brought to the host (``index_mask``):
indexing with a lazy mask leaves the selection's sizes unknown, and dask then pairs the
blocks of two such selections instead of their elements.
"""

import math

import numpy

from multigrad.backend.fallbacks import generic_getitem, generic_index_update

from ._quiet import quiet_meta

__all__ = ["DaskIndexing", "unknown"]


class DaskIndexing:
    """The indexing half of ``DaskNamespace`` (``self._da`` is ``dask.array``)."""

    def index_mask(self, mask):
        """A boolean index computed to the host: the mask's graph only, never the indexed
        data. Indexed with a host mask dask knows how many elements each block selects;
        with a lazy one it leaves those sizes unknown (NaN), so that reshapes, broadcasts
        and gradients fail, and an elementwise op between two such selections pairs their
        blocks rather than their elements (wrong values, no error)."""
        if isinstance(mask, self._da.Array) and mask.ndim:
            return self.to_numpy(mask)
        return mask

    def _host_index(self, index):
        """``index`` with its masks on the host and, where dask would still not know the
        selection's sizes (a mask over several axes, or next to other array indices),
        each mask replaced by its ``numpy.nonzero`` arrays: NumPy's own meaning of it."""
        items = index if isinstance(index, tuple) else (index,)
        if not any(_is_bool_array(i) and i.ndim for i in items):
            return index
        items = [self.index_mask(i) if _is_bool_array(i) else i for i in items]
        arrays = sum(1 for i in items if _is_array(i) and i.ndim)
        out = []
        for item in items:
            if _is_bool_array(item) and item.ndim and (item.ndim > 1 or arrays > 1):
                out.extend(numpy.nonzero(item))
            else:
                out.append(item)
        return tuple(out) if isinstance(index, tuple) or len(out) > 1 else out[0]

    def nonzero(self, x):
        """``numpy.nonzero`` of the computed ``x``, as arrays of known sizes (dask's own
        nonzero leaves them unknown)."""
        host = self.to_numpy(x) if isinstance(x, self._da.Array) else numpy.asarray(x)
        return tuple(self.from_host(i) for i in numpy.nonzero(host))

    def getitem(self, x, index):
        """``x[index]`` with NumPy's rules; indices dask does not take are rewritten."""
        items = index if isinstance(index, tuple) else (index,)
        if 0 in tuple(x.shape) and len(items) == 1 and _is_bool_array(items[0]) \
                and items[0].ndim:
            # A mask over an empty array: its true entries, each an empty slice of x (dask's
            # ravel of an empty mask fails).
            count = int(numpy.count_nonzero(self.index_mask(items[0])))
            return self.zeros((count,) + tuple(x.shape[items[0].ndim:]), dtype=x.dtype)
        index = self._relabelled(self._host_index(index))
        try:
            with quiet_meta():
                return x[index]
        except (IndexError, NotImplementedError, AssertionError):
            # Several integer arrays, masks next to other indices, an n-d integer array
            # that does not name every axis (dask asserts) ...: the generic rewrite
            # (nonzero, take along a flattened axis) in terms dask supports.
            return generic_getitem(self, x, index)

    def take(self, x, indices, axis=None):
        return self._da.take(x, self._relabelled(indices), axis=axis)

    def _relabelled(self, index):
        """``index`` with each dask integer array made by ``from_array`` given a key of its
        own. Dask's integer-array slicing keys the offsets of the indexed axis's chunks as
        ``from_array([0, c0, c0 + c1, ...], chunks=1)``, by content: an index built the same
        way from the same numbers (``[0]`` on an axis of one chunk) gets the same key, and
        dask confuses the two (``x[[0]]`` declared with x's shape; wrong shapes, then wrong
        broadcasts)."""
        if isinstance(index, tuple):
            return tuple(self._relabelled(i) for i in index)
        if isinstance(index, self._da.Array) and index.dtype.kind in "iu" \
                and index.name.startswith("array-"):
            return index.map_blocks(_same_block, dtype=index.dtype)
        return index

    def _settable(self, x, index, values):
        """``(index, values)`` that dask's ``__setitem__`` takes for the same write: it fails
        on an integer next to a negative-step slice (``x[1, ::-2] = v``: IndexError), so each
        integer becomes a one-element slice and the values gain that axis."""
        items = index if isinstance(index, tuple) else (index,)
        if not (_is_basic(items) and Ellipsis not in items
                and any(isinstance(i, int) for i in items)
                and any(isinstance(i, slice) and (i.step or 1) < 0 for i in items)):
            return index, values
        selected = tuple(x[items].shape)
        values = self._da.broadcast_to(values, selected) if hasattr(values, "shape") else \
            self._da.full(selected, values, dtype=x.dtype)
        kept = iter(selected)
        shape = tuple(1 if isinstance(i, int) else next(kept) for i in items)
        shape += tuple(kept)                    # the axes after the last index item
        return tuple(slice(i, i + 1 or None) if isinstance(i, int) else i for i in items), \
            values.reshape(shape)

    def index_add(self, shape, index, values):
        """zeros(shape) with ``values`` added at ``index``; repeated indices accumulate.

        Basic indices (ints, slices, ...) are a lazy ``__setitem__``. Other indices are
        applied to an array of flat positions, the values rechunked to the blocks of the
        selected positions, and each block of values is scattered into its own partial
        result (``add.at``), the partials summed by a tree reduction: O(blocks x positions)
        work, never a one-hot matrix. Leading full slices (jacobian batch axes) stay a batch.
        """
        da = self._da
        shape = tuple(int(d) for d in shape)
        items = index if isinstance(index, tuple) else (index,)
        if _is_basic(items):
            out = self.zeros(shape, dtype=values.dtype)
            # dask's __setitem__ refuses empty values, and values broadcast into an empty
            # selection (NumPy adds nothing there)
            if 0 not in tuple(values.shape) and 0 not in tuple(out[items].shape):
                items, values = self._settable(out, items, values)
                out[items] = values
            return out
        if 0 in shape or 0 in tuple(values.shape):   # nothing to add (dask cannot reshape
            return self.zeros(shape, dtype=values.dtype)  # an empty arange to (0, n))
        k = 0
        while k < len(items) and k < len(shape) and _is_full_slice(items[k]):
            k += 1
        lead, rest = shape[:k], shape[k:]
        rest_index = items[k:]
        rest_index = rest_index[0] if len(rest_index) == 1 else rest_index
        n = math.prod(rest)
        positions = da.arange(n, chunks=self._settings.chunks_for((n,)),
                              dtype=numpy.int64).reshape(rest)
        # Masks are on the host (index_mask): the positions' sizes are known. Values of
        # unknown size (a raw dask array passed in) are worked out: their blocks must be
        # aligned with the positions', element for element.
        pos = self.known_shape(self.getitem(positions, rest_index))
        values = self.known_shape(values)
        selected = lead + tuple(pos.shape)
        if 0 in selected:                   # an empty selection: values broadcast into it
            return self.zeros(shape, dtype=values.dtype)    # add nothing (NumPy's add.at)
        if tuple(values.shape) != selected:
            values = da.broadcast_to(values, selected)      # NumPy's add.at broadcasts too
        pos = self.reshape(pos, (-1,))
        vals = self.reshape(values, lead + (-1,))
        vals = vals.rechunk(vals.chunks[:-1] + pos.chunks)
        lead_ix = tuple(f"l{i}" for i in range(len(lead)))
        parts = da.blockwise(
            _scatter_block, ("j",) + lead_ix + ("n",), pos, ("j",), vals, lead_ix + ("j",),
            n=n, new_axes={"n": n}, adjust_chunks={"j": 1}, dtype=values.dtype,
            # (a 0-d value's meta has one element: empty it before reshaping)
            meta=values._meta.reshape(-1)[:0].reshape((0,) * (len(lead) + 2))
            if hasattr(values, "_meta")
            else None)
        return self.reshape(parts.sum(axis=0), lead + rest)

    def index_update(self, x, index, values):
        """A new array with ``values`` written at ``index``; ``x`` itself is never touched
        (dask's ``__setitem__`` rewrites the graph of the array object it is called on)."""
        index = self._host_index(index)
        if 0 in tuple(x.shape) or 0 in tuple(self.getitem(x, index).shape):
            # nothing is written: values broadcast into an empty selection (dask's
            # __setitem__ refuses empties)
            return x.copy()
        out = x.copy()
        try:
            settable, values = self._settable(x, index, values)
            out[settable] = values
        except (IndexError, TypeError, ValueError, NotImplementedError, AssertionError):
            return generic_index_update(self, x, index, values)
        return out


def _same_block(block):
    return block


def _scatter_block(pos, vals, n):
    """One block of a scatter-add: vals (lead + (m,)) added at flat positions pos (m,) of a
    new (1,) + lead + (n,) array; NumPy or CuPy blocks."""
    if type(vals).__module__.partition(".")[0] == "cupy":
        import cupy
        import cupyx
        out = cupy.zeros(vals.shape[:-1] + (n,), dtype=vals.dtype)
        cupyx.scatter_add(out, (Ellipsis, pos), vals)
    else:
        out = numpy.zeros(vals.shape[:-1] + (n,), dtype=vals.dtype)
        numpy.add.at(out, (Ellipsis, pos), vals)
    return out[None]


def _is_basic(items):
    return all(isinstance(i, (int, slice)) or i is Ellipsis for i in items) \
        and not any(isinstance(i, bool) for i in items)


def _is_full_slice(item):
    return isinstance(item, slice) and item == slice(None)


def _is_array(item):
    return hasattr(item, "shape") and hasattr(item, "dtype")


def _is_bool_array(item):
    return _is_array(item) and item.dtype == bool


def unknown(shape):
    """True when some size is NaN (dask's unknown chunk sizes)."""
    return any(d != d for d in shape)
