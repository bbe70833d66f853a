"""Reductions whose results carry no gradient: arg-extrema, counts, any/all."""

from ..primitive import Primitive, apply
from ..tensor import Tensor
from .reductions import normalize_axis

__all__ = ["argmax", "argmin", "count_nonzero", "any", "all", "reduce_any", "reduce_all"]


def _tensor(x):
    from .creation import convert_to_tensor
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


def _index_reduction(name, fn):
    prim = Primitive(name, fn, differentiable=False)

    def op(x, axis=None, keepdims=False, name=None):
        x = _tensor(x)
        if axis is not None:
            if not isinstance(axis, int):
                raise TypeError(f"mg.{prim.name}: axis must be an int or None, got {axis!r}")
            (axis,) = normalize_axis(axis, x.ndim, prim.name)
        if x.size == 0:
            raise ValueError(f"mg.{prim.name}: an empty tensor (shape {x.shape}) has no "
                             f"{prim.name[3:]}imum")
        return apply(prim, (x,), {"axis": axis, "keepdims": bool(keepdims)})
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"Index of the {name[3:]}imum along ``axis`` (of the flattened tensor when "
                  f"None, as NumPy; the first one on ties); not differentiable.")
    return op


argmax = _index_reduction("argmax", lambda ns, x, axis, keepdims:
                          ns.argmax(x, axis=axis, keepdims=keepdims))
argmin = _index_reduction("argmin", lambda ns, x, axis, keepdims:
                          ns.argmin(x, axis=axis, keepdims=keepdims))


def _axis_reduction(name, fn, doc):
    prim = Primitive(name, fn, differentiable=False)

    def op(x, axis=None, keepdims=False, name=None):
        x = _tensor(x)
        return apply(prim, (x,), {"axis": normalize_axis(axis, x.ndim, prim.name),
                                  "keepdims": bool(keepdims)})
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


count_nonzero = _axis_reduction(
    "count_nonzero", lambda ns, x, axis, keepdims: ns.count_nonzero(x, axis=axis,
                                                                    keepdims=keepdims),
    "Number of non-zero elements over ``axis``; not differentiable.")
any = _axis_reduction(  # noqa: A001 - NumPy's name
    "any", lambda ns, x, axis, keepdims: ns.any(x, axis=axis, keepdims=keepdims),
    "Whether any element over ``axis`` is true (non-zero); not differentiable.")
all = _axis_reduction(  # noqa: A001 - NumPy's name
    "all", lambda ns, x, axis, keepdims: ns.all(x, axis=axis, keepdims=keepdims),
    "Whether every element over ``axis`` is true (non-zero); not differentiable.")
reduce_any, reduce_all = any, all
