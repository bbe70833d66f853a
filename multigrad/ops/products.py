"""Matrix products."""

from ..primitive import Primitive, apply, unbroadcast

__all__ = ["matmul"]


def _as_matrices(ns, g, a, b):
    """Promote 1-D operands to matrices (as matmul does) so one rule covers every case."""
    if a.ndim == 1:
        a = ns.reshape(a, (1,) + tuple(a.shape))
        g = ns.expand_dims(g, axis=-2) if g.ndim else ns.reshape(g, (1,))
    if b.ndim == 1:
        b = ns.reshape(b, tuple(b.shape) + (1,))
        g = ns.expand_dims(g, axis=-1)
    return g, a, b


def _matmul_vjp_a(ns, g, ans, a, b):
    g2, a2, b2 = _as_matrices(ns, g, a, b)
    ga = ns.matmul(g2, ns.matrix_transpose(b2))
    return ns.reshape(unbroadcast(ns, ga, tuple(a2.shape)), tuple(a.shape))


def _matmul_vjp_b(ns, g, ans, a, b):
    g2, a2, b2 = _as_matrices(ns, g, a, b)
    gb = ns.matmul(ns.matrix_transpose(a2), g2)
    return ns.reshape(unbroadcast(ns, gb, tuple(b2.shape)), tuple(b.shape))


_MATMUL = Primitive("matmul", lambda ns, a, b: ns.matmul(a, b))
_MATMUL.defvjp(_matmul_vjp_a, _matmul_vjp_b)


def matmul(a, b, name=None):
    """Matrix product with NumPy's rules (1-D operands, broadcast batch dimensions)."""
    return apply(_MATMUL, (a, b))
