"""TensorFlow's gathers and selections: gather, gather_nd, boolean_mask, top_k, segment sums.

Compositions of public ops (``take``, ``getitem``, ``scatter_nd``, ``take_along_axis``),
so each is differentiable with respect to its data (repeated indices accumulate) and
never with respect to indices. Indices follow TensorFlow on CPU: out of range is an
error (NumPy would wrap negative ones).
"""

import math as _math

from ... import dtypes as _dt
from ...core.convert import as_tensor
from .. import (any, arange, argmax, cast, constant, convert_to_tensor, expand_dims,
                getitem, isnan, max, maximum, moveaxis, not_equal, ones_like, reshape, scatter_nd,
                sort, stack, stop_gradient, sum, take, take_along_axis, to_backend, transpose,
                where, zeros)
from .. import min as _min
from ...core.tensor import Tensor
from ..define import defop
from ...errors import InvalidIndexError

__all__ = ["gather", "gather_nd", "boolean_mask", "top_k", "unsorted_segment_sum",
           "segment_sum", "unsorted_segment_mean", "segment_mean"]


def _indices(indices, like, opname, what="indices"):
    """Integer indices on the backend of ``like`` (index data follows the data it indexes)."""
    t = indices if isinstance(indices, Tensor) else convert_to_tensor(indices,
                                                                      backend=like.backend)
    if not t.dtype.is_integer:
        raise TypeError(f"mg.{opname}: {what} must be integers, got dtype {t.dtype.name}; "
                        f"cast them with mg.cast({what}, mg.int32)")
    return t if t.backend is like.backend else to_backend(t, like.backend)


def _check_index(idx, size, axis, opname):
    """NumPy's IndexError unless 0 <= idx < size: TensorFlow's gathers do not wrap negative
    indices around."""
    if idx.size and bool(any((idx < 0) | (idx >= size))):
        lo, hi = int(_min(idx)), int(max(idx))
        raise InvalidIndexError(f"mg.{opname}: index {lo if lo < 0 else hi} is out of bounds "
                                f"for axis {axis} with size {size} (TensorFlow's gathers take "
                                f"indices in [0, {size}): negative ones do not count from the "
                                f"end)")


def _check_range(idx, upper, opname, what):
    """IndexError unless 0 <= idx < upper (``upper`` broadcasts against ``idx``)."""
    if idx.size and bool(any((idx < 0) | (idx >= upper))):
        bound = upper if isinstance(upper, int) else [int(u) for u in upper]
        raise InvalidIndexError(f"mg.{opname}: {what} must lie in [0, {bound}); got values "
                                f"from {int(_min(idx))} to {int(max(idx))}. Negative indices "
                                f"do not count from the end in TensorFlow's gathers")


def _batch_offsets(n_batch, stride, inner_ndim, like):
    """Start of each flattened batch: arange(n_batch) * stride, shaped to broadcast."""
    offsets = arange(n_batch, dtype=_dt.int64, backend=like.backend) * stride
    return reshape(offsets, (n_batch,) + (1,) * inner_ndim)


def _check_batch(params, idx, batch_dims, opname):
    if params.shape[:batch_dims] != idx.shape[:batch_dims]:
        raise ValueError(f"mg.{opname}: with batch_dims={batch_dims}, params (shape "
                         f"{params.shape}) and indices (shape {idx.shape}) must share their "
                         f"first {batch_dims} sizes")


@defop()
def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """``tf.gather``: slices of ``params`` along ``axis`` at ``indices``; the result has shape
    ``params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:]``."""
    params = as_tensor(params)
    idx = _indices(indices, params, "gather")
    b = batch_dims + idx.ndim if batch_dims < 0 else batch_dims
    axis = b if axis is None else axis + params.ndim if axis < 0 else axis
    if not 0 <= b <= idx.ndim or not b <= axis < params.ndim:
        raise ValueError(f"mg.gather: need 0 <= batch_dims <= indices rank ({idx.ndim}) and "
                         f"batch_dims <= axis < params rank ({params.ndim}); got batch_dims="
                         f"{batch_dims}, axis={axis}")
    _check_batch(params, idx, b, "gather")
    _check_index(idx, params.shape[axis], axis, "gather")
    if b == 0:
        return _take(params, idx, axis)
    # Batched: move the gathered axis next to the batch axes, flatten both, take once.
    batch, mid, rest = params.shape[:b], params.shape[b:axis], params.shape[axis + 1:]
    inner, n_batch, n = idx.shape[b:], _math.prod(params.shape[:b]), params.shape[axis]
    flat_params = reshape(moveaxis(params, axis, b), (n_batch * n,) + mid + rest)
    flat = reshape(cast(idx, _dt.int64), (n_batch,) + inner) + _batch_offsets(
        n_batch, n, len(inner), params)
    out = reshape(_take(flat_params, flat, 0), batch + inner + mid + rest)
    nb, ni, nm = len(batch), len(inner), len(mid)
    order = [*_seq(nb), *_seq(nm, nb + ni), *_seq(ni, nb), *_seq(len(rest), nb + ni + nm)]
    return transpose(out, order)


def _take(params, idx, axis):
    """take with indices of any shape, through a 1-D take (the form every backend has:
    Dask loses sizes with N-D index arrays, the Array API's take is 1-D)."""
    out = take(params, reshape(idx, (-1,)), axis=axis)
    return reshape(out, params.shape[:axis] + idx.shape + params.shape[axis + 1:])


def _seq(n, start=0):
    return [start + i for i in range(n)]


@defop()
def gather_nd(params, indices, batch_dims=0, name=None):
    """``tf.gather_nd``: ``indices[..., :K]`` address the first K axes (after the batch
    axes) of ``params``; the result has shape ``indices.shape[:-1] + params.shape[b + K:]``."""
    params = as_tensor(params)
    idx = _indices(indices, params, "gather_nd")
    b = int(batch_dims)
    if idx.ndim < 1 or not 0 <= b < idx.ndim or idx.shape[-1] > params.ndim - b:
        raise ValueError(f"mg.gather_nd: indices must have shape (..., K) with K <= params "
                         f"rank - batch_dims, and 0 <= batch_dims < indices rank; got indices "
                         f"shape {idx.shape}, params shape {params.shape}, batch_dims={b}")
    _check_batch(params, idx, b, "gather_nd")
    k = idx.shape[-1]
    dims, rest = params.shape[b:b + k], params.shape[b + k:]
    sizes = constant(list(dims), dtype=idx.dtype, backend=params.backend)
    if idx.size and bool(any((idx < 0) | (idx >= sizes))):     # one check, then which axis
        for j in range(k):
            _check_index(idx[..., j], dims[j], b + j, "gather_nd")
    # Row-major strides turn each K-tuple into one position of the flattened K axes.
    strides = [_math.prod(dims[i + 1:]) for i in range(k)]
    flat = sum(cast(idx, _dt.int64) * constant(strides, dtype=_dt.int64,
                                               backend=params.backend), axis=-1)
    inner, n_batch, block = idx.shape[b:-1], _math.prod(params.shape[:b]), _math.prod(dims)
    flat = reshape(flat, (n_batch,) + inner) + _batch_offsets(n_batch, block, len(inner), params)
    out = _take(reshape(params, (n_batch * block,) + rest), flat, 0)
    return reshape(out, params.shape[:b] + inner + rest)


@defop()
def boolean_mask(tensor, mask, axis=None, name=None):
    """``tf.boolean_mask``: the entries of ``tensor`` where the K-D ``mask`` (matching axes
    ``axis .. axis + K``) is true, those K axes becoming one."""
    x = as_tensor(tensor)
    m = mask if isinstance(mask, Tensor) else convert_to_tensor(mask, backend=x.backend)
    if not m.dtype.is_bool:
        m = not_equal(m, 0)     # TF's Where: a numeric mask selects its nonzero entries
    axis = 0 if axis is None else axis + x.ndim if axis < 0 else axis
    if m.ndim == 0 or x.shape[axis:axis + m.ndim] != m.shape:
        raise ValueError(f"mg.boolean_mask: mask shape {m.shape} must equal the tensor's "
                         f"shape at axes {axis}..{axis + m.ndim - 1} (tensor shape "
                         f"{x.shape}); a scalar mask is not allowed")
    if m.ndim == x.ndim:
        return getitem(x, m)                # a full mask: plain boolean indexing
    # A partial mask goes through the integer positions of its true entries (sorted to the
    # front), then one take on the masked axes merged into one: Dask cannot differentiate
    # a boolean index that leaves axes after it, and sizes stay known.
    flat_mask = reshape(m, (-1,))
    count = int(sum(cast(flat_mask, _dt.int32)))
    n = flat_mask.shape[0]
    positions = sort(where(flat_mask, arange(n, backend=x.backend), n))[:count]
    merged = reshape(x, x.shape[:axis] + (n,) + x.shape[axis + m.ndim:])
    return _take(merged, positions, axis)


@defop()
def top_k(input, k=1, sorted=True, index_type=_dt.int32, name=None):  # noqa: A002
    """``tf.math.top_k``: ``(values, indices)`` of the ``k`` largest entries along the last
    axis, largest first, the lower index first among equal values; the values are
    differentiable. Costs k passes over the input (use mg.sort for k close to the size)."""
    x = as_tensor(input)
    if x.ndim == 0 or not 0 <= int(k) <= x.shape[-1]:
        raise ValueError(f"mg.top_k: need an input of rank >= 1 and 0 <= k <= its last size; "
                         f"got shape {x.shape}, k={k}")
    if x.dtype.is_complex or x.dtype.is_bool:
        raise TypeError(f"mg.top_k: the input must be real numbers, got {x.dtype.name}")
    key = stop_gradient(x if x.dtype.is_floating else cast(x, _dt.float64))
    positions = arange(x.shape[-1], backend=x.backend)
    taken = positions < 0                        # nothing taken yet (broadcasts over rows)
    picks = []
    for _ in range(int(k)):
        free = where(taken, -_math.inf, key)
        best = max(free, axis=-1, keepdims=True)
        hit = ~taken & ((free == best) | (isnan(free) & isnan(best)))   # NaN counts largest
        pick = argmax(cast(hit, _dt.int8), axis=-1)                       # first such index
        picks.append(pick)
        taken = taken | (positions == expand_dims(pick, -1))
    if not picks:           # an empty gather is a slice (Dask cannot index with none)
        return x[..., :0], zeros(x.shape[:-1] + (0,), dtype=index_type, backend=x.backend)
    indices = cast(stack(picks, axis=-1), index_type)
    return take_along_axis(x, indices, axis=-1), indices


@defop()
def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_sum``: out[i] = sum of ``data[j]`` with segment_ids[j] == i.

    ``segment_ids`` cover the first axes of ``data``; negative ids are dropped (TF)."""
    data = as_tensor(data)
    ids = _indices(segment_ids, data, "unsorted_segment_sum", "segment_ids")
    num_segments = int(num_segments)
    if data.shape[:ids.ndim] != ids.shape:
        raise ValueError(f"mg.unsorted_segment_sum: segment_ids (shape {ids.shape}) must match "
                         f"the first axes of data (shape {data.shape})")
    _check_range(where(ids < 0, 0, ids), num_segments, "unsorted_segment_sum", "segment_ids")
    keep = reshape(ids >= 0, ids.shape + (1,) * (data.ndim - ids.ndim))
    return scatter_nd(expand_dims(where(ids < 0, 0, ids), -1), where(keep, data, 0),
                      (num_segments,) + data.shape[ids.ndim:])


def _counts(ids, num_segments, like):
    counts = unsorted_segment_sum(cast(ones_like(ids), like.dtype), ids, num_segments)
    return reshape(maximum(counts, 1), (num_segments,) + (1,) * (like.ndim - ids.ndim))


@defop()
def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_mean``: segment sums over the counts (0 for empty ones)."""
    data = as_tensor(data)
    ids = _indices(segment_ids, data, "unsorted_segment_mean", "segment_ids")
    return (unsorted_segment_sum(data, ids, num_segments)
            / _counts(ids, int(num_segments), data))


def _sorted_segments(segment_ids, data, opname):
    ids = _indices(segment_ids, data, opname, "segment_ids")
    if ids.ndim != 1:
        raise ValueError(f"mg.{opname}: segment_ids must be 1-D, got shape {ids.shape}")
    if ids.size > 1 and bool(any(ids[1:] < ids[:-1])):
        raise ValueError(f"mg.{opname}: segment_ids must be sorted (non-decreasing); use "
                         f"mg.math.unsorted_{opname} for ids in any order")
    if ids.size and bool(ids[0] < 0):
        raise ValueError(f"mg.{opname}: segment_ids must be non-negative")
    return ids, (int(ids[-1]) + 1 if ids.size else 0)


@defop()
def segment_sum(data, segment_ids, name=None):
    """``tf.math.segment_sum``: sorted ids; ``max(ids) + 1`` segments (empty ones are 0)."""
    data = as_tensor(data)
    ids, n = _sorted_segments(segment_ids, data, "segment_sum")
    return unsorted_segment_sum(data, ids, n)


@defop()
def segment_mean(data, segment_ids, name=None):
    """``tf.math.segment_mean``: sorted ids; the mean of each segment (empty ones are 0)."""
    data = as_tensor(data)
    ids, n = _sorted_segments(segment_ids, data, "segment_mean")
    return unsorted_segment_mean(data, ids, n)
