"""Random draws inside ``mg.function``: a step of the program that runs on every replay.

A draw made on the host (``mg.random``) is not a backend call, so a trace would otherwise
keep the numbers it saw as a constant and every replay would return them again. As in
``tf.function``, where stateful random ops draw anew on each call, the draw is recorded
as a step (``Trace.stateful``) that calls it again, advancing the same streams as eager
calls would. Its Tensor parameters (``mean=t``, ``maxval=t``) are inputs of that step, read
on every replay. ``snapshot_streams`` lets a replay that fails a guard (or a trace that is
followed by its program's first run) put the streams back, so that every call draws
exactly what one eager call draws.
"""

from ..core.tensor import Tensor
from .proxy import current_trace

__all__ = ["replayed_draw", "register_snapshot", "snapshot_streams"]

_snapshots = []     # functions taking a snapshot of some random streams: each returns
                    # a function that restores it


def register_snapshot(take):
    _snapshots.append(take)


def snapshot_streams():
    """A function that puts every registered random stream back to its state now."""
    restores = [take() for take in _snapshots]

    def restore():
        for r in restores:
            r()
    return restore


def replayed_draw(draw, *params):
    """``draw(*params)`` (a function returning a new Tensor of random values); inside a
    trace, the traced program calls it again on every replay, with the Tensors among
    ``params`` read from the program."""
    trace = current_trace.get()
    if trace is None:
        return draw(*params)
    token = current_trace.set(None)         # the draw itself is opaque to the trace
    try:
        tensor = draw(*params)
    finally:
        current_trace.reset(token)
    where = [k for k, p in enumerate(params) if isinstance(p, Tensor)]
    backends = [params[k]._backend for k in where]

    def again(*arrays):
        values = list(params)
        for k, array, backend in zip(where, arrays, backends):
            values[k] = Tensor._make(array, backend)
        return draw(*values)._value
    value = trace.stateful(again, tensor._value, tuple(params[k]._value for k in where))
    return Tensor._make(value, tensor._backend)
