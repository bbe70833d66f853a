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
  the next call traces again, now that the Variables exist;
- a replay that raises runs the function again as a trace (it raises as eager does, or
  the function caught it: a ``raises`` step then tells the two apart on later calls);
- ``input_signature`` / ``reduce_retracing`` give keys with ``None`` sizes (``spec.py``,
  ``bind.py``), ``get_concrete_function`` a ``ConcreteFunction`` (``concrete.py``).
"""

import functools
import inspect
import threading
import types
import warnings
import weakref

from ..core import nest, state as _state
from .eager_switch import EAGER
from ..errors import PerformanceWarning
from ..ops import zeros
from ..core.tensor import Tensor
from .proxy import current_trace
from .bind import bind_signature, check_signature, rebuild_call
from .dispatch import ProgramTable
from .composite import NOT_JOINT, call_joint, joint_eligible, trace_joint
from .concrete import ConcreteFunction, output_specs
from .program import Retrace, compile_trace
from .results import outputs_of, returns_for
from .names import name_arguments
from .record import listening
from .stateful import snapshot_streams
from .signature import describe_change, signature, substitute
from .spec import TensorSpec, compatible, generalize
from .trace import Trace

__all__ = ["Function", "function"]

RETRACE_WARNING_AFTER = 5
RETRACE_WARNINGS = 2        # warnings per Function (TF warns about twice), then silence
_make = Tensor._make


class Function:
    """A traced function (``tf.function``'s ``Function``): call it like the original."""

    def __init__(self, fn, name=None, input_signature=None, reduce_retracing=False,
                 jit_compile=None):
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._jit_compile = bool(jit_compile)     # fuse elementwise runs (fuse.py)
        self._name = name or getattr(fn, "__name__", "function")
        self._specs = None if input_signature is None else \
            check_signature(input_signature, self._name)
        self._reduce = bool(reduce_retracing)
        self._relaxed = {}          # structure -> the shapes its relaxed key holds
        self._cache = {}            # signature key -> ProgramTable
        self._concrete = {}         # signature key -> ConcreteFunction (what it traced)
        self._fast = None           # (argument count, program) of the last flat trace
        self._joint = {}            # signature key -> [JointProgram] (calls under a tape)
        self._not_joint = set()     # keys whose calls under a tape run eagerly
        self._lock = threading.RLock()
        self._tracing_count = 0
        self._warnings = 0
        self._last_key = None
        self._bound = {}            # id(instance) -> (weakref, its bound Function)

    @property
    def python_function(self):
        return self._fn

    @property
    def input_signature(self):
        return self._specs

    def experimental_get_tracing_count(self):
        """How many times the Python function has been traced."""
        return self._tracing_count

    def __get__(self, obj, objtype=None):
        """A method: one Function per instance (its own traces), which does not keep the
        instance alive (TF keeps them in a weak table too)."""
        if obj is None:
            return self
        entry = self._bound.get(id(obj))
        if entry is not None and entry[0]() is obj:
            return entry[1]
        key = id(obj)
        try:
            ref = weakref.ref(obj, lambda _, bound=self._bound: bound.pop(key, None))
        except TypeError:               # no weak references (__slots__): the instance is
            return types.MethodType(self, obj)     # an argument, held by the cache
        fn = self._fn

        def method(*args, **kwargs):
            return fn(ref(), *args, **kwargs)
        functools.update_wrapper(method, fn)
        bound = Function(method, self._name, self._specs, self._reduce, self._jit_compile)
        self._bound[key] = (ref, bound)
        return bound

    def __call__(self, *args, **kwargs):
        if current_trace.get() is not None or EAGER[0]:
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
            except Exception:           # as eager would: run the Python (below)
                pass
        key, leaves, args, kwargs = self._signature(args, kwargs)
        return self._run(key, leaves, args, kwargs)

    def _run(self, key, leaves, args, kwargs):
        """The call through the programs cached for ``key``, else a new trace."""
        table = self._cache.get(key)
        seen = 0 if table is None else len(table.programs)
        if table is not None:
            first = table.programs[0]
            try:
                return first(*leaves)
            except Retrace as retrace:
                for program in table.after(first, retrace):
                    try:
                        return program(*leaves)
                    except Retrace:
                        continue
                    except Exception:
                        break
            except Exception:
                pass                    # trace again: it raises as eager, or caught it
        return self._trace(key, leaves, args, kwargs, seen)

    def _signature(self, args, kwargs):
        """(key, leaves, args, kwargs): the call's key and Tensor leaves, and the arguments
        a trace calls the Python function with (bound to ``input_signature`` if given)."""
        if self._specs is not None:
            leaves = bind_signature(self._fn, self._specs, self._name, args, kwargs)
            specs = _flat_specs(self._specs)
            key = ((tuple((Tensor, t._backend, t._value.dtype, len(s.shape))
                          for t, s in zip(leaves, specs)), ()),
                   tuple(s.shape for s in specs))
            return key, leaves, rebuild_call(self._specs, leaves), {}
        key, leaves = signature(args, kwargs)
        if self._reduce and key not in self._cache:
            key = self._relax(key)
        return key, leaves, args, kwargs

    def _relax(self, key):
        """``reduce_retracing``: the key with the sizes seen to vary set to None."""
        structure, shapes = key
        known = self._relaxed.get(structure)
        if known is None:
            self._relaxed[structure] = shapes
            return key
        if all(compatible(k, s) for k, s in zip(known, shapes)):
            return (structure, known)
        known = self._relaxed[structure] = tuple(generalize(k, s)
                                                 for k, s in zip(known, shapes))
        return (structure, known)

    def _trace(self, key, leaves, args, kwargs, seen=0):
        with self._lock:
            table = self._cache.get(key)        # programs traced meanwhile by another thread
            new = table.programs[:len(table.programs) - seen] if table is not None else ()
            for program in new:
                try:
                    return program(*leaves)
                except Retrace:
                    continue
                except Exception:
                    break
            self._tracing_count += 1
            self._warn_retracing(key)
            shapes = key[1]
            trace = Trace((), relaxed=any(None in s for s in shapes))
            with listening(trace, {t._backend for t in leaves}):
                tleaves = [_make(trace.input(t._value), t._backend) for t in leaves]
                targs, tkwargs = substitute(args, kwargs, tleaves) \
                    if self._specs is None else (rebuild_call(self._specs, tleaves), {})
                name_arguments(trace, self._fn, targs, tkwargs)
                try:
                    result = self._fn(*targs, **tkwargs)
                finally:
                    writes = trace.commit_variables()
            ids, spec, eager = outputs_of(trace, result)
            if not trace.created:
                self._keep(trace, key, ids, writes, leaves, result, spec, args, kwargs)
            self._last_key = key
            return eager

    def _keep(self, trace, key, ids, writes, leaves, result, spec, args, kwargs):
        """Compile and cache the trace's program (and its concrete function)."""
        program = _restoring(compile_trace(trace, ids, writes, leaves,
                                           returns_for(result, spec),
                                           _identifier(self._name), shapes=key[1],
                                           jit_compile=self._jit_compile))
        self._cache.setdefault(key, ProgramTable()).add(program)
        self._concrete.setdefault(key, ConcreteFunction(
            self, key, leaves, args, kwargs, output_specs(result, key[1], spec)))
        flat = self._specs is None and not kwargs and len(leaves) == len(args) and \
            all(type(a) is Tensor for a in args)
        self._fast = (len(args), program) if flat else self._fast

    def _call_recorded(self, args, kwargs):
        """A call while a tape records: one op on the tape (``composite.py``)."""
        key, leaves, args, kwargs = self._signature(args, kwargs)
        if key in self._not_joint or not joint_eligible(args, kwargs, leaves):
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
            restore = snapshot_streams()    # the program's first run draws what the
            try:                            # trace drew, as one eager call would
                program = trace_joint(self._fn, leaves, args, kwargs,
                                      _identifier(self._name), self._jit_compile)
            finally:
                restore()
            if program is NOT_JOINT:
                self._not_joint.add(key)
                program = None
            if program is not None:
                program.forward = _restoring(program.forward)
            if program is None:                   # it created Variables, or returned
                return self._fn(*args, **kwargs)  # other than traced Tensors: eager
            self._joint[key] = [program] + self._joint.get(key, [])
        return call_joint(program, self._fn, leaves, args, kwargs, self._name)

    def _warn_retracing(self, key):
        if self._tracing_count <= RETRACE_WARNING_AFTER or self._last_key is None \
                or self._warnings >= RETRACE_WARNINGS:
            return
        self._warnings += 1
        try:
            names = list(inspect.signature(self._fn).parameters)
        except (TypeError, ValueError):
            names = []
        last = "" if self._warnings < RETRACE_WARNINGS else \
            " (further retracing of this function is not reported)"
        warnings.warn(
            f"mg.function {self._name!r} has been traced {self._tracing_count} times: "
            f"{describe_change(self._last_key, key, names)}. Tracing is expensive; pass "
            f"Tensors instead of Python numbers that change, keep shapes and dtypes "
            f"fixed, or use reduce_retracing=True / input_signature for shapes that "
            f"vary{last}.", PerformanceWarning, stacklevel=4)

    def get_concrete_function(self, *args, **kwargs):
        """The ConcreteFunction for these arguments (Tensors, or TensorSpecs, or nothing
        with an input_signature), tracing if needed (``tf.function``'s). A TensorSpec
        traces on zeros of its shape (a ``None`` size: 1) and keeps its ``None`` sizes."""
        if not args and not kwargs and self._specs is not None:
            args = self._specs
        wanted = {}                             # id(placeholder) -> its spec's shape
        args, kwargs = _placeholders(args, wanted), _placeholders(kwargs, wanted)
        key, leaves, args, kwargs = self._signature(args, kwargs)
        if self._specs is None:
            key = (key[0], tuple(wanted.get(id(t), s) for t, s in zip(leaves, key[1])))
        if key not in self._concrete:
            self._trace(key, leaves, args, kwargs)
        return self._concrete[key]

    def pretty_printed_concrete_signatures(self, verbose=True):
        """Every traced signature, as ``ConcreteFunction.pretty_printed_signature()``."""
        return "\n\n".join(c.pretty_printed_signature(verbose)
                            for c in self._concrete.values())

    def program_source(self, *args, **kwargs):
        """The Python source of the program that a call with these arguments replays."""
        key, _, _, _ = self._signature(args, kwargs)
        table = self._cache.get(key)
        return table.programs[0].source if table is not None else None

    def __repr__(self):
        return f"<mg.function {self._name} (traced {self._tracing_count} times)>"


def _restoring(program):
    """A program with random steps, wrapped so that a replay that fails (a guard, an
    error) puts the random streams back before the next program or the trace draws."""
    if not program.draws:
        return program

    def run(*leaves):
        restore = snapshot_streams()
        try:
            return program(*leaves)
        except BaseException:
            restore()
            raise
    run.source, run.draws = program.source, True
    return run


def _flat_specs(specs):
    return nest.flatten(list(specs))


def _placeholders(obj, wanted):
    """TensorSpecs replaced by zero Tensors of their shape (None sizes: 1), to trace."""
    if isinstance(obj, TensorSpec):
        t = zeros([1 if d is None else d for d in obj.shape], dtype=obj.dtype)
        wanted[id(t)] = obj.shape
        return t
    if isinstance(obj, dict):
        return {k: _placeholders(v, wanted) for k, v in obj.items()}
    if type(obj) in (list, tuple):
        return type(obj)(_placeholders(x, wanted) for x in obj)
    return obj


def _identifier(name):
    clean = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return clean if clean.isidentifier() else "traced"


def function(func=None, *, input_signature=None, jit_compile=None, reduce_retracing=False,
             autograph=True, name=None, experimental_relax_shapes=None):
    """Trace ``func`` once per call signature and replay the compiled program (as
    ``tf.function``); usable as ``@mg.function`` or ``@mg.function(...)``. The keyword
    arguments are TensorFlow's: ``input_signature`` (a list of ``mg.TensorSpec``: one trace
    for every call that fits it, TypeError for one that does not), ``reduce_retracing``
    (sizes seen to change become ``None``: one more trace, not one per size), ``name``,
    ``jit_compile`` (``True`` fuses runs of elementwise steps into one compiled kernel each:
    Numba on NumPy, CuPy's kernels on CuPy; docs/design.md, "Fused kernels"; it replays
    unfused, with one warning, where the backend cannot); ``autograph`` and
    ``experimental_relax_shapes`` are accepted and unused."""
    if jit_compile not in (None, True, False):
        raise TypeError(f"mg.function: jit_compile must be None, True or False, not "
                        f"{jit_compile!r}")
    if func is None:
        return lambda f: Function(f, name, input_signature, reduce_retracing, jit_compile)
    return Function(func, name, input_signature, reduce_retracing, jit_compile)
