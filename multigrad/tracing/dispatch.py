"""Programs of one signature key, looked up by the value their first guard saw.

Traces of one key run the same Python up to their first guard, so their programs share
that guard and differ in the value it saw (``int(n)`` for a loop count, a branch's
``bool``). A program whose first guard fails raises ``Retrace(seen)``; the table then
gives the programs traced for ``seen`` directly (none: trace), instead of trying every
program in turn (which made a call cost grow with the number of traces).
"""

__all__ = ["ProgramTable"]


def _hashable(value):
    if isinstance(value, list):
        return ("list", tuple(_hashable(v) for v in value))
    if isinstance(value, float) and value != value:
        return ("nan",)
    try:
        hash(value)
    except TypeError:
        return None
    return (type(value), value)


class ProgramTable:
    """The programs of one key: most recent first, and by first-guard value."""

    __slots__ = ("programs", "by_seen")

    def __init__(self):
        self.programs = []
        self.by_seen = {}

    def add(self, program):
        self.programs.insert(0, program)
        seen = _hashable(getattr(program, "first_seen", None))
        if seen is not None:
            self.by_seen.setdefault(seen, []).insert(0, program)

    def after(self, failed, retrace):
        """The programs to try after ``failed`` raised ``retrace``."""
        if retrace.args:
            seen = _hashable(retrace.args[0])
            if seen is not None:
                return [p for p in self.by_seen.get(seen, ()) if p is not failed]
        return [p for p in self.programs if p is not failed]
