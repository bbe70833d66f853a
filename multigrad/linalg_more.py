"""More of ``mg.linalg`` (NumPy 2's and ``jax.numpy.linalg``'s names), re-exported there.

``eigvalsh`` and ``svdvals`` are primitives whose rules need only the eigen/singular
vectors, so their first-order gradients hold for repeated eigenvalues and singular
values too (unlike the vector part of ``eigh``/``svd``). The rest are compositions. This
module is imported by ``linalg.py``, so it reaches ``inv``, ``solve`` and ``norm`` through
the rule vocabulary (``tensor_ops.linalg``, bound when ``linalg.py`` loads) instead of an
import that would close a cycle.
"""

from . import ops
from .args import integer_arg
from ._linalg_util import lower_read_cotangent, matrix_arg, mH, uplo_arg
from .axes import normalize_axis
from .convert import as_tensor
from .ops._define import defop
from .primitive import Primitive, apply
from .tensor import Tensor
from .vocabulary import tensor_ops

__all__ = ["eigvalsh", "svdvals", "matrix_power", "multi_dot", "matrix_rank", "cond",
           "tensorinv", "tensorsolve", "vector_norm", "matrix_norm", "vecdot", "outer",
           "cross", "tensordot", "trace", "diagonal", "matmul"]


def _la():
    return tensor_ops.linalg


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


@defop()
def matrix_power(a, n, name=None):
    """``a`` to the integer power ``n`` by repeated squaring (``n < 0``: of ``inv(a)``;
    ``n == 0``: identity matrices)."""
    a = matrix_arg(a, "matrix_power")
    n = integer_arg(n, "linalg.matrix_power", "n")
    if n == 0:
        return ops.tril(ops.triu(ops.ones_like(a)))
    if n < 0:
        a, n = _la().inv(a), -n
    result, base = None, a
    while n:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return result


@defop()
def multi_dot(arrays, name=None):
    """``arrays[0] @ arrays[1] @ ...`` (a 1-D first/last array is a row/column vector);
    evaluated left to right."""
    if not isinstance(arrays, (list, tuple)) or len(arrays) < 2:
        raise ValueError("mg.linalg.multi_dot expects a list of at least two arrays")
    xs = [as_tensor(x) for x in arrays]
    for i, x in enumerate(xs):
        if x.ndim != 2 and not (x.ndim == 1 and i in (0, len(xs) - 1)):
            raise ValueError(f"mg.linalg.multi_dot: array {i} has shape {x.shape}; inner "
                             f"arrays must be 2-D, the first and last 1-D or 2-D")
    out = xs[0]
    for x in xs[1:]:
        out = out @ x
    return out


@defop(differentiable=False)
def matrix_rank(A, tol=None, hermitian=False, rtol=None, name=None):
    """The number of singular values above ``tol`` (default: NumPy's
    ``S.max() * max(m, n) * eps``, or ``rtol * S.max()``)."""
    a = as_tensor(A)
    if a.ndim < 2:
        return ops.cast(ops.any(ops.not_equal(a, 0)), "int64")
    s = ops.stop_gradient(svdvals(a))
    if tol is None:
        eps = 1.2e-7 if a.dtype.itemsize <= 4 or a.dtype.name == "complex64" else 2.3e-16
        rel = max(a.shape[-2:]) * eps if rtol is None else rtol
        tol = ops.max(s, axis=-1, keepdims=True) * rel
    else:
        tol = ops.expand_dims(as_tensor(tol), -1) if isinstance(tol, Tensor) else tol
    return ops.sum(ops.cast(s > tol, "int64"), axis=-1)


@defop()
def cond(x, p=None, name=None):
    """Condition number: ``s_max / s_min`` for ``p`` None/2 (``s_min / s_max`` for -2),
    else ``norm(x, p) * norm(inv(x), p)``."""
    x = matrix_arg(x, "cond", square=p in (None, 2, -2))
    if p in (None, 2, -2):
        s = svdvals(x)
        big, small = s[..., 0], s[..., -1]
        return big / small if p != -2 else small / big
    la = _la()
    return la.norm(x, p, axis=(-2, -1)) * la.norm(la.inv(x), p, axis=(-2, -1))


def _prod(shape):
    out = 1
    for d in shape:
        out *= d
    return out


@defop()
def tensorinv(a, ind=2, name=None):
    """The inverse with respect to ``tensordot(.., ind)``: shape ``a.shape[ind:] +
    a.shape[:ind]``."""
    a = as_tensor(a)
    ind = integer_arg(ind, "linalg.tensorinv", "ind")
    if ind <= 0:
        raise ValueError(f"mg.linalg.tensorinv: ind must be a positive integer, got {ind}")
    rows, cols = _prod(a.shape[:ind]), _prod(a.shape[ind:])
    if rows != cols:
        raise ValueError(f"mg.linalg.tensorinv: a of shape {a.shape} with ind={ind} is not "
                         f"square ({rows} x {cols} once flattened)")
    inv = _la().inv(ops.reshape(a, (rows, cols)))
    return ops.reshape(inv, a.shape[ind:] + a.shape[:ind])


@defop()
def tensorsolve(a, b, axes=None, name=None):
    """x with ``tensordot(a, x, x.ndim) == b`` (NumPy's ``tensorsolve``)."""
    a, b = as_tensor(a), as_tensor(b)
    if axes is not None:
        axes = [int(ax) % a.ndim for ax in axes]
        a = ops.moveaxis(a, axes, [a.ndim - len(axes) + i for i in range(len(axes))])
    x_shape = a.shape[b.ndim:]
    rows, cols = _prod(b.shape), _prod(x_shape)
    if a.shape[:b.ndim] != b.shape or rows != cols:
        raise ValueError(f"mg.linalg.tensorsolve: a of shape {a.shape} does not match b of "
                         f"shape {b.shape} as a square system")
    x = _la().solve(ops.reshape(a, (rows, cols)), ops.reshape(b, (rows,)))
    return ops.reshape(x, x_shape)


@defop()
def vector_norm(x, axis=None, keepdims=False, ord=2, name=None):
    """The Array API's vector norm over ``axis`` (None: every axis; a tuple: those axes
    read as one vector, never a matrix norm)."""
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim, "linalg.vector_norm")
    axes = tuple(range(x.ndim)) if axes is None else axes
    if len(axes) == 1:
        return _la().norm(x, ord, axis=axes[0], keepdims=keepdims)
    keep = [i for i in range(x.ndim) if i not in axes]
    merged = ops.reshape(ops.transpose(x, keep + list(axes)),
                         tuple(x.shape[i] for i in keep) + (-1,))
    out = _la().norm(merged, ord, axis=-1)
    if keepdims:
        out = ops.reshape(out, tuple(1 if i in axes else d for i, d in enumerate(x.shape)))
    return out


@defop()
def matrix_norm(x, keepdims=False, ord="fro", name=None):
    """The Array API's matrix norm over the last two axes."""
    return _la().norm(matrix_arg(x, "matrix_norm", square=False), ord, axis=(-2, -1),
                      keepdims=keepdims)


@defop()
def vecdot(x1, x2, axis=-1, name=None):
    """``sum(conj(x1) * x2, axis)`` with broadcasting (the Array API's ``vecdot``)."""
    x1, x2 = as_tensor(x1), as_tensor(x2)
    return ops.sum((ops.conj(x1) if x1.dtype.is_complex else x1) * x2, axis=axis)


@defop()
def outer(x1, x2, name=None):
    """The outer product of two 1-D vectors (``mg.outer`` for these)."""
    x1, x2 = as_tensor(x1), as_tensor(x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"mg.linalg.outer expects 1-D vectors, got shapes {x1.shape} and "
                         f"{x2.shape}")
    return ops.outer(x1, x2)


@defop()
def cross(x1, x2, axis=-1, name=None):
    """The cross product of 3-vectors along ``axis`` (NumPy 2's ``linalg.cross``)."""
    x1, x2 = as_tensor(x1), as_tensor(x2)
    for x in (x1, x2):
        if x.ndim == 0 or x.shape[axis] != 3:
            raise ValueError(f"mg.linalg.cross expects 3-vectors along axis {axis}, got "
                             f"shape {x.shape}")
    return ops.cross(x1, x2, axis=axis)


tensordot = ops.tensordot      # the same functions as mg.tensordot and mg.matmul
matmul = ops.matmul


@defop()
def trace(x, offset=0, dtype=None, name=None):
    """The trace of each matrix (the last two axes, as the Array API)."""
    out = ops.trace(matrix_arg(x, "trace", square=False), offset=offset, axis1=-2, axis2=-1)
    return out if dtype is None else ops.cast(out, dtype)


@defop()
def diagonal(x, offset=0, name=None):
    """The diagonal of each matrix (the last two axes, as the Array API)."""
    return ops.diagonal(matrix_arg(x, "diagonal", square=False), offset=offset, axis1=-2, axis2=-1)
