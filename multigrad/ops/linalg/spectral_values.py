"""``mg.linalg.eigvalsh`` and ``mg.linalg.svdvals``: the values of a spectral decomposition.

Primitives whose rules need only the eigen/singular vectors, so their first-order gradients
hold for repeated eigenvalues and singular values too (unlike the vector part of
``eigh``/``svd``, ``spectral.py``).
"""

from ...core.primitive import Primitive, apply
from ..define import defop
from .matrix_tools import matrix_arg, mH

__all__ = ["eigvalsh", "svdvals"]


def _eigvalsh_vjp(ns, g, ans, a):
    w, v = ns.linalg.eigh(a)
    return v @ (g[..., :, None] * mH(ns, v))


_EIGVALSH = Primitive("eigvalsh", lambda ns, a: ns.linalg.eigh(a)[0]).defvjp(_eigvalsh_vjp)


@defop(_EIGVALSH)
def eigvalsh(a, UPLO="L", name=None):
    """Eigenvalues (ascending) of symmetric/Hermitian matrices; only ``UPLO='L'`` (the
    lower triangle is read). Gradient ``V diag(g) V^H``: defined for repeated eigenvalues."""
    if UPLO != "L":
        raise ValueError(f"mg.linalg.eigvalsh: only UPLO='L' is supported, got {UPLO!r}")
    return apply(_EIGVALSH, (matrix_arg(a, "eigvalsh"),))


def _svdvals_vjp(ns, g, ans, a):
    u, s, vh = ns.linalg.svd(a, full_matrices=False)
    return (u * g[..., None, :]) @ vh


_SVDVALS = Primitive("svdvals", lambda ns, a: ns.linalg.svd(a, full_matrices=False)[1])
_SVDVALS.defvjp(_svdvals_vjp)


@defop(_SVDVALS)
def svdvals(x, name=None):
    """Singular values (descending) of each matrix; gradient ``U diag(g) V^H`` (defined
    for repeated singular values; at a zero singular value it is one subgradient)."""
    return apply(_SVDVALS, (matrix_arg(x, "svdvals", square=False),))
