"""Reusing a dying temporary as the output of an elementwise step (NumPy's ``out=``).

A replay knows every value's last use. When an elementwise step's operand dies at that
step, is large, has the result's shape and dtype, and was itself made by an elementwise
step (so it is a fresh array that nothing else views), the step can write its result into
the operand: one allocation fewer, and a lower peak. Whether a backend can do this, and
with which function, is the backend's extra ``inplace_ufunc`` (``None`` by default: no
reuse); NumPy's returns its ufuncs for real floating results (its complex multiply can
round differently when it writes into an operand).

A value used by anything other than elementwise steps and reductions is never reused:
another step may have returned a view of it (a reshape, a slice, a transpose). Both the
operand and the result must have been C-contiguous while tracing: writing into an operand
of another memory order would give the result that order, and a reduction over several
axes sums in memory order (a different rounding).

As a pass (``reuse_buffers``): may change ``plan.inplace`` only (node index -> (ufunc, id
of the operand it writes into)); must keep every value's bits, results and inputs intact,
and values under ``plan.min_bytes`` untouched.
"""

from .trace import refs_in

__all__ = ["plan_inplace", "reuse_buffers"]

# Calls that read their operand and return a new array (never a view of it).
REDUCTIONS = {"sum", "prod", "mean", "max", "min", "std", "var", "any", "all"}

_SYMBOLS = {"+", "-", "*", "/"}


def _ufunc(trace, node):
    """The function computing this step with ``out=``, or None."""
    meta = trace.meta.get(node.out)
    if meta is None or node.kwargs:
        return None
    ops = trace.ops_for(meta.type)
    if ops is None:
        return None
    if node.kind == "op" and node.extra in _SYMBOLS:
        return ops.inplace_ufunc("neg" if len(node.args) == 1 else node.extra, meta.dtype)
    if node.kind == "call" and node.extra is not None and node.extra not in REDUCTIONS:
        return ops.inplace_ufunc(node.fn, meta.dtype)
    return None


def plan_inplace(trace, nodes, keep, min_bytes):
    """{node index: (ufunc, id of the operand it writes into)} for ``nodes`` in order."""
    uses = {}
    for n, node in enumerate(nodes):
        for i in set(refs_in(node.args, refs_in(node.kwargs or {}, []))):
            uses.setdefault(i, []).append(n)
    ufuncs, fresh, plan = {}, set(), {}
    for n, node in enumerate(nodes):
        fn = _ufunc(trace, node)
        if fn is None:
            continue
        ufuncs[n] = fn
        out = trace.meta[node.out]
        # 0-d results may be scalars; and the buffer must have the memory order the new
        # array had while tracing (C), or a later reduction could sum in another order.
        if out.nbytes < min_bytes or not out.shape or not out.c_order:
            continue
        fresh.add(node.out)
        for ref in refs_in(node.args, []):
            meta = trace.meta.get(ref)
            if ref in keep or ref not in fresh or uses[ref][-1] != n or meta is None \
                    or meta.shape != out.shape or meta.dtype != out.dtype or not meta.c_order:
                continue
            if all(m in ufuncs or _is_reduction(nodes[m]) for m in uses[ref]):
                plan[n] = (fn, ref)
                break
    return plan


def _is_reduction(node):
    return node.kind == "call" and node.extra in REDUCTIONS


def reuse_buffers(plan):
    # A relaxed trace's sizes vary between calls: no buffer plan made for one size.
    if not plan.trace.relaxed:
        plan.inplace = plan_inplace(plan.trace, plan.nodes, plan.keep(), plan.min_bytes)
