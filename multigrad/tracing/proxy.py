"""The traced value: a small proxy around a real backend array.

While ``mg.function`` traces, every raw array the ops and rules handle is a ``Traced``: it
carries the real (eagerly computed) array, so Python control flow sees real values, and an
id in the trace's program. Python operators, attribute reads that yield arrays, and method
calls on it are recorded as program steps; Python values read from it (``bool``, ``int``,
``float``, ``item``, ``__array__``) become guards. A proxy used outside its trace (kept
by a side effect) behaves like its real array, computed eagerly.
"""

import contextvars
import operator

from ..errors import LeakedTensorError, TracingError

__all__ = ["Traced", "current_trace", "unwrap", "TracingError", "LeakedTensorError"]

# The trace recording in this thread / task (None: nothing is traced here).
current_trace = contextvars.ContextVar("multigrad_current_trace", default=None)


def unwrap(obj):
    """``obj`` with every Traced replaced by its real array (nested tuples, lists, dicts)."""
    t = type(obj)
    if t is Traced:
        return obj.real
    if t is tuple or t is list:
        return t(unwrap(x) for x in obj)
    if t is dict:
        return {k: unwrap(v) for k, v in obj.items()}
    if t is slice:
        return slice(unwrap(obj.start), unwrap(obj.stop), unwrap(obj.step))
    return obj


def _live(proxy):
    """The running trace that records operations on ``proxy`` (its own, or a sub-trace of
    it: a cond branch or loop body capturing it), else None. A proxy whose trace has ended
    (leaked by a side effect) raises: its value is the one seen while tracing."""
    trace = current_trace.get()
    if trace is not None and (trace is proxy.trace or proxy.trace in trace.ancestors):
        return trace
    if proxy.trace.done:
        raise LeakedTensorError(LEAKED)
    return None


LEAKED = ("this tensor was made inside an mg.function while it traced and kept outside it (a "
          "side effect: a global, a list, self.x = ...); it stands for a value of the traced "
          "program, not a number. Return it from the function instead, or compute it outside.")


def _binary(fn, symbol, reflected=False):
    def method(self, other):
        trace = _live(self)
        a, b = (other, self) if reflected else (self, other)
        if trace is None:
            return fn(unwrap(a), unwrap(b))
        return trace.operator(fn, symbol, (a, b))
    return method


def _unary(fn, symbol):
    def method(self):
        trace = _live(self)
        if trace is None:
            return fn(self.real)
        return trace.operator(fn, symbol, (self,))
    return method


def _guarded(kind, convert):
    def method(self, *args):
        trace = _live(self)
        if trace is None:
            return convert(self.real, *args)
        return trace.guard(self, kind, convert(self.real, *args), args)
    return method


_BINARY = {
    "add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%",
    "pow": "**", "matmul": "@", "and": "&", "or": "|", "xor": "^", "lshift": "<<",
    "rshift": ">>",
}
_COMPARE = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}
_UNARY = {"neg": "-", "pos": "+", "invert": "~", "abs": "abs"}


_METADATA = frozenset({"shape", "dtype", "ndim", "device"})


class Traced:
    """A real array (``real``) with its id in the program of ``trace``."""

    __slots__ = ("real", "id", "trace")
    __array_ufunc__ = None           # NumPy defers ``ndarray * Traced`` to our __rmul__
    __array_priority__ = 10000
    __hash__ = None

    def __init__(self, real, id_, trace):
        self.real = real
        self.id = id_
        self.trace = trace

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if name in _METADATA:                  # fixed by the trace: readable even leaked
            if name == "shape" and self.trace.relaxed:
                live = current_trace.get()     # sizes vary in a relaxed trace: a guard,
                if live is not None and (live is self.trace or   # also where a cond
                                         self.trace in live.ancestors):   # branch reads it
                    live.guard_shape(self)
            return getattr(self.real, name)
        attr = getattr(self.real, name)
        trace = _live(self)
        if trace is None:
            return attr
        return trace.attribute(self, name, attr)

    def __setitem__(self, index, value):
        trace = _live(self)
        if trace is None:
            self.real[unwrap(index)] = unwrap(value)
        else:
            trace.setitem(self, index, value)

    def __getitem__(self, index):
        trace = _live(self)
        if trace is None:
            return self.real[unwrap(index)]
        return trace.operator(operator.getitem, "[]", (self, index))

    def __len__(self):
        trace = _live(self)
        if trace is not None and trace.relaxed:
            trace.guard_shape(self)
        return len(self.real)

    def __iter__(self):
        for i in range(len(self.real)):
            yield self[i]

    def __array__(self, dtype=None, copy=None):
        import numpy  # host conversion only (to_numpy): never used for math
        trace = _live(self)
        host = numpy.asarray(self.real)
        if trace is not None:
            trace.guard(self, "array", host.tolist(), ())
        return host if dtype is None else host.astype(dtype)

    def host(self, backend):
        """``Tensor.numpy()`` of a traced value: refused while its trace runs, and after
        it (``_live`` raises for a leaked proxy)."""
        if _live(self) is not None:
            raise TracingError(
                "Tensor.numpy() inside an mg.function: the traced program would return the "
                "value seen while tracing on every later call. Return the tensor from the "
                "function and call .numpy() on the result, or read a Python number with "
                "float(t) / int(t) / bool(t) (each read becomes a guard: a different value "
                "traces again), or call the function without mg.function.")
        return backend.to_numpy(self.real)

    def guarded_host(self, backend):
        """The host array an op reads for a Python decision (``Tensor._host_data``): a
        guard on all of its values."""
        host = backend.to_numpy(self.real)
        trace = _live(self)
        if trace is not None:
            trace.guard(self, "host", host.tolist(), (backend,))
        return host

    def scalar(self, backend):
        """A Python number read from a one-element traced tensor: a guard."""
        value = backend.to_numpy(self.real).reshape(()).item()
        trace = _live(self)
        if trace is not None:
            trace.guard(self, "scalar", value, (backend,))
        return value

    def __repr__(self):
        return f"<traced value %{self.id}: {self.real!r:.60}>"

    def in_branch(self):
        """Recorded inside a cond branch or loop body (a sub-trace), where a value read
        from data would change from one run of it to the next."""
        trace = current_trace.get()
        return trace is not None and bool(trace.ancestors)

    def describe(self, tensor):
        """How a traced Tensor prints (``print``, ``repr``, ``f"{x}"``): TF's symbolic
        form, ``Tensor("x:0", shape=(2,), dtype=float32)``, the value's name first."""
        name = self.trace.value_name(self.id)
        return f'Tensor("{name}:0", shape={tuple(self.real.shape)}, dtype={tensor.dtype.name})'

    __bool__ = _guarded("bool", lambda v: bool(v))
    __int__ = _guarded("int", lambda v: int(v))
    __index__ = _guarded("index", lambda v: operator.index(v))
    __float__ = _guarded("float", lambda v: float(v))
    __complex__ = _guarded("complex", lambda v: complex(v))
    item = _guarded("item", lambda v, *a: v.item(*a))
    tolist = _guarded("tolist", lambda v: v.tolist())


for _name, _symbol in {**_BINARY, **_COMPARE}.items():
    _fn = getattr(operator, _name + "_" if _name in ("and", "or") else _name)
    setattr(Traced, f"__{_name}__", _binary(_fn, _symbol))
    if _name in _BINARY:
        setattr(Traced, f"__r{_name}__", _binary(_fn, _symbol, reflected=True))
for _name, _symbol in _UNARY.items():
    setattr(Traced, f"__{_name}__", _unary(getattr(operator, _name), _symbol))
