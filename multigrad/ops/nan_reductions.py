"""NumPy's NaN-ignoring reductions and scans, composed: NaNs are replaced by the
reduction's identity through ``where``, so their gradient is exactly 0 (not NaN).

All-NaN slices give NumPy's values: 0 for nansum, 1 for nanprod, NaN for nanmean,
nanmax, nanmin, nanvar and nanstd; nanargmax/nanargmin raise on them (NumPy's error).
"""

from ..core.args import normalize_axis
from ..core.convert import as_tensor
from .define import defop
from .creation import cast
from .elementwise import isnan, sqrt, where
from .ufuncs import imag, real
from .nondiff_reductions import all as _all, any as _any, argmax, argmin
from .reductions import max as _max, min as _min, sum as _sum
from .scans import cumprod, cumsum
from .aggregates import prod

__all__ = ["nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanvar", "nanstd",
           "nanargmax", "nanargmin", "nancumsum", "nancumprod"]


def _no_out(out, opname):
    if out is not None:
        raise TypeError(f"mg.{opname}: out= is not supported (tensors are immutable)")


def _prepare(a, dtype, out, opname):
    _no_out(out, opname)
    a = as_tensor(a)
    if dtype is not None:
        a = cast(a, dtype)
    return a


def _filled(a, value):
    """``a`` with its NaNs replaced by ``value``; integers have none."""
    if not (a.dtype.is_floating or a.dtype.is_complex):
        return a, None
    missing = isnan(a)
    return where(missing, value, a), missing


@defop()
def nansum(a, axis=None, dtype=None, out=None, keepdims=False, name=None):
    """Sum treating NaNs as 0."""
    a, _ = _filled(_prepare(a, dtype, out, "nansum"), 0.0)
    return _sum(a, axis=axis, keepdims=keepdims)


@defop()
def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, name=None):
    """Product treating NaNs as 1."""
    a, _ = _filled(_prepare(a, dtype, out, "nanprod"), 1.0)
    return prod(a, axis=axis, keepdims=keepdims)


def _count(missing, a, axis, keepdims):
    if missing is None:
        return _sum(a * 0 + 1, axis=axis, keepdims=keepdims)
    return _sum(cast(~missing, a.dtype), axis=axis, keepdims=keepdims)


@defop()
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, name=None):
    """Mean of the non-NaN values (NaN for an all-NaN slice)."""
    a = _prepare(a, dtype, out, "nanmean")
    if not (a.dtype.is_floating or a.dtype.is_complex):
        a = cast(a, "float64")
    filled, missing = _filled(a, 0.0)
    return _sum(filled, axis=axis, keepdims=keepdims) / _count(missing, a, axis, keepdims)


def _extremum(a, axis, out, keepdims, opname, reduce, fill):
    a = _prepare(a, None, out, opname)
    filled, missing = _filled(a, fill)
    if missing is None:
        return reduce(a, axis=axis, keepdims=keepdims)
    result = reduce(filled, axis=axis, keepdims=keepdims)
    return where(_all(missing, axis=axis, keepdims=keepdims), float("nan"), result)


@defop()
def nanmax(a, axis=None, out=None, keepdims=False, name=None):
    """Maximum ignoring NaNs (NaN for an all-NaN slice); ties split the gradient."""
    return _extremum(a, axis, out, keepdims, "nanmax", _max, float("-inf"))


@defop()
def nanmin(a, axis=None, out=None, keepdims=False, name=None):
    """Minimum ignoring NaNs (NaN for an all-NaN slice); ties split the gradient."""
    return _extremum(a, axis, out, keepdims, "nanmin", _min, float("inf"))


@defop()
def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, name=None):
    """Variance of the non-NaN values, divisor ``count - ddof``."""
    a = _prepare(a, dtype, out, "nanvar")
    if not (a.dtype.is_floating or a.dtype.is_complex):
        a = cast(a, "float64")
    filled, missing = _filled(a, 0.0)
    count = _count(missing, a, axis, True)
    mean = _sum(filled, axis=axis, keepdims=True) / count
    centered = where(missing, 0.0, a - mean) if missing is not None else a - mean
    sq = real(centered) ** 2 + imag(centered) ** 2 if a.dtype.is_complex else centered ** 2
    total = _sum(sq, axis=axis, keepdims=keepdims)
    dof = _count(missing, a, axis, keepdims) - ddof
    # No degrees of freedom left: NaN (NumPy), with a finite divisor behind the where.
    return where(dof <= 0, float("nan"), total / where(dof <= 0, 1.0, dof))


@defop()
def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, name=None):
    """Standard deviation of the non-NaN values: ``sqrt(nanvar)``. A slice with one
    non-NaN value is identically 0 there, with gradient 0 (as ``mg.std``)."""
    v = nanvar(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims)
    a = _prepare(a, dtype, out, "nanstd")
    one = _count(_filled(a, 0.0)[1], a, axis, keepdims) == 1
    # The inner where keeps sqrt's derivative finite in the slices that take v itself.
    return where(one, v, sqrt(where(one, 1.0, v)))


def _nan_arg(a, axis, keepdims, opname, pick, fill):
    a = as_tensor(a)
    filled, missing = _filled(a, fill)
    if missing is not None:
        normalize_axis(axis, a.ndim, opname)
        if bool(_any(_all(missing, axis=axis))):
            raise ValueError(f"mg.{opname}: All-NaN slice encountered")
    return pick(filled, axis=axis, keepdims=keepdims)


@defop(differentiable=False)
def nanargmax(a, axis=None, out=None, keepdims=False, name=None):
    """Index of the maximum ignoring NaNs; an all-NaN slice raises ``ValueError``."""
    _no_out(out, "nanargmax")
    return _nan_arg(a, axis, keepdims, "nanargmax", argmax, float("-inf"))


@defop(differentiable=False)
def nanargmin(a, axis=None, out=None, keepdims=False, name=None):
    """Index of the minimum ignoring NaNs; an all-NaN slice raises ``ValueError``."""
    _no_out(out, "nanargmin")
    return _nan_arg(a, axis, keepdims, "nanargmin", argmin, float("inf"))


@defop()
def nancumsum(a, axis=None, dtype=None, out=None, name=None):
    """Cumulative sum treating NaNs as 0."""
    a, _ = _filled(_prepare(a, dtype, out, "nancumsum"), 0.0)
    return cumsum(a, axis=axis)


@defop()
def nancumprod(a, axis=None, dtype=None, out=None, name=None):
    """Cumulative product treating NaNs as 1."""
    a, _ = _filled(_prepare(a, dtype, out, "nancumprod"), 1.0)
    return cumprod(a, axis=axis)
