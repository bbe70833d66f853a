"""Where a trace listens: the backends' ``ops`` and Variables' values.

While any trace runs, each backend it may touch has its ``ops`` replaced by a
``RecordingOps`` around the real one, and ``tensor._variable_hook`` and ``primitive._lift``
are set. All look at the context variable ``current_trace``: code running in any other
thread or task (no trace there) passes straight through to the real functions and arrays.
When the last trace in the process ends, the real ``ops`` and ``None`` hooks are put back,
so eager code pays nothing outside tracing.
"""

import threading
import types

from .. import slots as _slots
from ..backend.select import REGISTRY, get_backend
from .proxy import Traced, current_trace

__all__ = ["RecordingOps", "listening", "listen_to"]

# The Array API's extension namespaces: a module on NumPy, an adapter object on Dask
# (both are recorded alike, else the adapter's calls would run on the proxies unrecorded).
_EXTENSIONS = ("linalg", "fft")


class RecordingOps:
    """A backend's ``ops`` whose calls are recorded by the trace of the calling context."""

    def __init__(self, real, prefix=""):
        self._real = real
        self._prefix = prefix

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        fn = getattr(self._real, name)
        if isinstance(fn, types.ModuleType) or name in _EXTENSIONS:
            wrapped = RecordingOps(fn, f"{self._prefix}{name}.")
        elif callable(fn) and not isinstance(fn, type) and not name.startswith("_"):
            wrapped = _recording(fn, self._prefix + name)
        else:
            return fn                                  # dtypes, constants, _xp, _backend
        setattr(self, name, wrapped)
        return wrapped


def _recording(fn, name):
    def call(*args, **kwargs):
        trace = current_trace.get()
        if trace is None:
            return fn(*args, **kwargs)
        return trace.call(fn, args, kwargs, name)
    call.__wrapped__ = fn
    return call


class _VariableHook:
    """``Variable._value`` while tracing: reads and writes go to this context's trace."""

    @staticmethod
    def read(var):
        trace = current_trace.get()
        if trace is None:
            return var._array
        return trace.read_variable(var)

    @staticmethod
    def write(var, value):
        trace = current_trace.get()
        if trace is None:
            var._array = value
        else:
            trace.write_variable(var, value)


def _lift(value):
    """``primitive._lift`` while tracing: a raw array an op reads from a Tensor made outside
    the trace (a closure's constant), as a constant of this context's trace.
    array_api_strict's operators raise TypeError on a proxy right operand instead of
    deferring to it, so ``constant * traced`` must run as ``proxy * proxy``."""
    trace = current_trace.get()
    if trace is None or type(value) is Traced or not trace.is_array(value):
        return value
    return trace.constant(value)


_lock = threading.Lock()
_listening = {}     # id(backend) -> [backend, real ops, number of traces using it]
_traces = [0]       # traces running in the process


def listen_to(backend, trace):
    """Record ``backend``'s calls for ``trace`` (idempotent per trace)."""
    if id(backend) in trace.backends:
        return
    with _lock:
        slot = _listening.get(id(backend))
        if slot is None:
            slot = _listening[id(backend)] = [backend, backend.ops, 0]
            backend.ops = RecordingOps(slot[1])
        slot[2] += 1
    trace.backends[id(backend)] = backend
    trace.array_types.update(backend.array_types)


class listening:
    """Context manager around one trace: hooks installed, ``current_trace`` set."""

    def __init__(self, trace, backends):
        self.trace = trace
        self.backends = backends

    def __enter__(self):
        with _lock:
            _traces[0] += 1
            _slots.fill("variable_hook", _VariableHook)
            _slots.fill("lift", _lift)
        for backend in (get_backend(), *REGISTRY._loaded.values(), *self.backends):
            listen_to(backend, self.trace)
        self.token = current_trace.set(self.trace)
        return self.trace

    def __exit__(self, *exc):
        current_trace.reset(self.token)
        self.trace.done = True
        with _lock:
            for key in self.trace.backends:
                slot = _listening[key]
                slot[2] -= 1
                if not slot[2]:
                    slot[0].ops = slot[1]
                    del _listening[key]
            _traces[0] -= 1
            if not _traces[0]:
                _slots.fill("variable_hook", None)
                _slots.fill("lift", None)
        return False
