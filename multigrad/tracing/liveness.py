"""Pass: dead-step elimination.

May change: which steps the program keeps (a step no output, Variable write, guard or
random draw needs is dropped). Must keep: every guard, every in-place write (``setitem``),
every step that raised while tracing (``raises``: replay checks it raises again), every
random draw and effect (their effects are not in their outputs), and program order.
"""

from .trace import STATEFUL, refs_in

__all__ = ["node_refs", "live_nodes", "drop_dead_steps"]


def node_refs(node):
    """The ids a step reads (its arguments and keyword arguments)."""
    out = refs_in(node.args, [])
    return refs_in(node.kwargs, out) if node.kwargs else out


def live_nodes(nodes, needed):
    """The nodes an output needs, in program order (guards, writes and random draws always
    stay)."""
    needed = set(needed)
    kept = []
    for node in reversed(nodes):
        if node.kind in ("guard", "setitem", "raises") or node.extra == STATEFUL \
                or node.out in needed:
            kept.append(node)
            needed.update(node_refs(node))
    kept.reverse()
    return kept


def drop_dead_steps(plan):
    plan.nodes = live_nodes(plan.nodes, plan.results())
