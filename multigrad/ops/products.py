"""Matrix products."""

from ..primitive import Primitive, apply, batch_ndim, unbroadcast

__all__ = ["matmul"]


def _matmul_vjp(ns, g, a, b, batch, which):
    """Cotangent of ``a`` (which=0) or ``b`` (which=1) of matmul, 1-D operands included."""
    if a.ndim == 1 and b.ndim == 1:                      # inner product: g is batch-shaped
        return ns.expand_dims(g, axis=-1) * (b if which == 0 else a)
    a2, b2 = a, b
    if a.ndim == 1:                                      # (k,) acts as (1, k)
        a2 = ns.reshape(a, (1,) + tuple(a.shape))
        g = ns.expand_dims(g, axis=-2)
    if b.ndim == 1:                                      # (k,) acts as (k, 1)
        b2 = ns.reshape(b, tuple(b.shape) + (1,))
        g = ns.expand_dims(g, axis=-1)
    lead = tuple(g.shape[:batch])
    if which == 0:
        out = unbroadcast(ns, ns.matmul(g, ns.matrix_transpose(b2)), tuple(a2.shape), batch)
        return ns.reshape(out, lead + tuple(a.shape))
    out = unbroadcast(ns, ns.matmul(ns.matrix_transpose(a2), g), tuple(b2.shape), batch)
    return ns.reshape(out, lead + tuple(b.shape))


_MATMUL = Primitive("matmul", lambda ns, a, b: ns.matmul(a, b))
_MATMUL.defvjp(lambda ns, g, ans, a, b: _matmul_vjp(ns, g, a, b, batch_ndim(g, ans), 0),
               lambda ns, g, ans, a, b: _matmul_vjp(ns, g, a, b, batch_ndim(g, ans), 1))


def matmul(a, b, name=None):
    """Matrix product with NumPy's rules (1-D operands, broadcast batch dimensions)."""
    return apply(_MATMUL, (a, b))
