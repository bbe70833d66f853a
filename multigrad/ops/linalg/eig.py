"""``mg.linalg.eig`` and ``eigvals``: the eigendecomposition of general square matrices.

The results are always complex (as ``tf.linalg.eig``; NumPy returns real arrays when every
eigenvalue of a real matrix is real: ``mg.real_if_close`` gives that form). Eigenvectors
are NumPy's (LAPACK's): columns of unit 2-norm, each with its largest component real.

The gradient, for A = V diag(w) V^-1 and cotangents gw, gV (TensorFlow's convention for
complex numbers): gA = V^-H (diag(gw) + F * P) V^H, where P = V^H gV - V^H V diag(Re
diag(V^H gV)) removes what the unit-norm normalisation of each column absorbs, and
F_ij = 1 / conj(w_j - w_i) off the diagonal, 0 on it. A real A gets the real part. An
eigenvector is only defined up to a phase, so only losses invariant under v -> v e^(i phi)
have meaningful gradients through V (|v_i|, v v^H, ...); the eigenvalue terms alone are
defined wherever V is invertible, and the vector terms need distinct eigenvalues
(non-finite otherwise, never silently wrong).
"""

from ...backend.conj import maybe_conj
from .matrix_tools import absent, identity_like, mH, matrix_arg
from ...dtypes import as_dtype
from .. import any, imag, real
from .._cotangents import align_cotangents
from ..define import defop
from ...core.primitive import Primitive, apply

__all__ = ["eig", "eigvals"]   # (numpy_form: for numpy_dispatch only)


def _complex_dtype(ns, dtype):
    dt = as_dtype(dtype)
    single = dt.itemsize <= (8 if dt.is_complex else 4)
    return ns.complex64 if single else ns.complex128


def _eig_forward(ns, a):
    w, v = tuple(ns.linalg.eig(a))
    target = _complex_dtype(ns, a.dtype)
    return ns.astype(w, target), ns.astype(v, target)


def _eig_vjp(ns, g, ans, a):
    gw, gv = align_cotangents(ns, g, ans)
    w, v = ans
    vh = mH(ns, v)
    eye = identity_like(ns, ns.real(v))      # a real identity (Dask builds no complex one)
    inner = eye * gw[..., None, :]
    if not absent(ns, gv):
        vhgv = vh @ gv
        norm_part = ns.real(ns.sum(maybe_conj(ns, v) * gv, axis=-2))   # Re diag(V^H gV)
        projected = vhgv - vh @ (v * norm_part[..., None, :])
        wc = maybe_conj(ns, w)
        f = (1 - eye) / (wc[..., None, :] - wc[..., :, None] + eye)  # 1/conj(w_j - w_i), 0
        inner = inner + f * projected
    ga = ns.linalg.solve(vh, inner @ vh)
    if as_dtype(a.dtype).is_complex:
        return ga
    return ns.astype(ns.real(ga), a.dtype)


_EIG = Primitive("eig", _eig_forward, n_outputs=2)
_EIG.defvjp(_eig_vjp)


def _general_matrix(a, opname):
    a = matrix_arg(a, opname)
    if not hasattr(a.backend.ops.linalg, "eig"):
        raise NotImplementedError(
            f"mg.linalg.{opname}: the {a.backend.name} backend has no general eigen"
            f"decomposition (the Array API standard defines none); move the matrix to one "
            f"that has: mg.to_backend(a, 'numpy')")
    return a


@defop(_EIG)
def eig(a, name=None):
    """(eigenvalues, eigenvectors as columns) of square matrices, complex; see the module
    docstring for the normalisation and which gradients are defined."""
    return apply(_EIG, (_general_matrix(a, "eig"),))


@defop()
def eigvals(a, name=None):
    """The (complex) eigenvalues of square matrices; differentiable where the eigenvector
    matrix is invertible (repeated eigenvalues included)."""
    return apply(_EIG, (_general_matrix(a, "eigvals"),))[0]


def numpy_form(a, result):
    """``np.linalg.eig`` / ``eigvals`` on a Tensor: NumPy's result types, real arrays when
    ``a`` is real and every eigenvalue's imaginary part is exactly 0 (LAPACK's test)."""
    w = result[0] if isinstance(result, tuple) else result
    if getattr(a, "dtype", None) is None or as_dtype(a.dtype).is_complex:
        return result
    if bool(any(imag(w) != 0)):
        return result
    return tuple(real(r) for r in result) if isinstance(result, tuple) else real(result)
