"""A traced function called while a GradientTape records: one op on that tape.

The first such call for a signature traces a joint program: the function runs under a
tape of the trace's own, and that tape's gradient of the (differentiable) outputs with
respect to the Tensor arguments and the trainable Variables read, with the cotangents as
extra inputs, is recorded too. The recording splits in two:

- the forward program: every step that does not depend on a cotangent; it returns the
  function's result and the residuals (the values the backward half reads), and performs
  the Variable writes;
- the backward program: the steps that do, from residuals and cotangents to gradients.

The call runs the forward program and records one ``Primitive`` on the outer tapes whose
VJP runs the backward program, so a first-order gradient through the call replays code
too. As in TensorFlow, tracing runs the function's Python (its Python side effects happen
then) and the compiled program then runs once for the call itself: Variables are written
once. A backward pass recorded by a tape (second order and up) differentiates the
function again, eagerly, like ``mg.recompute_grad``.

Used only for calls whose arguments are Tensors and Python values at the top level; other
calls, and traces that create Variables, run the function eagerly under the tape.
"""

from ..core import state as _state, nest
from ..autodiff.custom_gradients import _batched, _record, _recompute_vjp
from ..autodiff.tape import GradientTape
from ..core.tensor import Tensor
from .effects import dropping_effects, speculative
from .program import Retrace, compile_steps, compile_trace
from .proxy import Traced
from .record import listening
from .results import builder, outputs_of
from .trace import STATEFUL, Trace, refs_in

__all__ = ["JointProgram", "trace_joint", "call_joint", "NOT_JOINT"]

# trace_joint's answer for a call that can never be one op (a guard or a random draw in
# the backward half, a constant gradient, outputs that are not traced Tensors): the
# Function remembers it and runs such calls eagerly under the tape without tracing again.
NOT_JOINT = "not joint"

_make = Tensor._make


class JointProgram:
    """The forward and backward halves of one joint trace."""

    __slots__ = ("forward", "backward", "variables", "cot_outputs", "source", "written")

    def __init__(self, forward, backward, variables, cot_outputs, written=()):
        self.forward = forward              # (*leaves) -> (result, residual arrays)
        self.backward = backward            # (*residuals, *cotangents) -> gradients
        self.variables = variables          # trainable Variables read, in gradient order
        self.cot_outputs = cot_outputs      # flat output positions that take a cotangent
        self.written = written              # the Variables the forward program assigns
        self.source = forward.source + "\n" + backward.source


def joint_eligible(args, kwargs, leaves):
    """Tensors only at the top level of the arguments (the Primitive's inputs)."""
    return not any(isinstance(v, Tensor) or isinstance(v, (list, tuple, dict))
                   for v in kwargs.values()) and \
        sum(isinstance(a, Tensor) for a in args) == len(leaves) and \
        not any(type(a) is not Tensor and isinstance(a, Tensor) for a in args)


def trace_joint(fn, leaves, args, kwargs, name, jit_compile=False):
    """A JointProgram for this call, None (the trace created Variables: trace again next
    time) or NOT_JOINT (see there). Variables are left as they were: the caller
    runs the forward program (or the function) for the call's effects."""
    trace = Trace(())
    paused = _state.active_tapes.set(())          # the outer tapes see none of this
    try:
        # effects (mg.print) are recorded, not performed: the forward program performs
        # them when it runs for the call itself, right after
        with speculative(), listening(trace, {t._backend for t in leaves}):
            def traced(t):
                return _make(trace.input(t._value), t._backend)
            targs = [traced(a) if type(a) is Tensor else a for a in args]
            with GradientTape(persistent=True) as tape:
                tape.watch([t for t in targs if type(t) is Tensor and t.dtype.is_differentiable])
                result = fn(*targs, **kwargs)
            flat = nest.flatten(result)
            if trace.created:
                return None
            if not flat or not all(
                    type(o) is Tensor and type(o._value) is Traced and o._value.trace is trace
                    for o in flat):
                return NOT_JOINT
            differentiable = [k for k, o in enumerate(flat) if o.dtype.is_differentiable]
            sources = [t for t in targs if type(t) is Tensor]
            variables = [v for v in tape.watched_variables() if v.trainable]
            cots = [_make(trace.input(flat[k]._value.real), flat[k]._backend)
                    for k in differentiable]
            wrt = [t for t in sources + variables if t.dtype.is_differentiable]
            found = iter(tape.gradient([flat[k] for k in differentiable], wrt,
                                       output_gradients=cots) if differentiable and wrt
                         else [None] * len(wrt))
            grads = [next(found) if t.dtype.is_differentiable else None
                     for t in sources + variables]
            writes = trace.writes()        # not given to the Variables: the program does
    finally:
        _state.active_tapes.reset(paused)
    return _compile_joint(trace, result, flat, grads, writes, leaves, variables,
                          differentiable, [c._value.id for c in cots], name, jit_compile)


def _compile_joint(trace, result, flat, grads, writes, leaves, variables, differentiable,
                   cot_ids, name, jit_compile):
    grad_ids = []
    for g in grads:
        if g is None:
            grad_ids.append(None)
        elif type(g._value) is Traced and g._value.trace is trace:
            grad_ids.append(g._value.id)
        else:
            return NOT_JOINT                     # a gradient that is a constant
    depends = set(cot_ids)
    forward_nodes, backward_nodes = [], []
    for node in trace.nodes:
        if any(i in depends for i in refs_in(node.args, refs_in(node.kwargs or {}, []))):
            if node.kind in ("setitem", "guard", "raises") or node.extra == STATEFUL:
                return NOT_JOINT                 # the backward half must be pure
            backward_nodes.append(node)
            if node.out is not None:
                depends.add(node.out)
        else:
            forward_nodes.append(node)
    needed = set(i for i in grad_ids if i is not None and i not in depends)
    for node in backward_nodes:
        needed.update(refs_in(node.args, refs_in(node.kwargs or {}, [])))
    residuals = sorted(i for i in needed if i not in depends and i not in trace.consts)
    out_ids, spec, _ = outputs_of(trace, result)
    build, k = builder(result, spec), len(out_ids)
    forward = compile_trace(trace, out_ids + residuals, writes, leaves,
                            lambda values: (build(values[:k]), values[k:]),
                            f"{name}_forward", nodes=forward_nodes, jit_compile=jit_compile)
    backward = compile_steps(trace, backward_nodes, residuals + cot_ids, grad_ids,
                             f"{name}_backward", jit_compile)
    return JointProgram(forward, backward, variables, differentiable,
                        tuple(var for var, _ in writes))


def call_joint(program, fn, leaves, args, kwargs, name):
    """Run the forward program and record the call as one op on the active tapes."""
    before = [(var, var._array) for var in program.written]
    result, residuals = program.forward(*leaves)
    outputs = nest.flatten(result)
    backend = outputs[0]._backend
    picks = program.cot_outputs

    def rule(ns, g, ans, vals, positions):
        gs = g if isinstance(g, tuple) else (g,)
        if isinstance(gs[0], Tensor):             # a recorded backward pass: eager
            return _batched(ns, g, ans, lambda gk: _as_called(before, lambda: _recompute_vjp(
                fn, gk, args, kwargs, vals, positions, program.variables, backend, True)))

        def one(gk):
            gk = gk if isinstance(gk, tuple) else (gk,)
            try:
                return program.backward(*residuals, *[gk[k] for k in picks])
            except Retrace:                       # unreachable: guards stay forward
                raise RuntimeError("mg.function: the backward program of a traced call "
                                   "failed a guard") from None
        return _batched(ns, g, ans, one)

    out = _record(name, args, program.variables, outputs, rule)
    return nest.pack_like(result, out)


def _as_called(before, run):
    """``run()``, which calls the traced function again eagerly (a recorded backward pass),
    as the call ran it: the Variables it assigns hold their values from before the call
    (so its reads see what the call's did, and its writes are not made twice) and its
    ``mg.print``s are dropped; the Variables get their current values back after."""
    now = [(var, var._array) for var, _ in before]
    for var, array in before:
        var._array = array
    try:
        with dropping_effects():
            return run()
    finally:
        for var, array in now:
            var._array = array
