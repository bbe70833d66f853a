"""Small NumPy compositions: positive, copy, fix, float_power, copysign, vecdot, matvec,
vecmat, meshgrid, broadcast_arrays, unstack, cov, corrcoef, diagflat, vander."""

from .real_only import refuse_complex
from ..core.args import integer_arg
from ..core.convert import as_tensor
from ..dtypes import float64
from .define import defop
from .creation import cast
from .elementwise import abs as _abs, floor, identity, power, sqrt, where
from .ufuncs import ceil
from .ufuncs import conj
from .matrices import diag
from .products import matmul
from .reductions import mean, sum as _sum
from .shape import broadcast_to, reshape, stack

__all__ = ["positive", "copy", "fix", "float_power", "copysign", "vecdot", "matvec", "vecmat",
           "meshgrid", "broadcast_arrays", "unstack", "cov", "corrcoef", "diagflat", "vander"]


@defop()
def positive(x, name=None):
    """``+x`` (a new Tensor with the same value)."""
    return identity(x)


@defop()
def copy(a, name=None):
    """A copy (Tensors are immutable: the same value, a new Tensor)."""
    return identity(a)


@defop()
def fix(x, name=None):
    """Round towards zero (zero gradient, as floor and ceil)."""
    x = as_tensor(x)
    return where(x < 0, ceil(x), floor(x))


@defop()
def float_power(x1, x2, name=None):
    """``x1 ** x2`` in float64 (complex128 for complex input), as NumPy."""
    x1, x2 = as_tensor(x1), as_tensor(x2)
    up = lambda t: t if t.dtype.is_complex else cast(t, float64)      # noqa: E731
    return power(up(x1), up(x2))


@defop()
def copysign(x1, x2, name=None):
    """``|x1|`` with the sign of ``x2`` (real input); gradient for x1 only (x2's is 0).
    A zero or NaN x2 counts as positive here (NumPy reads the sign bit of -0.0)."""
    x1, x2 = as_tensor(x1), as_tensor(x2)
    refuse_complex(x1, "copysign")
    refuse_complex(x2, "copysign")
    return where(x2 < 0, -_abs(x1), _abs(x1))


def _conj_if_complex(x):
    return conj(x) if x.dtype.is_complex else x


@defop()
def vecdot(x1, x2, axis=-1, name=None):
    """``sum(conj(x1) * x2, axis)`` with broadcasting (NumPy 2's ``vecdot``)."""
    x1, x2 = as_tensor(x1), as_tensor(x2)
    return _sum(_conj_if_complex(x1) * x2, axis=axis)


@defop()
def matvec(x1, x2, name=None):
    """Matrix-vector products over stacks: ``x1 (..., m, n)`` times ``x2 (..., n)``."""
    x2 = as_tensor(x2)
    return matmul(x1, x2[..., None])[..., 0]


@defop()
def vecmat(x1, x2, name=None):
    """Vector-matrix products over stacks, conjugating the vector: ``conj(x1) @ x2``."""
    x1 = as_tensor(x1)
    return matmul(_conj_if_complex(x1)[..., None, :], x2)[..., 0, :]


@defop()
def meshgrid(*xi, indexing="xy", sparse=False, copy=True):
    """Coordinate grids from 1-D inputs (NumPy's ``indexing`` 'xy' or 'ij', ``sparse``)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"mg.meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    xs = [reshape(as_tensor(x), (-1,)) for x in xi]
    n = len(xs)
    shapes = [[1] * n for _ in xs]
    for i, x in enumerate(xs):
        shapes[i][i] = x.shape[0]
    if indexing == "xy" and n >= 2:
        for s in shapes:
            s[0], s[1] = s[1], s[0]
    out = [reshape(x, tuple(s)) for x, s in zip(xs, shapes)]
    if sparse:
        return out
    full = tuple(max(s[d] for s in shapes) for d in range(n))
    return [broadcast_to(o, full) for o in out]


@defop()
def broadcast_arrays(*args):
    """The inputs broadcast against each other (a list)."""
    xs = [as_tensor(a) for a in args]
    target = _broadcast_shape([x.shape for x in xs])
    return [broadcast_to(x, target) if x.shape != target else x for x in xs]


def _broadcast_shape(shapes):
    nd = max(len(s) for s in shapes)
    out = []
    for d in range(nd):
        sizes = {s[d - nd + len(s)] for s in shapes if d - nd + len(s) >= 0} - {1}
        if len(sizes) > 1:
            raise ValueError(f"mg.broadcast_arrays: shapes {shapes} do not broadcast")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


@defop()
def unstack(x, axis=0, name=None):
    """The slices along ``axis`` (a list; ``tf.unstack``, NumPy 2's ``unstack``)."""
    x = as_tensor(x)
    lead = (slice(None),) * (integer_arg(axis, "unstack", "axis") % max(x.ndim, 1))
    return [x[lead + (i, Ellipsis)] for i in range(x.shape[len(lead)])]


@defop()
def cov(m, y=None, rowvar=True, bias=False, ddof=None, name=None):
    """Covariance matrix of the variables (rows when ``rowvar``) of ``m`` (and ``y``)."""
    x = as_tensor(m)
    if x.ndim > 2:
        raise ValueError(f"mg.cov: m must be 1-D or 2-D, got shape {x.shape}")
    x = reshape(x, (1, -1)) if x.ndim < 2 else (x if rowvar else x.T)
    if y is not None:
        y = as_tensor(y)
        y = reshape(y, (1, -1)) if y.ndim < 2 else (y if rowvar else y.T)
        x = stack([*[x[i] for i in range(x.shape[0])], *[y[i] for i in range(y.shape[0])]])
    if not (x.dtype.is_floating or x.dtype.is_complex):
        x = cast(x, float64)
    ddof = (0 if bias else 1) if ddof is None else integer_arg(ddof, "cov", "ddof")
    centered = x - mean(x, axis=1, keepdims=True)
    c = matmul(centered, _conj_if_complex(centered).T) / (x.shape[1] - ddof)
    return c[0, 0] if c.shape == (1, 1) else c


@defop()
def corrcoef(x, y=None, rowvar=True, name=None):
    """Pearson correlation coefficients: ``cov`` normalised by the standard deviations."""
    c = cov(x, y, rowvar=rowvar)
    if c.ndim == 0:
        return c / c
    d = sqrt(_abs(diag(c)) if c.dtype.is_complex else diag(c))
    return c / d[:, None] / d[None, :]


@defop()
def diagflat(v, k=0, name=None):
    """A matrix with the flattened input on diagonal ``k``."""
    return diag(reshape(as_tensor(v), (-1,)), k=k)


@defop()
def vander(x, N=None, increasing=False, name=None):
    """The Vandermonde matrix: columns ``x ** (N - 1), ..., x, 1`` (reversed when
    ``increasing``); differentiable in x."""
    x = reshape(as_tensor(x), (-1,))
    n = x.shape[0] if N is None else integer_arg(N, "vander", "N")
    cols = [x * 0 + 1] + [x] * (n > 1)
    for _ in range(2, n):
        cols.append(cols[-1] * x)
    cols = cols[:n]
    if not increasing:
        cols = cols[::-1]
    return stack(cols, axis=1) if cols else reshape(x[:0], (x.shape[0], 0))
