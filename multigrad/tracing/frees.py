"""Pass: where each large intermediate is freed (``del`` after its last use).

May change: ``plan.frees`` only (node index -> the ids whose last use it is). Must keep:
the steps themselves; never frees a result, a call input or a constant, nor a value under
``plan.min_bytes`` (a ``del`` costs more than keeping a few bytes a little longer).
"""

from .liveness import node_refs

__all__ = ["plan_frees"]


def plan_frees(plan):
    last = {}
    for n, node in enumerate(plan.nodes):
        for i in node_refs(node):
            last[i] = n
    keep, trace = plan.keep(), plan.trace
    frees = {}
    for i, n in last.items():
        if i not in keep and i not in trace.consts \
                and getattr(trace.meta.get(i), "nbytes", 0) >= plan.min_bytes:
            frees.setdefault(n, []).append(i)
    plan.frees = frees
