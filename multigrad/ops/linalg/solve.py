"""``mg.linalg``'s inverses, determinants, solves and factorizations (and their rules).

Forward functions call the backend's standard ``linalg`` extension; rules are written
once against ``ns`` (``ns.linalg`` is that extension on raw arrays and the ``mg.linalg``
package on Tensors). Gradients hold for real and complex matrices (conjugate transposes: TF's
convention, docs/design.md "Spectral gradients"); assumptions per function:

- ``inv``, ``solve``, ``slogdet``: the matrix is invertible (slogdet's gradient at a
  singular one raises); ``det``'s gradient is the cofactor matrix, finite everywhere.
- ``cholesky``: the input is symmetric/Hermitian (only one triangle is read); the gradient
  returned is Hermitian, i.e. for Hermitian perturbations (as TensorFlow's).
- ``eigh``, ``eigvalsh``: the gradient is that of the triangle read (``UPLO``), for any
  input and direction (as TensorFlow's and autograd's).
- ``eigh``, ``svd`` (``spectral.py``): losses of the values alone are differentiable
  everywhere; through the vectors, distinct values are needed (non-finite otherwise), and
  only losses invariant to each vector's phase (sign) are functions of the matrix.
- ``qr``: m >= n and R invertible (full column rank) for the gradient.
- ``pinv``, ``lstsq``: the rank is constant near the input (e.g. full rank).
"""

from ...backend.conj import is_complex, maybe_conj
from ...core.convert import as_tensor
from .._cotangents import align_cotangents
from ..define import defop
from ..shape import matrix_transpose as _transpose
from .matrix_tools import absent, expand2, identity_like, matrix_arg, mH, mT
from ...core.primitive import Primitive, apply

__all__ = ["inv", "pinv", "det", "slogdet", "solve", "cholesky", "qr", "lstsq",
           "matrix_transpose"]


@defop()
def matrix_transpose(x, name=None):
    """Swap the last two axes."""
    return _transpose(x)


# --- inverse, determinant, solve ------------------------------------------------------------

_INV = Primitive("inv", lambda ns, a: ns.linalg.inv(a))
_INV.defvjp(lambda ns, g, ans, a: -(mH(ns, ans) @ g @ mH(ns, ans)))


@defop(_INV)
def inv(a, name=None):
    """The inverse of each square matrix."""
    return apply(_INV, (matrix_arg(a, "inv"),))


def _inverse_or_none(ns, a):
    """inv(a), or None when a matrix of the stack is singular (the inverse fails or is
    not finite: NumPy raises LinAlgError, a ValueError; CuPy returns inf/nan)."""
    try:
        inv_a = ns.linalg.inv(a)
        return inv_a if bool(ns.all(ns.isfinite(inv_a))) else None
    except ValueError:
        return None


def _svd_cofactor(ns, a):
    """The cofactor matrix adj(A)^T from the SVD: det(U) det(Vh) conj(U) diag(p) conj(Vh)
    with p_i = prod_{j != i} s_j; no division, so finite and exact at singular A."""
    u, s, vh = ns.linalg.svd(a, full_matrices=False)
    eye = identity_like(ns, s[..., None, :] * s[..., :, None])
    others = ns.prod(s[..., None, :] * (1 - eye) + eye, axis=-1)
    sign = ns.linalg.det(u) * ns.linalg.det(vh)
    return expand2(sign) * ((maybe_conj(ns, u) * others[..., None, :]) @ maybe_conj(ns, vh))


def _cofactor(ns, a, det_a):
    """d det(A) / dA = adj(A)^T: det(A) inv(A)^T where A is invertible, else from the SVD."""
    inv_a = _inverse_or_none(ns, a) if bool(ns.all(det_a != 0)) else None
    if inv_a is None:
        return _svd_cofactor(ns, a)
    return expand2(det_a) * mT(ns, inv_a)


_DET = Primitive("det", lambda ns, a: ns.linalg.det(a))
# d det(A) = tr(adj(A) dA): the cotangent is g conj(adj(A)^T) (= g conj(det(A) A^-T)).
_DET.defvjp(lambda ns, g, ans, a: expand2(g) * maybe_conj(ns, _cofactor(ns, a, ans)))


@defop(_DET)
def det(a, name=None):
    """The determinant of each square matrix; its gradient is finite at singular ones."""
    return apply(_DET, (matrix_arg(a, "det"),))


def _slogdet_vjp(ns, g, ans, a):
    # d log|det| = Re tr(A^-1 dA); a real sign is piecewise constant, a complex one
    # e^(i theta) moves with d theta = Im tr(A^-1 dA): the cotangent is c A^-H with
    # c = g_log + i Im(g_sign conj(sign)).
    g_sign, g_log = align_cotangents(ns, g, ans)
    inv_a = _inverse_or_none(ns, a) if bool(ns.all(ans[0] != 0)) else None
    if inv_a is not None:
        coef = g_log
        if is_complex(a):
            turn = g_sign * maybe_conj(ns, ans[0])
            coef = g_log + (turn - maybe_conj(ns, turn)) * 0.5      # + i Im(turn)
        return expand2(coef) * mH(ns, inv_a)
    if absent(ns, g_log):
        return expand2(g_log) * ns.zeros_like(a)
    raise ValueError("mg.linalg.slogdet: the gradient of log|det| is infinite at a singular "
                     "matrix (sign 0, log|det| = -inf: d log|det| / dA = inv(A)^T does not "
                     "exist); differentiate mg.linalg.det instead, whose gradient (the "
                     "cofactor matrix) is finite there, or regularise the matrix")


_SLOGDET = Primitive("slogdet", lambda ns, a: tuple(ns.linalg.slogdet(a)), n_outputs=2)
_SLOGDET.defvjp(_slogdet_vjp)


@defop(_SLOGDET)
def slogdet(a, name=None):
    """(sign, log|det|) of each square matrix; differentiable through log|det| and, for
    complex input, through the sign (a real sign is piecewise constant)."""
    return apply(_SLOGDET, (matrix_arg(a, "slogdet"),))


def _solve_vjp_b(ns, g, ans, a, b):
    if b.ndim == 1:                       # a vector right-hand side: solve as a column
        return ns.linalg.solve(mH(ns, a), g[..., None])[..., 0]
    return ns.linalg.solve(mH(ns, a), g)


def _solve_vjp_a(ns, g, ans, a, b):
    gb = _solve_vjp_b(ns, g, ans, a, b)
    if b.ndim == 1:
        return -(gb[..., :, None] * maybe_conj(ns, ans)[..., None, :])
    return -(gb @ mH(ns, ans))


_SOLVE = Primitive("solve", lambda ns, a, b: ns.linalg.solve(a, b), broadcasting=True)
_SOLVE.defvjp(_solve_vjp_a, _solve_vjp_b)


@defop(_SOLVE)
def solve(a, b, name=None):
    """x with ``a @ x == b``; ``b`` is a vector when 1-D, else a stack of (n, k) matrices."""
    a, b = matrix_arg(a, "solve"), as_tensor(b)
    n = a.shape[-1]
    rows = b.shape[0] if b.ndim == 1 else (b.shape[-2] if b.ndim >= 2 else None)
    if rows != n:
        raise ValueError(f"mg.linalg.solve: b of shape {b.shape} does not match a of shape "
                         f"{a.shape}: b must be (n,) or (..., n, k) with n = {n}")
    return apply(_SOLVE, (a, b))


# --- factorizations ----------------------------------------------------------------------------

def _cholesky_vjp(ns, g, ans, a):
    # A = L L^T: with P = Phi(L^T gL) (lower triangle, halved diagonal) the cotangent is
    # L^-T P L^-1, symmetrised because only symmetric A are valid inputs.
    low = mH(ns, ans) @ g
    phi = (ns.tril(low) + ns.tril(low, k=-1)) * 0.5
    l_inv = ns.linalg.inv(ans)
    s = mH(ns, l_inv) @ phi @ l_inv
    return (s + mH(ns, s)) * 0.5


_CHOLESKY = Primitive("cholesky", lambda ns, a: ns.linalg.cholesky(a)).defvjp(_cholesky_vjp)


@defop(_CHOLESKY)
def cholesky(a, name=None):
    """Lower-triangular L with ``L @ L^T == a`` for symmetric positive-definite ``a``."""
    return apply(_CHOLESKY, (matrix_arg(a, "cholesky"),))


def _qr_vjp(ns, g, ans, a):
    if a.shape[-2] < a.shape[-1]:
        raise ValueError(f"mg.linalg.qr: the gradient needs m >= n (a tall or square "
                         f"matrix), got shape {tuple(a.shape)}; differentiate the QR of the "
                         f"transpose instead")
    # (gQ + Q K) R^-H with M = R gR^H - gQ^H Q and K its lower triangle mirrored up
    # (conjugated); R's diagonal is real (LAPACK's), so only M's real diagonal counts.
    gq, gr = align_cotangents(ns, g, ans)
    q, r = ans
    m = r @ mH(ns, gr) - mH(ns, gq) @ q
    lower = ns.tril(m, k=-1)
    diagonal = ns.tril(ns.triu(m))
    if is_complex(m):
        diagonal = (diagonal + maybe_conj(ns, diagonal)) * 0.5
    b = gq + q @ (lower + mH(ns, lower) + diagonal)
    return mH(ns, ns.linalg.solve(r, mH(ns, b)))          # b R^-H


_QR = Primitive("qr", lambda ns, a: tuple(ns.linalg.qr(a)), n_outputs=2).defvjp(_qr_vjp)


@defop(_QR)
def qr(a, mode="reduced", name=None):
    """Reduced QR ``(Q, R)``; differentiable for m >= n (full column rank)."""
    a = matrix_arg(a, "qr", square=False)
    if mode != "reduced":
        raise ValueError(f"mg.linalg.qr: only mode='reduced' is supported, got {mode!r}")
    return apply(_QR, (a,))


def _pinv_vjp(ns, g, ans, a):
    # dP = -P dA P + P P^H dA^H (I - A P) + (I - P A) dA^H P^H P, transposed.
    p = ans
    gt = mH(ns, g)
    ppt = p @ mH(ns, p)
    ptp = mH(ns, p) @ p
    x = gt @ ppt
    y = ptp @ gt
    return -(mH(ns, p) @ g @ mH(ns, p)) + (x - a @ (p @ x)) + (y - (y @ p) @ a)


_PINV = Primitive("pinv", lambda ns, a: ns.linalg.pinv(a)).defvjp(_pinv_vjp)


@defop(_PINV)
def pinv(a, name=None):
    """Moore-Penrose pseudo-inverse; gradients assume the rank is locally constant."""
    return apply(_PINV, (matrix_arg(a, "pinv", square=False),))


@defop()
def lstsq(a, b, name=None):
    """The least-squares (minimum-norm) solution x of ``a @ x ≈ b`` (``tf.linalg.lstsq``).

    Returns only the solution, as TensorFlow does (not NumPy's tuple); computed as
    ``pinv(a) @ b`` so its gradient holds while the rank of ``a`` is locally constant.
    """
    a, b = matrix_arg(a, "lstsq", square=False), as_tensor(b)
    rows = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if b.ndim == 0 or rows != a.shape[-2]:
        raise ValueError(f"mg.linalg.lstsq: b of shape {b.shape} does not match a of shape "
                         f"{a.shape}: b must be (m,) or (..., m, k) with m = {a.shape[-2]}")
    return pinv(a) @ b
