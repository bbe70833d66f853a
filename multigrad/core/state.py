"""Process state read on the per-op path: which tapes are recording right now.

A tuple (immutable, so readers never see it half-updated) in a context variable:
each thread and asyncio task records on its own tapes, as TensorFlow's are thread-local.
"""

import contextvars
import itertools

active_tapes = contextvars.ContextVar("multigrad_active_tapes", default=())

# Tensor identities for the tape: unique for the life of the process, never reused.
next_id = itertools.count(1).__next__
