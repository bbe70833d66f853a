"""``mg.init_scope()``: step out of the trace being recorded, as ``tf.init_scope`` does.

Inside the block nothing is recorded: ops run eagerly on real values, a Variable created
there is an ordinary Variable made once, at trace time (the trace then reads it as any
other Variable, so the program is kept, where a Variable created in the trace itself makes
``mg.function`` trace again on the next call), and every GradientTape is paused (TF's
third rule of init_scope). Outside a trace it only pauses the tapes.
"""

import contextlib

from ..core import state as _state
from .proxy import current_trace

__all__ = ["init_scope"]


@contextlib.contextmanager
def init_scope():
    """Run the block eagerly, outside any ``mg.function`` trace and unrecorded by tapes."""
    trace_token = current_trace.set(None)
    tapes_token = _state.active_tapes.set(())
    try:
        yield
    finally:
        _state.active_tapes.reset(tapes_token)
        current_trace.reset(trace_token)
