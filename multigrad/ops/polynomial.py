"""Polynomials (NumPy's ``poly*`` functions, coefficients highest power first) and 1-D
convolution/correlation, composed from indexing, matmul and arithmetic."""

from ..core.args import integer_arg
from ..core.convert import as_tensor
from ..core.tensor import Tensor
from .define import defop
from .creation import zeros_like
from .differences import like
from .ufuncs import conj
from .joining import pad
from .layout import flip
from .shape import concatenate, reshape

__all__ = ["polyval", "polyadd", "polysub", "polymul", "polyder", "polyint", "convolve",
           "correlate"]


def _coefficients(p, opname):
    p = as_tensor(p)
    if p.ndim != 1:
        raise ValueError(f"mg.{opname}: coefficients must be 1-D (highest power first), got "
                         f"shape {p.shape}")
    return p


@defop()
def polyval(p, x, name=None):
    """``p[0] * x**(n-1) + ... + p[n-1]`` by Horner's rule; differentiable in p and x.

    ``p`` is NumPy's 1-D coefficient array, or ``tf.math.polyval``'s list of coefficients
    (each may be a tensor broadcasting against ``x``; ``[]`` gives zeros): one function
    serves ``mg.polyval`` and ``mg.math.polyval``.
    """
    if isinstance(p, (list, tuple)) and not p:
        return zeros_like(as_tensor(x))
    if isinstance(p, (list, tuple)) and any(isinstance(c, Tensor) for c in p):
        coeffs = list(p)
    else:
        p = _coefficients(p, "polyval")
        coeffs = [p[i] for i in range(p.shape[0])]
    x = like(x, as_tensor(coeffs[0]))
    y = coeffs[0] + zeros_like(x)           # x's shape even for a lone constant
    for c in coeffs[1:]:
        y = y * x + c
    return y


def _aligned(a, b, opname):
    a, b = _coefficients(a, opname), _coefficients(b, opname)
    n = max(a.shape[0], b.shape[0])
    return (pad(a, [(n - a.shape[0], 0)]) if a.shape[0] < n else a,
            pad(b, [(n - b.shape[0], 0)]) if b.shape[0] < n else b)


@defop()
def polyadd(a1, a2, name=None):
    """Sum of two polynomials (the shorter padded with leading zeros)."""
    a, b = _aligned(a1, a2, "polyadd")
    return a + b


@defop()
def polysub(a1, a2, name=None):
    """Difference of two polynomials."""
    a, b = _aligned(a1, a2, "polysub")
    return a - b


@defop()
def polymul(a1, a2, name=None):
    """Product of two polynomials: the full convolution of their coefficients."""
    return convolve(_coefficients(a1, "polymul"), _coefficients(a2, "polymul"))


@defop()
def polyder(p, m=1, name=None):
    """The ``m``-th derivative's coefficients."""
    p = _coefficients(p, "polyder")
    m = integer_arg(m, "polyder", "m")
    if m < 0:
        raise ValueError(f"mg.polyder: the order of the derivative must be non-negative, got {m}")
    for _ in range(m):
        n = max(p.shape[0], 1)
        powers = like([float(n - 1 - i) for i in range(n - 1)], p)
        p = p[:-1] * powers
    return p


@defop()
def polyint(p, m=1, k=None, name=None):
    """The ``m``-th antiderivative's coefficients; ``k`` the integration constants (one
    scalar, or ``m`` values, the first for the first integration; 0 by default)."""
    p = _coefficients(p, "polyint")
    m = integer_arg(m, "polyint", "m")
    if m < 0:
        raise ValueError(f"mg.polyint: the order of the integral must be non-negative, got {m}")
    ks = [0.0] * m if k is None else (list(k) if isinstance(k, (list, tuple)) else [k] * m)
    if len(ks) != m:
        raise ValueError(f"mg.polyint: k must have {m} entries (one per integration), got "
                         f"{len(ks)}")
    for c in ks:
        n = p.shape[0]
        divisors = like([float(n - i) for i in range(n)], p)
        p = concatenate([p / divisors, reshape(like(c, p), (1,))])
    return p


# --- convolution ----------------------------------------------------------------------------

def _full_convolution(a, v):
    """sum_j a[k - j] v[j] for k in [0, n + m - 1), a the longer input: one gather of the
    zero-padded a into a (n + m - 1, m) matrix of windows, then one matmul."""
    n, m = a.shape[0], v.shape[0]
    ops = a.backend.ops
    padded = pad(a, [(m - 1, m - 1)])
    rows = ops.reshape(ops.arange(n + m - 1), (n + m - 1, 1))
    index = rows + (m - 1) - ops.reshape(ops.arange(m), (1, m))
    return padded[Tensor._make(index, a.backend)] @ v


def _convolve(a, v, mode, opname, flipped=False):
    a, v = as_tensor(a), as_tensor(v)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"mg.{opname}: both inputs must be 1-D, got shapes {a.shape} and "
                         f"{v.shape}")
    if a.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError(f"mg.{opname}: inputs must not be empty")
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"mg.{opname}: mode must be 'full', 'same' or 'valid', got {mode!r}")
    long, short = (a, v) if a.shape[0] >= v.shape[0] else (v, a)
    full = _full_convolution(long, short)
    n, m = long.shape[0], short.shape[0]
    if mode == "full":
        return full
    if mode == "same":
        # NumPy centres a correlation with the longer second input the other way round.
        start = m // 2 if flipped and a.shape[0] < v.shape[0] else (m - 1) // 2
        return full[start:start + n]
    return full[m - 1:n]


@defop()
def convolve(a, v, mode="full", name=None):
    """Discrete linear convolution of two 1-D sequences, NumPy's modes 'full' (default),
    'same' (the longer input's length, centred) and 'valid'."""
    return _convolve(a, v, mode, "convolve")


@defop()
def correlate(a, v, mode="valid", name=None):
    """Cross-correlation ``c[k] = sum_n a[n + k] conj(v[n])`` (NumPy's, mode 'valid' by
    default): the convolution with ``v`` reversed and conjugated."""
    a, v = as_tensor(a), as_tensor(v)
    if v.ndim == 1:
        v = flip(conj(v) if v.dtype.is_complex else v)
    return _convolve(a, v, mode, "correlate", flipped=True)
