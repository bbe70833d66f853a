"""Tracing a branch or loop body into a sub-program (``mg.cond``, ``mg.while_loop`` ...).

A ``SubTrace`` records a function on its own inputs, inside the trace that runs it (its
parent). A value of the parent (or of any trace around it) that the function uses, a
closure's tensor or a Variable, becomes a capture: an extra input of the sub-program,
which the parent's step passes in. The recording compiles to straight-line code (the
compiler's ``compile_steps``). Tracing is speculative: effects (``mg.print``) are recorded
but not performed, and the outer tapes see nothing; a probe tape that tracks what the
outer tapes track finds the captured Tensors that gradients must reach.
"""

from typing import Any, NamedTuple

from ..core import state as _state, nest
from ..core.convert import convert_to_tensor
from ..autodiff.tape import GradientTape
from ..core.tensor import Tensor
from .effects import effects_dropped, speculative
from .program import Retrace, compile_steps
from .proxy import Traced, TracingError
from .record import listening
from .trace import STATEFUL, Trace

__all__ = ["SubTrace", "SubProgram", "trace_function", "untraceable"]

_make = Tensor._make


class SubTrace(Trace):
    """The recording of one branch or body, inside ``parent``."""

    def __init__(self, parent):
        # a branch of a relaxed trace sees the same varying sizes: its shape reads guard too
        super().__init__(parent.array_types, relaxed=parent.relaxed)
        self.parent = parent
        self.ancestors = (parent,) + parent.ancestors
        self.captures = []        # the parent's proxies, in the order they were captured
        self._captured = {}       # id of a parent proxy -> this trace's proxy for it
        self.written = {}         # id -> Variable assigned here, in first-write order

    def capture(self, proxy):
        """This trace's input standing for ``proxy``, a value of an enclosing trace."""
        if proxy.trace is not self.parent:
            proxy = self.parent.capture(proxy)
        own = self._captured.get(proxy.id)
        if own is None:
            own = self._captured[proxy.id] = self.value(proxy.real)
            self.captures.append(proxy)
            if proxy.id in self.parent.dynamic:
                self.dynamic.add(own.id)
        return own

    def template(self, obj, found):
        if type(obj) is Traced and obj.trace is not self and obj.trace in self.ancestors:
            obj = self.capture(obj)
        return super().template(obj, found)

    def guard(self, proxy, kind, observed, args):
        if proxy.trace is not self:
            proxy = self.capture(proxy)
        return super().guard(proxy, kind, observed, args)

    def read_variable(self, var):
        known = self.var_now.get(id(var))        # assigned here, or a loop's carried value
        if known is not None:
            return known[1]
        return self.capture(self.parent.read_variable(var))

    def bind_variable(self, var, proxy):
        """Reads of ``var`` here see ``proxy`` (a loop variable carrying its value)."""
        self.var_now[id(var)] = (var, proxy)

    def write_variable(self, var, value):
        """An assign inside a branch or body: the step outputs the new value and the
        parent assigns it (``control_flow.py``); a run for a gradient drops it."""
        try:
            var._array
        except AttributeError:
            raise TracingError(
                f"Variable {var.name!r} is created inside an mg.cond / mg.switch_case branch "
                f"or an mg.while_loop body inside mg.function; create it outside (before "
                f"the first call)") from None
        if type(value) is not Traced:
            value = self.constant(value)
        self.var_now[id(var)] = (var, value)
        if not effects_dropped():
            self.written.setdefault(id(var), var)

    def output_id(self, value):
        if type(value) is Traced:
            return (value if value.trace is self else self.capture(value)).id
        return self.constant(value).id


class SubProgram(NamedTuple):
    run: Any              # (*input arrays, *capture arrays) -> tuple of output arrays
    captures: list        # the parent's proxies the run takes after the inputs
    capture_tensors: list  # captured Tensors and Variables that outer tapes track
    structure: Any        # what the function returned (its nested structure)
    outputs: list         # (shape, native dtype, backend) per flat output
    effectful: bool       # it holds a step with an effect: it must run on every replay
    written: tuple = ()   # the Variables it assigns (the caller makes them outputs)


def trace_function(parent, fn, inputs, name):
    """Trace ``fn(*inputs)`` (Tensors: arrays or the parent's proxies) into a SubProgram."""
    sub = SubTrace(parent)
    tapes = _state.active_tapes.get()
    outer = set().union(*(t._tracked for t in tapes))
    paused = _state.active_tapes.set(())
    try:
        with speculative(), listening(sub, {t._backend for t in inputs}):
            own = [_make(sub.input(_real(t._value)), t._backend) for t in inputs]
            with GradientTape(persistent=True) as probe:
                probe._tracked.update(outer)
                result = fn(*own)
                flat = [x if isinstance(x, Tensor) else convert_to_tensor(x)
                        for x in nest.flatten(result) if x is not None]   # None: no value
            out_ids = [sub.output_id(t._value) for t in flat]
    finally:
        _state.active_tapes.reset(paused)
    run = compile_steps(sub, sub.nodes, sub.inputs + [sub._captured[p.id].id
                                                      for p in sub.captures], out_ids, name)
    outputs = [(tuple(t.shape), _real(t._value).dtype, t._backend) for t in flat]
    effectful = any(node.extra == STATEFUL for node in sub.nodes)
    return SubProgram(run, sub.captures, _captured_tensors(probe, outer) if tapes else [],
                      result, outputs, effectful, tuple(sub.written.values()))


def untraceable(outputs, structure=None):
    """A branch or body that failed on the values it was traced with, where the call being
    traced does not run it (``x[i]`` in the branch not taken, with ``i`` out of range):
    a replay that takes it raises ``Retrace``, and the function traces again with values
    that run it (where an error is then the user's)."""
    def run(*arrays):
        raise Retrace
    return SubProgram(run, [], [], structure, outputs, False)


def _real(value):
    return value.real if type(value) is Traced else value


def _captured_tensors(probe, outer):
    """The Tensors and trainable Variables from outside that the function used and that an
    outer tape tracks (the inputs its gradient must reach)."""
    variables = probe.watched_variables()
    found = {v._id: v for v in variables if v.trainable}
    skip = {v._id for v in variables}
    for entry in probe._entries:
        for x, i in zip(entry.inputs, entry.ids):
            if i is not None and i in outer and i not in skip and i not in found \
                    and x.dtype.is_differentiable:
                found[i] = x
    return list(found.values())
