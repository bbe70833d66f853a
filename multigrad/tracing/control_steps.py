"""The program steps of structured control flow: one step holding sub-programs.

``CaseRunner`` runs one of several branch programs (``mg.cond``, ``mg.switch_case``);
``WhileRunner`` runs a condition and a body program until the condition is false
(``mg.while_loop``), keeping, when a gradient is wanted, the loop variables at the start of
every iteration (stacked: the backward loop reads them in reverse). Each is called with
raw arrays: the parent program's values and the sub-programs' captures.
"""

from .effects import run_now
from .program import Retrace
from .proxy import TracingError
from .trace import STATEFUL, Node

__all__ = ["CaseRunner", "WhileRunner", "record_step", "run_at_trace", "positions", "union"]


def positions(captures, wanted):
    """Where each of ``wanted`` is in ``captures`` (by identity: proxies compare
    elementwise)."""
    index = {id(c): k for k, c in enumerate(captures)}
    return [index[id(c)] for c in wanted]


def union(programs):
    """The captures of several sub-programs, each once, in first-seen order."""
    seen, out = set(), []
    for p in programs:
        for c in p.captures:
            if id(c) not in seen:
                seen.add(id(c))
                out.append(c)
    return out


class CaseRunner:
    """``(index, *captures) -> outputs`` of branch ``index`` (out of range: the last)."""

    def __init__(self, programs, captures):
        self.runs = [p.run for p in programs]
        self.picks = [positions(captures, p.captures) for p in programs]

    def __call__(self, index, *caps):
        k = int(index)
        if not 0 <= k < len(self.runs):
            k = len(self.runs) - 1
        return self.runs[k](*[caps[i] for i in self.picks[k]])


class WhileRunner:
    """``(*loop variables, *captures) -> (*final loop variables, *accumulated outputs,
    iteration count[, *history])``. The body returns the next loop variables, then
    outputs collected once per iteration (a TensorArray's writes), stacked at the end.
    With ``history``, the loop variables before each iteration and after the last,
    stacked (the backward loop reads them in reverse)."""

    def __init__(self, cond, body, captures, ops, history, accs, checks):
        self.cond, self.body = cond.run, body.run
        self.cond_picks = positions(captures, cond.captures)
        self.body_picks = positions(captures, body.captures)
        self.n = len(ops)
        self.ops = ops                  # per loop variable, its backend's ops
        self.history = history
        self.accs = accs                # per accumulated output: (ops, shape, dtype)
        self.checks = checks            # (accumulated output, first index): consecutive

    def __call__(self, *arrays):
        n = self.n
        state, caps = arrays[:n], arrays[n:]
        ccaps = [caps[i] for i in self.cond_picks]
        bcaps = [caps[i] for i in self.body_picks]
        cond, body = self.cond, self.body
        seen = [[v] for v in state] if self.history else None
        got = [[] for _ in self.accs]
        count = 0
        while bool(cond(*state, *ccaps)[0]):
            out = body(*state, *bcaps)
            state = out[:n]
            for kept, v in zip(got, out[n:]):
                kept.append(v)
            if seen is not None:
                for kept, v in zip(seen, state):
                    kept.append(v)
            count += 1
        blocks = tuple(ops.stack(kept, axis=0) if kept else
                       ops.zeros((0,) + shape, dtype=dtype)
                       for (ops, shape, dtype), kept in zip(self.accs, got))
        for k, start in self.checks:
            _check_consecutive(got[k], start)
        ops = self.ops[0]
        tail = (ops.asarray(count, dtype=ops.int32),)
        if seen is None:
            return tuple(state) + blocks + tail
        # Every state, the first and the last included: never empty, so the backward
        # loop's body can be traced even when the loop runs no iteration.
        return tuple(state) + blocks + tail + tuple(
            ops.stack(kept, axis=0) for ops, kept in zip(self.ops, seen))


def _check_consecutive(indices, start):
    for k, i in enumerate(indices):
        if int(i) != start + k:
            raise ValueError(
                f"mg.TensorArray.write inside a traced mg.while_loop: iteration {k} wrote "
                f"index {int(i)}, expected {start + k}; only writes at consecutive indices "
                f"from size() (one per iteration) are supported")


def run_at_trace(runner, args, what):
    """The step's real values while tracing; a guard inside a sub-program that fails here
    (Python control flow on a value that changes between iterations) cannot replay."""
    try:
        return run_now(runner, args)
    except Retrace:
        raise TracingError(
            f"{what}: Python code inside it read a tensor's value (if/while/int()/float() on "
            f"a tensor) that changes from one iteration or branch to the next; a traced "
            f"program cannot replay that. Use mg.cond / mg.while_loop inside it instead.") \
            from None


def record_step(trace, runner, args, real, effectful, name):
    """Append the step to ``trace``; returns the proxies of its outputs (a tuple)."""
    targs = trace.template(tuple(args), [])
    out = trace._new_id()
    trace.nodes.append(Node("call", out, runner, targs, None, STATEFUL if effectful else name))
    return trace.wrap(tuple(real), out)
