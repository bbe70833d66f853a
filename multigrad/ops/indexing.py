"""Gathers and functional updates: take, take_along_axis, sort, index_update, index_add,
and TensorFlow's tensor_scatter_nd_update / tensor_scatter_nd_add / scatter_nd.

Tensors are immutable: an "update" returns a new tensor, differentiable with respect to
both the original and the values written. Basic slicing, integer and boolean indexing
are ``getitem`` (in ``shape.py``).
"""

from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from ..core.tape_entry import batch_ndim, unbroadcast
from ..core.tensor import Tensor
from ..core.args import shape_arg, single_axis
from .define import defop
from ._index_check import check_bounds, index_data, prepare_index
from ._python_data import data_like
from .creation import cast, to_backend
from .shape import _batched_index, _getitem_checked, index_add_into_zeros, reshape

__all__ = ["take", "take_along_axis", "sort", "index_update", "index_add",
           "tensor_scatter_nd_update", "tensor_scatter_nd_add", "scatter_nd"]


def _int_indices(indices, x, opname):
    """Indices as a raw integer array on x's backend, negative ones wrapped by ``size``."""
    t = indices if isinstance(indices, Tensor) else index_data(indices, x.backend)
    if not t.dtype.is_integer:
        raise TypeError(f"mg.{opname}: indices must be integers, got dtype {t.dtype.name}")
    if t.backend is not x.backend:      # index data (e.g. a NumPy array) follows x
        t = to_backend(t, x.backend)
    return t


def _wrap(ns, idx, n):
    return ns.where(idx < 0, idx + n, idx)


# --- take ------------------------------------------------------------------------------------

def _take_vjp(ns, g, ans, x, indices, axis):
    batch = batch_ndim(g, ans)
    index = (slice(None),) * (batch + axis) + (indices,)
    return ns.index_add(tuple(g.shape[:batch]) + tuple(x.shape), index, g)


_TAKE = Primitive("take", lambda ns, x, indices, axis: ns.take(x, indices, axis=axis))
_TAKE.defvjp(_take_vjp)


@defop(_TAKE)
def take(x, indices, axis=None, name=None):
    """Elements of ``x`` at ``indices`` along ``axis`` (of the flattened ``x`` when None).

    Repeated indices accumulate their gradients; negative indices count from the end.
    """
    x = as_tensor(x)
    if axis is None:
        x, axis = reshape(x, (x.size,)), 0
    axis = single_axis(axis, x.ndim, "take")
    idx = _int_indices(indices, x, "take")
    check_bounds(idx._value, x.shape[axis], axis, x.backend, "take")
    raw = _wrap(x.backend.ops, idx._value, x.shape[axis])
    if raw.ndim != 1:     # the standard's take is 1-D; other shapes are plain indexing
        return _getitem_checked(x, (slice(None),) * axis + (raw,))
    return apply(_TAKE, (x,), {"indices": raw, "axis": axis})


def _along_axis_index(x, raw, axis):
    """The full integer index that take_along_axis reads (every other axis by arange)."""
    xp = x.backend.ops
    index = []
    for d in range(x.ndim):
        if d == axis:
            index.append(raw)
        else:
            shape = [1] * x.ndim
            shape[d] = x.shape[d]
            index.append(xp.reshape(xp.arange(x.shape[d]), tuple(shape)))
    return tuple(index)


@defop()
def take_along_axis(x, indices, axis=-1, name=None):
    """Pick along ``axis`` with an index array of the same rank (NumPy's take_along_axis).

    A gather by ``getitem``: repeated indices accumulate their gradients.
    """
    x = as_tensor(x)
    if axis is None:          # NumPy: along the flattened x
        x, axis = reshape(x, (x.size,)), 0
    axis = single_axis(axis, x.ndim, "take_along_axis")
    idx = _int_indices(indices, x, "take_along_axis")
    if idx.ndim != x.ndim:
        raise ValueError(f"mg.take_along_axis: indices (shape {idx.shape}) must have the same "
                         f"rank as x (shape {x.shape})")
    check_bounds(idx._value, x.shape[axis], axis, x.backend, "take_along_axis")
    raw = _wrap(x.backend.ops, idx._value, x.shape[axis])
    return _getitem_checked(x, _along_axis_index(x, raw, axis))


@defop()
def sort(x, axis=-1, descending=False, direction=None, name=None):
    """Sorted along ``axis`` (stable); the gradient follows the permutation back.

    ``descending`` is the Array API's flag, ``direction="DESCENDING"`` TensorFlow's.
    """
    x = as_tensor(x)
    if direction is not None:
        if str(direction).upper() not in ("ASCENDING", "DESCENDING"):
            raise ValueError(f"mg.sort: direction must be 'ASCENDING' or 'DESCENDING', got "
                             f"{direction!r}")
        descending = str(direction).upper() == "DESCENDING"
    if axis is None:          # NumPy: the flattened x, sorted
        x, axis = reshape(x, (x.size,)), 0
    if x.ndim == 0:
        return x
    axis = single_axis(axis, x.ndim, "sort")
    ops = x.backend.ops
    key = -x._value if descending else x._value
    order = ops.argsort(key, axis=axis, stable=True)
    return _getitem_checked(x, _along_axis_index(x, order, axis))


# --- functional updates ----------------------------------------------------------------------

def _update_vjp_x(ns, g, ans, x, values, index):
    # The written positions no longer depend on x.
    return ns.index_update(g, _batched_index(index, batch_ndim(g, ans)), 0)


def _update_vjp_values(ns, g, ans, x, values, index):
    batch = batch_ndim(g, ans)
    read = ns.getitem(g, _batched_index(index, batch))
    return unbroadcast(ns, read, tuple(getattr(values, "shape", ())), batch)


_UPDATE = Primitive("index_update",
                    lambda ns, x, values, index: ns.index_update(x, index, values))
_UPDATE.defvjp(_update_vjp_x, _update_vjp_values)


@defop(_UPDATE)
def index_update(x, index, values, name=None):
    """A copy of ``x`` with ``x[index]`` replaced by ``values`` (broadcast to that slot).

    Any index ``x[index]`` accepts (slices, integers, integer arrays, boolean masks).
    With repeated integer indices, which write wins is up to the backend (as in
    TensorFlow); gradients assume each position is written once.
    """
    return _index_update(x, index, values, "index_update")


def _index_update(x, index, values, opname):
    x = as_tensor(x)
    if isinstance(values, (list, tuple)):
        values = data_like(values, x)
    if isinstance(values, Tensor) and values.dtype != x.dtype:
        values = cast(values, x.dtype)
    index = prepare_index(index, x.shape, x.backend, opname)
    return apply(_UPDATE, (x, values), {"index": index})


@defop()
def index_add(x, index, values, name=None):
    """``x`` with ``values`` added at ``index``; repeated indices add up (a scatter-add)."""
    return _index_add(x, index, values, "index_add")


def _index_add(x, index, values, opname):
    """index_add, its errors named after the public op that called it (``opname``)."""
    x = as_tensor(x)
    values = data_like(values, x) if not isinstance(values, Tensor) else values
    if values.dtype != x.dtype:
        values = cast(values, x.dtype)
    index = prepare_index(index, x.shape, x.backend, opname)
    return x + index_add_into_zeros(x.shape, index, values)


def _nd_index(x_shape, indices, opname):
    """TensorFlow's (..., K) index array as a tuple of K integer arrays."""
    raw = indices._value
    if indices.ndim == 0 or indices.shape[-1] > len(x_shape) or not indices.dtype.is_integer:
        raise ValueError(f"mg.{opname}: indices must be an integer tensor of shape (..., K) "
                         f"with K <= {len(x_shape)} (the rank of the target), got shape "
                         f"{indices.shape} and dtype {indices.dtype.name}")
    _refuse_negative(indices, x_shape, opname)
    return tuple(raw[..., k] for k in range(indices.shape[-1]))


def _refuse_negative(indices, x_shape, opname):
    """TF's scatters refuse negative indices (NumPy would count them from the end): the
    minimum of each index column, in one host transfer."""
    if not indices.size:
        return
    ops, k = indices._backend.ops, indices.shape[-1]
    lows = indices._backend.to_numpy(ops.min(ops.reshape(indices._value, (-1, k)), axis=0))
    for axis, lo in enumerate(lows.tolist()):
        if lo < 0:
            raise IndexError(f"mg.{opname}: index {lo} is out of bounds for axis {axis} with "
                             f"size {x_shape[axis]} (TensorFlow's scatters take indices in "
                             f"[0, size): negative ones do not count from the end)")


@defop()
def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """TensorFlow's scatter-update: ``indices[..., :]`` picks slots of ``tensor``."""
    tensor = as_tensor(tensor)
    idx = _int_indices(indices, tensor, "tensor_scatter_nd_update")
    return _index_update(tensor, _nd_index(tensor.shape, idx, "tensor_scatter_nd_update"),
                         updates, "tensor_scatter_nd_update")


@defop()
def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """TensorFlow's scatter-add: ``updates`` added at ``indices`` (repeats add up)."""
    tensor = as_tensor(tensor)
    idx = _int_indices(indices, tensor, "tensor_scatter_nd_add")
    return _index_add(tensor, _nd_index(tensor.shape, idx, "tensor_scatter_nd_add"), updates,
                      "tensor_scatter_nd_add")


@defop()
def scatter_nd(indices, updates, shape, name=None):
    """TensorFlow's scatter_nd: zeros of ``shape`` with ``updates`` added at ``indices``."""
    updates = as_tensor(updates)
    shape = shape_arg(shape, "scatter_nd")
    idx = _int_indices(indices, updates, "scatter_nd")
    index = prepare_index(_nd_index(shape, idx, "scatter_nd"), shape, updates.backend,
                          "scatter_nd")
    return index_add_into_zeros(shape, index, updates)
