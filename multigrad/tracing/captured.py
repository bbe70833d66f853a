"""Python state that a traced function reads on every call (an optimizer's learning rate
and other hyperparameters).

Such a value is a Python attribute, not a Tensor, so a trace would otherwise bake the
value it saw into the program (``opt.learning_rate = 0`` after tracing would be ignored).

- ``value_per_call(reader, backend, dtype)``: a 0-d Tensor of ``reader()``; inside a
  trace, a step of the program that calls ``reader()`` on every replay (an input of the
  program: a new value needs no new trace);
- ``read_per_call(reader)``: ``reader()`` as a Python value; inside a trace, a guard that
  calls ``reader()`` again on every replay and traces again if the value changed (for
  values the Python branches on).
"""

from ..core.tensor import Tensor
from .proxy import current_trace
from .trace import Node

__all__ = ["read_per_call", "value_per_call"]


def value_per_call(reader, backend, dtype):
    def make():
        return backend.asarray(reader(), dtype=dtype)
    make.draws = False              # a read, not a random draw: no stream snapshots
    trace = current_trace.get()
    if trace is None:
        return Tensor._make(make(), backend)
    token = current_trace.set(None)
    try:
        real = make()
    finally:
        current_trace.reset(token)
    return Tensor._make(trace.stateful(make, real), backend)


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
