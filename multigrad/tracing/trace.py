"""Recording one run of a function: the program of backend calls it made.

A ``Trace`` is the recorder of one ``mg.function`` trace. Backend calls reach it through
``RecordingOps`` (``record.py``), Python operators and method calls through the proxies
(``proxy.py``), Variable reads and writes through the hook on ``Variable._value``. Each
recorded step is a ``Node``; values are referred to by integer ids (``Ref``). Calls with no
traced input are not recorded: their results are constants of the program (constant
folding for free).
"""

import math
from typing import Any, NamedTuple

from .. import dtypes as _dt
from .proxy import Traced, TracingError, unwrap
from .record import listen_to

__all__ = ["Trace", "Node", "Ref", "Meta", "STATEFUL", "KEEP_BYTES", "refs_in", "shape_key"]

STATEFUL = "stateful"       # Node.extra of a step that must run on every replay

_PYTHON_SCALARS = (bool, int, float, complex, str, type(None))


class Ref:
    """A value of the program inside a node's argument template."""

    __slots__ = ("id",)

    def __init__(self, id_):
        self.id = id_

    def __repr__(self):
        return f"%{self.id}"


def refs_in(obj, out):
    """Append to ``out`` the id of every Ref in an argument template; returns ``out``."""
    t = type(obj)
    if t is Ref:
        out.append(obj.id)
    elif t is tuple or t is list:
        for x in obj:
            refs_in(x, out)
    elif t is dict:
        for x in obj.values():
            refs_in(x, out)
    return out


# Backend calls whose result's shape depends on their input's values. ``known_shape``: Dask
# leaves a masked result's size unknown (its guard reads None) until this call works it
# out, and what follows (a jacobian's rows) bakes that size in.
DATA_SHAPED = {"nonzero", "argwhere", "flatnonzero", "unique_values", "unique_counts",
               "unique_inverse", "unique_all", "unique", "extract", "compress", "trim_zeros",
               "known_shape"}


def _is_index_dtype(native):
    """An integer or boolean dtype (what masks, indices and counts are made of)."""
    try:
        dtype = _dt.as_dtype(native)
    except TypeError:
        return False
    return dtype.is_integer or dtype.is_bool


def shape_key(shape):
    """A shape as replay compares it: unknown sizes (None, NaN) read as None."""
    return tuple(None if d is None or d != d else int(d) for d in shape)


# Backend calls whose result is a view of their first argument (no memory of its own).
BROADCASTS = {"broadcast_to", "broadcast_like"}

# The trace keeps the values of arrays smaller than this (the compiler may fold them into
# constants); larger ones live only as long as the traced code holds them, as in eager.
KEEP_BYTES = 1 << 14


class Meta(NamedTuple):
    """What the compiler knows of a value it does not keep."""
    shape: tuple
    dtype: Any
    nbytes: int
    type: type
    chunks: Any = None  # a chunked backend's layout (Dask): it decides how later steps
                        # sum, so two values of one shape may still round differently
    c_order: Any = None     # C-contiguous (NumPy, CuPy; None where the order does not
                            # show): the memory order decides how a reduction over several
                            # axes sums, so no rewrite may change it


def _nbytes(real):
    try:
        n = getattr(real, "nbytes", None)
        if n is None:                     # the Array API has no nbytes
            n = math.prod(real.shape) * getattr(real.dtype, "itemsize", 8)
        return int(n)
    except (TypeError, ValueError):       # unknown sizes (a lazy array after a mask)
        return KEEP_BYTES


def _c_order(real):
    """True or False for an array whose memory order shows (NumPy, CuPy), else None."""
    flags = getattr(real, "flags", None)
    order = getattr(flags, "c_contiguous", None)
    return None if order is None else bool(order)


def _chunks(real):
    chunks = getattr(real, "chunks", None)
    return chunks if type(chunks) is tuple else None


class Node(NamedTuple):
    kind: str       # call, op, method, getattr, item, setitem, guard
    out: Any        # the id of the value it produces, or None
    fn: Any         # the real function (call), operator (op), a name (method, getattr)
    args: tuple     # argument template: Refs for program values, anything else constant
    kwargs: dict    # keyword template (call, method)
    extra: Any = None   # call: the ops name; op: its symbol; guard: (kind, observed value);
                        # item: the index


class Trace:
    """What one traced run did: nodes, inputs, constants, Variables read and written."""

    def __init__(self, array_types, relaxed=False):
        self.nodes = []
        self.relaxed = relaxed    # some input size is None: every shape read is a guard
        self.array_types = set(array_types)
        self.consts = {}          # id -> real array used as a constant
        self.meta = {}            # id -> Meta of each array value (for the compiler)
        self.small = {}           # id -> the real value, for small arrays only
        self.inputs = []          # ids of the argument arrays, in leaf order
        self.var_inputs = []      # (Variable, id) in first-read order
        self.var_now = {}         # id(Variable) -> (Variable, its current Traced)
        self.created = []         # Variables created during the trace
        self.backends = {}        # id -> Backend whose ops this trace records
        self._const_ids = {}      # id(array) -> its id as a constant (consts keeps it alive)
        self._held = []           # arrays copied into consts (their ids stay taken)
        self._next = 0
        self.ancestors = ()       # the traces this one is a sub-trace of (control flow)
        self.done = False         # set when it ends: its proxies then refuse to be used
        self.names = {}           # id -> a name for printing (the argument's name)
        self.dynamic = set()      # ids whose shape changes between calls (a loop's history)

    # --- values ---------------------------------------------------------------------

    def _new_id(self):
        self._next += 1
        return self._next

    def value(self, real, id_=None):
        id_ = self._new_id() if id_ is None else id_
        meta = self.meta[id_] = Meta(tuple(real.shape), real.dtype, _nbytes(real), type(real),
                                     _chunks(real), _c_order(real))
        if meta.nbytes < KEEP_BYTES:
            self.small[id_] = real
        return Traced(real, id_, self)

    def input(self, real):
        proxy = self.value(real)
        self.inputs.append(proxy.id)
        return proxy

    def ops_for(self, array_type):
        """The real ``ops`` of the backend whose arrays have this type, or None."""
        for backend in self.backends.values():
            if array_type in backend.array_types:
                return backend.ops
        return None

    def is_array(self, obj):
        t = type(obj)
        if t in self.array_types:
            return True
        if t in _PYTHON_SCALARS or isinstance(obj, (tuple, list, dict, type)):
            return False
        if hasattr(obj, "shape") and hasattr(obj, "dtype") and hasattr(obj, "__array_namespace__"):
            self.array_types.add(t)
            return True
        return False

    def template(self, obj, found):
        """``obj`` with program values as Refs (arrays that are not yet: constants)."""
        t = type(obj)
        if t is Traced:
            if obj.trace is not self:
                raise TracingError("a value from another trace reached this one (a tensor "
                                   "kept from an earlier traced call?); pass it as an argument")
            found.append(obj.id)
            return Ref(obj.id)
        if t is tuple or t is list:
            return t(self.template(x, found) for x in obj)
        if t is dict:
            return {k: self.template(v, found) for k, v in obj.items()}
        if t is slice and any(type(p) is Traced for p in (obj.start, obj.stop, obj.step)):
            raise TracingError("a traced value used as a slice bound cannot be replayed; "
                               "convert it with int() first (that records a guard)")
        if self.is_array(obj):
            id_ = self._const_ids.get(id(obj))
            if id_ is None:                   # one program constant per array object
                kept = obj
                if getattr(getattr(obj, "flags", None), "writeable", False):
                    # A caller's mutable array (a closure's NumPy array): captured by
                    # value now, as TF captures it, never read half old, half new.
                    kept = obj.copy()
                    self._held.append(obj)    # its id stays its own while mapped
                id_ = self._const_ids[id(obj)] = self.value(kept).id
                self.consts[id_] = kept
            found.append(id_)
            return Ref(id_)
        return obj

    def wrap(self, result, out):
        """The result of a recorded step, as the traced code sees it."""
        if self.is_array(result):
            return self.value(result, out)
        if isinstance(result, (tuple, list)):
            items = []
            for i, item in enumerate(result):
                sub = self._new_id()
                self.nodes.append(Node("item", sub, None, (Ref(out),), None, i))
                items.append(self.wrap(item, sub))
            if hasattr(result, "_make"):          # namedtuple (linalg results)
                return type(result)._make(items)
            return type(result)(items)
        if isinstance(result, _PYTHON_SCALARS) or hasattr(result, "item"):
            # A Python value computed from traced data: replay checks it is the same.
            self.nodes.append(Node("guard", None, "value", (Ref(out),), None, ("value", result)))
        return result

    def value_name(self, id_):
        """A name for a value, as TF names graph tensors: the argument's name for an
        input, else the name of the step that made it (``add``, ``add_1`` ...)."""
        name = self.names.get(id_)
        if name is not None:
            return name
        base = "Const" if id_ in self.consts else "input" if id_ in self.inputs else "value"
        for node in self.nodes:
            if node.out == id_:
                fn = node.extra if node.kind == "call" and type(node.extra) is str \
                    else node.fn if type(node.fn) is str else getattr(node.fn, "__name__", None)
                base = fn if fn and fn != STATEFUL else node.kind
                break
        taken = set(self.names.values())
        name, k = base, 0
        while name in taken:
            k += 1
            name = f"{base}_{k}"
        self.names[id_] = name
        return name

    # --- recording ------------------------------------------------------------------

    def _record(self, kind, fn, args, kwargs, extra, result):
        found = []
        targs = self.template(args, found)
        tkwargs = self.template(kwargs, found) if kwargs else None
        consts = self.consts
        if all(i in consts for i in found):     # only constants in: a constant out
            return self.constant(result)
        out = self._new_id()
        self.nodes.append(Node(kind, out, fn, targs, tkwargs, extra))
        wrapped = self.wrap(result, out)
        if self.dynamic and any(i in self.dynamic for i in found):
            self.mark_dynamic(wrapped)
        if kind == "call" and extra in BROADCASTS and found[0] in consts:
            self.small[out] = result      # a view of a constant: the compiler may fold it
        if (kind == "call" and extra in DATA_SHAPED) or any(
                _is_index_dtype(self.meta[i].dtype)
                for i in found if i not in consts and i in self.meta):
            self._guard_shapes(wrapped)
        return wrapped

    def mark_dynamic(self, wrapped):
        """These values' shapes change from call to call (computed from a loop's
        history): the compiler folds nothing shaped like them."""
        if type(wrapped) is Traced:
            self.dynamic.add(wrapped.id)
        elif isinstance(wrapped, (tuple, list)):
            for item in wrapped:
                self.mark_dynamic(item)

    def _guard_shapes(self, wrapped):
        """The result's shape may depend on data (a mask, counts, indices): replay checks
        it, so that shapes read from it later (a mean's count) stay true."""
        if type(wrapped) is Traced:
            self.nodes.append(Node("guard", None, "shape", (Ref(wrapped.id),), None,
                                   ("shape", shape_key(wrapped.real.shape))))
        elif isinstance(wrapped, (tuple, list)):
            for item in wrapped:
                self._guard_shapes(item)

    def constant(self, result):
        if self.is_array(result):
            proxy = self.value(result)
            self.consts[proxy.id] = result
            return proxy
        if isinstance(result, (tuple, list)) and not hasattr(result, "_make"):
            return type(result)(self.constant(x) for x in result)
        return result

    def _raised(self, kind, fn, args, kwargs, exc):
        """A recorded step raised while tracing (the traced code may catch it: control
        flow): a ``raises`` node, which replay re-runs, raising Retrace unless it raises
        the same kind of exception again."""
        found = []
        try:
            targs = self.template(args, found)
            tkwargs = self.template(kwargs, found) if kwargs else None
        except TracingError:        # not replayable anyway: the original error goes on
            return
        if not all(i in self.consts for i in found):
            self.nodes.append(Node("raises", None, fn, targs, tkwargs, (kind, type(exc))))

    def call(self, fn, args, kwargs, name=None):
        try:
            result = fn(*unwrap(args), **unwrap(kwargs))
        except Exception as exc:
            self._raised("call", fn, args, kwargs, exc)
            raise
        return self._record("call", fn, args, kwargs, name, result)

    def operator(self, fn, symbol, operands):
        try:
            result = fn(*unwrap(operands))
        except Exception as exc:
            self._raised("op", fn, operands, None, exc)
            raise
        return self._record("op", fn, operands, None, symbol, result)

    def attribute(self, proxy, name, attr):
        if callable(attr) and not isinstance(attr, type):
            def method(*args, **kwargs):
                try:
                    result = attr(*unwrap(args), **unwrap(kwargs))
                except Exception as exc:
                    self._raised("method", name, (proxy,) + args, kwargs, exc)
                    raise
                return self._record("method", name, (proxy,) + args, kwargs, None, result)
            return method
        if self.relaxed and name in ("shape", "size"):
            self.guard_shape(proxy)
        if self.is_array(attr):
            return self._record("getattr", name, (proxy,), None, None, attr)
        return attr

    def setitem(self, proxy, index, value):
        proxy.real[unwrap(index)] = unwrap(value)
        found = []
        self.nodes.append(Node("setitem", None, None,
                               self.template((proxy, index, value), found), None))

    def stateful(self, draw, real, args=()):
        """A step whose value changes on every call (a random draw): ``draw(*args)`` runs
        again on every replay, and the step is never folded, shared or dropped."""
        out = self._new_id()
        self.nodes.append(Node("call", out, draw, self.template(args, []), None, STATEFUL))
        return self.value(real, out)

    def guard_shape(self, proxy):
        """A relaxed trace read a shape: replay checks it (sizes may vary there)."""
        self.guard(proxy, "shape", shape_key(proxy.real.shape), ())

    def guard(self, proxy, kind, observed, args):
        self.nodes.append(Node("guard", None, kind, (Ref(proxy.id),), None,
                               (kind, observed) + tuple(args)))
        return observed

    # --- Variables ------------------------------------------------------------------

    def read_variable(self, var):
        known = self.var_now.get(id(var))
        if known is not None:
            return known[1]
        listen_to(var._backend, self)
        proxy = self.value(var._array)
        self.var_inputs.append((var, proxy.id))
        self.var_now[id(var)] = (var, proxy)
        return proxy

    def write_variable(self, var, value):
        if id(var) not in self.var_now:
            try:
                var._array
            except AttributeError:            # a Variable created inside the trace
                self.created.append(var)
                var._array = unwrap(value)
        if type(value) is not Traced:
            value = self.constant(value)
            if type(value) is not Traced:
                raise TracingError(f"cannot trace assigning {type(value).__name__} to a "
                                   f"Variable")
        self.var_now[id(var)] = (var, value)

    def writes(self):
        """[(Variable, id of its new value)] for the Variables the trace assigned."""
        inputs = {id(var): i for var, i in self.var_inputs}
        return [(var, proxy.id) for key, (var, proxy) in self.var_now.items()
                if inputs.get(key) != proxy.id]

    def commit_variables(self):
        """Give every Variable written during the trace its real new value (the eager
        effect of this call); returns ``writes()``."""
        for var, proxy in self.var_now.values():
            var._array = proxy.real
        return self.writes()
