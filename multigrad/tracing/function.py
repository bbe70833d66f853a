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


def _returns(result, spec):
    """How a program builds the call's result (see ``compile_trace``): ``spec`` holds, per
    leaf, (index, backend) for a program output or ("const", object) for a value the trace
    returned as is."""
    if result is None:
        return None
    if type(result) is Tensor and spec[0][0] != "const":
        return ("tensor", _make, spec[0][1])
    if type(result) in (tuple, list) and all(type(t) is Tensor for t in result) \
            and all(i != "const" for i, _ in spec):
        return (type(result).__name__, _make, [b for _, b in spec])
    skeleton = nest.pack_like(result, [None] * len(spec))

    def build(values):
        leaves = [obj if i == "const" else _make(values[i], obj) for i, obj in spec]
        return nest.pack_like(skeleton, leaves)
    return build


def _outputs(trace, result):
    """(output ids, spec for _returns, the eager result of this call)."""
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
        self._cache = {}            # signature key -> [program], most recent first
        self._fast = None           # (argument count, program) of the last flat trace
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
        fast = self._fast
        if fast is not None and not kwargs and len(args) == fast[0]:
            # Tensors only, as last traced: the program checks each one itself, so no
            # signature key is formed.
            try:
                return fast[1](*args)
            except Retrace:
                pass
        key, leaves = signature(args, kwargs)
        for program in self._cache.get(key, ()):
            try:
                return program(*leaves)
            except Retrace:
                continue
        return self._trace(key, leaves, args, kwargs)

    def _trace(self, key, leaves, args, kwargs):
        with self._lock:
            for program in self._cache.get(key, ()):   # traced meanwhile by another thread
                try:
                    return program(*leaves)
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
                program = compile_trace(trace, ids, writes, leaves, _returns(result, spec),
                                        _identifier(self._name))
                self._cache[key] = [program] + self._cache.get(key, [])
                flat = not kwargs and len(leaves) == len(args) and \
                    all(type(a) is Tensor for a in args)
                self._fast = (len(args), program) if flat else self._fast
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
