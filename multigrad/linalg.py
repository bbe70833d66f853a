"""``mg.linalg``: differentiable linear algebra on stacks of matrices (the last two axes).

Forward functions call the backend's standard ``linalg`` extension; rules are written
once against ``ns`` (``ns.linalg`` is that extension on raw arrays and this module on
Tensors). Gradients are derived for real matrices; assumptions per function:

- ``det``, ``inv``, ``solve``, ``slogdet``: the matrix is invertible.
- ``cholesky``, ``eigh``: the input is symmetric (only one triangle is read); the gradient
  returned is symmetric, i.e. for symmetric perturbations.
- ``eigh``: distinct eigenvalues (the rule divides by their differences).
- ``svd``: distinct, non-zero singular values; the rule for U and V is not defined when
  two coincide (e.g. the zero ones of a rank-deficient matrix); ``S`` alone always is.
- ``qr``: m >= n and R invertible (full column rank) for the gradient.
- ``pinv``, ``lstsq``: the rank is constant near the input (e.g. full rank).
"""

import sys

from . import ops
from ._complex import maybe_conj
from .axes import normalize_axis
from .norms import global_norm
from .linalg_more import (cond, cross, diagonal, eigvalsh, matmul, matrix_norm, matrix_power,
                          matrix_rank, multi_dot, outer, svdvals, tensordot, tensorinv,
                          tensorsolve, trace, vecdot, vector_norm)
from . import linalg_more as _more
from .convert import as_tensor
from .ops._cotangents import align_cotangents
from .ops._define import defop
from .ops.layout import moveaxis
from .ops.shape import expand_dims, matrix_transpose as _transpose, squeeze
from .primitive import Primitive, apply
from .vocabulary import tensor_ops

__all__ = ["inv", "pinv", "det", "slogdet", "solve", "cholesky", "eigh", "svd", "qr", "norm",
           "lstsq", "matrix_transpose", "global_norm"] + _more.__all__


def _mT(ns, x):
    return ns.matrix_transpose(x)


def _mH(ns, x):
    return maybe_conj(ns, ns.matrix_transpose(x))


def _matrix(x, opname, square=True):
    x = as_tensor(x)
    if x.ndim < 2 or (square and x.shape[-1] != x.shape[-2]):
        need = "square matrices (shape (..., n, n))" if square else "matrices (shape (..., m, n))"
        raise ValueError(f"mg.linalg.{opname} expects {need}, got shape {x.shape}")
    return x


@defop()
def matrix_transpose(x, name=None):
    """Swap the last two axes."""
    return _transpose(x)


def _expand2(x):
    return x[..., None, None]


# --- inverse, determinant, solve ------------------------------------------------------------

_INV = Primitive("inv", lambda ns, a: ns.linalg.inv(a))
_INV.defvjp(lambda ns, g, ans, a: -(_mH(ns, ans) @ g @ _mH(ns, ans)))


@defop(_INV)
def inv(a, name=None):
    """The inverse of each square matrix."""
    return apply(_INV, (_matrix(a, "inv"),))


_DET = Primitive("det", lambda ns, a: ns.linalg.det(a))
# d det(A) = det(A) tr(A^-1 dA), so the cotangent is g det(A) A^-T.
_DET.defvjp(lambda ns, g, ans, a:
            _expand2(g * maybe_conj(ns, ans)) * _mH(ns, ns.linalg.inv(a)))


@defop(_DET)
def det(a, name=None):
    """The determinant of each square matrix."""
    return apply(_DET, (_matrix(a, "det"),))


def _slogdet_vjp(ns, g, ans, a):
    g_sign, g_log = align_cotangents(ns, g, ans)
    return _expand2(g_log) * _mT(ns, ns.linalg.inv(a))     # the sign is piecewise constant


_SLOGDET = Primitive("slogdet", lambda ns, a: tuple(ns.linalg.slogdet(a)), n_outputs=2)
_SLOGDET.defvjp(_slogdet_vjp)


@defop(_SLOGDET)
def slogdet(a, name=None):
    """(sign, log|det|) of each square matrix; differentiable through log|det| (real input)."""
    return apply(_SLOGDET, (_matrix(a, "slogdet"),))


def _solve_vjp_b(ns, g, ans, a, b):
    if b.ndim == 1:                       # a vector right-hand side: solve as a column
        return ns.linalg.solve(_mH(ns, a), g[..., None])[..., 0]
    return ns.linalg.solve(_mH(ns, a), g)


def _solve_vjp_a(ns, g, ans, a, b):
    gb = _solve_vjp_b(ns, g, ans, a, b)
    if b.ndim == 1:
        return -(gb[..., :, None] * maybe_conj(ns, ans)[..., None, :])
    return -(gb @ _mH(ns, ans))


_SOLVE = Primitive("solve", lambda ns, a, b: ns.linalg.solve(a, b), broadcasting=True)
_SOLVE.defvjp(_solve_vjp_a, _solve_vjp_b)


@defop(_SOLVE)
def solve(a, b, name=None):
    """x with ``a @ x == b``; ``b`` is a vector when 1-D, else a stack of (n, k) matrices."""
    a, b = _matrix(a, "solve"), as_tensor(b)
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
    low = _mT(ns, ans) @ g
    phi = (ns.tril(low) + ns.tril(low, k=-1)) * 0.5
    l_inv = ns.linalg.inv(ans)
    s = _mT(ns, l_inv) @ phi @ l_inv
    return (s + _mT(ns, s)) * 0.5


_CHOLESKY = Primitive("cholesky", lambda ns, a: ns.linalg.cholesky(a)).defvjp(_cholesky_vjp)


@defop(_CHOLESKY)
def cholesky(a, name=None):
    """Lower-triangular L with ``L @ L^T == a`` for symmetric positive-definite ``a``."""
    return apply(_CHOLESKY, (_matrix(a, "cholesky"),))


def _identity_like(ns, m):
    """Identity matrices shaped like the square ``m``, on its backend."""
    return ns.tril(ns.triu(ns.ones_like(m)))


def _off_diagonal_inverse(ns, diff):
    """1 / diff off the diagonal, 0 on it."""
    eye = _identity_like(ns, diff)
    return (1 - eye) / (diff + eye), eye


def _eigh_vjp(ns, g, ans, a):
    gw, gv = align_cotangents(ns, g, ans)
    w, v = ans
    f, eye = _off_diagonal_inverse(ns, w[..., None, :] - w[..., :, None])
    inner = f * (_mT(ns, v) @ gv) + gw[..., None, :] * eye
    ga = v @ inner @ _mT(ns, v)
    return (ga + _mT(ns, ga)) * 0.5


_EIGH = Primitive("eigh", lambda ns, a: tuple(ns.linalg.eigh(a)), n_outputs=2)
_EIGH.defvjp(_eigh_vjp)


@defop(_EIGH)
def eigh(a, name=None):
    """(eigenvalues ascending, eigenvectors as columns) of symmetric matrices.

    Gradients assume distinct eigenvalues. Eigenvectors are defined up to sign, so only
    sign-invariant functions of them have meaningful gradients.
    """
    return apply(_EIGH, (_matrix(a, "eigh"),))


def _svd_vjp(ns, g, ans, a):
    gu, gs, gvh = align_cotangents(ns, g, ans)
    u, s, vh = ans
    v, gv = _mT(ns, vh), _mT(ns, gvh)
    s2 = s * s
    f, eye = _off_diagonal_inverse(ns, s2[..., None, :] - s2[..., :, None])
    ut_gu = _mT(ns, u) @ gu
    vt_gv = _mT(ns, v) @ gv
    j = f * (ut_gu - _mT(ns, ut_gu))
    k = f * (vt_gv - _mT(ns, vt_gv))
    core = j * s[..., None, :] + gs[..., None, :] * eye + s[..., :, None] * k
    ga = u @ core @ vh
    inv_s = 1 / s
    # The parts of gU, gV outside the spans of U, V (absent when A is square).
    ga = ga + ((gu - u @ ut_gu) * inv_s[..., None, :]) @ vh
    ga = ga + u @ (inv_s[..., :, None] * (gvh - (gvh @ v) @ vh))
    return ga


_SVD = Primitive("svd", lambda ns, a: tuple(ns.linalg.svd(a, full_matrices=False)), n_outputs=3)
_SVD.defvjp(_svd_vjp)


@defop(_SVD)
def svd(a, full_matrices=False, compute_uv=True, hermitian=False, name=None):
    """Reduced SVD ``(U, S, Vh)`` with ``a == U @ diag(S) @ Vh``, S descending.

    Only the reduced form is offered (``full_matrices=True`` raises): the extra columns of
    the full form are not unique. Gradients need distinct non-zero singular values, except
    through ``S`` alone (as in ``norm(ord='nuc')``). ``compute_uv=False`` returns ``S``
    only (``svdvals``, whose gradient holds for repeated singular values too).
    """
    if not compute_uv:
        return svdvals(a)
    if full_matrices:
        raise ValueError("mg.linalg.svd: only full_matrices=False (the reduced SVD) is "
                         "supported; the extra singular vectors of the full SVD are not unique")
    return apply(_SVD, (_matrix(a, "svd", square=False),))


def _qr_vjp(ns, g, ans, a):
    if a.shape[-2] < a.shape[-1]:
        raise ValueError(f"mg.linalg.qr: the gradient needs m >= n (a tall or square "
                         f"matrix), got shape {tuple(a.shape)}; differentiate the QR of the "
                         f"transpose instead")
    gq, gr = align_cotangents(ns, g, ans)
    q, r = ans
    m = r @ _mT(ns, gr) - _mT(ns, gq) @ q
    copied = ns.tril(m) + _mT(ns, ns.tril(m, k=-1))       # lower triangle mirrored up
    b = gq + q @ copied
    return _mT(ns, ns.linalg.solve(r, _mT(ns, b)))          # b R^-T


_QR = Primitive("qr", lambda ns, a: tuple(ns.linalg.qr(a)), n_outputs=2).defvjp(_qr_vjp)


@defop(_QR)
def qr(a, mode="reduced", name=None):
    """Reduced QR ``(Q, R)``; differentiable for m >= n (full column rank)."""
    a = _matrix(a, "qr", square=False)
    if mode != "reduced":
        raise ValueError(f"mg.linalg.qr: only mode='reduced' is supported, got {mode!r}")
    return apply(_QR, (a,))


def _pinv_vjp(ns, g, ans, a):
    p = ans
    gt = _mT(ns, g)
    ppt = p @ _mT(ns, p)
    ptp = _mT(ns, p) @ p
    x = gt @ ppt
    y = ptp @ gt
    return -(_mT(ns, p) @ g @ _mT(ns, p)) + (x - a @ (p @ x)) + (y - (y @ p) @ a)


_PINV = Primitive("pinv", lambda ns, a: ns.linalg.pinv(a)).defvjp(_pinv_vjp)


@defop(_PINV)
def pinv(a, name=None):
    """Moore-Penrose pseudo-inverse; gradients assume the rank is locally constant."""
    return apply(_PINV, (_matrix(a, "pinv", square=False),))


@defop()
def lstsq(a, b, name=None):
    """The least-squares (minimum-norm) solution x of ``a @ x ≈ b`` (``tf.linalg.lstsq``).

    Returns only the solution, as TensorFlow does (not NumPy's tuple); computed as
    ``pinv(a) @ b`` so its gradient holds while the rank of ``a`` is locally constant.
    """
    a, b = _matrix(a, "lstsq", square=False), as_tensor(b)
    rows = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if b.ndim == 0 or rows != a.shape[-2]:
        raise ValueError(f"mg.linalg.lstsq: b of shape {b.shape} does not match a of shape "
                         f"{a.shape}: b must be (m,) or (..., m, k) with m = {a.shape[-2]}")
    return pinv(a) @ b


# --- norms (compositions of differentiable ops) ------------------------------------------------

def _vector_norm(x, ord, axis, keepdims):
    if ord is None or ord == 2:
        return ops.sqrt(ops.sum(ops.square(ops.abs(x)) if x.dtype.is_complex else x * x,
                                axis=axis, keepdims=keepdims))
    ax = ops.abs(x)
    if ord == float("inf"):
        return ops.max(ax, axis=axis, keepdims=keepdims)
    if ord == float("-inf"):
        return ops.min(ax, axis=axis, keepdims=keepdims)
    if ord == 1:
        return ops.sum(ax, axis=axis, keepdims=keepdims)
    if ord == 0:
        return ops.sum(ops.cast(ops.not_equal(x, 0), x.dtype), axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"mg.linalg.norm: ord={ord!r} is a matrix norm; vectors take a "
                         f"number, inf or -inf")
    return ops.sum(ax ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _matrix_norm(x, ord, axes, keepdims):
    r, c = axes
    if ord in (None, "fro"):
        return _vector_norm(x, 2, axes, keepdims)
    if ord in (1, -1, float("inf"), float("-inf")):
        sum_axis, pick_axis = (r, c) if ord in (1, -1) else (c, r)
        sums = ops.sum(ops.abs(x), axis=sum_axis, keepdims=True)
        pick = ops.max if ord in (1, float("inf")) else ops.min
        out = pick(sums, axis=pick_axis, keepdims=True)
    elif ord in ("nuc", 2, -2):
        s = svd(moveaxis(x, (r, c), (-2, -1)))[1]
        out = ops.sum(s, axis=-1) if ord == "nuc" else (s[..., 0] if ord == 2 else s[..., -1])
        if not keepdims:
            return out
        return expand_dims(out, tuple(sorted((r, c))))
    else:
        raise ValueError(f"mg.linalg.norm: matrix ord must be 'fro', 'nuc', 1, -1, 2, -2, inf "
                         f"or -inf, got {ord!r}")
    if keepdims:
        return out
    return squeeze(out, axis=(r, c))


@defop()
def norm(x, ord=None, axis=None, keepdims=False, name=None):
    """NumPy's ``linalg.norm``: vector norms over one axis, matrix norms over two.

    Vector ``ord``: None/2, 1, inf, -inf, 0 (a count, no gradient), any other p.
    Matrix ``ord``: 'fro' (default), 'nuc', 1, -1, 2, -2, inf, -inf. The 2-norm's
    gradient is undefined at zero; 'nuc', 2 and -2 go through the SVD.
    """
    x = as_tensor(x)
    if axis is None:
        if ord is None:
            return _vector_norm(x, 2, None, keepdims)
        if x.ndim == 1:
            return _vector_norm(x, ord, None, keepdims)
        if x.ndim == 2:
            return _matrix_norm(x, ord, (0, 1), keepdims)
        raise ValueError(f"mg.linalg.norm: ord={ord!r} needs axis for a tensor of shape "
                         f"{x.shape} (an int for vector norms, a pair for matrix norms)")
    if isinstance(axis, int) or len(tuple(axis)) == 1:
        return _vector_norm(x, ord, normalize_axis(axis, x.ndim, "linalg.norm"), keepdims)
    axes = tuple(int(a) % x.ndim if -x.ndim <= int(a) < x.ndim else None for a in axis)
    if len(axes) != 2 or None in axes or axes[0] == axes[1]:
        raise ValueError(f"mg.linalg.norm: axis {axis!r} must be an int or a pair of distinct "
                         f"axes of a tensor of rank {x.ndim}")
    return _matrix_norm(x, ord, axes, keepdims)


# Rules name this extension as ``ns.linalg.<name>``: on Tensors it is this module (on raw
# arrays, the namespace's own extension). Registered here so it loads only when used.
tensor_ops.linalg = sys.modules[__name__]
