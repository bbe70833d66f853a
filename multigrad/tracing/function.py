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
- a call made while a GradientTape records is one op on that tape: a joint trace of the
  function and its gradient is split into a forward and a backward program, and the op's
  VJP runs the backward one (``composite.py``);
- a trace that created Variables (an optimizer's slots on its first step) is not kept:
  the next call traces again, now that the Variables exist.
"""

import functools
import inspect
import threading
import types
import warnings

from ..core import state as _state
from ..errors import PerformanceWarning
from ..core.tensor import Tensor
from .proxy import current_trace
from .composite import call_joint, joint_eligible, trace_joint
from .program import Retrace, compile_trace
from .results import outputs_of, returns_for
from .record import listening
from .signature import describe_change, signature, substitute
from .trace import Trace

__all__ = ["Function", "function"]

RETRACE_WARNING_AFTER = 5
_make = Tensor._make


class Function:
    """A traced function (``tf.function``'s ``Function``): call it like the original."""

    def __init__(self, fn, name=None, jit_compile=None):
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._jit_compile = bool(jit_compile)     # fuse elementwise runs (fuse.py)
        self._name = name or getattr(fn, "__name__", "function")
        self._cache = {}            # signature key -> [program], most recent first
        self._fast = None           # (argument count, program) of the last flat trace
        self._joint = {}            # signature key -> [JointProgram] (calls under a tape)
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
        if current_trace.get() is not None:
            return self._fn(*args, **kwargs)      # inlined in the trace that calls it
        if _state.active_tapes.get():
            return self._call_recorded(args, kwargs)
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
            ids, spec, eager = outputs_of(trace, result)
            if not trace.created:
                program = compile_trace(trace, ids, writes, leaves, returns_for(result, spec),
                                        _identifier(self._name),
                                        jit_compile=self._jit_compile)
                self._cache[key] = [program] + self._cache.get(key, [])
                flat = not kwargs and len(leaves) == len(args) and \
                    all(type(a) is Tensor for a in args)
                self._fast = (len(args), program) if flat else self._fast
            self._last_key = key
            return eager

    def _call_recorded(self, args, kwargs):
        """A call while a tape records: one op on the tape (``composite.py``)."""
        key, leaves = signature(args, kwargs)
        if not joint_eligible(args, kwargs, leaves):
            return self._fn(*args, **kwargs)
        for program in self._joint.get(key, ()):
            try:
                return call_joint(program, self._fn, leaves, args, kwargs, self._name)
            except Retrace:
                continue
        with self._lock:
            self._tracing_count += 1
            self._warn_retracing(key)
            self._last_key = key
            program = trace_joint(self._fn, leaves, args, kwargs, _identifier(self._name),
                                  self._jit_compile)
            if program is None:                   # it created Variables, or returned
                return self._fn(*args, **kwargs)  # other than traced Tensors: eager
            self._joint[key] = [program] + self._joint.get(key, [])
        return call_joint(program, self._fn, leaves, args, kwargs, self._name)

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
    arguments are TensorFlow's and accepted for portability; ``name`` and ``jit_compile``
    are used: ``jit_compile=True`` fuses runs of elementwise steps into one compiled kernel
    each (Numba on NumPy, CuPy's kernels on CuPy; docs/design.md, "Fused kernels"), and
    replays unfused, with one warning, where the backend cannot."""
    if jit_compile not in (None, True, False):
        raise TypeError(f"mg.function: jit_compile must be None, True or False, not "
                        f"{jit_compile!r}")
    if func is None:
        return lambda f: Function(f, name, jit_compile)
    return Function(func, name, jit_compile)
