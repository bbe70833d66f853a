"""``real_if_close``: NumPy's test-and-drop of a negligible imaginary part."""

from .. import dtypes as _dt
from ..core.convert import as_tensor
from .define import defop
from .elementwise import abs as _abs
from .nondiff_reductions import all as _all
from .ufuncs import imag, real

__all__ = ["real_if_close"]

# Machine epsilon of each complex dtype's parts (NumPy's finfo, without importing NumPy).
_EPS = {_dt.complex64: 2.0 ** -23, _dt.complex128: 2.0 ** -52}


@defop()
def real_if_close(a, tol=100, name=None):
    """The real part of a complex ``a`` when every imaginary part is below ``tol`` (in
    machine epsilons of ``a``'s dtype when ``tol > 1``, else absolute), else ``a``; real
    input as it is. The choice reads the data (a host decision, as NumPy's); the result is
    differentiable either way."""
    a = as_tensor(a)
    if not a.dtype.is_complex:
        return a
    limit = float(tol)
    if limit > 1:
        limit *= _EPS[a.dtype]
    return real(a) if bool(_all(_abs(imag(a)) < limit)) else a
