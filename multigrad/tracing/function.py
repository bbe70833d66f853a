"""``mg.function``: trace a Python function once per signature, replay the program after.

See docs/design.md ("Tracing: mg.function") for the model; in short, as ``tf.function``:

- the first call with a new signature (``signature.py``) runs the function once, eagerly,
  while a ``Trace`` records every backend call, Variable read and assign, and every Python
  value read from a tensor (a guard); the recording is compiled into one straight-line
  Python function over raw arrays (``program.py``);
- later calls with that signature run the compiled program: no Python code of the
  function runs again, so its Python side effects (print, appending to a list, counters)
  happen at trace time only;
- a guard that sees a different value traces again (one program per outcome);
- a call made while a GradientTape records runs the function eagerly, so an outer tape
  differentiates through it (a compiled program records nothing on tapes);
- a trace that created Variables (an optimizer's slots on its first step) is not kept:
  the next call traces again, now that the Variables exist.
"""

import functools
import inspect
import threading
import types
import warnings

from .. import _state
from .. import nest
from ..errors import PerformanceWarning
from ..tensor import Tensor
from .proxy import Traced, current_trace
from .program import Retrace, compile_trace
from .record import listening
from .signature import describe_change, signature, substitute
from .trace import Trace

__all__ = ["Function", "function"]

RETRACE_WARNING_AFTER = 5
_make = Tensor._make


class _Program:
    """One compiled trace: its code and how arguments, Variables and results map to it."""

    __slots__ = ("code", "reads", "writes", "n_out", "build", "source")

    def __init__(self, code, reads, writes, n_out, build):
        self.code = code
        self.reads = reads
        self.writes = writes
        self.n_out = n_out
        self.build = build
        self.source = code.source

    def run(self, leaves):
        values = self.code(*[t._value for t in leaves], *[v._array for v in self.reads])
        n = self.n_out
        for var, new in zip(self.writes, values[n:]):
            var._array = new
        return self.build(values)


def _builder(result, spec):
    """values -> the function's result: ``spec`` holds, per leaf, (index, backend) for a
    program output or ("const", object) for a value the trace returned as is."""
    if result is None:
        return lambda values: None
    if len(spec) == 1 and isinstance(result, Tensor) and spec[0][0] != "const":
        (i, backend), = spec
        return lambda values: _make(values[i], backend)
    skeleton = nest.pack_like(result, [None] * len(spec))

    def build(values):
        leaves = [obj if i == "const" else _make(values[i], obj) for i, obj in spec]
        return nest.pack_like(skeleton, leaves)
    return build


def _outputs(trace, result):
    """(output ids, spec for _builder, the eager result of this call)."""
    ids, spec, eager = [], [], []
    for leaf in nest.flatten(result):
        value = leaf._value if type(leaf) is Tensor else None
        if type(value) is Traced and value.trace is trace:
            spec.append((len(ids), leaf._backend))
            ids.append(value.id)
            eager.append(_make(value.real, leaf._backend))
        else:
            spec.append(("const", leaf))
            eager.append(leaf)
    return ids, spec, nest.pack_like(result, eager) if result is not None else None


class Function:
    """A traced function (``tf.function``'s ``Function``): call it like the original."""

    def __init__(self, fn, name=None):
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._name = name or getattr(fn, "__name__", "function")
        self._cache = {}            # signature key -> [_Program], most recent first
        self._lock = threading.RLock()
        self._tracing_count = 0
        self._last_key = None

    @property
    def python_function(self):
        return self._fn

    def experimental_get_tracing_count(self):
        """How many times the Python function has been traced."""
        return self._tracing_count

    def __get__(self, obj, objtype=None):
        return self if obj is None else types.MethodType(self, obj)

    def __call__(self, *args, **kwargs):
        if _state.active_tapes.get() or current_trace.get() is not None:
            return self._fn(*args, **kwargs)      # under a tape, or inlined in a trace
        key, leaves = signature(args, kwargs)
        programs = self._cache.get(key)
        if programs:
            for program in programs:
                try:
                    return program.run(leaves)
                except Retrace:
                    continue
        return self._trace(key, leaves, args, kwargs)

    def _trace(self, key, leaves, args, kwargs):
        with self._lock:
            for program in self._cache.get(key, ()):   # traced meanwhile by another thread
                try:
                    return program.run(leaves)
                except Retrace:
                    continue
            self._tracing_count += 1
            self._warn_retracing(key)
            trace = Trace(())
            with listening(trace, {t._backend for t in leaves}):
                def traced(t):
                    return _make(trace.input(t._value), t._backend)
                targs = substitute(args, traced)
                tkwargs = {k: substitute(v, traced) for k, v in kwargs.items()}
                try:
                    result = self._fn(*targs, **tkwargs)
                finally:
                    writes = trace.commit_variables()
            ids, spec, eager = _outputs(trace, result)
            if not trace.created:
                code = compile_trace(trace, ids, writes, _identifier(self._name))
                program = _Program(code, [v for v, _ in trace.var_inputs],
                                   [v for v, _ in writes], len(ids), _builder(result, spec))
                self._cache[key] = [program] + self._cache.get(key, [])
            self._last_key = key
            return eager

    def _warn_retracing(self, key):
        if self._tracing_count <= RETRACE_WARNING_AFTER or self._last_key is None:
            return
        try:
            names = list(inspect.signature(self._fn).parameters)
        except (TypeError, ValueError):
            names = []
        warnings.warn(
            f"mg.function {self._name!r} has been traced {self._tracing_count} times: "
            f"{describe_change(self._last_key, key, names)}. Tracing is expensive; pass "
            f"Tensors instead of Python numbers that change, and keep shapes and dtypes "
            f"fixed.", PerformanceWarning, stacklevel=4)

    def program_source(self, *args, **kwargs):
        """The Python source of the program that a call with these arguments replays."""
        key, _ = signature(args, kwargs)
        programs = self._cache.get(key)
        return programs[0].source if programs else None

    def __repr__(self):
        return f"<mg.function {self._name} (traced {self._tracing_count} times)>"


def _identifier(name):
    clean = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return clean if clean.isidentifier() else "traced"


def function(func=None, *, input_signature=None, jit_compile=None, reduce_retracing=False,
             autograph=True, name=None, experimental_relax_shapes=None):
    """Trace ``func`` once per call signature and replay the compiled program (as
    ``tf.function``); usable as ``@mg.function`` or ``@mg.function(...)``. The keyword
    arguments are TensorFlow's and accepted for portability; only ``name`` is used."""
    if func is None:
        return lambda f: Function(f, name)
    return Function(func, name)
