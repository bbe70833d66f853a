"""``mg.py_function`` (``tf.py_function``): a Python function as one step of the program.

Eagerly it calls ``func`` on the Tensors (a tape records the ops it runs, so gradients
flow through it). Inside ``mg.function`` it is a step with an effect
(``tracing/effects.py``): every replay calls ``func`` again with that call's concrete
Tensors, so its Python side effects happen on every call, not only while tracing.
"""

from .. import dtypes as _dt
from ..autodiff.custom_gradients import _record, _recompute_vjp
from ..core import state as _state
from ..core.convert import convert_to_tensor
from ..ops.creation import cast
from ..core.tensor import Tensor
from ..tracing.effects import record_effect, run_now
from ..tracing.proxy import current_trace

__all__ = ["py_function"]

_make = Tensor._make


def py_function(func, inp, Tout, name=None):
    """Call ``func(*inp)`` with eager Tensors and return its result converted to ``Tout``
    (a dtype: one Tensor; a list or tuple of dtypes: a list of Tensors; None: None)."""
    if not callable(func):
        raise TypeError(f"mg.py_function: func must be callable, got {type(func).__name__}")
    inputs = list(inp) if isinstance(inp, (list, tuple)) else [inp]
    tensors = [convert_to_tensor(x) for x in inputs]
    many = isinstance(Tout, (list, tuple))
    touts = [None if t is None else _dt.as_dtype(t) for t in (Tout if many else [Tout])]
    trace = current_trace.get()
    if trace is None:
        return _converted(func(*tensors), touts, many, Tout)
    backends = [t._backend for t in tensors]
    holder = {}

    def step(*raws):
        out = _converted(func(*[_make(r, b) for r, b in zip(raws, backends)]), touts, many,
                         Tout)
        if out is None:
            return None
        holder["backends"] = [o._backend for o in (out if many else [out])]
        values = tuple(o._value for o in (out if many else [out]))
        return values if many else values[0]

    raws = [t._value for t in tensors]
    real = run_now(step, raws)
    result = record_effect(trace, step, raws, real)
    if result is None:
        return None
    outs = [_make(v, b) for v, b in zip(result if many else [result], holder["backends"])]
    if _state.active_tapes.get() and any(t.dtype.is_differentiable for t in tensors):
        outs = _record("py_function", tensors, [], outs, _traced_vjp(func, touts, many, Tout,
                                                                      tensors, trace))
    return outs if many else outs[0]


def _traced_vjp(func, touts, many, Tout, tensors, trace):
    """The gradient rule of a traced ``py_function`` seen by a tape: a step that runs
    ``func`` again, eagerly under a tape, on each call's values (as TF's gradient of
    ``py_function`` does). Without it the traced result would be a constant to the tape."""
    backends = [t._backend for t in tensors]
    n = len(tensors)

    def eager(*ts):
        return _converted(func(*ts), touts, many, Tout)

    def vjp_step(*raws):
        grads = _recompute_vjp(eager, raws[n:] if many else raws[n], list(tensors), {},
                               raws[:n], list(range(n)), [], backends[0], False)
        return tuple(b.ops.zeros(r.shape, dtype=r.dtype) if g is None else g
                     for g, r, b in zip(grads, raws[:n], backends))

    def rule(ns, g, ans, vals, positions):
        gs = g if isinstance(g, tuple) else (g,)
        now = current_trace.get() or trace       # a loop's VJP records into its own
        if not isinstance(gs[0], Tensor):
            args = list(vals[:n]) + list(gs)
            return record_effect(now, vjp_step, args, run_now(vjp_step, args))
        # a tape records this backward pass (inside a traced loop's VJP, or second order)
        args = [v._value for v in vals[:n]] + [x._value for x in gs]
        grads = record_effect(now, vjp_step, args, run_now(vjp_step, args))
        outs = [_make(r, b) for r, b in zip(grads, backends)]
        return tuple(_record("py_function_gradient", list(vals[:n]) + list(gs), [], outs,
                             _no_second_order))
    return rule


def _no_second_order(ns, g, ans, vals, positions):
    raise NotImplementedError("mg.py_function inside mg.function: a gradient of its "
                              "gradient (second order) is not supported; call the function "
                              "eagerly for that")


def _converted(out, touts, many, Tout):
    if Tout is None:
        return None
    values = list(out) if isinstance(out, (list, tuple)) else [out]
    if len(values) != len(touts):
        raise ValueError(f"mg.py_function: func returned {len(values)} values, Tout names "
                         f"{len(touts)}")
    converted = [convert_to_tensor(v, dtype=d) if not isinstance(v, Tensor) or
                 v.dtype == d else cast(v, d) for v, d in zip(values, touts)]
    return converted if many else converted[0]

