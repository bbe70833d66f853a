"""Random draws inside ``mg.function``: a step of the program that runs on every replay.

A draw made on the host (``mg.random``) is not a backend call, so a trace would otherwise
keep the numbers it saw as a constant and every replay would return them again. As in
``tf.function``, where stateful random ops draw anew on each call, the draw is recorded
as a step (``Trace.stateful``) that calls it again, advancing the same streams as eager
calls would.
"""

from ..core.tensor import Tensor
from .proxy import current_trace

__all__ = ["replayed_draw"]


def replayed_draw(draw):
    """``draw()`` (a function returning a new Tensor of random values); inside a trace, the
    traced program calls it again on every replay."""
    trace = current_trace.get()
    if trace is None:
        return draw()
    token = current_trace.set(None)         # the draw itself is opaque to the trace
    try:
        tensor = draw()
    finally:
        current_trace.reset(token)
    value = trace.stateful(lambda: draw()._value, tensor._value)
    return Tensor._make(value, tensor._backend)
