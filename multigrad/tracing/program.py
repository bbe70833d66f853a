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
from .trace import STATEFUL, Ref, shape_key

__all__ = ["compile_trace", "Retrace", "FREE_BYTES"]

# Intermediates at least this large are freed after their last use; smaller ones live to the
# end of the call (a ``del`` costs more than keeping a few bytes a little longer).
FREE_BYTES = 1 << 14

_UNARY_SYMBOLS = {"-": "(-{0})", "+": "(+{0})", "~": "(~{0})", "abs": "abs({0})"}


class Retrace(Exception):
    """A guard saw a value different from the one the trace read: trace again. Raised by
    a program's first guard, it carries the value that guard saw (``Function`` looks up
    the program traced for that value instead of trying each in turn)."""


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
    first_guard = None      # the program's first guard (compile_trace sets it)

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
        if kind == "raises":
            return self.raises(node)
        guard_kind, observed, *extra = node.extra
        if guard_kind == "python":          # a Python value read on every call
            read = f"{self.bind('g', extra[0])}()"
        else:
            args = ", ".join([self.expr(a[0])] + [self.bind("k", x) for x in extra])
            read = f"{self.bind('g', _GUARDS[guard_kind])}({args})"
        if node is self.first_guard:        # the value it saw picks the next program
            return (f"if not _same(_seen := {read}, {self.bind('e', observed)}): "
                    f"raise _Retrace(_seen)")
        return f"if not _same({read}, {self.bind('e', observed)}): raise _Retrace"

    def raises(self, node):
        """A step that raised while tracing: replay re-runs it and goes on only if it
        raises that kind of exception again."""
        step_kind, exc = node.extra
        a = node.args
        fn = (f"{self.expr(a[0])}.{node.fn}" if step_kind == "method"
              else self.bind("f", node.fn))
        a = a[1:] if step_kind == "method" else a
        args = "(" + "".join(self.expr(x) + ", " for x in a) + ")"
        kwargs = "{" + ", ".join(f"{k!r}: {self.expr(v)}"
                                 for k, v in (node.kwargs or {}).items()) + "}"
        return (f"if not _raised({fn}, {args}, {kwargs}, {self.bind('x', exc)}): "
                f"raise _Retrace")


def _raised(fn, args, kwargs, exc):
    """True if ``fn(*args, **kwargs)`` raises ``exc`` (a ``raises`` step)."""
    try:
        fn(*args, **kwargs)
    except exc:
        return True
    except Exception:           # another error: eager would raise it; the trace will
        return False
    return False


def _signature_checks(em, n, leaf, i, shape=None):
    """Lines that raise Retrace unless argument ``n`` has the traced leaf's type, backend,
    dtype and shape, and name its array ``_i`` (the checks let a call skip forming its
    signature key: ``Function``'s fast path)."""
    value = leaf._value
    shape = tuple(value.shape) if shape is None else shape
    t, b = em.bind("T", type(leaf)), em.bind("b", leaf._backend)
    d = em.bind("d", value.dtype)
    if None in shape:               # a relaxed signature: the rank and the fixed sizes
        fixed = "".join(f" or _{i}.shape[{k}] != {size}"
                        for k, size in enumerate(shape) if size is not None)
        check = f"len(_{i}.shape) != {len(shape)}{fixed}"
    else:
        check = f"_{i}.shape != {em.bind('s', shape)}"
    lines = [f"if type(_t{n}) is not {t} or _t{n}._backend is not {b}: raise _Retrace",
             f"_{i} = _t{n}._value",
             f"if {check} or (_{i}.dtype is not {d} and _{i}.dtype != {d}): "
             f"raise _Retrace"]
    flags = getattr(value, "flags", None)
    if len(shape) >= 2 and getattr(flags, "c_contiguous", None) is not None:
        # The memory order decides how sums round and where a reused buffer's result
        # lies: a program serves the layout it was traced with (another: its own trace).
        c, f = bool(flags.c_contiguous), bool(getattr(flags, "f_contiguous", False))
        lines.append(f"_f = _{i}.flags")
        lines.append(f"if _f.c_contiguous is not {c} or _f.f_contiguous is not {f}: "
                     f"raise _Retrace")
    return lines


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
    namespace = {"_same": _same, "_Retrace": Retrace, "_raised": _raised, **em.names}
    exec(compile(source, f"<mg.function {name}>", "exec"), namespace)
    fn = namespace[name]
    fn.source = source + _fused_sources(em)
    return fn


def _fused_sources(em):
    """The generated source of each fused kernel the program calls (jit_compile=True)."""
    return "".join(f"\n# {key}: fused kernel\n{obj.fused_source}"
                   for key, obj in em.names.items() if hasattr(obj, "fused_source"))


def compile_trace(trace, outputs, writes, leaves, returns, name="traced", nodes=None,
                  shapes=None, jit_compile=False):
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
    em.first_guard = next((node for node in plan.nodes if node.kind == "guard"), None)
    body = []
    for n, (leaf, i) in enumerate(zip(leaves, trace.inputs)):
        body += _signature_checks(em, n, leaf, i, shapes[n] if shapes else None)
    for var, i in trace.var_inputs:
        body.append(f"_{i} = {em.bind_once('v', var)}._array")
    body += _steps(plan, em)
    for var, i in plan.writes:
        body.append(f"{em.bind_once('v', var)}._array = {em.expr(Ref(i))}")
    body.append(_return_line(em, plan.outputs, returns))
    fn = _assemble(em, name, [f"_t{n}" for n in range(len(leaves))], body)
    fn.draws = any(node.extra == STATEFUL and getattr(node.fn, "draws", True)
                   for node in plan.nodes)       # random steps in it
    fn.first_seen = None if em.first_guard is None else em.first_guard.extra[1]
    return fn


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
    for i in params:             # a value the simplifier folded after it became a parameter
        em.names.pop(f"_{i}", None)
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
