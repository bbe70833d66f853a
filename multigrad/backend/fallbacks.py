"""Array-API-only versions of what some namespaces lack: NumPy-style getitem, scatter-add,
functional update, einsum. ``ArrayOps`` falls back on these; a backend with a native
version passes it as an extra (``Backend(..., extras=...)``).
"""

from .conj import is_complex as _is_complex
from .einsum_parse import parse

__all__ = ["generic_getitem", "generic_index_add", "generic_index_update", "einsum_fallback"]


def _is_full_slice(item):
    return isinstance(item, slice) and item == slice(None)


def _is_basic(index):
    """Only ints, slices and Ellipsis: plain ``out[index] = values`` is a scatter-add."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, slice)) or i is Ellipsis for i in items)


def _is_array(item):
    return hasattr(item, "shape") and hasattr(item, "dtype")


def _is_bool_array(item):
    return _is_array(item) and str(item.dtype).rsplit(".", 1)[-1] == "bool"


def _has_ellipsis(items):
    return any(i is Ellipsis for i in items)


def generic_getitem(xp, x, index):
    """``x[index]`` with NumPy's semantics, using only indexing the standard specifies.

    Missing trailing axes get an Ellipsis; boolean masks become integer arrays
    (``nonzero``); integer arrays (and ints between them) on adjacent axes become one
    ``take`` along a flattened axis. Integer arrays on non-adjacent axes, or next to a
    ``None``, are not supported here (NumPy moves axes around for those).
    """
    items = []
    for item in (index if isinstance(index, tuple) else (index,)):
        if _is_bool_array(item) and item.ndim > 0:
            items.extend(xp.nonzero(item))
        else:
            items.append(item)
    explicit = sum(1 for i in items if i is not None and i is not Ellipsis)
    if not _has_ellipsis(items) and explicit < x.ndim:
        items.append(Ellipsis)
    # A 0-d integer array is an integer (x[i] in a traced loop body), taken like the others:
    # the standard allows integer arrays only where every index is an integer.
    if not any(_is_array(i) and (i.ndim > 0 or not _is_bool_array(i)) for i in items):
        return x[tuple(items)]
    if any(i is None for i in items):
        raise IndexError("integer-array indices combined with None (newaxis) are not "
                         "supported on this backend; index in two steps")
    # Expand the Ellipsis to full slices: one entry per axis.
    at = next(k for k, i in enumerate(items) if i is Ellipsis) if _has_ellipsis(items) else None
    if at is not None:
        items = items[:at] + [slice(None)] * (x.ndim - explicit) + items[at + 1:]
    advanced = [k for k, i in enumerate(items) if not isinstance(i, slice)]
    start, stop = advanced[0], advanced[-1] + 1
    if stop - start != len(advanced):
        raise IndexError(
            "integer-array indices separated by slices are not supported on this backend "
            "(NumPy would move their axes to the front); index in two steps")
    basic = tuple(slice(None) if k in advanced else i for k, i in enumerate(items))
    y = x if all(i == slice(None) for i in basic) else x[basic]
    dims = tuple(y.shape[start:stop])
    arrays = xp.broadcast_arrays(*[i if _is_array(i) else xp.asarray(i) for i in items[start:stop]])
    flat = None
    for arr, d in zip(arrays, dims):
        arr = xp.where(arr < 0, arr + d, arr)
        flat = arr if flat is None else flat * d + arr
    size = 1
    for d in dims:
        size *= d
    head, tail = tuple(y.shape[:start]), tuple(y.shape[stop:])
    taken = xp.take(xp.reshape(y, head + (size,) + tail), xp.reshape(flat, (-1,)), axis=start)
    return xp.reshape(taken, head + tuple(arrays[0].shape) + tail)


def _getitem(xp, x, index):
    try:
        return x[index]
    except (IndexError, NotImplementedError, AssertionError):   # dask's, for nd indices
        return generic_getitem(xp, x, index)


def generic_index_add(xp, shape, index, values):
    """Scatter-add with only Array-API functions (no extras needed for correctness).

    Basic indices (ints, slices, ...) select each position at most once, so it is a
    plain ``__setitem__``. Otherwise the index is applied to an array of flat positions,
    which tells where each element of ``values`` goes, and every output position sums the
    values aimed at it through a one-hot mask (``where``, so a NaN or inf in one entry
    stays in its own position). Leading full slices (the batch axes of a jacobian) are
    kept as a batch, so the mask is (entries x positions) of the indexed axes only. Memory
    is O(entries x positions): correct everywhere, fast enough for small and medium index
    sets; backends with a native scatter-add should supply ``extras={"index_add": ...}``.
    """
    shape = tuple(shape)
    device = getattr(values, "device", None)
    zero = xp.zeros((), dtype=values.dtype, device=device)
    if _is_basic(index):
        items = index if isinstance(index, tuple) else (index,)
        out = xp.zeros(shape, dtype=values.dtype, device=device)
        out[items if _has_ellipsis(items) else items + (Ellipsis,)] = values
        return out
    items = index if isinstance(index, tuple) else (index,)
    k = 0
    while k < len(items) and _is_full_slice(items[k]) and k < len(shape):
        k += 1
    lead, rest = shape[:k], shape[k:]
    rest_index = items[k:]
    rest_index = rest_index[0] if len(rest_index) == 1 else rest_index
    n = 1
    for d in rest:
        n *= d
    b = 1
    for d in lead:
        b *= d
    flat = xp.arange(n, dtype=xp.int64, device=device)
    picked = _getitem(xp, xp.reshape(flat, rest), rest_index)
    selected = tuple(lead) + tuple(picked.shape)
    if 0 in selected or n == 0:         # nothing is selected: nothing to add (as add.at)
        return xp.zeros(shape, dtype=values.dtype, device=device)
    if tuple(values.shape) != selected:
        values = xp.broadcast_to(values, selected)          # add.at broadcasts the values
    target = xp.reshape(picked, (1, -1, 1))                               # (1, M, 1)
    mask = target == xp.reshape(flat, (1, 1, n))                          # (1, M, N)
    vals = xp.reshape(values, (b, -1, 1))                                 # (B, M, 1)
    out = xp.sum(xp.where(mask, vals, zero), axis=1)                      # (B, N)
    return xp.reshape(out, shape)


def generic_index_update(xp, x, index, values):
    """``x`` with ``values`` written at ``index``, for indices ``__setitem__`` refuses.

    Built on ``generic_index_add``: positions written once take their value; positions
    written several times (repeated indices, where NumPy keeps the last write and
    TensorFlow leaves the order undefined) take the mean of their writes.
    """
    selected = tuple(_getitem(xp, x, index).shape)
    values = xp.broadcast_to(xp.asarray(values, dtype=x.dtype), selected)
    placed = generic_index_add(xp, x.shape, index, values)
    # Count in a real dtype (complex numbers have no order for ``count > 0``).
    real = xp.real(xp.zeros((), dtype=x.dtype)).dtype if _is_complex(x) else x.dtype
    count = generic_index_add(xp, x.shape, index, xp.ones(selected, dtype=real))
    written = count > 0
    return xp.where(written, placed / xp.astype(xp.where(written, count, 1), x.dtype), x)


def _diagonals(xp, x, term):
    """Resolve an index repeated within one operand (``ii``) by taking that diagonal."""
    while len(set(term)) != len(term):
        c = next(ch for ch in term if term.count(ch) > 1)
        i = term.index(c)
        j = term.index(c, i + 1)
        rest = [k for k in range(len(term)) if k not in (i, j)]
        x = xp.permute_dims(x, tuple(rest) + (i, j))
        n = x.shape[-1]
        # where(), not a multiply by eye: an inf off the diagonal must not become NaN.
        on_diagonal = xp.astype(xp.eye(n, dtype=xp.int8), xp.bool)
        x = xp.sum(xp.where(on_diagonal, x, xp.zeros((), dtype=x.dtype)), axis=-1)
        term = "".join(term[k] for k in rest) + c
    return x, term


def einsum_fallback(xp, subscripts, *operands):
    """einsum through broadcasting multiply and sum (Array API only; not memory-frugal)."""
    terms, out, _ = parse(subscripts, [tuple(x.shape) for x in operands])
    order = sorted(set("".join(terms)), key=lambda c: (c not in out, out.find(c), c))
    total = None
    for term, x in zip(terms, operands):
        x, term = _diagonals(xp, x, term)
        mine = sorted(term, key=order.index)
        x = xp.permute_dims(x, tuple(term.index(c) for c in mine))
        shape = [1] * len(order)
        for c, n in zip(mine, x.shape):
            shape[order.index(c)] = n
        x = xp.reshape(x, tuple(shape))
        total = x if total is None else total * x
    summed = tuple(range(len(out), len(order)))
    if summed:
        total = xp.sum(total, axis=summed)
    return total
