"""Cumulative sums and products along one axis (NumPy's names; ``axis=None`` flattens)."""

from ..backend.conj import maybe_conj
from ..core.args import normalize_axis, single_axis
from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from ..core.tensor import Tensor
from .define import defop
from .creation import cast, ones_like, zeros_like
from .layout import flip
from .shape import concatenate, reshape

__all__ = ["cumsum", "cumprod"]


def _reverse_cumsum(ns, v, axis):
    """sum_{k >= j} v_k along ``axis`` (a negative axis, so a batch in front is fine)."""
    return ns.sum(v, axis=axis, keepdims=True) - ns.cumulative_sum(v, axis=axis) + v


def _cumsum_vjp(ns, g, ans, x, axis):
    return _reverse_cumsum(ns, g, axis)


def _cumprod_vjp(ns, g, ans, x, axis):
    """d ans_k / d x_j = prod_{m <= k, m != j} x_m for k >= j.

    Before the first zero z of a slice this is ans_k / x_j; at z, the cumulative product
    of y (x with x_z replaced by 1); after z, x_z times the same rule applied to y. The
    last is zero in value, so a first-order pass (raw arrays) writes 0; a recorded pass
    (Tensors, to be differentiated again) builds it, which keeps every order exact with
    zeros (one level per zero of the slice).
    """
    zero = x == 0
    zeros_so_far = ns.cumulative_sum(ns.where(zero, ns.ones_like(x), ns.zeros_like(x)),
                                     axis=axis)
    before = zeros_so_far == 0
    first = zero & (zeros_so_far == 1)
    safe = ns.where(before, x, 1.0)
    y = ns.where(first, 1.0, x)
    at_first = ns.cumulative_prod(y, axis=axis)
    after = ns.zeros_like(x)
    if isinstance(x, Tensor) and bool(ns.any(~before & ~first)):
        x_first = ns.sum(ns.where(first, x, 0.0), axis=axis, keepdims=True)
        after = maybe_conj(ns, x_first) * _cumprod_vjp(ns, g, at_first, y, axis)
    return ns.where(before, _reverse_cumsum(ns, g * maybe_conj(ns, ans), axis) / maybe_conj(ns, safe),
                    ns.where(first, _reverse_cumsum(ns, g * maybe_conj(ns, at_first), axis), after))


_CUMSUM = Primitive("cumsum", lambda ns, x, axis: ns.cumulative_sum(x, axis=axis))
_CUMSUM.defvjp(_cumsum_vjp)
_CUMPROD = Primitive("cumprod", lambda ns, x, axis: ns.cumulative_prod(x, axis=axis))
_CUMPROD.defvjp(_cumprod_vjp)


def _scan(prim, x, axis):
    x = as_tensor(x)
    if axis is None or x.ndim == 0:
        x = reshape(x, (-1,))
        axis = 0
    elif not isinstance(axis, int) and not hasattr(axis, "__index__"):
        raise TypeError(f"mg.{prim.name}: axis must be an int or None, got {axis!r}")
    (a,) = normalize_axis(axis, x.ndim, prim.name)
    # Stored negative so that rules see the same axis with a batch of cotangents in front.
    return apply(prim, (x,), {"axis": a - x.ndim})


def _scan_with_flags(prim, x, axis, dtype, out, exclusive, reverse):
    """NumPy's ``dtype`` and TensorFlow's ``exclusive`` (start from the identity, each entry
    leaving itself out) and ``reverse`` (scan from the end), as compositions."""
    if out is not None:
        raise TypeError(f"mg.{prim.name}: out= is not supported (tensors are immutable)")
    x = as_tensor(x)
    if dtype is not None:
        x = cast(x, dtype)
    if not exclusive and not reverse:
        return _scan(prim, x, axis)
    if axis is None or x.ndim == 0:
        x, axis = reshape(x, (-1,)), 0
    ax = single_axis(axis, x.ndim, prim.name)
    if reverse:
        x = flip(x, ax)
    y = _scan(prim, x, ax)
    if exclusive:
        lead = (slice(None),) * ax
        first = x[lead + (slice(0, 1), Ellipsis)]
        start = zeros_like(first) if prim is _CUMSUM else ones_like(first)
        y = concatenate([start, y[lead + (slice(0, -1), Ellipsis)]], axis=ax)
    return flip(y, ax) if reverse else y


@defop(_CUMSUM)
def cumsum(x, axis=None, dtype=None, out=None, *, exclusive=False, reverse=False, name=None):
    """Cumulative sum along ``axis`` (the flattened input when None); ``dtype`` as NumPy,
    ``exclusive`` and ``reverse`` as ``tf.math.cumsum``."""
    return _scan_with_flags(_CUMSUM, x, axis, dtype, out, exclusive, reverse)


@defop(_CUMPROD)
def cumprod(x, axis=None, dtype=None, out=None, *, exclusive=False, reverse=False, name=None):
    """Cumulative product along ``axis`` (the flattened input when None); zeros are exact.
    ``dtype`` as NumPy, ``exclusive`` and ``reverse`` as ``tf.math.cumprod``."""
    return _scan_with_flags(_CUMPROD, x, axis, dtype, out, exclusive, reverse)
