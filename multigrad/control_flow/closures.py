"""The closure values a traced branch or loop body saw, restored while its gradient runs it.

The VJP of a traced ``mg.cond`` / ``mg.switch_case`` / ``mg.while_loop`` calls the user's
branch or body again, after the call returned. By then the code around it has often
rebound the very names the function closes over: ``s = mg.cond(p, lambda: s, lambda: -s)``
makes ``s`` the cond's own result, and the gradient run would differentiate the result
with respect to nothing (0 where TF, which runs each function once, gives the true value).
A ``ClosureSnapshot`` keeps the cells' contents as they were at trace time and puts them
back for the duration of the gradient run (then restores the current ones).
"""

import functools
import types

__all__ = ["ClosureSnapshot"]


def _cells(fn, seen, out):
    """The closure cells of ``fn`` and of the functions they hold (a body calling a
    helper closure), each once."""
    if isinstance(fn, functools.partial):
        fn = fn.func
    if isinstance(fn, types.MethodType):
        fn = fn.__func__
    if not isinstance(fn, types.FunctionType) or id(fn) in seen:
        return
    seen.add(id(fn))
    for cell in fn.__closure__ or ():
        try:
            value = cell.cell_contents
        except ValueError:          # a name not bound yet: nothing to restore
            continue
        out.append((cell, value))
        _cells(value, seen, out)


class ClosureSnapshot:
    """The cells of ``fns`` (and of the closures they reach) as they are now."""

    def __init__(self, fns):
        self.saved = []
        seen = set()
        for fn in fns:
            _cells(fn, seen, self.saved)

    def wrap(self, vjp):
        """``vjp`` run with the snapshot's values in the cells."""
        def run(*args):
            current = []
            for cell, value in self.saved:
                try:
                    current.append(cell.cell_contents)
                except ValueError:
                    current.append(_EMPTY)
                cell.cell_contents = value
            try:
                return vjp(*args)
            finally:
                for (cell, _), value in zip(self.saved, current):
                    if value is _EMPTY:
                        del cell.cell_contents
                    else:
                        cell.cell_contents = value
        return run


_EMPTY = object()
