"""Differentiable primitives: how one operation runs forward and is recorded.

A ``Primitive`` has a forward function ``forward(ns, *inputs, **params)`` written against
an array namespace, and VJP rules ``rule(ns, g, ans, *inputs, **params)`` written against
the same vocabulary. The tape calls the rules with raw arrays and the backend's ``ops``
for a first-order backward pass, and with Tensors and ``multigrad.ops.tensor_ops`` when an
outer tape is recording, so higher derivatives come from the same rules.
"""

from . import state as _state
from ..backend.select import get_backend, infer_backend, mismatch_error
from ..dtypes import python_data_dtype
from ..errors import InvalidArgumentError, InvalidIndexError
from .tape_entry import batch_ndim, new_entry, unbroadcast
from .tensor import Tensor, Variable

__all__ = ["Primitive", "apply", "unary_op", "binary_op", "record", "unbroadcast",
           "batch_ndim"]

_NO_PARAMS = {}
# Late-bound slots (multigrad/slots.py). ``_check_numerics``: set while mg.debugging checks
# numerics. ``_lift``: set while some mg.function traces, so a Tensor made outside the trace
# (a closure's constant) joins its program as a constant proxy, for the forward and the rules
# alike (array_api_strict's operators raise on a proxy right operand instead of deferring).
_check_numerics = None
_lift = None
_traced_type = None   # late-bound slot: mg.function's proxy type (leaked-tensor check)
_SCALARS = (int, float, bool, complex)
_make = Tensor._make


class Primitive:
    """One differentiable operation.

    forward:       forward(ns, *raw_inputs, **params) -> raw array (or tuple when
                   ``n_outputs > 1``), or the name of an array-namespace function.
    broadcasting:  the op broadcasts its inputs, so each input's cotangent is summed
                   back to that input's shape by one shared helper.
    differentiable=False marks ops whose outputs carry no gradient (comparisons,
                   argmax, stop_gradient ...): they are never recorded.
    check_output_dtype: the output may be an integer or bool tensor (a cast): such
                   outputs are not recorded, as integer tensors carry no gradient.
    """

    __slots__ = ("name", "forward", "forward_name", "vjps", "vjp_all", "broadcasting",
                 "differentiable", "n_outputs", "check_output_dtype")

    def __init__(self, name, forward, *, broadcasting=False, differentiable=True, n_outputs=1,
                 check_output_dtype=False):
        self.name = name
        # A string names a function of the array namespace (``"sin"``): the fast paths
        # call it directly instead of through a Python forward function.
        self.forward_name = forward if isinstance(forward, str) else None
        self.forward = _namespace_function(forward) if isinstance(forward, str) else forward
        # Only ops whose output may be non-float (casts) pay for a dtype check when recording.
        self.check_output_dtype = check_output_dtype
        self.vjps = ()
        self.vjp_all = None
        self.broadcasting = broadcasting
        self.differentiable = differentiable
        self.n_outputs = n_outputs

    def defvjp(self, *rules):
        """One rule per positional input (None: that input gets no gradient)."""
        self.vjps = rules
        return self

    def defvjp_all(self, rule):
        """One rule returning a tuple of cotangents, one per input (for variadic ops)."""
        self.vjp_all = rule
        return self

    def __repr__(self):
        return f"<Primitive {self.name}>"


def _namespace_function(name):
    def forward(ns, *inputs):
        return getattr(ns, name)(*inputs)
    return forward


def _bad_input(prim, x):
    return TypeError(
        f"mg.{prim.name}: expected a Tensor, a backend array or a Python number, "
        f"got {type(x).__name__} ({x!r:.80})")


def _resolve(prim, inputs):
    """The backend these inputs live on and their raw values."""
    backend = None
    raws = list(inputs)
    data_positions = None
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor):
            b = x._backend
            raws[i] = x._value
        elif isinstance(x, _SCALARS):
            continue
        elif isinstance(x, (list, tuple, range)):
            data_positions = (data_positions or []) + [i]
            continue
        else:
            b = infer_backend(x)
            if b is None:
                raise _bad_input(prim, x)
        if backend is None:
            backend = b
        elif b is not backend:
            raise mismatch_error(f"mg.{prim.name}", backend, b)
    if backend is None:
        backend = get_backend()
        # No array at all: Python numbers become tensors with TensorFlow's defaults.
        for i, x in enumerate(raws):
            if isinstance(x, _SCALARS):
                raws[i] = backend.asarray(x, python_data_dtype(x))
    if data_positions:
        for i in data_positions:
            raws[i] = backend.asarray(inputs[i], python_data_dtype(inputs[i]))
    return backend, raws


def _explain(prim, exc, raws):
    for x in raws:
        if type(x) is _traced_type and x.trace.done:
            x.host(None)         # a tensor leaked from mg.function: raises, saying so
    parts = []
    for x in raws:
        shape = getattr(x, "shape", None)
        parts.append(f"shape {tuple(shape)} {x.dtype}" if shape is not None
                     else f"{type(x).__name__} {x!r:.40}")
    message = f"mg.{prim.name}: {exc} (inputs: {'; '.join(parts)})"
    try:
        # A backend's plain ValueError / IndexError is TF's InvalidArgumentError (shapes
        # that do not broadcast, a bad index), still a ValueError / IndexError.
        return _TF_ERROR.get(type(exc), type(exc))(message)
    except Exception:  # noqa: BLE001 - exception types with unusual constructors
        return ValueError(message)


_TF_ERROR = {ValueError: InvalidArgumentError, IndexError: InvalidIndexError}


def apply(prim, inputs, params=_NO_PARAMS):
    """Run ``prim`` on ``inputs`` and record it on every tape that tracks one of them."""
    backend, raws = _resolve(prim, inputs)
    if _lift is not None:
        raws = [_lift(r) for r in raws]
    try:
        out = prim.forward(backend.ops, *raws, **params)
    except (ValueError, TypeError, IndexError) as exc:
        raise _explain(prim, exc, raws) from exc
    if _check_numerics is not None:     # mg.debugging.enable_check_numerics()
        _check_numerics(prim, out, backend.ops, None)
    if backend.canonical is not None:    # through ops: a traced call records it as a step
        canonical = backend.ops.canonical
        out = canonical(out) if prim.n_outputs == 1 else tuple(map(canonical, out))
    if prim.n_outputs == 1:
        result = _make(out, backend)
    else:
        result = tuple(_make(o, backend) for o in out)
    tapes = _state.active_tapes.get()
    if tapes and prim.differentiable:
        record(prim, params or None, raws, inputs, result, tapes)
    return result


def unary_op(prim, _new=object.__new__):
    """The public function of a one-input, parameter-free primitive: the per-op fast path.

    A Tensor input runs inline (no intermediate calls: on tiny arrays Python call overhead
    is what separates multigrad from hand-written NumPy); anything else goes to ``apply``.
    """
    forward_name = prim.forward_name
    forward = prim.forward

    def op(x, name=None):
        if type(x) is not Tensor:
            return apply(prim, (x,))
        backend = x._backend
        value = x._value
        try:
            if forward_name is not None:
                out = getattr(backend.ops, forward_name)(value)
            else:
                out = forward(backend.ops, value)
        except (ValueError, TypeError, IndexError) as exc:
            raise _explain(prim, exc, (value,)) from exc
        if _check_numerics is not None:
            _check_numerics(prim, out, backend.ops, None)
        result = _new(Tensor)       # Tensor._make, inlined: a call per op is measurable
        result._value = out
        result._backend = backend
        result._id = 0
        xid = x._id
        if xid:
            for tape in _state.active_tapes.get():
                if xid in tape._tracked:
                    if not result._id:
                        result._id = _state.next_id()
                    tape._tracked.add(result._id)
                    tape._entries.append(new_entry(prim, None, (value,), (x,), (xid,), result))
        return result
    return op


def binary_op(prim, _new=object.__new__):
    """The public function of a broadcasting two-input primitive: the per-op fast path for
    Tensors and Python numbers (anything else goes to ``apply``)."""
    forward_name = prim.forward_name
    forward = prim.forward

    def op(x, y, name=None):
        tx, ty = type(x), type(y)
        if tx is Tensor:
            backend = x._backend
            xid = x._id
            xv = x._value
            if ty is Tensor:
                if y._backend is not backend:
                    raise mismatch_error(f"mg.{prim.name}", backend, y._backend)
                yid = y._id
                yv = y._value
            elif ty is float or ty is int:
                yid = 0
                yv = y
            else:
                return apply(prim, (x, y))
        elif ty is Tensor and (tx is float or tx is int):
            backend = y._backend
            xid, yid = 0, y._id
            xv, yv = x, y._value
        else:
            return apply(prim, (x, y))
        if _lift is not None:
            xv, yv = _lift(xv), _lift(yv)
        try:
            if forward_name is not None:
                out = getattr(backend.ops, forward_name)(xv, yv)
            else:
                out = forward(backend.ops, xv, yv)
        except (ValueError, TypeError, IndexError) as exc:
            raise _explain(prim, exc, (xv, yv)) from exc
        if _check_numerics is not None:
            _check_numerics(prim, out, backend.ops, None)
        result = _new(Tensor)       # Tensor._make, inlined (as in unary_op)
        result._value = out
        result._backend = backend
        result._id = 0
        if xid or yid:
            for tape in _state.active_tapes.get():
                tracked = tape._tracked
                a = xid if xid in tracked else None
                b = yid if yid in tracked else None
                if a is None and b is None:
                    continue
                if not result._id:
                    result._id = _state.next_id()
                tracked.add(result._id)
                tape._entries.append(new_entry(prim, None, (xv, yv), (x, y), (a, b), result))
        return result
    return op


def record(prim, params, raws, inputs, result, tapes):
    """Append one entry to each tape tracking an input; the output becomes tracked there
    (each tape through the ``Recorder`` interface, ``recorder.py``).

    Entries keep raw values for a first-order backward pass and the Tensors for a
    recorded (higher-order) one (``tape_entry.TapeEntry``).
    """
    saved = None
    for tape in tapes:
        tracked = tape._tracked
        ids = None
        for i, x in enumerate(inputs):
            if type(x) is Variable:
                if tape._watch_accessed_variables and x.trainable:
                    tape._watch_variable(x)
            elif type(x) is not Tensor:
                continue
            if x._id in tracked:
                if ids is None:
                    ids = [None] * len(inputs)
                ids[i] = x._id
        if ids is None:
            continue
        if prim.check_output_dtype and not _any_differentiable(result):
            return
        if saved is None:
            saved = tuple(x._snapshot() if type(x) is Variable else x for x in inputs)
            if prim.n_outputs == 1:
                if not result._id:
                    result._id = _state.next_id()
            else:
                for o in result:
                    o._id = o._id or _state.next_id()
        if prim.n_outputs == 1:
            tracked.add(result._id)
        else:
            tracked.update(o._id for o in result)
        tape._entries.append(new_entry(prim, params, tuple(raws), saved, tuple(ids), result))


def _any_differentiable(result):
    outputs = result if isinstance(result, tuple) else (result,)
    return any(o._backend.dtype_of(o._value).is_differentiable for o in outputs)
