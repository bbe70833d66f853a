"""Structured control flow: ``mg.cond``, ``mg.switch_case``, ``mg.while_loop`` (TF's).

Eagerly they are plain Python: the branch taken or each iteration runs its ops, which a
tape records one by one. Inside ``mg.function`` (a predicate, index or loop that the trace
cannot read as a constant) each is ONE step of the program holding sub-programs
(``tracing/subtrace.py``, ``tracing/control_steps.py``): both branches are traced, the
loop's condition and body once, so a loop whose trip count depends on data traces once.
While a tape records, the step is one op on it (``control_flow_grads.py``).
"""

from ..core import state as _state, nest
from .closures import ClosureSnapshot
from .gradients import body_vjp_step, branch_vjp, history_row, record_primitive
from ..core.convert import convert_to_tensor
from ..dtypes import as_dtype, int32
from .loop_layout import LoopLayout
from ..ops import add, logical_and, zeros_like
from ..core.tensor import Tensor
from ..tracing.control_steps import CaseRunner, WhileRunner, record_step, run_at_trace, union
from ..tracing.effects import run_now
from ..tracing.proxy import Traced, current_trace
from ..tracing.subtrace import trace_function, untraceable

__all__ = ["cond", "switch_case", "while_loop"]

_make = Tensor._make


def _traced(x):
    """``x`` is a Tensor whose value the running trace (or one around it) computes."""
    trace = current_trace.get()
    if trace is None or not isinstance(x, Tensor) or type(x._value) is not Traced:
        return False
    owner = x._value.trace
    return (owner is trace or owner in trace.ancestors) and x._value.id not in owner.consts


def _check_fn(fn, what, name):
    if not callable(fn):
        raise TypeError(f"{name}: {what} must be callable, got {type(fn).__name__}")


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` if ``pred`` else ``false_fn()`` (``tf.cond``). Inside mg.function with
    a traced ``pred``, both branches are traced and the program picks one per call; they
    must return the same structure and dtypes."""
    _check_fn(true_fn, "true_fn", "mg.cond")
    _check_fn(false_fn, "false_fn", "mg.cond")
    if not _traced(pred):
        return true_fn() if bool(pred) else false_fn()
    if pred.shape != () or not pred.dtype.is_bool:
        raise ValueError(f"mg.cond: pred must be a scalar bool tensor, got shape "
                         f"{pred.shape} dtype {pred.dtype.name}")
    return _traced_case(pred, [false_fn, true_fn], "mg.cond", order=[1, 0])  # TF traces
                                                                            # true_fn first


def switch_case(branch_index, branch_fns, default=None, name=None):
    """``branch_fns[branch_index]()`` (``tf.switch_case``); an index out of range runs
    ``default``, or the last branch when there is none. ``branch_fns``: a list of callables,
    a list of (int, callable) pairs or a dict, keys 0..n-1."""
    fns = _branches(branch_fns)
    if default is not None:
        _check_fn(default, "default", "mg.switch_case")
    if not _traced(branch_index):
        k = int(branch_index)
        return (fns[k] if 0 <= k < len(fns) else default or fns[-1])()
    if branch_index.shape != () or not branch_index.dtype.is_integer:
        raise TypeError(f"mg.switch_case: branch_index must be a scalar int32 or int64 "
                        f"tensor, got shape {branch_index.shape} dtype "
                        f"{branch_index.dtype.name}")
    return _traced_case(branch_index, fns + ([default] if default is not None else []),
                        "mg.switch_case")


def _switch(index, fns):
    """The VJP's branch choice: ``index`` (bool for a cond) picks among ``fns``."""
    if not _traced(index):
        return fns[int(index)]()
    return _traced_case(index, fns, "mg.cond")


def _branches(branch_fns):
    if isinstance(branch_fns, dict):
        branch_fns = sorted(branch_fns.items())
    fns = list(branch_fns)
    if fns and all(isinstance(p, tuple) and len(p) == 2 for p in fns):
        keys = [k for k, _ in fns]
        if sorted(keys) != list(range(len(keys))):
            raise ValueError(f"mg.switch_case: branch_fns keys must be 0, 1, ..., "
                             f"{len(keys) - 1}, got {sorted(keys)}")
        fns = [fn for _, fn in sorted(fns, key=lambda p: p[0])]
    if not fns:
        raise ValueError("mg.switch_case: branch_fns must not be empty")
    for k, fn in enumerate(fns):
        _check_fn(fn, f"branch_fns[{k}]", "mg.switch_case")
    return fns


def _trace_branches(trace, index, fns, order):
    programs, failed = [None] * len(fns), []
    k = int(_real(index._value))
    taken = k if 0 <= k < len(fns) else len(fns) - 1
    for k in order or range(len(fns)):
        try:
            programs[k] = trace_function(trace, fns[k], [], f"branch{k}")
        except Exception:      # noqa: BLE001 - deferred to a call that takes the branch
            if k == taken:
                raise
            failed.append(k)
    for k in failed:
        programs[k] = untraceable(programs[taken].outputs, programs[taken].structure)
    return programs


def _traced_case(index, fns, what, order=None, assigned=None):
    trace = current_trace.get()
    programs = _trace_branches(trace, index, fns, order)
    written = _unique(v for p in programs for v in p.written)
    if written and assigned is None:
        # Branches assign Variables: trace them again returning the new values (or the
        # old ones, where a branch does not assign), which the step outputs; then assign.
        result, values = _traced_case(
            index, [lambda fn=fn: (fn(), [_read(v) for v in written]) for fn in fns], what,
            order, written)
        for var, value in zip(written, values):
            var.assign(value)
        return result
    _same_outputs(programs, what)
    captures = union(programs)
    runner = CaseRunner(programs, captures)
    args = [index._value] + captures
    real = run_at_trace(runner, args, what)
    outs = record_step(trace, runner, args, real, any(p.effectful for p in programs),
                       "switch_case")
    if any(p.outputs != programs[0].outputs for p in programs):
        trace._guard_shapes(outs)         # branch shapes differ: replay checks which
    tensors = [_make(o, b) for o, (_, _, b) in zip(outs, programs[0].outputs)]
    caps = _unique(c for p in programs for c in p.capture_tensors)
    if caps and _state.active_tapes.get():
        tensors = record_primitive(
            "switch_case", caps, tensors, ClosureSnapshot(fns).wrap(
                lambda gs: _switch(index, [branch_vjp(fn, caps, gs) for fn in fns])))
    it = iter(tensors)
    structure = programs[0].structure
    return nest.pack_like(structure, [None if x is None else next(it)
                                      for x in nest.flatten(structure)])


def _same_outputs(programs, what):
    first = programs[0]
    for p in programs[1:]:
        if len(p.outputs) != len(first.outputs) or \
                _skeleton(p.structure) != _skeleton(first.structure):
            raise ValueError(f"{what}: the branches must return the same nested structure, "
                             f"got {first.structure!r:.100} and {p.structure!r:.100}")
        for k, (a, b) in enumerate(zip(first.outputs, p.outputs)):
            if a[1] != b[1]:
                raise TypeError(f"{what}: output {k} of the branches has dtype {a[1]} in "
                                f"one and {b[1]} in another; cast them to one dtype")


def _skeleton(structure):
    """A structure with its leaves replaced (None stays None: a branch may return None)."""
    return nest.pack_like(structure, [x is None for x in nest.flatten(structure)])


def _unique(tensors):
    seen, out = set(), []
    for t in tensors:
        if id(t) not in seen:
            seen.add(id(t))
            out.append(t)
    return out


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (``tf.while_loop``);
    returns the final loop variables in the structure of ``loop_vars``. At most
    ``maximum_iterations`` iterations when given. Inside mg.function the loop is one step
    traced once, whatever its trip count: the body must keep each loop variable's shape
    and dtype. ``shape_invariants``, ``parallel_iterations``, ``swap_memory`` are
    accepted for portability and not used."""
    _check_fn(cond, "cond", "mg.while_loop")
    _check_fn(body, "body", "mg.while_loop")
    single = not isinstance(loop_vars, (list, tuple))
    if maximum_iterations is not None:
        return _bounded(cond, body, loop_vars, maximum_iterations, single)

    def call(fn, state):
        return fn(state) if single else fn(*state)

    def step(state):
        out = _one_step(body, state, single)
        if not single and isinstance(out, (list, tuple)) and type(out) is not type(state) \
                and not hasattr(state, "_fields"):
            out = type(state)(out)
        return out

    if current_trace.get() is None:
        state = loop_vars
        while bool(call(cond, state)):
            state = step(state)
            _check_structure(loop_vars, state)
        return state
    return _traced_while(loop_vars, lambda s: call(cond, s), step)


def _bounded(cond, body, loop_vars, maximum_iterations, single):
    """TF's ``maximum_iterations``: a counter joins the loop variables."""
    def args(state):
        return (state,) if single else tuple(state)

    if current_trace.get() is None:
        count, state = 0, loop_vars
        while count < int(maximum_iterations) and bool(cond(*args(state))):
            state = _one_step(body, state, single)
            count += 1
        return state
    limit = convert_to_tensor(maximum_iterations, dtype=int32)
    _, state = while_loop(
        lambda i, s: logical_and(i < limit, cond(*args(s))),
        lambda i, s: (i + 1, _one_step(body, s, single)),
        (convert_to_tensor(0, dtype=int32), loop_vars))
    return state


def _one_step(body, state, single):
    out = body(state) if single else body(*state)
    if not single and len(state) == 1 and not isinstance(out, (list, tuple)):
        out = [out]                        # a one-variable body may return the value
    return out


def _check_structure(before, after):
    a, b = nest.flatten(before), nest.flatten(after)
    if len(a) != len(b):
        raise ValueError(f"mg.while_loop: body must return the structure of loop_vars "
                         f"({len(a)} values), got {len(b)} values: {after!r:.100}")


def _trace_loop(trace, layout, call_cond, step, carried):
    """The loop's condition and body as sub-programs; the Variables in ``carried`` are
    extra loop variables after the user's (their values in, their new values out)."""
    flat0 = layout.tensors + [_read(v) for v in carried]
    n = len(layout.tensors)

    def bind(flat):
        sub = current_trace.get()
        for var, t in zip(carried, flat[n:]):
            sub.bind_variable(var, t._value)

    def flat_cond(*flat):
        bind(flat)
        return call_cond(layout.pack(flat[:n]))

    def flat_body(*flat):
        bind(flat)
        out = layout.split(step(layout.pack(flat[:n])))
        return out[:n] + [_read(v) for v in carried] + out[n:]

    cprog = trace_function(trace, flat_cond, flat0, "while_cond")
    try:
        bprog = trace_function(trace, flat_body, flat0, "while_body")
    except Exception:          # noqa: BLE001 - a body this call does not run: deferred
        if bool(run_now(cprog.run, [t._value for t in flat0] + cprog.captures)[0]):
            raise
        bprog = untraceable([(tuple(t.shape), _native_dtype(t), t._backend) for t in flat0])
    return flat0, flat_body, cprog, bprog


def _traced_while(loop_vars, call_cond, step):
    trace = current_trace.get()
    layout = LoopLayout(loop_vars)
    carried = []
    while True:               # a body that assigns Variables is traced again carrying them
        flat0, flat_body, cprog, bprog = _trace_loop(trace, layout, call_cond, step, carried)
        new = [v for v in _unique(cprog.written + bprog.written) if v not in carried]
        if not new:
            break
        carried += new
    n = len(flat0)
    _check_loop(cprog, bprog, flat0)
    m = len(bprog.outputs) - n
    captures = union([cprog, bprog])
    caps = _unique(list(cprog.capture_tensors) + list(bprog.capture_tensors))
    tapes = _state.active_tapes.get()
    grad = bool(tapes) and (bool(caps) or any(
        t._id and any(t._id in tape._tracked for tape in tapes) for t in flat0))
    runner = WhileRunner(cprog, bprog, captures, [t._backend.ops for t in flat0], grad,
                         [(b.ops, shape, dtype) for shape, dtype, b in bprog.outputs[n:]],
                         [(2 * j, s) for j, s in enumerate(layout.starts())])
    args = [t._value for t in flat0] + captures
    real = run_at_trace(runner, args, "mg.while_loop")
    outs = record_step(trace, runner, args, real, cprog.effectful or bprog.effectful,
                       "while_loop")
    # One row per iteration: a history only the VJP reads (without baking its length in),
    # and a TensorArray's rows, whose length user code may read (a mean): a guard.
    trace.mark_dynamic(outs[n + m + 1:])
    trace._guard_shapes(outs[n + 1:n + m:2])
    tensors = [_make(o, b) for o, (_, _, b) in zip(outs, bprog.outputs)]
    finals, rows = tensors[:n], tensors[n + 1:n + m:2]
    count = _make(outs[n + m], flat0[0]._backend)
    if grad:
        history = [_make(o, t._backend) for o, t in zip(outs[n + m + 1:], flat0)]
        vjp = ClosureSnapshot([flat_body]).wrap(
            _while_vjp(flat_body, flat0, rows, history, count, caps))
        recorded = record_primitive("while_loop", flat0 + caps, finals + rows + history, vjp)
        finals, rows = recorded[:n], recorded[n:n + len(rows)]
        history[:] = recorded[n + len(rows):]   # the VJP reads the recorded ones: a tape
                                                # recording the backward pass goes through
    users = len(layout.tensors)
    for var, value in zip(carried, finals[users:]):
        var.assign(value)
    return layout.result(finals[:users], rows, count)


def _while_vjp(flat_body, flat0, rows, history, count, caps):
    n, r = len(flat0), len(rows)
    diff = [j for j, t in enumerate(flat0) if t.dtype.is_differentiable]
    written = [n + 1 + 2 * a for a, t in enumerate(rows) if t.dtype.is_differentiable]

    def vjp(gs):
        g_final, g_rows, g_history = gs[:n], gs[n:n + r], gs[n + r:]
        g_out = {n + 1 + 2 * a: g for a, g in enumerate(g_rows)}
        step = body_vjp_step(flat_body, history, g_history,
                             [(p, g_out[p]) for p in written], caps, diff)
        start = [add(g_final[j], history_row(g_history[j], count)) for j in diff]
        _, gv, gc = while_loop(lambda k, gv, gc: k >= 0, step,
                               (count - 1, start, [zeros_like(c) for c in caps]))
        by_position = dict(zip(diff, gv))
        return [by_position.get(j) for j in range(n)] + list(gc)
    return vjp


def _check_loop(cprog, bprog, flat0):
    if len(cprog.outputs) != 1 or cprog.outputs[0][0] != () or \
            not as_dtype(cprog.outputs[0][1]).is_bool:
        raise TypeError("mg.while_loop: cond must return a scalar bool tensor")
    for k, (t, (shape, dtype, _)) in enumerate(zip(flat0, bprog.outputs)):
        if tuple(t.shape) != shape:
            raise ValueError(
                f"mg.while_loop: loop variable {k} enters the loop with shape "
                f"{tuple(t.shape)}, but has shape {shape} after one iteration. Inside "
                f"mg.function a loop variable keeps its shape (shape_invariants are not "
                f"supported); pad it to a fixed size or use a Python loop.")
        if _native_dtype(t) != dtype:
            raise TypeError(f"mg.while_loop: loop variable {k} enters the loop with dtype "
                            f"{t.dtype.name}, but the body returns {dtype}")


def _real(value):
    return value.real if type(value) is Traced else value


def _read(var):
    """The Variable's value as the running trace sees it (assigned in this branch, carried
    by this loop, or captured)."""
    return _make(var._value, var._backend)


def _native_dtype(t):
    return _real(t._value).dtype
