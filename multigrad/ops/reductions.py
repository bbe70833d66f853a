"""Reductions with ``axis`` (int or tuple, negative allowed) and ``keepdims``."""

from ..primitive import Primitive, apply, batch_ndim
from ..tensor import Tensor

__all__ = ["sum", "mean", "max", "min"]


def normalize_axis(axis, ndim, opname):
    """``axis`` as a sorted tuple of non-negative ints (None stays None)."""
    if axis is None:
        return None
    from ._args import axis_items, check_axis
    out = [check_axis(a, ndim, opname) for a in axis_items(axis, opname)]
    if len(set(out)) != len(out):
        raise ValueError(f"mg.{opname}: repeated axis in {axis!r}")
    return tuple(sorted(out))


def expand_reduced(ns, g, shape, axis, keepdims, batch=0, like=None):
    """Broadcast a reduction's cotangent back to the input shape (after ``batch`` axes).

    ``like`` is the reduced input: a chunked backend lays the broadcast out in its chunks.
    """
    lead = tuple(g.shape[:batch])
    if not keepdims:
        kshape = tuple(1 if (axis is None or i in axis) else n for i, n in enumerate(shape))
        g = ns.reshape(g, lead + kshape)
    if like is not None:
        return ns.broadcast_like(g, lead + tuple(shape), like)
    return ns.broadcast_to(g, lead + tuple(shape))


def _count(shape, axis):
    n = 1
    for i, d in enumerate(shape):
        if axis is None or i in axis:
            n *= d
    return n


def _reduction(name, forward, vjp, doc):
    prim = Primitive(name, forward).defvjp(vjp)

    def op(x, axis=None, keepdims=False, name=None):
        from .creation import convert_to_tensor
        if not isinstance(x, Tensor):
            x = convert_to_tensor(x)
        ax = normalize_axis(axis, x.ndim, prim.name)
        return apply(prim, (x,), {"axis": ax, "keepdims": bool(keepdims)})
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    op.primitive = prim
    return op


def _sum_vjp(ns, g, ans, x, axis, keepdims):
    return expand_reduced(ns, g, tuple(x.shape), axis, keepdims, batch_ndim(g, ans), like=x)


def _mean_vjp(ns, g, ans, x, axis, keepdims):
    g = expand_reduced(ns, g, tuple(x.shape), axis, keepdims, batch_ndim(g, ans), like=x)
    return g / _count(x.shape, axis)


def _extremum_vjp(ns, g, ans, x, axis, keepdims):
    # Ties share the gradient evenly (as TensorFlow's reduce_max and autograd do).
    shape = tuple(x.shape)
    hit = x == expand_reduced(ns, ans, shape, axis, keepdims)
    share = ns.where(hit, ns.ones_like(x), ns.zeros_like(x))
    count = ns.sum(share, axis=axis, keepdims=True)
    return expand_reduced(ns, g, shape, axis, keepdims, batch_ndim(g, ans)) * share / count


sum = _reduction("sum", lambda ns, x, axis, keepdims: ns.sum(x, axis=axis, keepdims=keepdims),  # noqa: A001
                 _sum_vjp, "Sum over ``axis`` (all axes by default); ``tf.reduce_sum``.")
def _mean_forward(ns, x, axis, keepdims):
    # sum / count is what NumPy's mean computes for floats, without its Python-level
    # overhead (microseconds, which dominate small tensors); integers keep ns.mean.
    if x.dtype.kind == "f" if hasattr(x.dtype, "kind") else False:
        return ns.sum(x, axis=axis, keepdims=keepdims) / _count(x.shape, axis)
    return ns.mean(x, axis=axis, keepdims=keepdims)


mean = _reduction("mean", _mean_forward, _mean_vjp, "Mean over ``axis``; ``tf.reduce_mean``.")
max = _reduction("max", lambda ns, x, axis, keepdims: ns.max(x, axis=axis, keepdims=keepdims),  # noqa: A001
                 _extremum_vjp, "Maximum over ``axis``; ties share the gradient evenly.")
min = _reduction("min", lambda ns, x, axis, keepdims: ns.min(x, axis=axis, keepdims=keepdims),  # noqa: A001
                 _extremum_vjp, "Minimum over ``axis``; ties share the gradient evenly.")
