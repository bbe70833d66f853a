"""Shape, joining and indexing ops with their VJP rules."""

from ..core.primitive import Primitive, apply
from ..core.tape_entry import batch_ndim, unbroadcast
from ..core.tensor import Tensor
from .define import defop
from ._index_check import prepare_index
from ..core.convert import as_tensor, convert_to_tensor
from ..errors import InvalidArgumentError
from ..core.args import axis_items, check_axis, normalize_axis, shape_arg, single_axis

__all__ = ["reshape", "transpose", "matrix_transpose", "expand_dims", "squeeze",
           "broadcast_to", "concatenate", "stack", "getitem"]


# --- reshape and everything that is a reshape ----------------------------------------

_RESHAPE = Primitive("reshape", lambda ns, x, shape: ns.reshape(x, shape))
_RESHAPE.defvjp(lambda ns, g, ans, x, shape:
                ns.reshape(g, tuple(g.shape[:batch_ndim(g, ans)]) + tuple(x.shape)))


def _resolve_shape(shape, size, opname):
    shape = shape_arg(shape, opname, allow_negative=True)
    unknown = [i for i, d in enumerate(shape) if d == -1]
    known = 1
    for d in shape:
        if d != -1:
            known *= d
    if len(unknown) > 1 or any(d < -1 for d in shape):
        raise ValueError(f"mg.{opname}: invalid shape {shape}: at most one -1 and no other "
                         f"negative sizes")
    if unknown:
        if known == 0 or size % known:
            raise InvalidArgumentError(f"mg.{opname}: cannot reshape a tensor of {size} "
                                       f"elements into shape {shape}")
        shape = shape[:unknown[0]] + (size // known,) + shape[unknown[0] + 1:]
    elif known != size:
        raise InvalidArgumentError(f"mg.{opname}: cannot reshape a tensor of {size} elements "
                                   f"into shape {shape}")
    return shape


@defop(_RESHAPE)
def reshape(x, shape, name=None):
    """``x`` with a new shape (one entry may be -1)."""
    x = as_tensor(x)
    return apply(_RESHAPE, (x,), {"shape": _resolve_shape(shape, x.size, "reshape")})


@defop(_RESHAPE)
def expand_dims(x, axis, name=None):
    """Insert size-1 axes at ``axis`` (an int or a tuple of ints)."""
    x = as_tensor(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out_ndim = x.ndim + len(axes)
    axes = normalize_axis(axes, out_ndim, "expand_dims")
    dims = iter(x.shape)
    shape = tuple(1 if i in axes else next(dims) for i in range(out_ndim))
    return apply(_RESHAPE, (x,), {"shape": shape})


@defop(_RESHAPE)
def squeeze(x, axis=None, name=None):
    """Remove size-1 axes (all of them, or those in ``axis``)."""
    x = as_tensor(x)
    if axis is None:
        axes = tuple(i for i, n in enumerate(x.shape) if n == 1)
    else:
        axes = normalize_axis(axis, x.ndim, "squeeze")
        for a in axes:
            if x.shape[a] != 1:
                raise ValueError(f"mg.squeeze: cannot squeeze axis {a} of size {x.shape[a]} "
                                 f"(shape {x.shape}); only size-1 axes can be removed")
    shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    return apply(_RESHAPE, (x,), {"shape": shape})


# --- transpose -------------------------------------------------------------------------

def _inverse(perm, batch=0):
    """The permutation undoing ``perm``, leaving ``batch`` leading axes in place."""
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i + batch
    return tuple(range(batch)) + tuple(inv)


_TRANSPOSE = Primitive("transpose", lambda ns, x, axes: ns.transpose(x, axes))
_TRANSPOSE.defvjp(lambda ns, g, ans, x, axes: ns.transpose(g, _inverse(axes, batch_ndim(g, ans))))


@defop(_TRANSPOSE)
def transpose(x, perm=None, axes=None, name=None):
    """Permute axes (reversed by default); ``perm`` (TF) and ``axes`` (NumPy) are synonyms."""
    x = as_tensor(x)
    perm = axes if perm is None else perm
    if perm is None:
        perm = tuple(range(x.ndim - 1, -1, -1))
    else:
        perm = tuple(check_axis(p, x.ndim, "transpose")
                     for p in axis_items(perm, "transpose", "perm"))
        if sorted(perm) != list(range(x.ndim)):
            raise ValueError(f"mg.transpose: axes {perm} are not a permutation of the "
                             f"{x.ndim} axes of a tensor of shape {x.shape}")
    return apply(_TRANSPOSE, (x,), {"axes": perm})


@defop(_TRANSPOSE)
def matrix_transpose(x, name=None):
    """Swap the last two axes."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"mg.matrix_transpose needs at least 2 dimensions, got shape {x.shape}")
    perm = tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)
    return apply(_TRANSPOSE, (x,), {"axes": perm})


# --- broadcasting ------------------------------------------------------------------------

_BROADCAST = Primitive("broadcast_to", lambda ns, x, shape: ns.broadcast_to(x, shape))
_BROADCAST.defvjp(lambda ns, g, ans, x, shape:
                  unbroadcast(ns, g, tuple(x.shape), batch_ndim(g, ans)))


@defop(_BROADCAST)
def broadcast_to(x, shape, name=None):
    x = as_tensor(x)
    shape = shape_arg(shape, "broadcast_to")
    return apply(_BROADCAST, (x,), {"shape": shape})


# --- joining ---------------------------------------------------------------------------

def _concat_vjp(ns, g, ans, *xs, axis):
    out, start = [], 0
    lead = (slice(None),) * (axis + batch_ndim(g, ans))
    for x in xs:
        n = x.shape[axis] if hasattr(x, "shape") else 1
        out.append(ns.getitem(g, lead + (slice(start, start + n), Ellipsis)))
        start += n
    return out


_CONCAT = Primitive("concatenate", lambda ns, *xs, axis: ns.concat(xs, axis=axis))
_CONCAT.defvjp_all(_concat_vjp)


def _join_inputs(values, opname):
    if isinstance(values, Tensor) or not isinstance(values, (list, tuple)):
        raise TypeError(f"mg.{opname} expects a list or tuple of tensors, got "
                        f"{type(values).__name__}")
    if not values:
        raise ValueError(f"mg.{opname} needs at least one tensor")
    return tuple(as_tensor(v) for v in values)


@defop(_CONCAT)
def concatenate(values, axis=0, name=None):
    """Join tensors along an existing axis (``tf.concat``)."""
    values = _join_inputs(values, "concatenate")
    if axis is None:          # NumPy: flatten every tensor first
        values, axis = tuple(reshape(v, (v.size,)) for v in values), 0
    ndim = values[0].ndim
    if ndim == 0:
        raise ValueError("mg.concatenate: zero-dimensional tensors cannot be concatenated; "
                         "use mg.stack")
    axis = single_axis(axis, ndim, "concatenate")
    return apply(_CONCAT, values, {"axis": axis})


def _stack_vjp(ns, g, ans, *xs, axis):
    lead = (slice(None),) * (axis + batch_ndim(g, ans))
    return [ns.getitem(g, lead + (i, Ellipsis)) for i in range(len(xs))]


_STACK = Primitive("stack", lambda ns, *xs, axis: ns.stack(xs, axis=axis))
_STACK.defvjp_all(_stack_vjp)


@defop(_STACK)
def stack(values, axis=0, name=None):
    """Join tensors along a new axis."""
    values = _join_inputs(values, "stack")
    axis = single_axis(axis, values[0].ndim + 1, "stack")
    return apply(_STACK, values, {"axis": axis})


# --- indexing ----------------------------------------------------------------------------

def _raw_index(index):
    """Tensors inside an index become raw arrays; everything else passes through."""
    if isinstance(index, tuple):
        return tuple(_raw_index(i) for i in index)
    if isinstance(index, Tensor):
        return index._value
    if isinstance(index, list):
        return convert_to_tensor(index)._value
    return index


def _batched_index(index, batch):
    if not batch:
        return index
    return (slice(None),) * batch + (index if isinstance(index, tuple) else (index,))


def _getitem_vjp(ns, g, ans, x, index):
    batch = batch_ndim(g, ans)
    shape = tuple(g.shape[:batch]) + tuple(x.shape)
    return ns.index_add(shape, _batched_index(index, batch), g)


def _index_add_vjp(ns, g, ans, v, shape, index):
    batch = batch_ndim(g, ans)
    return unbroadcast(ns, ns.getitem(g, _batched_index(index, batch)), tuple(v.shape), batch)


_GETITEM = Primitive("getitem", lambda ns, x, index: ns.getitem(x, index)).defvjp(_getitem_vjp)
_INDEX_ADD = Primitive("index_add", lambda ns, v, shape, index: ns.index_add(shape, index, v))
_INDEX_ADD.defvjp(_index_add_vjp)


@defop(_GETITEM)
def getitem(x, index):
    """``x[index]``: basic slicing, integer arrays (repeats accumulate) and boolean masks."""
    x = as_tensor(x)
    return apply(_GETITEM, (x,), {"index": prepare_index(index, x.shape, x.backend, "getitem")})


def _getitem_checked(x, raw_index):
    """``getitem`` for a raw index already known to be valid (a sort's permutation)."""
    return apply(_GETITEM, (x,), {"index": raw_index})


def index_add_into_zeros(shape, index, values):
    """A tensor of zeros of ``shape`` with ``values`` added at ``index`` (repeats add up).

    The rule vocabulary's ``index_add`` (the backend extra of that name); the public
    ``mg.index_add(x, index, values)`` adds into ``x``.
    """
    values = as_tensor(values)
    return apply(_INDEX_ADD, (values,), {"shape": tuple(shape), "index": _raw_index(index)})
