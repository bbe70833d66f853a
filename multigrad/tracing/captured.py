"""Python state that a traced function reads on every call (an optimizer's learning rate
and other hyperparameters): a guard that re-reads it on replay.

Such a value is a Python attribute, not a Tensor, so a trace would otherwise bake the
value it saw into the program (``opt.learning_rate = 0`` after tracing would be ignored).
``read_per_call(reader)`` returns ``reader()``; inside a trace it also records a guard
that calls ``reader()`` again on every replay and traces again if the value changed.
"""

from .proxy import current_trace
from .trace import Node

__all__ = ["read_per_call"]


def read_per_call(reader):
    trace = current_trace.get()
    if trace is None:
        return reader()
    token = current_trace.set(None)     # read as a replay reads it: no guards of its own
    try:                                # (a schedule of the step count would otherwise
        value = reader()                # trace again on every step)
    finally:
        current_trace.reset(token)
    trace.nodes.append(Node("guard", None, "python", (), None, ("python", value, reader)))
    return value
