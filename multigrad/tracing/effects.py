"""Steps with an effect (``mg.print``, ``mg.py_function``): run on every replay, in order.

An effect is recorded as a step marked ``STATEFUL``: dead-code elimination keeps it, the
simplifier neither folds nor shares it, and the compiled program runs it where the traced
code did. While a cond branch or loop body is traced ahead of running (``speculative``),
effects are recorded but not performed: the program performs them when it runs the
branch or the iteration for real.
"""

import contextvars

from .proxy import current_trace, unwrap
from .trace import STATEFUL, Node

__all__ = ["record_effect", "run_now", "speculative", "effects_muted", "paused_trace",
           "dropping_effects", "effects_dropped"]

# True while code runs only to be traced (a branch that may not be taken): no output.
_muted = contextvars.ContextVar("multigrad_effects_muted", default=False)
# True while a loop body or branch runs again for its gradient: its prints are not steps.
_dropped = contextvars.ContextVar("multigrad_effects_dropped", default=False)


def effects_dropped():
    return _dropped.get()


class dropping_effects:
    """Context manager: ``mg.print`` inside it neither prints nor records a step (a
    function run again to differentiate it, as TF's gradient never re-prints)."""

    def __enter__(self):
        self.token = _dropped.set(True)

    def __exit__(self, *exc):
        _dropped.reset(self.token)
        return False


def effects_muted():
    return _muted.get()


class speculative:
    """Context manager: effects are recorded, not performed, inside it."""

    def __enter__(self):
        self.token = _muted.set(True)

    def __exit__(self, *exc):
        _muted.reset(self.token)
        return False


class paused_trace:
    """Context manager: no trace listens inside it (code that runs for real)."""

    def __enter__(self):
        self.token = current_trace.set(None)

    def __exit__(self, *exc):
        current_trace.reset(self.token)
        return False


def record_effect(trace, step, args, result=None):
    """Append ``step(*args)`` to ``trace`` as a step with an effect; ``result`` is what it
    returned while tracing (an array or a tuple of arrays: their proxies are returned)."""
    targs = trace.template(tuple(args), [])
    out = trace._new_id()
    trace.nodes.append(Node("call", out, step, targs, None, STATEFUL))
    return None if result is None else trace.wrap(result, out)


def run_now(step, args):
    """``step`` on the real values of ``args``, with no trace listening."""
    with paused_trace():
        return step(*unwrap(tuple(args)))
