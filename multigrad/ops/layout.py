"""Rearranging elements: ravel, swapaxes, moveaxis, rollaxis, atleast_nd, flip, rot90, roll,
tile, repeat.

Axes are normalised to negative numbers before they reach a rule: counted from the end,
they name the same axes with or without leading batch axes in the cotangent.
"""

from ..core.args import integer_arg, normalize_axis, shape_arg, single_axis
from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from ..core.tape_entry import batch_ndim
from ..core.tensor import Tensor
from .define import defop
from .indexing import take
from .shape import broadcast_to, expand_dims, reshape, transpose
from ..errors import AxisError

__all__ = ["ravel", "flatten", "swapaxes", "moveaxis", "atleast_1d", "atleast_2d",
           "atleast_3d", "flip", "flipud", "fliplr", "rot90", "roll", "tile", "repeat",
           "rollaxis"]


def _negative_axes(axis, ndim, opname):
    return tuple(a - ndim for a in normalize_axis(axis, ndim, opname))


@defop()
def ravel(x, name=None):
    """``x`` flattened to 1-D (row-major)."""
    x = as_tensor(x)
    return reshape(x, (x.size,))


@defop()
def flatten(x, name=None):
    """NumPy's ``ndarray.flatten``: the same as ``ravel`` here (tensors are immutable)."""
    return ravel(x)


@defop()
def swapaxes(x, axis1, axis2, name=None):
    """Exchange two axes."""
    x = as_tensor(x)
    (a,), (b,) = normalize_axis(axis1, x.ndim, "swapaxes"), normalize_axis(axis2, x.ndim,
                                                                           "swapaxes")
    perm = list(range(x.ndim))
    perm[a], perm[b] = b, a
    return transpose(x, perm)


@defop()
def moveaxis(x, source, destination, name=None):
    """Move axes ``source`` to positions ``destination`` (ints or sequences of ints)."""
    x = as_tensor(x)
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise ValueError(f"mg.moveaxis: {len(src)} source axes but {len(dst)} destinations; "
                         f"give as many of each")
    src = [normalize_axis(a, x.ndim, "moveaxis")[0] for a in src]
    dst = [normalize_axis(a, x.ndim, "moveaxis")[0] for a in dst]
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError("mg.moveaxis: repeated axis in source or destination")
    rest = [i for i in range(x.ndim) if i not in src]
    for d, s in sorted(zip(dst, src)):
        rest.insert(d, s)
    return transpose(x, rest)


def _atleast(x, n, where):
    x = as_tensor(x)
    if x.ndim >= n:
        return x
    return reshape(x, where(x.shape))


@defop()
def atleast_1d(*xs):
    """Each input with at least one dimension (a list when given several)."""
    out = [_atleast(x, 1, lambda s: (1,)) for x in xs]
    return out[0] if len(out) == 1 else out


@defop()
def atleast_2d(*xs):
    """Each input with at least two dimensions: 1-D ``(n,)`` becomes ``(1, n)``."""
    out = [_atleast(x, 2, lambda s: (1,) * (2 - len(s)) + s) for x in xs]
    return out[0] if len(out) == 1 else out


@defop()
def atleast_3d(*xs):
    """At least three dimensions: ``(n,)`` becomes ``(1, n, 1)``, ``(m, n)`` ``(m, n, 1)``."""
    shapes = {0: lambda s: (1, 1, 1), 1: lambda s: (1,) + s + (1,), 2: lambda s: s + (1,)}
    out = [_atleast(x, 3, shapes[min(as_tensor(x).ndim, 2)]) for x in xs]
    return out[0] if len(out) == 1 else out


# --- flip, rot90, roll ----------------------------------------------------------------------

_FLIP = Primitive("flip", lambda ns, x, axis: ns.flip(x, axis=axis))
_FLIP.defvjp(lambda ns, g, ans, x, axis: ns.flip(g, axis=axis))


@defop(_FLIP)
def flip(x, axis=None, name=None):
    """Reverse the order of elements along ``axis`` (all axes by default)."""
    x = as_tensor(x)
    axes = _negative_axes(tuple(range(x.ndim)) if axis is None else axis, x.ndim, "flip")
    if not axes:
        return x
    return apply(_FLIP, (x,), {"axis": axes})


@defop()
def flipud(x, name=None):
    """Reverse axis 0."""
    return flip(x, 0)


@defop()
def fliplr(x, name=None):
    """Reverse axis 1."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"mg.fliplr needs at least 2 dimensions, got shape {x.shape}")
    return flip(x, 1)


@defop()
def rot90(x, k=1, axes=(0, 1), name=None):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes`` (from the first toward the second)."""
    x = as_tensor(x)
    a, b = (normalize_axis(ax, x.ndim, "rot90")[0] for ax in axes)
    if a == b:
        raise ValueError(f"mg.rot90: axes {tuple(axes)} name the same axis twice")
    k %= 4
    if k == 0:
        return x
    if k == 2:
        return flip(x, (a, b))
    if k == 1:
        return swapaxes(flip(x, b), a, b)
    return flip(swapaxes(x, a, b), b)


_ROLL = Primitive("roll", lambda ns, x, shift, axis: ns.roll(x, shift=shift, axis=axis))
_ROLL.defvjp(lambda ns, g, ans, x, shift, axis:
             ns.roll(g, shift=tuple(-s for s in shift), axis=axis))


@defop(_ROLL)
def roll(x, shift, axis=None, name=None):
    """Shift elements cyclically along ``axis`` (over the flattened tensor when None)."""
    x = as_tensor(x)
    if axis is None:
        return reshape(roll(reshape(x, (x.size,)), shift, 0), x.shape)
    shifts = (shift,) if isinstance(shift, int) else tuple(int(s) for s in shift)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        raise ValueError(f"mg.roll: {len(shifts)} shifts for {len(axes)} axes; give one shift "
                         f"per axis (or a single shift)")
    axes = tuple(normalize_axis(a, x.ndim, "roll")[0] - x.ndim for a in axes)
    return apply(_ROLL, (x,), {"shift": shifts, "axis": axes})


# --- tile and repeat ------------------------------------------------------------------------

def _tile_vjp(ns, g, ans, x, reps):
    # Output axis i is reps[i] copies of x's axis i: split it in two and sum the copies.
    lead = tuple(g.shape[:batch_ndim(g, ans)])
    split = tuple(d for r, n in zip(reps, x.shape) for d in (r, n))
    copies = tuple(len(lead) + 2 * i for i in range(len(reps)))
    return ns.sum(ns.reshape(g, lead + split), axis=copies)


_TILE = Primitive("tile", lambda ns, x, reps: ns.tile(x, reps)).defvjp(_tile_vjp)


@defop(_TILE)
def tile(x, reps, name=None):
    """Repeat the whole tensor ``reps`` times along each axis (``tf.tile``, ``np.tile``)."""
    x = as_tensor(x)
    reps = shape_arg(reps, "tile", "reps", allow_negative=True)
    if any(r < 0 for r in reps):
        raise ValueError(f"mg.tile: reps {reps} must be non-negative")
    nd = max(len(reps), x.ndim)
    reps = (1,) * (nd - len(reps)) + reps
    if x.ndim < nd:
        x = reshape(x, (1,) * (nd - x.ndim) + x.shape)
    return apply(_TILE, (x,), {"reps": reps})


@defop()
def repeat(x, repeats, axis=None, name=None):
    """Repeat each element ``repeats`` times along ``axis`` (flattened when None).

    An int repeats every element alike (a broadcast, no gather); a sequence gives one
    count per element and gathers with ``take``.
    """
    x = as_tensor(x)
    if axis is None:
        x, axis = reshape(x, (x.size,)), 0
    axis = single_axis(axis, x.ndim, "repeat")
    n = x.shape[axis]
    if isinstance(repeats, Tensor):
        repeats = [int(r) for r in repeats._host_data().reshape(-1)]
    if isinstance(repeats, int) or (not isinstance(repeats, int) and len(repeats) == 1 and n != 1):
        r = int(repeats if isinstance(repeats, int) else repeats[0])
        if r < 0:
            raise ValueError(f"mg.repeat: repeats must be non-negative, got {r}")
        y = broadcast_to(expand_dims(x, axis + 1), x.shape[:axis + 1] + (r,) + x.shape[axis + 1:])
        return reshape(y, x.shape[:axis] + (n * r,) + x.shape[axis + 1:])
    repeats = [int(r) for r in repeats]
    if len(repeats) != n or any(r < 0 for r in repeats):
        raise ValueError(f"mg.repeat: {len(repeats)} non-negative counts needed one per element "
                         f"along axis {axis} (size {n}); got {repeats}")
    index = [i for i, r in enumerate(repeats) for _ in range(r)]
    return take(x, index, axis=axis)


@defop()
def rollaxis(a, axis, start=0, name=None):
    """NumPy's ``rollaxis``: move ``axis`` so that it lies before position ``start``."""
    a = as_tensor(a)
    n = a.ndim
    axis = single_axis(axis, n, "rollaxis")
    start = integer_arg(start, "rollaxis", "start")
    if not -n <= start <= n:
        raise AxisError(f"mg.rollaxis: start {start} is out of bounds for array of dimension "
                        f"{n} (it must be in [{-n}, {n}])")
    if start < 0:
        start += n
    if start > axis:
        start -= 1
    return moveaxis(a, axis, start) if start != axis else a
