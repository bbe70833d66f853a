"""More elementwise math: unary functions, complex parts, and broadcasting binary ops.

Forwards use Array-API functions only (NumPy-only ones such as ``cbrt``, ``sinc``,
``fmod`` are written from standard ones, so strict Array-API backends run them).
Complex inputs follow TensorFlow's convention: a holomorphic op's rule is
``g * conj(f'(z))`` (docs/design.md).
"""

import builtins as _builtins
import math as _m

from ..backend.conj import is_complex, maybe_conj
from ..core.convert import as_tensor
from .real_only import refuse_complex
from ..dtypes import as_dtype as _dtype_of_native
from ..core.primitive import Primitive, apply
from .define import binary, defop, unary
from .elementwise import _zero_vjp

__all__ = ["reciprocal", "exp2", "expm1", "log2", "log10", "log1p", "cbrt", "tan", "arcsin",
           "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh", "arctanh", "deg2rad",
           "rad2deg", "sinc", "ceil", "round", "rint", "trunc", "nan_to_num", "real", "imag",
           "conj", "angle", "erf", "fmax", "fmin", "logaddexp", "logaddexp2", "fmod", "arctan2",
           "hypot"]

_LN2 = _m.log(2.0)
_LN10 = _m.log(10.0)


def _d(derivative):
    """A rule ``g * conj(f'(x))`` from ``derivative(ns, ans, x)``."""
    return lambda ns, g, ans, x: g * maybe_conj(ns, derivative(ns, ans, x))


def _over(denominator):
    """A rule ``g / conj(d(x))``: for derivatives of the form 1 / d(x)."""
    return lambda ns, g, ans, x: g / maybe_conj(ns, denominator(ns, ans, x))


# --- exponentials and logarithms -------------------------------------------------------

reciprocal = unary("reciprocal", lambda ns, x: 1 / x, _d(lambda ns, ans, x: -(ans * ans)))
def _dtype_of(x):
    return _dtype_of_native(x.dtype)


def _exp2_forward(ns, x):
    # NumPy promotes integer input to float64; the standard's pow would refuse 2.0 ** int.
    if _dtype_of(x).is_integer:
        x = ns.astype(x, "float64")
    return ns.pow(2.0, x)


exp2 = unary("exp2", _exp2_forward, _d(lambda ns, ans, x: ans * _LN2))
expm1 = unary("expm1", "expm1", _d(lambda ns, ans, x: ans + 1))
log2 = unary("log2", "log2", _over(lambda ns, ans, x: x * _LN2))
log10 = unary("log10", "log10", _over(lambda ns, ans, x: x * _LN10))
log1p = unary("log1p", "log1p", _over(lambda ns, ans, x: x + 1))


def _cbrt_forward(ns, x):
    # Not in the Array API: the real cube root from pow, polished by one Newton step.
    refuse_complex(x)
    y = ns.sign(x) * ns.pow(ns.abs(x), 1.0 / 3.0)
    nonzero = y != 0
    safe = ns.where(nonzero, y, 1.0)
    return ns.where(nonzero, y - (y * y * y - x) / (3 * safe * safe), y)


cbrt = unary("cbrt", _cbrt_forward, lambda ns, g, ans, x: g / (3 * ans * ans),
             "Real cube root (infinite gradient at 0).")

# --- trigonometric and hyperbolic ------------------------------------------------------

tan = unary("tan", "tan", _d(lambda ns, ans, x: 1 + ans * ans))
arcsin = unary("arcsin", "asin", _over(lambda ns, ans, x: ns.sqrt(1 - x * x)))
arccos = unary("arccos", "acos",
               _over(lambda ns, ans, x: -ns.sqrt(1 - x * x)))
arctan = unary("arctan", "atan", _over(lambda ns, ans, x: 1 + x * x))
sinh = unary("sinh", "sinh", _d(lambda ns, ans, x: ns.cosh(x)))
cosh = unary("cosh", "cosh", _d(lambda ns, ans, x: ns.sinh(x)))
arcsinh = unary("arcsinh", "asinh",
                _over(lambda ns, ans, x: ns.sqrt(x * x + 1)))
arccosh = unary("arccosh", "acosh",
                _over(lambda ns, ans, x: ns.sqrt(x - 1) * ns.sqrt(x + 1)))
arctanh = unary("arctanh", "atanh", _over(lambda ns, ans, x: 1 - x * x))

deg2rad = unary("deg2rad", lambda ns, x: x * (_m.pi / 180),
                lambda ns, g, ans, x: g * (_m.pi / 180))
rad2deg = unary("rad2deg", lambda ns, x: x * (180 / _m.pi),
                lambda ns, g, ans, x: g * (180 / _m.pi))


def _sinc_forward(ns, x):
    # sin(pi x) / (pi x), 1 at 0 (np.sinc is not in the Array API).
    nonzero = x != 0
    px = ns.where(nonzero, x, 1.0) * _m.pi
    return ns.where(nonzero, ns.sin(px) / px, 1.0)


def _sinc_vjp(ns, g, ans, x):
    # (cos(pi x) - sinc(x)) / x, whose limit at 0 is 0.
    nonzero = x != 0
    safe = ns.where(nonzero, x, 1.0)
    return ns.where(nonzero, g * maybe_conj(ns, (ns.cos(safe * _m.pi) - ans) / safe), 0.0)


sinc = unary("sinc", _sinc_forward, _sinc_vjp, "Normalized sinc, sin(pi x) / (pi x).")


def _erf_forward(ns, x):
    """erf from standard functions (the Array API has none), to double precision.

    |x| < 2.5: the series erf = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (2n+1)!!
    (positive terms, no cancellation); beyond: erfc's continued fraction.
    """
    refuse_complex(x)
    ax = ns.abs(x)
    small = ax < 2.5
    xs = ns.where(small, ax, 0.0)
    x2 = xs * xs
    term = xs
    total = xs
    for n in range(1, 40):
        term = term * (2 * x2) / (2 * n + 1)
        total = total + term
    series = total * ns.exp(-x2) * (2 / _m.sqrt(_m.pi))
    xl = ns.where(small, 3.0, ax)
    t = xl
    for k in range(30, 0, -1):
        t = xl + (k / 2) / t
    tail = 1 - ns.exp(-(xl * xl)) / (t * _m.sqrt(_m.pi))
    return ns.sign(x) * ns.where(small, series, tail)


erf = unary("erf", _erf_forward,
            lambda ns, g, ans, x: g * (ns.exp(-(x * x)) * (2 / _m.sqrt(_m.pi))),
            "The error function (real inputs), as tf.math.erf.")

# --- rounding: zero gradient -------------------------------------------------------------

ceil = unary("ceil", "ceil", _zero_vjp, "Elementwise ceiling; zero gradient.")
trunc = unary("trunc", "trunc", _zero_vjp,
              "Round toward zero; zero gradient.")
_ROUND = Primitive("round", lambda ns, x, scale: ns.round(x) if scale == 1
                   else ns.round(x * scale) / scale).defvjp(_zero_vjp)


@defop(_ROUND)
def round(x, decimals=0, name=None):  # noqa: A001 - NumPy's name
    """Round half to even to ``decimals`` places; zero gradient."""
    if int(decimals) != decimals:
        raise TypeError(f"mg.round: decimals must be an integer, got {decimals!r}")
    return apply(_ROUND, (x,), {"scale": 10.0 ** int(decimals) if decimals else 1})


@defop()
def rint(x, name=None):
    """Round half to even to an integer value; zero gradient."""
    return round(x)



# --- nan_to_num ----------------------------------------------------------------------------


def _nan_to_num_forward(ns, x, nan, posinf, neginf):
    info = ns.finfo(x.dtype)
    hi = info.max if posinf is None else posinf
    lo = -info.max if neginf is None else neginf
    out = ns.where(ns.isnan(x), nan, x)
    out = ns.where(x == float("inf"), hi, out)
    return ns.where(x == float("-inf"), lo, out)


_NAN_TO_NUM = Primitive("nan_to_num", _nan_to_num_forward).defvjp(
    lambda ns, g, ans, x, nan, posinf, neginf: ns.where(ns.isfinite(x), g, 0.0))


@defop(_NAN_TO_NUM)
def nan_to_num(x, nan=0.0, posinf=None, neginf=None, name=None):
    """NaN -> ``nan``, +-inf -> ``posinf``/``neginf`` (default: the dtype's largest finite
    values) for real floating ``x``; the gradient passes only where ``x`` is finite."""
    x = as_tensor(x)
    if not x.dtype.is_floating:
        if x.dtype.is_complex:
            raise TypeError("mg.nan_to_num supports real floating tensors; apply it to "
                            "mg.real(z) and mg.imag(z) separately for complex data")
        return x
    return apply(_NAN_TO_NUM, (x,), {"nan": float(nan), "posinf": posinf, "neginf": neginf})


# --- complex parts ----------------------------------------------------------------------------

def _real_forward(ns, x):
    return ns.real(x) if is_complex(x) else x


def _imag_forward(ns, x):
    return ns.imag(x) if is_complex(x) else ns.zeros_like(x)


def _angle_forward(ns, x):
    if is_complex(x):
        return ns.atan2(ns.imag(x), ns.real(x))
    return ns.atan2(ns.zeros_like(x), x)        # 0 or pi, as np.angle


def _angle_vjp(ns, g, ans, x):
    # d angle = (x dy - y dx) / |z|^2, so the gradient is g * i z / |z|^2 = g * i / conj(z).
    if not is_complex(x):
        return ns.zeros_like(g)
    nonzero = x != 0
    return ns.where(nonzero, g * 1j / maybe_conj(ns, ns.where(nonzero, x, 1.0)), 0.0)


# real(z)'s gradient is the real g (the tape casts it to z's dtype); imag(z)'s is i g.
real = unary("real", _real_forward, lambda ns, g, ans, x: g, "The real part.")
imag = unary("imag", _imag_forward,
             lambda ns, g, ans, x: g * 1j if is_complex(x) else ns.zeros_like(g),
             "The imaginary part (zeros for real input).")
conj = unary("conj", lambda ns, x: ns.conj(x) if is_complex(x) else x,
             lambda ns, g, ans, x: maybe_conj(ns, g) if is_complex(x) else g,
             "The complex conjugate (the input itself for real data).")
angle = unary("angle", _angle_forward, _angle_vjp,
              "The argument of a complex number (0 or pi for real input, zero gradient).")

# --- binary --------------------------------------------------------------------------------


def _isnan(ns, v):
    """isnan of an array, or of a Python number (the Array API's isnan takes arrays only)."""
    return v != v if isinstance(v, (int, float)) else ns.isnan(v)


def _nan_ignoring(ns, x, y, pick):
    """pick(x, y), or the other operand where one is NaN (np.fmax is not in the Array API).
    A Python number operand is tested here: ``where`` needs an array condition."""
    if isinstance(y, (int, float)):
        return x if y != y else ns.where(ns.isnan(x), y, pick(x, y))
    if isinstance(x, (int, float)):
        return y if x != x else ns.where(ns.isnan(y), x, pick(x, y))
    return ns.where(ns.isnan(y), x, ns.where(ns.isnan(x), y, pick(x, y)))


def _fmax_forward(ns, x, y):
    return _nan_ignoring(ns, x, y, ns.maximum)


def _fmin_forward(ns, x, y):
    return _nan_ignoring(ns, x, y, ns.minimum)


def _f_share(ns, g, wins, x, y):
    """x's share: all where it is chosen (wins, or y is NaN), half on ties."""
    return ns.where(wins | _isnan(ns, y), g, ns.where(x == y, g * 0.5, 0.0))


fmax = binary("fmax", _fmax_forward,
              lambda ns, g, ans, x, y: _f_share(ns, g, x > y, x, y),
              lambda ns, g, ans, x, y: _f_share(ns, g, y > x, y, x),
              "Elementwise maximum ignoring NaNs; ties split the gradient evenly.")
fmin = binary("fmin", _fmin_forward,
              lambda ns, g, ans, x, y: _f_share(ns, g, x < y, x, y),
              lambda ns, g, ans, x, y: _f_share(ns, g, y < x, y, x),
              "Elementwise minimum ignoring NaNs; ties split the gradient evenly.")

logaddexp = binary("logaddexp", "logaddexp",
                   lambda ns, g, ans, x, y: g * ns.exp(x - ans),
                   lambda ns, g, ans, x, y: g * ns.exp(y - ans),
                   "log(exp(x) + exp(y)) without overflow.")
logaddexp2 = binary("logaddexp2", lambda ns, x, y: ns.logaddexp(x * _LN2, y * _LN2) / _LN2,
                    lambda ns, g, ans, x, y: g * ns.exp((x - ans) * _LN2),
                    lambda ns, g, ans, x, y: g * ns.exp((y - ans) * _LN2),
                    "log2(2**x + 2**y) without overflow.")


def _fmod_forward(ns, x, y):
    # C's fmod (sign of x) from the standard remainder (sign of y): |x| mod |y| is exact.
    # Builtin abs: y may be a Python number, which the standard's functions refuse.
    return ns.copysign(ns.remainder(_builtins.abs(x), _builtins.abs(y)), x)


fmod = binary("fmod", _fmod_forward,
              lambda ns, g, ans, x, y: g,
              lambda ns, g, ans, x, y: -g * ns.trunc(x / y),
              "Remainder with the sign of x (C's fmod).")


def _hypot_share(ns, g, ans, a):
    nonzero = ans != 0
    return ns.where(nonzero, g * a / ns.where(nonzero, ans, 1.0), 0.0)


hypot = binary("hypot", "hypot",
               lambda ns, g, ans, x, y: _hypot_share(ns, g, ans, x),
               lambda ns, g, ans, x, y: _hypot_share(ns, g, ans, y),
               "sqrt(x**2 + y**2) without overflow; gradient 0 at the origin.")


def _atan2_share(ns, g, a, b):
    r2 = a * a + b * b
    nonzero = r2 != 0
    return ns.where(nonzero, g * a / ns.where(nonzero, r2, 1.0), 0.0)


arctan2 = binary("arctan2", lambda ns, y, x: ns.atan2(y, x),
                 lambda ns, g, ans, y, x: _atan2_share(ns, g, x, y),
                 lambda ns, g, ans, y, x: -_atan2_share(ns, g, y, x),
                 "The angle of (x, y) for arguments (y, x); gradient 0 at the origin.")
