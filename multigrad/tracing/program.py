"""A trace compiled once into straight-line Python over raw backend arrays.

``compile_trace`` runs the passes of ``passes.py`` (dead code elimination, the algebraic
simplifications of ``simplify.py``, where to free each large intermediate after its last
use, which elementwise step may write into a temporary that dies there), then names every
value as a local, binds the real backend functions and the constants as default arguments
(local lookups), and turns the result into one Python function with ``compile()``.
Guards re-check every Python value the trace read from data; a different value raises
``Retrace`` before any Variable has changed (the writes come last). The function takes the
call's Tensor leaves and returns its result, so a replay is one Python call.
"""

import math
import operator

from .passes import Plan, run_passes
from .trace import Ref, shape_key

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
    "value": lambda v: v,
    "shape": lambda v: shape_key(v.shape),
}


def _same(a, b):
    return a == b or (a != a and b != b)     # NaN read twice is the same value


class _Emitter:
    def __init__(self, trace):
        self.trace = trace
        self.names = {}        # default-argument name -> object
        self.lines = []

    def bind(self, prefix, obj):
        name = f"{prefix}{len(self.names)}"
        self.names[name] = obj
        return name

    def bind_once(self, prefix, obj):
        """One name per object (a Variable read and written is one default argument)."""
        for name, known in self.names.items():
            if known is obj:
                return name
        return self.bind(prefix, obj)

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

    def node(self, node, inplace=None):
        kind, out = node.kind, f"_{node.out}"
        a = node.args
        if inplace is not None:                 # (ufunc, id of the operand it overwrites)
            fn, into = inplace
            return f"{out} = {self.bind_once('u', fn)}({self.call_args(a, None)}, out=_{into})"
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


def _signature_checks(em, n, leaf, i):
    """Lines that raise Retrace unless argument ``n`` has the traced leaf's type, backend,
    dtype and shape, and name its array ``_i`` (the checks let a call skip forming its
    signature key: ``Function``'s fast path)."""
    value = leaf._value
    t, b = em.bind("T", type(leaf)), em.bind("b", leaf._backend)
    d, s = em.bind("d", value.dtype), em.bind("s", tuple(value.shape))
    return [f"if type(_t{n}) is not {t} or _t{n}._backend is not {b}: raise _Retrace",
            f"_{i} = _t{n}._value",
            f"if _{i}.shape != {s} or (_{i}.dtype is not {d} and _{i}.dtype != {d}): "
            f"raise _Retrace"]


def _steps(plan, em):
    """The body lines of the plan's steps: each step, in place where it may, then its frees."""
    lines = []
    for n, node in enumerate(plan.nodes):
        lines.append(em.node(node, plan.inplace.get(n)))
        if n in plan.frees:
            lines.append("del " + ", ".join(f"_{i}" for i in sorted(plan.frees[n])))
    return lines


def _assemble(em, name, params, body):
    parts = params + (["*"] + [f"{k}={k}" for k in em.names] if em.names else [])
    head = f"def {name}({', '.join(parts)}):"
    source = head + "\n" + "\n".join("    " + line for line in body) + "\n"
    namespace = {"_same": _same, "_Retrace": Retrace, **em.names}
    exec(compile(source, f"<mg.function {name}>", "exec"), namespace)
    fn = namespace[name]
    fn.source = source + _fused_sources(em)
    return fn


def _fused_sources(em):
    """The generated source of each fused kernel the program calls (jit_compile=True)."""
    return "".join(f"\n# {key}: fused kernel\n{obj.fused_source}"
                   for key, obj in em.names.items() if hasattr(obj, "fused_source"))


def compile_trace(trace, outputs, writes, leaves, returns, name="traced", nodes=None,
                  jit_compile=False):
    """One Python function ``(*Tensor leaves) -> the call's result`` for a trace.

    It checks each leaf against the traced one (``Retrace`` if it differs), reads the
    Variables the trace read, runs the live nodes (of ``nodes``, default all the trace's)
    on raw arrays, assigns the Variables the trace wrote (after every guard has passed, so
    a retrace leaves them untouched), and builds the result with ``returns``: None;
    ``("tensor", make, backend)`` for one Tensor, ``make(array, backend)``; ``("tuple" or
    "list", make, [backend per item])`` for a flat tuple or list of Tensors; or a function
    of the tuple of output arrays. ``jit_compile``: fuse elementwise runs (``fuse.py``)."""
    inputs = set(trace.inputs) | {i for _, i in trace.var_inputs}
    plan = run_passes(Plan(trace, trace.nodes if nodes is None else nodes, outputs, writes,
                           inputs, FREE_BYTES, jit_compile))
    em = _Emitter(trace)
    body = []
    for n, (leaf, i) in enumerate(zip(leaves, trace.inputs)):
        body += _signature_checks(em, n, leaf, i)
    for var, i in trace.var_inputs:
        body.append(f"_{i} = {em.bind_once('v', var)}._array")
    body += _steps(plan, em)
    for var, i in plan.writes:
        body.append(f"{em.bind_once('v', var)}._array = {em.expr(Ref(i))}")
    body.append(_return_line(em, plan.outputs, returns))
    return _assemble(em, name, [f"_t{n}" for n in range(len(leaves))], body)


def compile_steps(trace, nodes, params, outputs, name="traced", jit_compile=False):
    """``fn(*arrays, one per id in params) -> tuple of arrays, one per id in outputs`` (None
    where an output is None): ``nodes`` as straight-line code, with nothing else around
    them (the backward half of a traced function, ``composite.py``)."""
    plan = run_passes(Plan(trace, nodes, [i for i in outputs if i is not None], [], params,
                           FREE_BYTES, jit_compile))
    found = iter(plan.outputs)
    outputs = [None if i is None else next(found) for i in outputs]
    em = _Emitter(trace)
    body = _steps(plan, em)
    values = ["None" if i is None else em.expr(Ref(i)) for i in outputs]
    body.append("return (" + "".join(v + ", " for v in values) + ")")
    return _assemble(em, name, [f"_{i}" for i in params], body)


def _return_line(em, outputs, returns):
    if returns is None:
        return "return None"
    values = [em.expr(Ref(i)) for i in outputs]
    if type(returns) is tuple:
        form, make, backends = returns
        make = em.bind_once("m", make)
        if form == "tensor":
            return f"return {make}({values[0]}, {em.bind_once('b', backends)})"
        items = [f"{make}({v}, {em.bind_once('b', b)})" for v, b in zip(values, backends)]
        inner = "".join(item + ", " for item in items)
        return f"return ({inner})" if form == "tuple" else f"return [{inner}]"
    return f"return {em.bind('r', returns)}((" + "".join(v + ", " for v in values) + "))"
