"""Reductions whose results carry no gradient: arg-extrema, counts, any/all."""

from ..core.args import normalize_axis
from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from .define import defop, reduction

__all__ = ["argmax", "argmin", "count_nonzero", "any", "all"]


def _index_reduction(prim, x, axis, keepdims):
    x = as_tensor(x)
    if axis is not None:
        if not isinstance(axis, int):
            raise TypeError(f"mg.{prim.name}: axis must be an int or None, got {axis!r}")
        (axis,) = normalize_axis(axis, x.ndim, prim.name)
    if x.size == 0:
        raise ValueError(f"mg.{prim.name}: an empty tensor (shape {x.shape}) has no "
                         f"{prim.name[3:]}imum")
    return apply(prim, (x,), {"axis": axis, "keepdims": bool(keepdims)})


_ARGMAX = Primitive("argmax", lambda ns, x, axis, keepdims:
                    ns.argmax(x, axis=axis, keepdims=keepdims), differentiable=False)
_ARGMIN = Primitive("argmin", lambda ns, x, axis, keepdims:
                    ns.argmin(x, axis=axis, keepdims=keepdims), differentiable=False)


@defop(_ARGMAX)
def argmax(x, axis=None, keepdims=False, name=None):
    """Index of the maximum along ``axis`` (of the flattened tensor when None, as NumPy;
    the first one on ties); not differentiable."""
    return _index_reduction(_ARGMAX, x, axis, keepdims)


@defop(_ARGMIN)
def argmin(x, axis=None, keepdims=False, name=None):
    """Index of the minimum along ``axis`` (of the flattened tensor when None, as NumPy;
    the first one on ties); not differentiable."""
    return _index_reduction(_ARGMIN, x, axis, keepdims)


count_nonzero = reduction(
    "count_nonzero", lambda ns, x, axis, keepdims: ns.count_nonzero(x, axis=axis,
                                                                    keepdims=keepdims), None,
    "Number of non-zero elements over ``axis``; not differentiable.")
any = reduction(  # noqa: A001 - NumPy's name
    "any", lambda ns, x, axis, keepdims: ns.any(x, axis=axis, keepdims=keepdims), None,
    "Whether any element over ``axis`` is true (non-zero); not differentiable.")
all = reduction(  # noqa: A001 - NumPy's name
    "all", lambda ns, x, axis, keepdims: ns.all(x, axis=axis, keepdims=keepdims), None,
    "Whether every element over ``axis`` is true (non-zero); not differentiable.")
