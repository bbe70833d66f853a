"""``mg.linalg.eigvalsh`` and ``mg.linalg.svdvals``: the values of a spectral decomposition.

Primitives whose rules need only the eigen/singular vectors, so their first-order gradients
hold for repeated eigenvalues and singular values too (unlike the vector part of
``eigh``/``svd``, ``spectral.py``).
"""

from ... import ops
from ...core.primitive import Primitive, apply
from ..define import defop
from .matrix_tools import lower_read_cotangent, matrix_arg, mH, uplo_arg

__all__ = ["eigvalsh", "svdvals"]


def read_upper_as_lower(a):
    """The matrix whose lower triangle holds what UPLO='U' reads from ``a``: a^H (the
    Hermitian matrix built from a's upper triangle is the one built from a^H's lower)."""
    a = ops.matrix_transpose(a)
    return ops.conj(a) if a.dtype.is_complex else a


def _eigvalsh_vjp(ns, g, ans, a):
    w, v = ns.linalg.eigh(a)
    return lower_read_cotangent(ns, v @ (g[..., :, None] * mH(ns, v)))


_EIGVALSH = Primitive("eigvalsh", lambda ns, a: ns.linalg.eigh(a)[0]).defvjp(_eigvalsh_vjp)


@defop(_EIGVALSH)
def eigvalsh(a, UPLO="L", name=None):
    """Eigenvalues (ascending) of symmetric/Hermitian matrices, reading only the lower
    (``UPLO='U'``: upper) triangle as NumPy does. The gradient is that function's:
    ``V diag(g) V^H`` mapped onto the triangle read; defined for repeated eigenvalues."""
    a = matrix_arg(a, "eigvalsh")
    if uplo_arg(UPLO, "eigvalsh") == "U":
        a = read_upper_as_lower(a)
    return apply(_EIGVALSH, (a,))


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
