"""real, imag, conj with TensorFlow's complex-gradient convention.

For a real loss L of z = x + iy the gradient is dL/dx + i dL/dy (docs/design.md), so a
complex-linear map's rule is its adjoint: ``g -> A^H g``. ``maybe_conj`` is the helper
rules use to conjugate only complex data (free on real data).
"""

from ..primitive import Primitive, apply

__all__ = ["real", "imag", "conj"]


def _is_complex(x):
    dt = getattr(x, "dtype", None)
    if dt is None:
        return isinstance(x, complex)
    kind = getattr(dt, "kind", None)
    if kind is not None:
        return kind == "c"
    from ..dtypes import as_dtype
    return as_dtype(dt).is_complex


def maybe_conj(ns, x):
    """``ns.conj(x)`` for complex data, ``x`` itself otherwise."""
    return ns.conj(x) if _is_complex(x) else x


def _real_part(ns, z):
    return ns.real(z) if _is_complex(z) else z


_REAL = Primitive("real", _real_part).defvjp(lambda ns, g, ans, z: g)
_IMAG = Primitive("imag", lambda ns, z: ns.imag(z) if _is_complex(z) else z * 0)
# L depends on y = Im z only: dL/dx = 0, dL/dy = g, so the cotangent is i g.
_IMAG.defvjp(lambda ns, g, ans, z: g * 1j if _is_complex(z) else g * 0)
_CONJ = Primitive("conj", lambda ns, z: maybe_conj(ns, z)).defvjp(
    lambda ns, g, ans, z: maybe_conj(ns, g))


def real(x, name=None):
    """The real part (``x`` itself for real input)."""
    return apply(_REAL, (x,))


def imag(x, name=None):
    """The imaginary part (zeros for real input)."""
    return apply(_IMAG, (x,))


def conj(x, name=None):
    """The complex conjugate (``x`` itself for real input)."""
    return apply(_CONJ, (x,))
