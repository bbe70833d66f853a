"""A trace compiled once into straight-line Python over raw backend arrays.

``compile_trace`` keeps only the nodes an output, a Variable write or a guard needs (dead
code elimination), names every value as a local, binds the real backend functions and the
constants as default arguments (local lookups), frees each large intermediate after its
last use (``del``), and turns the result into one Python function with ``compile()``.
Guards re-check every Python value the trace read from data; a different value raises
``Retrace`` before any Variable has changed (writes happen after the program returns).
"""

import math
import operator

from .trace import Ref

__all__ = ["compile_trace", "Retrace", "FREE_BYTES"]

# Intermediates at least this large are freed after their last use; smaller ones live to the
# end of the call (a ``del`` costs more than keeping a few bytes a little longer).
FREE_BYTES = 1 << 14

_UNARY_SYMBOLS = {"-": "(-{0})", "+": "(+{0})", "~": "(~{0})", "abs": "abs({0})"}


class Retrace(Exception):
    """A guard saw a value different from the one the trace read: trace again."""


def _host_list(v):
    import numpy  # host comparison of a value read with __array__ (never math)
    return numpy.asarray(v).tolist()


_GUARDS = {
    "bool": bool, "int": int, "float": float, "complex": complex, "index": operator.index,
    "item": lambda v, *a: v.item(*a), "tolist": lambda v: v.tolist(), "array": _host_list,
    "scalar": lambda v, backend: backend.to_numpy(v).reshape(()).item(),
    "host": lambda v, backend: backend.to_numpy(v).tolist(),
    "value": lambda v: v, "shape": lambda v: tuple(v.shape),
}


def _same(a, b):
    return a == b or (a != a and b != b)     # NaN read twice is the same value


def _refs(obj, out):
    t = type(obj)
    if t is Ref:
        out.append(obj.id)
    elif t is tuple or t is list:
        for x in obj:
            _refs(x, out)
    elif t is dict:
        for x in obj.values():
            _refs(x, out)
    return out


def _node_refs(node):
    out = _refs(node.args, [])
    return _refs(node.kwargs, out) if node.kwargs else out


def live_nodes(nodes, needed):
    """The nodes an output needs, in program order (guards and writes always stay)."""
    needed = set(needed)
    kept = []
    for node in reversed(nodes):
        if node.kind in ("guard", "setitem") or node.out in needed:
            kept.append(node)
            needed.update(_node_refs(node))
    kept.reverse()
    return kept


class _Emitter:
    def __init__(self, trace):
        self.trace = trace
        self.names = {}        # default-argument name -> object
        self.lines = []

    def bind(self, prefix, obj):
        name = f"{prefix}{len(self.names)}"
        self.names[name] = obj
        return name

    def expr(self, obj):
        t = type(obj)
        if t is Ref:
            if obj.id in self.trace.consts:
                key = f"_{obj.id}"
                self.names[key] = self.trace.consts[obj.id]
                return key
            return f"_{obj.id}"
        if t is tuple:
            return "(" + "".join(self.expr(x) + ", " for x in obj) + ")"
        if t is list:
            return "[" + ", ".join(self.expr(x) for x in obj) + "]"
        if t is dict and all(type(k) is str for k in obj):
            return "{" + ", ".join(f"{k!r}: {self.expr(v)}" for k, v in obj.items()) + "}"
        if t in (int, bool, str, type(None)) or (t is float and math.isfinite(obj)):
            return repr(obj)
        return self.bind("k", obj)

    def call_args(self, args, kwargs):
        parts = [self.expr(a) for a in args]
        parts += [f"{k}={self.expr(v)}" for k, v in (kwargs or {}).items()]
        return ", ".join(parts)

    def node(self, node):
        kind, out = node.kind, f"_{node.out}"
        a = node.args
        if kind == "call":
            return f"{out} = {self.bind('f', node.fn)}({self.call_args(a, node.kwargs)})"
        if kind == "op":
            if node.extra == "[]":
                return f"{out} = {self.expr(a[0])}[{self.expr(a[1])}]"
            if len(a) == 1:
                return f"{out} = " + _UNARY_SYMBOLS[node.extra].format(self.expr(a[0]))
            return f"{out} = {self.expr(a[0])} {node.extra} {self.expr(a[1])}"
        if kind == "method":
            return f"{out} = {self.expr(a[0])}.{node.fn}({self.call_args(a[1:], node.kwargs)})"
        if kind == "getattr":
            return f"{out} = {self.expr(a[0])}.{node.fn}"
        if kind == "item":
            return f"{out} = {self.expr(a[0])}[{node.extra!r}]"
        if kind == "setitem":
            return f"{self.expr(a[0])}[{self.expr(a[1])}] = {self.expr(a[2])}"
        guard_kind, observed, *extra = node.extra
        check = self.bind("g", _GUARDS[guard_kind])
        args = ", ".join([self.expr(a[0])] + [self.bind("k", x) for x in extra])
        return (f"if not _same({check}({args}), {self.bind('e', observed)}): "
                f"raise _Retrace")


def compile_trace(trace, outputs, writes, name="traced"):
    """A function(*argument arrays, *Variable arrays) -> (*outputs, *new Variable arrays)."""
    results = list(outputs) + [i for _, i in writes]
    nodes = live_nodes(trace.nodes, results)
    params = [f"_{i}" for i in trace.inputs] + [f"_{i}" for _, i in trace.var_inputs]
    keep = set(results) | set(trace.inputs) | {i for _, i in trace.var_inputs}
    last = {}
    for n, node in enumerate(nodes):
        for i in _node_refs(node):
            last[i] = n
    em = _Emitter(trace)
    body = []
    for n, node in enumerate(nodes):
        body.append(em.node(node))
        dead = [i for i in _node_refs(node) if last.get(i) == n and i not in keep
                and i not in trace.consts
                and getattr(trace.reals.get(i), "nbytes", 0) >= FREE_BYTES]
        if dead:
            body.append("del " + ", ".join(f"_{i}" for i in sorted(set(dead))))
            for i in dead:
                last.pop(i)
    returned = "(" + "".join(em.expr(Ref(i)) + ", " for i in results) + ")"
    body.append(f"return {returned}")
    namespace = {"_same": _same, "_Retrace": Retrace}
    parts = params + (["*"] + [f"{k}={k}" for k in em.names] if em.names else [])
    head = f"def {name}({', '.join(parts)}):"
    source = head + "\n" + "\n".join("    " + line for line in body) + "\n"
    namespace.update(em.names)
    exec(compile(source, f"<mg.function {name}>", "exec"), namespace)
    fn = namespace[name]
    fn.source = source
    return fn
