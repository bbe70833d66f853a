"""``Recorder``: what a recording op needs of a tape, the one interface ``primitive`` writes to.

``primitive.record`` runs on every op that sees an active recorder (``state.active_tapes``),
so the interface is plain attributes read and written directly, no properties or method
calls on the per-op path (declaring it costs nothing per op):

- ``_tracked``: the ids whose values the recorder follows. An op with a tracked input
  records; its outputs become tracked. (Read by forward mode and by ``mg.linalg``'s
  absent-cotangent test, too.)
- ``_entries``: the ``TapeEntry`` list, in execution order; ``record`` appends to it.
- ``_watch_accessed_variables``: whether a trainable Variable an op reads gets watched,
  through ``_watch_variable(var)``.

Two classes implement it: ``GradientTape`` (``autodiff/tape.py``), and the probe that
collects the Variables a ``custom_gradient`` function reads while recording nothing
(``autodiff/custom_gradients.py``).
"""

__all__ = ["Recorder"]


class Recorder:
    """Base of everything that can sit in ``state.active_tapes``. Subclasses set
    ``_tracked`` and ``_entries`` (a recorder that tracks nothing never records)."""

    __slots__ = ()
    _tracked = frozenset()
    _watch_accessed_variables = True

    def _watch_variable(self, var):
        """A trainable Variable an op read while this recorder was active."""
        raise NotImplementedError
