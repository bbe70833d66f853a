"""Differences, integrals and interpolation (NumPy's names and signatures), composed.

``diff``, ``ediff1d``, ``gradient`` (central differences), ``append``, ``trapezoid`` and
``interp`` are built from slicing, concatenation and arithmetic, so their gradients (any
order, batched) come from those ops on every backend.
"""

from ..core.args import integer_arg, number_arg, single_axis
from ..core.convert import as_tensor, convert_to_tensor
from ..core.tensor import Tensor
from ..dtypes import float64
from .define import defop
from .creation import cast
from .elementwise import not_equal, where
from .indexing import take
from .reductions import sum as _sum
from .shape import broadcast_to, concatenate, reshape

__all__ = ["diff", "ediff1d", "gradient", "append", "trapezoid", "interp"]


def _along(x, axis, index):
    """``x`` indexed by ``index`` (a slice or an int) along the non-negative ``axis``."""
    return x[(slice(None),) * axis + (index, Ellipsis)]


def like(value, x):
    """``value`` as a Tensor on ``x``'s backend; a Python number takes ``x``'s dtype
    (NumPy's weak scalars: ``diff(float32_x, prepend=0)`` stays float32)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float)):
        return convert_to_tensor(value, dtype=x.dtype, backend=x.backend)
    return as_tensor(value)


def _edge(value, x, axis):
    """``diff``'s ``prepend``/``append``: a scalar becomes a slab of size 1 along ``axis``."""
    v = like(value, x)
    if v.ndim == 0:
        v = broadcast_to(v, x.shape[:axis] + (1,) + x.shape[axis + 1:])
    return v


def _first_difference(x, axis):
    hi, lo = _along(x, axis, slice(1, None)), _along(x, axis, slice(None, -1))
    return not_equal(hi, lo) if x.dtype.is_bool else hi - lo


@defop()
def diff(a, n=1, axis=-1, prepend=None, append=None, name=None):
    """The ``n``-th discrete difference along ``axis`` (``out[i] = a[i+1] - a[i]``),
    after joining ``prepend`` and ``append`` (scalars broadcast) as NumPy does."""
    a = as_tensor(a)
    n = integer_arg(n, "diff", "n")
    if n < 0:
        raise ValueError(f"mg.diff: order must be non-negative, got n={n}")
    if n == 0:
        return a
    if a.ndim == 0:
        raise ValueError("mg.diff: the input must be at least one dimensional")
    axis = single_axis(axis, a.ndim, "diff")
    if prepend is not None or append is not None:
        parts = ([_edge(prepend, a, axis)] if prepend is not None else []) + [a] + \
                ([_edge(append, a, axis)] if append is not None else [])
        a = concatenate(parts, axis=axis)
    for _ in range(n):
        a = _first_difference(a, axis)
    return a


@defop()
def ediff1d(ary, to_end=None, to_begin=None, name=None):
    """Differences of the flattened input, with ``to_begin`` and ``to_end`` joined on."""
    x = as_tensor(ary)
    x = reshape(x, (x.size,))
    parts = [x[1:] - x[:-1]]
    for value, at in ((to_begin, 0), (to_end, len(parts) + 1)):
        if value is not None:
            v = like(value, x)
            parts.insert(at, reshape(v, (v.size,)))
    return parts[0] if len(parts) == 1 else concatenate(parts, axis=0)


def _spacings(varargs, axes):
    if not varargs:
        return [1.0] * len(axes)
    if len(varargs) == 1 and len(axes) > 1:
        varargs = varargs * len(axes)
    if len(varargs) != len(axes):
        raise TypeError(f"mg.gradient: {len(varargs)} spacings given for {len(axes)} axes; "
                        f"give one scalar, or one per axis")
    out = []
    for h in varargs:
        if getattr(h, "ndim", 0) != 0 or isinstance(h, (list, tuple)):
            raise NotImplementedError("mg.gradient: only scalar spacings are supported "
                                      "(coordinate arrays are not); pass dx as a number")
        out.append(h)
    return out


def _one_gradient(f, axis, h, edge_order):
    n = f.shape[axis]
    if n < edge_order + 1:
        raise ValueError(f"mg.gradient: axis {axis} has {n} points; edge_order={edge_order} "
                         f"needs at least {edge_order + 1}")
    pick = lambda index: _along(f, axis, index)      # noqa: E731 - a local shorthand
    inner = (pick(slice(2, None)) - pick(slice(None, -2))) / (2.0 * h)
    if edge_order == 1:
        first = (pick(slice(1, 2)) - pick(slice(0, 1))) / h
        last = (pick(slice(n - 1, n)) - pick(slice(n - 2, n - 1))) / h
    else:
        first = (-3.0 * pick(slice(0, 1)) + 4.0 * pick(slice(1, 2)) - pick(slice(2, 3))) / (2 * h)
        last = (3.0 * pick(slice(n - 1, n)) - 4.0 * pick(slice(n - 2, n - 1))
                + pick(slice(n - 3, n - 2))) / (2 * h)
    return concatenate([first, inner, last], axis=axis)


@defop()
def gradient(f, *varargs, axis=None, edge_order=1):
    """NumPy's ``gradient``: central differences inside, one-sided ones (``edge_order`` 1
    or 2) at the ends, per axis; scalar spacings. One axis gives a Tensor, several a tuple
    (NumPy 2)."""
    f = as_tensor(f)
    if f.ndim == 0:
        raise ValueError("mg.gradient: the input must be at least one dimensional")
    if edge_order not in (1, 2):
        raise ValueError(f"mg.gradient: edge_order must be 1 or 2, got {edge_order!r}")
    if not f.dtype.is_floating and not f.dtype.is_complex:
        f = cast(f, float64)                     # integers give float64 (NumPy)
    single = axis is not None and not isinstance(axis, (tuple, list))
    axes = list(range(f.ndim)) if axis is None else \
        [single_axis(a, f.ndim, "gradient") for a in ((axis,) if single else axis)]
    spacings = _spacings(varargs, axes)
    out = [_one_gradient(f, a, number_arg(h, "gradient", "spacing"), edge_order)
           for a, h in zip(axes, spacings)]
    return out[0] if len(out) == 1 else tuple(out)


@defop()
def append(arr, values, axis=None, name=None):
    """``values`` joined after ``arr`` along ``axis`` (both flattened when None)."""
    arr = as_tensor(arr)
    values = like(values, arr)
    if axis is None:
        return concatenate([reshape(arr, (arr.size,)), reshape(values, (values.size,))])
    return concatenate([arr, values], axis=axis)


@defop()
def trapezoid(y, x=None, dx=1.0, axis=-1, name=None):
    """The trapezoidal rule along ``axis``: spacing ``dx``, or sample points ``x`` (1-D
    along the axis, or of ``y``'s shape). Differentiable in ``y`` and ``x``."""
    y = as_tensor(y)
    axis = single_axis(axis, y.ndim, "trapezoid")
    mid = (_along(y, axis, slice(1, None)) + _along(y, axis, slice(None, -1))) / 2.0
    if x is None:
        return _sum(mid, axis=axis) * number_arg(dx, "trapezoid", "dx")
    x = like(x, y)
    if x.ndim == 1:
        if x.shape[0] != y.shape[axis]:
            raise ValueError(f"mg.trapezoid: x has {x.shape[0]} points but axis {axis} of y "
                             f"has {y.shape[axis]}")
        d = reshape(x[1:] - x[:-1], (-1,) + (1,) * (y.ndim - 1 - axis))
    else:
        d = _along(x, axis, slice(1, None)) - _along(x, axis, slice(None, -1))
    return _sum(mid * d, axis=axis)


def _interp_checked(x, xp, fp):
    if xp.ndim != 1 or fp.ndim != 1 or xp.shape != fp.shape:
        raise ValueError(f"mg.interp: xp and fp must be 1-D of the same length, got shapes "
                         f"{xp.shape} and {fp.shape}")
    if xp.shape[0] == 0:
        raise ValueError("mg.interp: xp and fp must not be empty")


@defop()
def interp(x, xp, fp, left=None, right=None, period=None, name=None):
    """Piecewise-linear interpolation of the points (``xp`` increasing, ``fp``) at ``x``.

    Differentiable in ``x`` (the slope of its segment), ``fp`` and ``xp``; ``left`` and
    ``right`` (default ``fp[0]``, ``fp[-1]``) outside the range. ``period`` is not supported.
    """
    if period is not None:
        raise NotImplementedError("mg.interp: period= is not supported")
    x, xp = as_tensor(x), as_tensor(xp)
    fp = like(fp, xp)
    _interp_checked(x, xp, fp)
    n = xp.shape[0]
    flat = reshape(x, (x.size,))
    if n == 1:
        return broadcast_to(fp, x.shape) * 1.0
    ops = x.backend.ops
    pos = ops.searchsorted(xp._value, ops.astype(flat._value, xp._value.dtype), side="right")
    lo = Tensor._make(ops.clip(pos - 1, 0, n - 2), x.backend)
    x0, x1, f0, f1 = take(xp, lo), take(xp, lo + 1), take(fp, lo), take(fp, lo + 1)
    y = f0 + (flat - x0) * ((f1 - f0) / (x1 - x0))
    y = where(flat < xp[0], fp[0] if left is None else like(left, y), y)
    y = where(flat > xp[-1], fp[-1] if right is None else like(right, y), y)
    return reshape(y, x.shape)
