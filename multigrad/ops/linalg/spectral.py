"""``mg.linalg.eigh`` and ``mg.linalg.svd``: spectral decompositions and their rules.

A loss of the eigenvalues (singular values) alone has the gradient ``V diag(gw) V^T``
(``U diag(gS) Vh``), defined at repeated values too (the identity, orthogonal matrices).
The terms for the vectors divide by differences of the values: the rules skip them when
the vectors' cotangents are absent (``matrix_tools.absent``), so ``0 * inf`` never
happens. With present vector cotangents and repeated values (or, for U and V of a
non-square matrix, a zero singular value) the gradient is undefined and comes out
non-finite, never a silently wrong number. The same holds at second order: it goes through
the vector terms, so at repeated values it is non-finite.
"""

from ...backend.conj import is_complex
from .matrix_tools import (absent, lower_read_cotangent, matrix_arg, mH,
                           off_diagonal_inverse, uplo_arg)
from .spectral_values import read_upper_as_lower, svdvals
from .._cotangents import align_cotangents
from ..define import defop
from ...core.primitive import Primitive, apply

__all__ = ["eigh", "svd"]


def _eigh_vjp(ns, g, ans, a):
    # V (diag(gw) + F o (V^H gV)) V^H is the cotangent for Hermitian perturbations; the
    # primitive reads the lower triangle, so it is mapped onto that triangle.
    gw, gv = align_cotangents(ns, g, ans)
    w, v = ans
    ga = (v * gw[..., None, :]) @ mH(ns, v)
    if not absent(ns, gv):
        f, _ = off_diagonal_inverse(ns, w[..., None, :] - w[..., :, None])
        ga = ga + v @ (f * (mH(ns, v) @ gv)) @ mH(ns, v)
    return lower_read_cotangent(ns, ga)


_EIGH = Primitive("eigh", lambda ns, a: tuple(ns.linalg.eigh(a)), n_outputs=2)
_EIGH.defvjp(_eigh_vjp)


@defop(_EIGH)
def eigh(a, UPLO="L", name=None):
    """(eigenvalues ascending, eigenvectors as columns) of symmetric/Hermitian matrices.

    NumPy's signature ``eigh(a, UPLO='L')``: only the lower (``'U'``: upper) triangle is
    read, and the gradient is the derivative of that function (for any input and
    direction, as TensorFlow's and autograd's). ``tf.linalg.eigh(tensor, name=None)``
    works with ``name`` by keyword; a second positional argument other than 'L'/'U' is
    refused. Gradients through the eigenvalues alone are defined everywhere; through the
    eigenvectors they need distinct eigenvalues. Eigenvectors are defined up to sign
    (phase), so only functions invariant to it have meaningful gradients.
    """
    a = matrix_arg(a, "eigh")
    if uplo_arg(UPLO, "eigh") == "U":
        a = read_upper_as_lower(a)
    return apply(_EIGH, (a,))


def _svd_vector_terms(ns, gu, gvh, u, s, vh, with_u, with_v):
    """The part of the cotangent coming from gU and gVh (divides by s_i^2 - s_j^2)."""
    s2 = s * s
    f, eye = off_diagonal_inverse(ns, s2[..., None, :] - s2[..., :, None])
    core = 0
    inv_s = 1 / s
    if with_u:
        ut_gu = mH(ns, u) @ gu
        skew = ut_gu - mH(ns, ut_gu)
        core = (f * skew) * s[..., None, :]
        if is_complex(u):
            # Complex only: the phase of u_i (shared with v_i) is a gauge; dU carries
            # i Im(u_i^H du_i) on its diagonal, whose cotangent is i Im(J_ii) / s_i.
            core = core + (eye * skew) * (inv_s * 0.5)[..., None, :]
    if with_v:
        vt_gv = vh @ mH(ns, gvh)
        core = core + s[..., :, None] * (f * (vt_gv - mH(ns, vt_gv)))
    ga = u @ core @ vh
    # The parts of gU, gV outside the spans of U, V (none for a square factor).
    if with_u and u.shape[-2] != u.shape[-1]:
        ga = ga + ((gu - u @ ut_gu) * inv_s[..., None, :]) @ vh
    if with_v and vh.shape[-2] != vh.shape[-1]:
        ga = ga + u @ (inv_s[..., :, None] * (gvh - (gvh @ mH(ns, vh)) @ vh))
    return ga


def _svd_vjp(ns, g, ans, a):
    gu, gs, gvh = align_cotangents(ns, g, ans)
    u, s, vh = ans
    ga = (u * gs[..., None, :]) @ vh
    with_u, with_v = not absent(ns, gu), not absent(ns, gvh)
    if with_u or with_v:
        ga = ga + _svd_vector_terms(ns, gu, gvh, u, s, vh, with_u, with_v)
    return ga


_SVD = Primitive("svd", lambda ns, a: tuple(ns.linalg.svd(a, full_matrices=False)), n_outputs=3)
_SVD.defvjp(_svd_vjp)


@defop(_SVD)
def svd(a, full_matrices=False, compute_uv=True, hermitian=False, name=None):
    """Reduced SVD ``(U, S, Vh)`` with ``a == U @ diag(S) @ Vh``, S descending.

    Only the reduced form is offered (``full_matrices=True`` raises): the extra columns of
    the full form are not unique. Gradients through ``S`` alone are defined everywhere (as
    in ``norm(ord='nuc')``); through U and Vh they need distinct singular values (and
    non-zero ones for a non-square matrix). ``compute_uv=False`` returns ``S`` only
    (``svdvals``); ``hermitian`` is NumPy's hint and changes nothing here.
    """
    if not compute_uv:
        return svdvals(a)
    if full_matrices:
        raise ValueError("mg.linalg.svd: only full_matrices=False (the reduced SVD) is "
                         "supported; the extra singular vectors of the full SVD are not unique")
    return apply(_SVD, (matrix_arg(a, "svd", square=False),))
