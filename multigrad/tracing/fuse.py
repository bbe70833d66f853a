"""Pass: fusion (``mg.function(jit_compile=True)``): maximal runs of elementwise steps, with
the reductions over all axes they feed, become one kernel per run.

Steps are taken in program order (``fusion_rules.classify`` says which can fuse and with
what loop shape and dtype). A fusable step joins the open group of its loop shape and
dtype; any other reader of a group's value closes that group (its kernel runs where its
last step was, so nothing read later may still change it), as does an in-place write
(``setitem``) anywhere. A group of two steps or more is replaced by one call of a kernel
that reads the group's inputs once per element and writes only the values something
outside the group reads (its outputs): the rest never exist as arrays. Replay guards on
the shape of a step inside a group go: the kernel's shapes are fixed.

May change: ``plan.nodes`` (groups replaced by a kernel call and, for several outputs,
one ``item`` step per output). Must keep: every value read outside a group, results and
Variable writes, program order of everything else; runs only when ``plan.jit_compile``.
"""

from .fusion_rules import classify
from .fusion_targets import target_for
from .liveness import node_refs
from .trace import Meta, Node, Ref

__all__ = ["fuse_kernels", "FusedGroup"]


class FusedGroup:
    """One kernel's description, the same for every target: loop ``shape`` and ``dtype``;
    ``inputs`` [(id, Meta or None for a constant)]; ``steps`` [(id, op name, operands)]
    with operands ("in", k), ("v", id) or ("const", Python scalar); ``outputs`` ids of
    elementwise values written out; ``reductions`` [(id, name, operand id, result Meta)]."""

    def __init__(self, shape, dtype):
        self.shape, self.dtype = shape, dtype
        self.inputs, self.steps, self.outputs, self.reductions = [], [], [], []

    def results(self):
        return self.outputs + [r[0] for r in self.reductions]


class _Open:
    def __init__(self, key):
        self.key = key
        self.members = []        # (node index, kind, name)
        self.ids = set()         # values produced by elementwise members
        self.reduced = set()     # values produced by reductions (not readable inside)
        self.fused = None        # its FusedGroup, once described


def _group_steps(plan):
    """[(_Open group, closed)] and the indices of the shape guards on group members."""
    open_, groups, owner, dropped = {}, [], {}, set()
    for n, node in enumerate(plan.nodes):
        found = classify(plan.trace, node)
        reads = node_refs(node)
        joined = None
        if found is not None:
            kind, name, key = found
            group = open_.get(key)
            if group is not None and any(i in group.reduced for i in reads):
                del open_[key]
                group = None
            if group is None:
                group = open_[key] = _Open(key)
                groups.append(group)
            group.members.append((n, kind, name))
            (group.ids if kind == "elementwise" else group.reduced).add(node.out)
            owner[node.out] = group
            joined = group
        elif node.kind == "guard" and node.extra[0] == "shape" and reads[0] in owner:
            dropped.add(n)
            continue
        elif node.kind == "setitem":
            open_.clear()
        for i in reads:
            group = owner.get(i)
            if group is not None and group is not joined and open_.get(group.key) is group:
                del open_[group.key]
    return [g for g in groups if len(g.members) > 1], owner, dropped


def _describe(plan, group, readers):
    nodes, trace = plan.nodes, plan.trace
    shape, dtype = group.key[:2]
    fused = group.fused = FusedGroup(shape, dtype)
    inputs = {}
    members = {nodes[n].out for n, _, _ in group.members}
    for n, kind, name in group.members:
        node = nodes[n]
        operands = []
        for a in node.args:
            if type(a) is not Ref:
                operands.append(("const", a))
            elif a.id in members:
                operands.append(("v", a.id))
            else:
                if a.id not in inputs:
                    inputs[a.id] = len(fused.inputs)
                    fused.inputs.append((a.id, trace.meta.get(a.id)))
                operands.append(("in", inputs[a.id]))
        if kind == "reduction":
            fused.reductions.append((node.out, name, operands[0], trace.meta[node.out]))
        else:
            fused.steps.append((node.out, name, operands))
            if node.out in readers:
                fused.outputs.append(node.out)
    return fused


def _readers_outside(plan, groups, dropped):
    """Ids of group members that something outside their group reads, or the call keeps."""
    inside = {}
    for group in groups:
        for n, _, _ in group.members:
            inside[n] = group
    read = set(plan.keep())
    for n, node in enumerate(plan.nodes):
        if n in dropped:
            continue
        group = inside.get(n)
        for i in node_refs(node):
            if group is None or i not in group.ids:
                read.add(i)
    return read


def _kernel_nodes(plan, fused, kernel):
    args = tuple(Ref(i) for i, _ in fused.inputs)
    results = fused.results()
    if len(results) == 1:
        return [Node("call", results[0], kernel, args, None, "fused")]
    tuple_id = plan.trace._new_id()
    # Huge, so that the frees pass drops the tuple after its last item (it holds outputs).
    plan.trace.meta[tuple_id] = Meta((), None, 1 << 62, tuple)
    return [Node("call", tuple_id, kernel, args, None, "fused")] + [
        Node("item", i, None, (Ref(tuple_id),), None, k) for k, i in enumerate(results)]


def fuse_kernels(plan):
    if not getattr(plan, "jit_compile", False):
        return
    trace = plan.trace
    for array_type in {trace.meta[i].type for i in plan.inputs if i in trace.meta}:
        target_for(trace, array_type)        # warns once where the backend cannot fuse
    groups, owner, dropped = _group_steps(plan)
    if not groups:
        return
    readers = _readers_outside(plan, groups, dropped)
    replace, remove, fused_groups = {}, set(), set()
    for group in groups:
        first = plan.nodes[group.members[0][0]]
        target = target_for(plan.trace, plan.trace.meta[first.out].type)
        kernel = target and target(_describe(plan, group, readers))
        if not kernel:
            continue
        indices = [n for n, _, _ in group.members]
        remove.update(indices)
        replace[indices[-1]] = _kernel_nodes(plan, group.fused, kernel)
        fused_groups.add(group)
    # Shape guards on the steps of a fused group go: the kernel's shapes are fixed.
    remove.update(n for n in dropped if owner[node_refs(plan.nodes[n])[0]] in fused_groups)
    nodes = []
    for n, node in enumerate(plan.nodes):
        nodes.extend(replace.get(n, ()) if n in remove else (node,))
    plan.nodes = nodes
