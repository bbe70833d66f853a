"""Cotangents of multi-output primitives.

The tape hands a multi-output rule zeros (without batch axes) for the outputs that
received no gradient; ``align_cotangents`` gives every entry the same leading batch
axes, so rules can combine them.
"""

__all__ = ["align_cotangents", "multi_batch_ndim"]


def multi_batch_ndim(g, ans):
    return max(len(gi.shape) - len(a.shape) for gi, a in zip(g, ans))


def align_cotangents(ns, g, ans):
    batch = multi_batch_ndim(g, ans)
    if not batch:
        return tuple(g)
    lead = next(tuple(gi.shape[:batch]) for gi, a in zip(g, ans)
                if len(gi.shape) - len(a.shape) == batch)
    return tuple(gi if len(gi.shape) - len(a.shape) == batch
                 else ns.broadcast_to(gi, lead + tuple(a.shape)) for gi, a in zip(g, ans))
