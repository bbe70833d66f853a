"""Helpers shared by the ``mg.linalg`` modules: matrix checks, transposes, identities, and
the test that a rule's cotangent is absent (so terms that are only defined for present
cotangents are skipped instead of multiplied by zero)."""

from ...core import state as _state
from ...backend.conj import maybe_conj
from ...core.convert import as_tensor
from ...core.tensor import Tensor

__all__ = ["mT", "mH", "matrix_arg", "expand2", "identity_like", "off_diagonal_inverse",
           "absent", "uplo_arg", "lower_read_cotangent"]


def mT(ns, x):
    return ns.matrix_transpose(x)


def mH(ns, x):
    return maybe_conj(ns, ns.matrix_transpose(x))


def matrix_arg(x, opname, square=True):
    x = as_tensor(x)
    if x.ndim < 2 or (square and x.shape[-1] != x.shape[-2]):
        need = "square matrices (shape (..., n, n))" if square else "matrices (shape (..., m, n))"
        raise ValueError(f"mg.linalg.{opname} expects {need}, got shape {x.shape}")
    return x


def uplo_arg(uplo, opname):
    """NumPy's ``UPLO``: 'L' or 'U' (either case). Anything else is refused, so a
    TensorFlow ``name`` passed positionally never silently picks a triangle."""
    if isinstance(uplo, str) and uplo.upper() in ("L", "U"):
        return uplo.upper()
    raise ValueError(f"mg.linalg.{opname}: UPLO must be 'L' or 'U' (NumPy's signature "
                     f"{opname}(a, UPLO='L')), got {uplo!r}; TensorFlow's op name goes by "
                     f"keyword: {opname}(a, name=...)")


def lower_read_cotangent(ns, g):
    """The cotangent of a function that reads only the lower triangle of its input
    (LAPACK's ``UPLO='L'``: the matrix used is tril(A) + tril(A, -1)^H with the real part
    of the diagonal), given ``g``, the cotangent with respect to that Hermitian matrix.
    Only g's Hermitian part matters: 2 tril(Gh, -1) + diag(Gh), as TensorFlow and
    autograd return."""
    gh = (g + mH(ns, g)) * 0.5
    return ns.tril(gh, k=-1) * 2 + gh * identity_like(ns, gh)


def expand2(x):
    return x[..., None, None]


def identity_like(ns, m):
    """Identity matrices shaped like the square ``m``, on its backend."""
    return ns.tril(ns.triu(ns.ones_like(m)))


def off_diagonal_inverse(ns, diff):
    """1 / diff off the diagonal, 0 on it (inf where two off-diagonal values coincide)."""
    eye = identity_like(ns, diff)
    return (1 - eye) / (diff + eye), eye


def absent(ns, g):
    """True when the cotangent ``g`` is zero and stays zero under further differentiation.

    Multi-output rules receive zeros for the outputs nobody differentiated
    (``tape_entry.output_cotangent``). Terms linear in such a cotangent are zero, but
    computing them can still give ``0 * inf = nan`` (eigenvector terms at repeated
    eigenvalues), so rules skip them. A recorded cotangent (a Tensor some active tape
    tracks) is never absent: its derivative may be non-zero even where its value is zero.
    """
    if isinstance(g, Tensor):
        if g._id and any(g._id in tape._tracked for tape in _state.active_tapes.get()):
            return False
        return not bool(g._backend.ops.any(g._value != 0))
    return not bool(ns.any(g != 0))
