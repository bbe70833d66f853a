"""Cumulative sums and products along one axis (NumPy's names; ``axis=None`` flattens)."""

from .._complex import maybe_conj
from ..axes import normalize_axis
from ..convert import as_tensor
from ..primitive import Primitive, apply
from ..tensor import Tensor
from ._define import defop
from .shape import reshape

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


@defop(_CUMSUM)
def cumsum(x, axis=None, name=None):
    """Cumulative sum along ``axis`` (the flattened input when None)."""
    return _scan(_CUMSUM, x, axis)


@defop(_CUMPROD)
def cumprod(x, axis=None, name=None):
    """Cumulative product along ``axis`` (the flattened input when None); zeros are exact."""
    return _scan(_CUMPROD, x, axis)
