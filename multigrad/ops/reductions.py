"""Reductions with ``axis`` (int or tuple, negative allowed) and ``keepdims``."""

from ..core.tape_entry import batch_ndim
from .define import reduction

__all__ = ["sum", "mean", "max", "min"]


def expand_reduced(ns, g, shape, axis, keepdims, batch=0, like=None):
    """Broadcast a reduction's cotangent back to the input shape (after ``batch`` axes).

    ``like`` is the reduced input: a chunked backend lays the broadcast out in its chunks.
    """
    lead = tuple(g.shape[:batch])
    if tuple(g.shape) == lead + tuple(shape):
        return g          # nothing was reduced (a 0-d input, or axes of size 1 kept)
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


def _sum_vjp(ns, g, ans, x, axis, keepdims):
    return expand_reduced(ns, g, tuple(x.shape), axis, keepdims, batch_ndim(g, ans), like=x)


def _mean_vjp(ns, g, ans, x, axis, keepdims):
    g = expand_reduced(ns, g, tuple(x.shape), axis, keepdims, batch_ndim(g, ans), like=x)
    count = _count(x.shape, axis)
    return g if count == 1 else g / count


def _extremum_vjp(ns, g, ans, x, axis, keepdims):
    # Ties share the gradient evenly (as TensorFlow's reduce_max and autograd do).
    shape = tuple(x.shape)
    hit = x == expand_reduced(ns, ans, shape, axis, keepdims)
    share = ns.where(hit, ns.ones_like(x), ns.zeros_like(x))
    count = ns.sum(share, axis=axis, keepdims=True)
    return expand_reduced(ns, g, shape, axis, keepdims, batch_ndim(g, ans)) * share / count


sum = reduction("sum", lambda ns, x, axis, keepdims: ns.sum(x, axis=axis, keepdims=keepdims),  # noqa: A001
                 _sum_vjp, "Sum over ``axis`` (all axes by default); ``tf.reduce_sum``.")
def _mean_forward(ns, x, axis, keepdims):
    # sum / count is what NumPy's mean computes for floats, without its Python-level
    # overhead (microseconds, which dominate small tensors); integers keep ns.mean, and
    # so does float16, which NumPy sums in float32 (a float16 sum overflows at 65504).
    if x.dtype.kind == "f" and x.dtype.itemsize >= 4 if hasattr(x.dtype, "kind") else False:
        if x.ndim == 0:
            return x      # the mean of one number (a 0-d sum would only copy it)
        return ns.sum(x, axis=axis, keepdims=keepdims) / _count(x.shape, axis)
    return ns.mean(x, axis=axis, keepdims=keepdims)


mean = reduction("mean", _mean_forward, _mean_vjp, "Mean over ``axis``; ``tf.reduce_mean``.")
max = reduction("max", lambda ns, x, axis, keepdims: ns.max(x, axis=axis, keepdims=keepdims),  # noqa: A001
                 _extremum_vjp, "Maximum over ``axis``; ties share the gradient evenly.")
min = reduction("min", lambda ns, x, axis, keepdims: ns.min(x, axis=axis, keepdims=keepdims),  # noqa: A001
                 _extremum_vjp, "Minimum over ``axis``; ties share the gradient evenly.")
