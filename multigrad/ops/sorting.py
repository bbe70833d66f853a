"""Orderings and order statistics: argsort, partition, argpartition, median, quantile,
percentile and their NaN-ignoring forms. Values come from ``sort`` and ``take_along_axis``,
so gradients follow the permutation (ties: the stable order decides which element gets it).
"""

from ..core.args import integer_arg, normalize_axis, single_axis
from ..core.convert import as_tensor
from ..dtypes import float64, int64
from ..core.tensor import Tensor
from .define import defop
from .creation import cast
from .differences import like
from .elementwise import clip, floor, isnan, minimum, where
from .indexing import sort, take_along_axis
from .reductions import sum as _sum
from .shape import expand_dims, reshape, squeeze, transpose

__all__ = ["argsort", "nonzero", "partition", "argpartition", "median", "quantile", "percentile",
           "nanmedian", "nanquantile", "nanpercentile"]


def _flat_or_axis(x, axis, opname):
    x = as_tensor(x)
    if axis is None:
        x, axis = reshape(x, (x.size,)), 0
    if x.ndim == 0:
        raise ValueError(f"mg.{opname}: a 0-d tensor has no axis to order along")
    return x, single_axis(axis, x.ndim, opname)


# NumPy's sort kinds: a stable sort is a valid result for each of them.
_KINDS = (None, "stable", "quicksort", "mergesort", "heapsort")


@defop(differentiable=False)
def argsort(x, axis=-1, kind=None, order=None, stable=True, descending=False, name=None):
    """Indices that sort ``x`` along ``axis`` (flattened when None); always stable, so
    any of NumPy's ``kind`` is accepted (a stable sort is a valid result for each).
    ``descending`` keeps ties in their original order."""
    if kind not in _KINDS:
        raise ValueError(f"mg.argsort: kind must be one of {_KINDS[1:]} (or None), "
                         f"got {kind!r}")
    if order is not None:
        raise TypeError("mg.argsort: order= (structured arrays) is not supported: "
                        "tensors have no fields")
    x, axis = _flat_or_axis(x, axis, "argsort")
    ops = x.backend.ops
    if not descending:
        return Tensor._make(ops.argsort(x._value, axis=axis, stable=True), x.backend)
    # Stable descending: sort the reversed line ascending, reverse, map positions back.
    order = ops.argsort(ops.flip(x._value, axis=axis), axis=axis, stable=True)
    return Tensor._make((x.shape[axis] - 1) - ops.flip(order, axis=axis), x.backend)


def _check_kth(kth, n, opname):
    ks = [kth] if not isinstance(kth, (list, tuple)) and getattr(kth, "ndim", 0) == 0 \
        else list(kth)
    for k in ks:
        k = integer_arg(k, opname, "kth")
        if not -n <= k < n:
            raise ValueError(f"mg.{opname}: kth {k} is out of bounds for an axis of size {n}")


@defop()
def partition(a, kth, axis=-1, kind=None, order=None, name=None):
    """NumPy's ``partition``: element ``kth`` in its sorted place, smaller ones before it,
    larger after. Returned fully sorted (a valid partition for every ``kth``); the
    gradient follows the permutation."""
    a, ax = _flat_or_axis(a, axis, "partition")
    _check_kth(kth, a.shape[ax], "partition")
    return sort(a, axis=ax)


@defop(differentiable=False)
def argpartition(a, kth, axis=-1, kind=None, order=None, name=None):
    """Indices that partition ``a`` (those that sort it: a valid answer for every kth)."""
    a, ax = _flat_or_axis(a, axis, "argpartition")
    _check_kth(kth, a.shape[ax], "argpartition")
    return argsort(a, axis=ax)


# --- quantiles ----------------------------------------------------------------------------

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _reduced_last(a, axis, opname):
    """``a`` with the reduced axes merged into one last axis, and those axes."""
    axes = normalize_axis(axis, a.ndim, opname)
    axes = tuple(range(a.ndim)) if axes is None else axes
    keep = [i for i in range(a.ndim) if i not in axes]
    moved = transpose(a, keep + list(axes)) if keep + list(axes) != list(range(a.ndim)) else a
    size = 1
    for i in axes:
        size *= a.shape[i]
    return reshape(moved, tuple(a.shape[i] for i in keep) + (size,)), axes


def _check_q(q, opname):
    ops = q.backend.ops
    if q.size and (bool(ops.min(q._value) < 0) or bool(ops.max(q._value) > 1)):
        raise ValueError(f"mg.{opname}: quantiles must be in the range [0, 1]"
                         if opname.endswith("quantile") or opname.endswith("median") else
                         f"mg.{opname}: percentiles must be in the range [0, 100]")


def _pick(s, pos, last, method):
    """Values of the sorted ``s`` (shape R + (m,)) at fractional positions ``pos`` (Q + R),
    ``last`` the last valid position (a number, or per slice: NaNs sort after it)."""
    lo = floor(pos)
    frac = pos - lo
    if method == "nearest":       # NumPy rounds half to even
        up = (frac > 0.5) | ((frac == 0.5) & (lo - 2 * floor(lo / 2) == 1))
        lo, frac = where(up, lo + 1, lo), frac * 0
    elif method == "higher":
        lo, frac = where(frac > 0, lo + 1, lo), frac * 0
    elif method in ("lower",):
        frac = frac * 0
    elif method == "midpoint":
        frac = where(frac > 0, frac * 0 + 0.5, frac * 0)
    lo = clip(lo, 0, s.shape[-1] - 1)
    lo_i = cast(lo, int64)
    hi_i = cast(clip(minimum(lo + 1, last), 0, s.shape[-1] - 1), int64)
    src = reshape(s, (1,) * (pos.ndim - s.ndim + 1) + tuple(s.shape))
    v_lo = squeeze(take_along_axis(src, expand_dims(lo_i, -1), axis=-1), axis=-1)
    v_hi = squeeze(take_along_axis(src, expand_dims(hi_i, -1), axis=-1), axis=-1)
    return v_lo + (v_hi - v_lo) * frac


def _quantile(a, q, axis, method, keepdims, opname, skip_nan, scale=1.0, out=None):
    if out is not None:
        raise TypeError(f"mg.{opname}: out= is not supported (tensors are immutable)")
    if method not in _METHODS:
        raise ValueError(f"mg.{opname}: method must be one of {', '.join(_METHODS)}; got "
                         f"{method!r}")
    a = as_tensor(a)
    if not a.dtype.is_floating:
        a = cast(a, float64)
    q = like(q, a)
    if not q.dtype.is_floating:
        q = cast(q, a.dtype)
    q = q / scale if scale != 1.0 else q
    _check_q(q, opname)
    flat, axes = _reduced_last(a, axis, opname)
    if flat.shape[-1] == 0:
        raise ValueError(f"mg.{opname}: cannot take a quantile over an empty axis")
    if skip_nan:
        missing = isnan(flat)
        s = sort(where(missing, float("inf"), flat), axis=-1)
        n = _sum(cast(~missing, a.dtype), axis=-1)
    else:
        s, n = sort(flat, axis=-1), flat.shape[-1]
    pos = reshape(q, tuple(q.shape) + (1,) * (flat.ndim - 1)) * (n - 1)
    res = _pick(s, pos, n - 1, method)
    if skip_nan:
        res = where(n == 0, float("nan"), res)
    if keepdims:
        res = reshape(res, tuple(q.shape) + tuple(1 if i in axes else d
                                                  for i, d in enumerate(a.shape)))
    return res


@defop()
def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, name=None):
    """The ``q``-th quantiles (``q`` in [0, 1], a scalar or an array, whose axes come
    first) over ``axis`` (None: all; an int or a tuple). Methods: linear (default),
    lower, higher, midpoint, nearest. Differentiable in ``a`` and, for linear, in ``q``."""
    return _quantile(a, q, axis, method, keepdims, "quantile", False, out=out)


@defop()
def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, name=None):
    """``quantile`` with ``q`` in percent ([0, 100])."""
    return _quantile(a, q, axis, method, keepdims, "percentile", False, scale=100.0, out=out)


@defop()
def median(a, axis=None, out=None, overwrite_input=False, keepdims=False, name=None):
    """The median over ``axis``: the mean of the two middle values for even counts."""
    return _quantile(a, 0.5, axis, "linear", keepdims, "median", False, out=out)


@defop()
def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, name=None):
    """``quantile`` ignoring NaNs (an all-NaN slice gives NaN); NaNs get zero gradient."""
    return _quantile(a, q, axis, method, keepdims, "nanquantile", True, out=out)


@defop()
def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, name=None):
    """``percentile`` ignoring NaNs."""
    return _quantile(a, q, axis, method, keepdims, "nanpercentile", True, scale=100.0, out=out)


@defop()
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False, name=None):
    """``median`` ignoring NaNs."""
    return _quantile(a, 0.5, axis, "linear", keepdims, "nanmedian", True, out=out)


@defop(differentiable=False)
def nonzero(x, name=None):
    """A tuple of index tensors, one per axis, of the non-zero elements (NumPy's
    ``nonzero``; C order). A 0-d tensor raises, as in NumPy 2."""
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError("mg.nonzero: a 0-d tensor has no axes to index; use "
                         "mg.nonzero(mg.atleast_1d(x))")
    return tuple(Tensor._make(v, x.backend) for v in x.backend.ops.nonzero(x._value))

