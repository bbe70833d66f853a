"""Joining and splitting: hstack, vstack, column_stack, dstack, split, array_split, hsplit,
vsplit, dsplit, pad."""

from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from ..core.tensor import Tensor
from ._cotangents import align_cotangents
from .define import defop
from .layout import atleast_1d, atleast_2d, atleast_3d, flip
from .shape import broadcast_to, concatenate, index_add_into_zeros, reshape
from ..core.args import single_axis

__all__ = ["hstack", "vstack", "column_stack", "split", "array_split", "hsplit", "vsplit",
           "pad", "dstack", "dsplit"]


def _sequence(values, opname):
    if isinstance(values, Tensor) or hasattr(values, "ndim"):
        # One array: NumPy iterates its first axis (each row is one input).
        values = as_tensor(values)
        if values.ndim == 0:
            raise TypeError(f"mg.{opname} expects a list or tuple of tensors or one array of "
                            f"at least one dimension, got a 0-d tensor")
        return [values[i] for i in range(values.shape[0])]
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"mg.{opname} expects a list or tuple of tensors, got "
                        f"{type(values).__name__}")
    if not values:
        raise ValueError(f"mg.{opname} needs at least one tensor")
    return [as_tensor(v) for v in values]


@defop()
def hstack(values, name=None):
    """Concatenate along axis 1 (axis 0 for 1-D inputs)."""
    values = [atleast_1d(v) for v in _sequence(values, "hstack")]
    return concatenate(values, axis=0 if values[0].ndim == 1 else 1)


@defop()
def vstack(values, name=None):
    """Concatenate along axis 0, 1-D inputs becoming rows."""
    return concatenate([atleast_2d(v) for v in _sequence(values, "vstack")], axis=0)


@defop()
def column_stack(values, name=None):
    """1-D inputs become columns; 2-D inputs are concatenated along axis 1."""
    values = _sequence(values, "column_stack")
    cols = [reshape(v, (v.size, 1)) if v.ndim < 2 else v for v in values]
    return concatenate(cols, axis=1)


# --- splitting: one multi-output primitive, whose rule is one concatenation -----------------

def _split_forward(ns, x, bounds, axis):
    # Every axis spelled out (Ellipsis first): strict Array API indexing wants a full index.
    tail = (slice(None),) * (-axis - 1)
    return tuple(x[(Ellipsis, slice(a, b)) + tail] for a, b in bounds)


def _split_vjp(ns, g, ans, x, bounds, axis):
    return ns.concat(list(align_cotangents(ns, g, ans)), axis=axis)


_SPLITS = {}


def _split_primitive(k):
    prim = _SPLITS.get(k)
    if prim is None:
        prim = Primitive("split", _split_forward, n_outputs=k).defvjp(_split_vjp)
        _SPLITS[k] = prim
    return prim


def _split_at(x, cuts, axis, opname):
    axis = single_axis(axis, x.ndim, opname)
    n = x.shape[axis]
    cuts = [min(max(c if c >= 0 else c + n, 0), n) for c in cuts]
    edges = [0] + cuts + [n]
    bounds = tuple((a, max(a, b)) for a, b in zip(edges[:-1], edges[1:]))
    if len(bounds) == 1:
        return [x[(slice(None),) * axis + (slice(0, n), Ellipsis)]]
    return list(apply(_split_primitive(len(bounds)), (x,),
                      {"bounds": bounds, "axis": axis - x.ndim}))


def _sections(n, parts, even, opname, axis):
    if parts <= 0:
        raise ValueError(f"mg.{opname}: the number of sections must be positive, got {parts}")
    if even and n % parts:
        raise ValueError(f"mg.{opname}: axis {axis} of size {n} does not split into {parts} equal "
                         f"parts; use mg.array_split for unequal parts, or give split points")
    size, extra = divmod(n, parts)
    cuts, at = [], 0
    for i in range(parts - 1):
        at += size + (1 if i < extra else 0)
        cuts.append(at)
    return cuts


def _split(x, indices_or_sections, axis, even, opname):
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError(f"mg.{opname}: cannot split a 0-d tensor")
    ax = single_axis(axis, x.ndim, opname)
    if isinstance(indices_or_sections, int):
        cuts = _sections(x.shape[ax], indices_or_sections, even, opname, axis)
    else:
        cuts = [int(c) for c in indices_or_sections]
    return _split_at(x, cuts, ax, opname)


@defop()
def split(x, indices_or_sections, axis=0, name=None):
    """Split into equal sections (an int) or at the given indices (a list), NumPy's way."""
    return _split(x, indices_or_sections, axis, True, "split")


@defop()
def array_split(x, indices_or_sections, axis=0, name=None):
    """Like ``split``, but an int need not divide the axis (the first parts get one more)."""
    return _split(x, indices_or_sections, axis, False, "array_split")


@defop()
def hsplit(x, indices_or_sections, name=None):
    """Split along axis 1 (axis 0 for 1-D tensors)."""
    x = as_tensor(x)
    return _split(x, indices_or_sections, 0 if x.ndim == 1 else 1, True, "hsplit")


@defop()
def vsplit(x, indices_or_sections, name=None):
    """Split along axis 0 (for tensors of at least 2 dimensions)."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"mg.vsplit needs at least 2 dimensions, got shape {x.shape}")
    return _split(x, indices_or_sections, 0, True, "vsplit")


# --- pad ----------------------------------------------------------------------------------------

def _pad_widths(pad_width, ndim):
    """One (before, after) pair per axis from NumPy's (or TF's) spellings."""
    def pair(p):
        p = (p, p) if isinstance(p, int) else tuple(int(v) for v in p)
        if len(p) == 1:
            p = p * 2
        if len(p) != 2:
            raise ValueError
        return p
    try:
        if isinstance(pad_width, Tensor):
            pad_width = pad_width._host_data().tolist()
        flat = isinstance(pad_width, int) or all(isinstance(v, int) for v in pad_width)
        if flat and (isinstance(pad_width, int) or len(pad_width) <= 2):
            widths = [pair(pad_width)] * ndim
        elif len(pad_width) == 1:
            widths = [pair(pad_width[0])] * ndim
        else:
            widths = [pair(p) for p in pad_width]
    except (TypeError, ValueError):
        widths = None
    if widths is None or len(widths) != ndim or any(a < 0 or b < 0 for a, b in widths):
        raise ValueError(f"mg.pad: pad_width {pad_width!r} must be an int, a (before, after) "
                         f"pair, or one non-negative pair per axis ({ndim} axes)")
    return widths


def _edge_pieces(x, axis, before, after, mode):
    """The slabs that go before and after ``x`` along ``axis`` for edge/reflect padding."""
    n = x.shape[axis]
    lead = (slice(None),) * axis

    def grow(i, count):
        piece = x[lead + (slice(i, i + 1), Ellipsis)]
        return broadcast_to(piece, x.shape[:axis] + (count,) + x.shape[axis + 1:])
    if mode == "edge":
        return (grow(0, before) if before else None), (grow(n - 1, after) if after else None)
    if before >= n or after >= n:
        raise ValueError(f"mg.pad: reflect padding of {max(before, after)} along axis {axis} "
                         f"needs it to be smaller than the axis size {n}")
    left = flip(x[lead + (slice(1, before + 1), Ellipsis)], axis) if before else None
    right = flip(x[lead + (slice(n - 1 - after, n - 1), Ellipsis)], axis) if after else None
    return left, right


@defop()
def pad(x, pad_width, mode="constant", constant_values=0, name=None):
    """Pad with a constant (``constant_values``), the edge values, or a reflection (NumPy's modes).

    ``tf.pad``'s ``paddings`` is the same per-axis ``[[before, after], ...]`` list; mode names
    are NumPy's (lower case; TF's "CONSTANT"/"REFLECT" are accepted too).
    """
    x = as_tensor(x)
    mode = str(mode).lower()
    if mode not in ("constant", "edge", "reflect"):
        raise ValueError(f"mg.pad: mode {mode!r} is not supported; use 'constant', 'edge' or "
                         f"'reflect'")
    widths = _pad_widths(pad_width, x.ndim)
    if mode == "constant":
        shape = tuple(n + a + b for n, (a, b) in zip(x.shape, widths))
        inside = tuple(slice(a, a + n) for n, (a, _) in zip(x.shape, widths))
        if constant_values == 0:
            return index_add_into_zeros(shape, inside, x)
        # zeros with (x - c) inside, plus c everywhere: the constant needs no ones tensor.
        return index_add_into_zeros(shape, inside, x - constant_values) + constant_values
    for axis, (before, after) in enumerate(widths):
        if before or after:
            if x.shape[axis] == 0:
                raise ValueError(f"mg.pad: cannot {mode}-pad axis {axis} of size 0")
            left, right = _edge_pieces(x, axis, before, after, mode)
            x = concatenate([p for p in (left, x, right) if p is not None], axis=axis)
    return x


@defop()
def dstack(tup, name=None):
    """Concatenate along axis 2, after making every input at least 3-D (NumPy's way)."""
    values = [atleast_3d(v) for v in _sequence(tup, "dstack")]
    return concatenate(values, axis=2)


@defop()
def dsplit(x, indices_or_sections, name=None):
    """Split along axis 2 (for tensors of at least 3 dimensions)."""
    x = as_tensor(x)
    if x.ndim < 3:
        raise ValueError(f"mg.dsplit needs at least 3 dimensions, got shape {x.shape}")
    return _split(x, indices_or_sections, 2, True, "dsplit")
