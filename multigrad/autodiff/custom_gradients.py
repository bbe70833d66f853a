"""User-defined gradients (``mg.custom_gradient``) and gradient checkpointing
(``mg.recompute_grad``).

Both replace the ops a function runs by one recorded ``Primitive`` created per call: the
function runs with the outer tapes paused (nothing it does is saved on them), its result
becomes the output of that Primitive, and the Primitive's VJP rule calls back into Python.

The tape calls a VJP rule with raw backend arrays for a first-order backward pass, and with
Tensors when an outer tape records the backward pass (higher order). The rules here wrap raw
cotangents into Tensors for the user's code and unwrap what it returns; in the higher-order
case they re-run the function with the outer tapes active, so the tensors the gradient
function closes over are themselves recorded and second derivatives are exact.
A cotangent with a leading batch axis (``tape.jacobian``) is handled one row at a time.
"""

import functools

from ..core import state as _state, nest
from ..core.primitive import Primitive, apply
from ..core.recorder import Recorder
from ..core.tape_entry import batch_ndim
from ..core.tensor import Tensor
from ..ops import convert_to_tensor
from .tape import GradientTape

__all__ = ["custom_gradient", "recompute_grad"]


class _VariableProbe(Recorder):
    """Stands in for a tape while a function runs: collects the trainable Variables it
    reads (as TensorFlow's VariableWatcher) and records nothing."""

    def __init__(self):
        self.variables = {}

    def _watch_variable(self, var):
        self.variables.setdefault(var._id, var)


def _run_unrecorded(f, args, kwargs):
    """``f(*args, **kwargs)`` with the outer tapes paused; also the Variables it read."""
    probe = _VariableProbe()
    token = _state.active_tapes.set((probe,))
    try:
        result = f(*args, **kwargs)
    finally:
        _state.active_tapes.reset(token)
    # As in TensorFlow, the function's own inputs are not "captured" Variables: a Variable
    # passed as an argument gets its gradient as an input, through grad_fn's first result.
    inputs = {a._id for a in args if isinstance(a, Tensor) and a._id}
    return result, [v for i, v in probe.variables.items() if i not in inputs]


def _flat_outputs(result, what):
    outputs = nest.flatten(result)
    for o in outputs:
        if not isinstance(o, Tensor):
            raise TypeError(f"{what}: the function must return Tensors (or a nested structure "
                            f"of them), got {type(o).__name__}")
    return outputs


def _record(name, args, variables, outputs, rule):
    """Record one Primitive joining ``args``' Tensors and ``variables`` to ``outputs``."""
    positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    inputs = tuple(args[i] for i in positions) + tuple(variables)
    raw = tuple(o._value for o in outputs)
    n = len(raw)
    prim = Primitive(name, (lambda ns, *xs: raw) if n > 1 else (lambda ns, *xs: raw[0]),
                     n_outputs=n)
    prim.defvjp_all(lambda ns, g, ans, *vals: rule(ns, g, ans, vals, positions))
    out = apply(prim, inputs)
    return list(out) if n > 1 else [out]


def _batched(ns, g, ans, one):
    """Run ``one(g)`` per row of a batched cotangent (jacobians) and stack the results."""
    batch = batch_ndim(g, ans)
    if not batch:
        return one(g)
    gs = g if isinstance(g, tuple) else (g,)
    rows = [one(tuple(x[k, ...] for x in gs) if isinstance(g, tuple) else gs[0][k, ...])
            for k in range(gs[0].shape[0])]
    out = []
    for pos in range(len(rows[0])):
        column = [r[pos] for r in rows]
        if any(c is None for c in column):
            out.append(None)
        else:
            out.append(ns.stack(column, axis=0))
    return tuple(out)


def _to_user(g, backend):
    """A cotangent as the user's code sees it: always a Tensor."""
    if isinstance(g, tuple):
        return tuple(_to_user(x, backend) for x in g)
    return g if isinstance(g, Tensor) else Tensor._make(g, backend)


def _from_user(value, like, backend, higher, what):
    """A gradient returned by user code, as the tape expects it (raw or Tensor)."""
    if value is None:
        return None
    dtype = like.dtype if isinstance(like, Tensor) else backend.dtype_of(like)
    t = convert_to_tensor(value, dtype=dtype, backend=backend)
    if t.shape != tuple(like.shape):
        raise ValueError(f"{what}: a returned gradient has shape {t.shape} but its input has "
                         f"shape {tuple(like.shape)}; return one gradient per input, each of "
                         f"the input's shape")
    return t if higher else t._value


# --- custom_gradient -------------------------------------------------------------------

def custom_gradient(f):
    """Decorator: ``f(*args)`` returns ``(y, grad_fn)`` and ``grad_fn`` defines the gradient.

    ``grad_fn(*upstream)`` (one upstream Tensor per output of ``f``) returns the gradients
    for ``f``'s positional arguments: one Tensor (or None) per argument, a single Tensor when
    ``f`` has one argument. When ``f`` reads trainable Variables, ``grad_fn`` must accept the
    keyword ``variables`` and return ``(input_grads, variable_grads)``, one variable gradient
    per Variable in ``variables``. As in ``tf.custom_gradient``.

    The ops inside ``f`` are not recorded on any tape: the custom gradient replaces them.
    Higher derivatives differentiate ``grad_fn`` itself (write it with mg ops); for that
    ``f`` runs once more while the outer backward pass is recorded, so ``f`` should be
    deterministic.
    """

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        if not _state.active_tapes.get():
            y, _ = _split(f(*args, **kwargs), f)
            return y
        (y, grad_fn), variables = _run_unrecorded(lambda *a, **k: _split(f(*a, **k), f),
                                                  args, kwargs)
        outputs = _flat_outputs(y, f"custom_gradient({f.__name__})")
        if variables:
            _check_accepts_variables(grad_fn, f)
        backend = outputs[0].backend

        def rule(ns, g, ans, vals, positions):
            higher = isinstance(g[0] if isinstance(g, tuple) else g, Tensor)
            fn = grad_fn
            if higher:   # re-run f while the outer tapes record: its closure is differentiable
                call_args = list(args)
                for pos, v in zip(positions, vals):
                    call_args[pos] = v
                _, fn = _split(f(*call_args, **kwargs), f)
            return _batched(ns, g, ans, lambda gk: _call_grad_fn(
                fn, gk, args, vals, positions, variables, backend, higher, f.__name__))

        out = _record(f.__name__, args, variables, outputs, rule)
        return nest.pack_like(y, out)
    return wrapped


def _split(result, f):
    if not (isinstance(result, (tuple, list)) and len(result) == 2 and callable(result[1])):
        raise TypeError(f"custom_gradient: {f.__name__} must return a pair (y, grad_fn) with "
                        f"grad_fn callable, got {type(result).__name__}")
    return result[0], result[1]


def _check_accepts_variables(grad_fn, f):
    import inspect       # only here: keeps ``import multigrad`` cheap
    try:
        params = inspect.signature(grad_fn).parameters
    except (TypeError, ValueError):
        return
    if "variables" not in params and not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        raise TypeError(
            f"custom_gradient: {f.__name__} reads trainable Variables, so its grad_fn must "
            f"accept a keyword argument 'variables' and return (input_grads, variable_grads)")


def _call_grad_fn(fn, g, args, vals, positions, variables, backend, higher, name):
    what = f"custom_gradient({name}): grad_fn"
    upstream = _to_user(g, backend)
    upstream = upstream if isinstance(upstream, tuple) else (upstream,)
    if variables:
        result = fn(*upstream, variables=variables)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise TypeError(f"{what} must return (input_grads, variable_grads) when the "
                            f"function reads Variables")
        input_grads, var_grads = result
        var_grads = list(var_grads) if isinstance(var_grads, (tuple, list)) else [var_grads]
        if len(var_grads) != len(variables):
            raise ValueError(f"{what} returned {len(var_grads)} variable gradient(s) for "
                             f"{len(variables)} Variable(s) read by the function")
    else:
        input_grads, var_grads = fn(*upstream), []
    if isinstance(input_grads, (tuple, list)):
        input_grads = list(input_grads)
    else:
        input_grads = [input_grads]
    if len(input_grads) != len(args):
        raise ValueError(f"{what} returned {len(input_grads)} gradient(s) but the function "
                         f"takes {len(args)} positional argument(s); return one per argument "
                         f"(None for arguments without a gradient)")
    n_in = len(positions)
    out = [_from_user(input_grads[pos], v, backend, higher, what)
           for pos, v in zip(positions, vals[:n_in])]
    out += [_from_user(vg, v, backend, higher, what) for vg, v in zip(var_grads, vals[n_in:])]
    return tuple(out)


# --- recompute_grad --------------------------------------------------------------------

def recompute_grad(f):
    """Gradient checkpointing (``tf.recompute_grad``): ``f`` runs without saving anything on
    the tapes; the backward pass runs ``f`` again under a tape and differentiates that.

    Trades compute for memory: one recorded entry instead of every intermediate of ``f``.
    ``f`` must be deterministic; it takes Tensors (and other values, passed through) and
    returns a Tensor or a nested structure of Tensors.
    """

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        if not _state.active_tapes.get():
            return f(*args, **kwargs)
        y, variables = _run_unrecorded(f, args, kwargs)
        outputs = _flat_outputs(y, f"recompute_grad({f.__name__})")
        backend = outputs[0].backend

        def rule(ns, g, ans, vals, positions):
            higher = isinstance(g[0] if isinstance(g, tuple) else g, Tensor)
            return _batched(ns, g, ans, lambda gk: _recompute_vjp(
                f, gk, args, kwargs, vals, positions, variables, backend, higher))

        out = _record(f.__name__, args, variables, outputs, rule)
        return nest.pack_like(y, out)
    return wrapped


def _recompute_vjp(f, g, args, kwargs, vals, positions, variables, backend, higher):
    n_in = len(positions)
    xs = [v if higher else Tensor._make(v, backend) for v in vals[:n_in]]
    call_args = list(args)
    for pos, x in zip(positions, xs):
        call_args[pos] = x
    with GradientTape(watch_accessed_variables=False) as tape:
        tape.watch([x for x in xs if x.dtype.is_differentiable])
        for var in variables:
            tape.watch(var)
        y = f(*call_args, **kwargs)
    upstream = _to_user(g, backend)
    upstream = list(upstream) if isinstance(upstream, tuple) else [upstream]
    targets = nest.flatten(y)
    upstream = [convert_to_tensor(u, dtype=t.dtype) for u, t in zip(upstream, targets)]
    # Integer inputs and outputs (a loop counter) carry no gradient: leaving them out keeps
    # the tape from warning about what the user never asked for.
    pairs = [(t, u) for t, u in zip(targets, upstream) if t.dtype.is_differentiable]
    sources = [x for x in xs if x.dtype.is_differentiable] + list(variables)
    grads = iter(tape.gradient([t for t, _ in pairs], sources,
                               output_gradients=[u for _, u in pairs]) if pairs
                 else [None] * len(sources))
    grads = [next(grads) if x.dtype.is_differentiable else None for x in xs] + list(grads)
    return tuple(None if gr is None else (gr if higher else gr._value) for gr in grads)
