"""More reductions: prod, var, std, ptp, logsumexp, average (``axis`` int/tuple, ``keepdims``)."""

from ..backend.conj import is_complex, maybe_conj
from ..core.args import normalize_axis
from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from ..core.tape_entry import batch_ndim
from .define import defop, reduction
from .elementwise import sqrt
from .reductions import _count, expand_reduced, max, mean, min, sum
from .shape import broadcast_to, reshape

__all__ = ["prod", "var", "std", "ptp", "logsumexp", "average"]


# --- prod: exact with zeros, to second order -----------------------------------------------

def _prod_vjp(ns, g, ans, x, axis, keepdims):
    """d prod / d x_j = the product of the others, computed without dividing by zero.

    With nz = x where x != 0 else 1, the product of the others is
    prod(nz) / nz_j * (product of the other zeros), and the product of the other zeros is
    1 (none), that zero's value (one: written as a sum so that it stays differentiable),
    or 0 (two or more). One zero and several zeros are both exact, at first and second order.
    """
    g = expand_reduced(ns, g, tuple(x.shape), axis, keepdims, batch_ndim(g, ans))
    zero = x == 0
    is_zero = ns.where(zero, ns.ones_like(x), ns.zeros_like(x))
    nz = ns.where(zero, 1.0, x)
    zx = ns.where(zero, x, 0.0)                     # value 0, derivative 1 at the zeros
    others = ns.sum(is_zero, axis=axis, keepdims=True) - is_zero
    other_zeros = ns.where(others == 0, 1.0,
                           ns.where(others == 1, ns.sum(zx, axis=axis, keepdims=True) - zx, 0.0))
    return g * maybe_conj(ns, ns.prod(nz, axis=axis, keepdims=True) / nz * other_zeros)


prod = reduction("prod", lambda ns, x, axis, keepdims: ns.prod(x, axis=axis, keepdims=keepdims),
                  _prod_vjp, "Product over ``axis``; inputs with zeros get exact gradients.")

# --- var and std ----------------------------------------------------------------------------


def _var_vjp(ns, g, ans, x, axis, keepdims, ddof):
    # d/dx sum|x - mean|^2 = 2 (x - mean): the mean's own dependence cancels.
    g = expand_reduced(ns, g, tuple(x.shape), axis, keepdims, batch_ndim(g, ans))
    centered = x - ns.mean(x, axis=axis, keepdims=True)
    n = _count(x.shape, axis) - ddof
    # n == 0: an empty axis (the cotangent is empty too) or ddof == N (NumPy: inf, nan)
    return g * centered * (2.0 / n if n else float("inf"))


def _var_forward(ns, x, axis, keepdims, ddof):
    if is_complex(x):       # |x - mean|^2, real, as NumPy's var of complex data
        d = x - ns.mean(x, axis=axis, keepdims=True)
        s = ns.sum(ns.real(d) ** 2 + ns.imag(d) ** 2, axis=axis, keepdims=keepdims)
        return s / (_count(x.shape, axis) - ddof)
    return ns.var(x, axis=axis, keepdims=keepdims, correction=ddof)


_VAR = Primitive("var", _var_forward).defvjp(_var_vjp)


@defop(_VAR)
def var(x, axis=None, keepdims=False, ddof=0, name=None):
    """Variance over ``axis`` with ``ddof`` delta degrees of freedom (N - ddof divisor)."""
    x = as_tensor(x)
    ax = normalize_axis(axis, x.ndim, "var")
    if ddof < 0 or int(ddof) != ddof:
        raise ValueError(f"mg.var: ddof must be a non-negative integer, got {ddof!r}")
    return apply(_VAR, (x,), {"axis": ax, "keepdims": bool(keepdims), "ddof": int(ddof)})


@defop()
def std(x, axis=None, keepdims=False, ddof=0, name=None):
    """Standard deviation: ``sqrt(var)``. Over one element it is identically 0 and so is
    its gradient (autograd's answer); elsewhere the gradient is undefined (NaN) where the
    values are all equal, a kink like ``abs`` at 0 on more than one variable."""
    x = as_tensor(x)
    v = var(x, axis=axis, keepdims=keepdims, ddof=ddof)
    if _count(x.shape, normalize_axis(axis, x.ndim, "std")) == 1:
        return v        # x - mean(x) is exactly 0: the value 0, every derivative 0
    return sqrt(v)




@defop()
def ptp(x, axis=None, keepdims=False, name=None):
    """max - min over ``axis`` (ties share the gradient evenly, as in max and min)."""
    return max(x, axis=axis, keepdims=keepdims) - min(x, axis=axis, keepdims=keepdims)


# --- logsumexp ---------------------------------------------------------------------------------

def _logsumexp_forward(ns, x, axis, keepdims):
    m = ns.max(x, axis=axis, keepdims=True)
    m = ns.where(ns.isfinite(m), m, 0.0)       # slices of -inf (or +inf) stay exact
    out = ns.log(ns.sum(ns.exp(x - m), axis=axis, keepdims=True)) + m
    if keepdims:
        return out
    return ns.reshape(out, tuple(n for i, n in enumerate(x.shape)
                                 if axis is not None and i not in axis))


def _logsumexp_vjp(ns, g, ans, x, axis, keepdims):
    shape = tuple(x.shape)
    g = expand_reduced(ns, g, shape, axis, keepdims, batch_ndim(g, ans))
    # softmax(x), shifted by the max rather than by ans: float32 keeps full precision.
    e = ns.exp(x - ns.max(x, axis=axis, keepdims=True))
    return g * (e / ns.sum(e, axis=axis, keepdims=True))


_LOGSUMEXP = Primitive("logsumexp", _logsumexp_forward).defvjp(_logsumexp_vjp)


@defop(_LOGSUMEXP)
def logsumexp(x, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) over ``axis``, without overflow (``tf.reduce_logsumexp``)."""
    x = as_tensor(x)
    ax = normalize_axis(axis, x.ndim, "logsumexp")
    if _count(x.shape, ax) == 0:      # an empty sum: log(0) = -inf (NumPy, JAX, SciPy)
        return sum(x, axis=ax, keepdims=keepdims) - float("inf")
    return apply(_LOGSUMEXP, (x,), {"axis": ax, "keepdims": bool(keepdims)})



# --- average ---------------------------------------------------------------------------------


@defop()
def average(x, axis=None, weights=None, returned=False, keepdims=False, name=None):
    """Weighted mean (``np.average``): sum(x * w) / sum(w) over ``axis``; ``weights`` has
    ``x``'s shape, or is 1-D along a single ``axis``. Differentiable in x and weights.
    ``returned=True`` also gives the sum of the weights, broadcast to the result's shape."""
    x = as_tensor(x)
    if weights is None:
        avg = mean(x, axis=axis, keepdims=keepdims)
        if not returned:
            return avg
        ax = normalize_axis(axis, x.ndim, "average")
        return avg, broadcast_to(avg * 0 + _count(x.shape, ax), tuple(avg.shape))
    w = _weights(x, as_tensor(weights), axis)
    total = sum(w, axis=axis, keepdims=keepdims)
    avg = sum(x * w, axis=axis, keepdims=keepdims) / total
    return (avg, broadcast_to(total, tuple(avg.shape))) if returned else avg


def _weights(x, w, axis):
    if tuple(w.shape) != tuple(x.shape):
        if axis is None or not isinstance(axis, int) or w.ndim != 1:
            raise ValueError(
                f"mg.average: weights of shape {w.shape} do not match x of shape {x.shape}; "
                f"give weights of x's shape, or 1-D weights together with an int axis")
        (ax,) = normalize_axis(axis, x.ndim, "average")
        if w.shape[0] != x.shape[ax]:
            raise ValueError(f"mg.average: 1-D weights have length {w.shape[0]} but axis {axis} "
                             f"of x has length {x.shape[ax]}")
        w = reshape(w, tuple(n if i == ax else 1 for i, n in enumerate(x.shape)))
        w = broadcast_to(w, tuple(x.shape))
    return w
