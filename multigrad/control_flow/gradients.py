"""Gradients of traced control flow: a recorded step as one op on the tapes.

Inside ``mg.function``, ``mg.cond`` / ``mg.switch_case`` / ``mg.while_loop`` are one
program step each; while a tape records, the step is also one ``Primitive`` on it, whose
VJP is written with the same control flow on Tensors (so it traces to steps too, and a tape
recording the backward pass differentiates it again: second order and up):

- a branch's VJP is a ``switch_case`` on the same index over the branches' VJPs, each
  running its branch again under a tape;
- a loop's VJP is a ``while_loop`` running the body's VJP from the last iteration back to
  the first, on the loop variables the forward step kept (its history outputs), adding
  up the gradients of the captured Tensors.

A branch or body run again for its gradient prints nothing (TF's gradients never do).
"""

from ..core import state as _state, nest
from ..ops import add, zeros_like
from ..core.primitive import Primitive, apply
from ..autodiff.tape import GradientTape
from ..core.tensor import Tensor
from ..tracing.effects import dropping_effects

__all__ = ["record_primitive", "branch_vjp", "body_vjp_step", "history_row"]

_make = Tensor._make

# Row ``k`` (a scalar int tensor) of a loop's history. Its length changes from call to
# call, so neither the forward nor the rule may read it as a Python number (getitem's rule
# builds its cotangent from the traced shape), and both stay within the Array API (no
# integer-array indexing beside slices, no item assignment): a take, and a mask of the
# row's position counted along the history.
def _row(ns, h, k):
    return ns.take(h, ns.reshape(k, (1,)), axis=0)[0, ...]


def _row_vjp(ns, g, ans, h, k):
    rest = tuple(range(1, len(h.shape)))
    zeros = ns.zeros_like(h)
    # (n, 1, ..., 1) without reading n: a reshape or a slice would bake the traced length.
    column = ns.sum(zeros, axis=rest, keepdims=True) if rest else zeros
    position = ns.cumulative_sum(ns.ones_like(column), axis=0)
    mask = position == ns.astype(k, position.dtype) + 1
    return ns.where(mask, ns.reshape(g, (1,) + tuple(g.shape)), zeros)


_ROW = Primitive("history_row", _row)
_ROW.defvjp(_row_vjp, None)


def history_row(history, k):
    return apply(_ROW, (history, k))


def record_primitive(name, inputs, outputs, vjp):
    """Record one op joining ``inputs`` (Tensors, Variables) to ``outputs`` (Tensors whose
    values the step computed) on the active tapes; ``vjp(list of output cotangents, as
    Tensors) -> list of input cotangents (Tensors or None)``. Returns the recorded
    outputs."""
    raws = tuple(o._value for o in outputs)
    n = len(raws)
    prim = Primitive(name, (lambda ns, *xs: raws) if n > 1 else (lambda ns, *xs: raws[0]),
                     n_outputs=n)
    backends = [o._backend for o in outputs]

    def one(gk):
        gk = gk if isinstance(gk, tuple) else (gk,)
        if isinstance(gk[0], Tensor):                # a tape records this backward pass
            return tuple(vjp(list(gk)))
        paused = _state.active_tapes.set(())
        try:
            got = vjp([_make(x, b) for x, b in zip(gk, backends)])
        finally:
            _state.active_tapes.reset(paused)
        return tuple(None if x is None else x._value for x in got)

    prim.defvjp_all(lambda ns, g, ans, *vals: _rows(ns, g, ans, one))
    out = apply(prim, tuple(inputs))
    return list(out) if n > 1 else [out]


def _rows(ns, g, ans, one):
    """``one`` per row of a batched cotangent (a jacobian), stacked. The tape gives
    unbatched zeros to the outputs no cotangent reached, so the batch is read from the
    outputs that have one (and a zero row is the zeros themselves)."""
    gs, outs = (g, ans) if isinstance(g, tuple) else ((g,), (ans,))
    extra = [len(x.shape) - len(a.shape) for x, a in zip(gs, outs)]
    if not any(extra):
        return one(g)
    if max(extra) != 1:
        raise NotImplementedError("jacobians through mg.while_loop / mg.cond take one batch "
                                  "axis")
    n = next(x.shape[0] for x, e in zip(gs, extra) if e)
    rows = [one(tuple(x[k, ...] if e else x for x, e in zip(gs, extra))) for k in range(n)]
    return tuple(None if rows[0][p] is None else ns.stack([r[p] for r in rows], axis=0)
                 for p in range(len(rows[0])))


def _gradients(targets, sources, cotangents, tape):
    """d(targets)/d(sources) weighted by ``cotangents``, zeros where unconnected."""
    pairs = [(t, g) for t, g in zip(targets, cotangents)
             if isinstance(t, Tensor) and t.dtype.is_differentiable and g is not None]
    if not pairs or not sources:
        return [zeros_like(s) for s in sources]
    return tape.gradient([t for t, _ in pairs], list(sources),
                         output_gradients=[g for _, g in pairs],
                         unconnected_gradients="zero")


def branch_vjp(fn, captures, cotangents):
    """A branch for the VJP's ``switch_case``: the gradient of ``fn()`` with respect to
    ``captures``, weighted by ``cotangents``."""
    def grads():
        with GradientTape(persistent=True, watch_accessed_variables=False) as tape:
            tape.watch(captures)
            with dropping_effects():
                flat = nest.flatten(fn())
        return _gradients(flat, captures, cotangents, tape)
    return grads


def body_vjp_step(flat_body, history, g_history, g_rows, captures, diff):
    """The VJP loop's body: ``(k, cotangents of the loop variables after iteration k,
    captures' gradients so far) -> (k - 1, the cotangents before it, updated sums)``.
    ``diff``: positions of the differentiable loop variables; ``g_rows``: (position among
    the body's outputs, cotangent of the rows it wrote, one per iteration)."""
    def step(k, gv, gc):
        state = [history_row(h, k) for h in history]
        with GradientTape(persistent=True, watch_accessed_variables=False) as tape:
            tape.watch([state[j] for j in diff] + list(captures))
            with dropping_effects():
                out = flat_body(*state)
        targets = [out[j] for j in diff] + [out[p] for p, _ in g_rows]
        cots = list(gv) + [history_row(g, k) for _, g in g_rows]
        grads = _gradients(targets, [state[j] for j in diff] + list(captures), cots, tape)
        new_gv = [add(g, history_row(g_history[j], k)) for g, j in zip(grads, diff)]
        new_gc = [add(a, b) for a, b in zip(gc, grads[len(diff):])]
        return k - 1, new_gv, new_gc
    return step
