"""``mg.print`` (``tf.print``): print at run time, on every call, eager or traced.

Eagerly it prints at once. Inside ``mg.function`` it is a step of the program with an
effect (``tracing/effects.py``): the trace prints once (the first call runs the function),
and every replay prints again with that call's values, in program order.
"""

import sys

from ..core.tensor import Tensor
from .formatting import format_array
from ..tracing.effects import effects_dropped, effects_muted, record_effect, run_now
from ..tracing.proxy import current_trace

__all__ = ["print_"]


def print_(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """Print ``inputs`` as ``tf.print`` does: tensors in TF's format (``[0 1 2 ... 7 8 9]``,
    the first and last ``summarize`` elements of each dimension; -1 prints all), other
    objects as Python prints them, nested lists/tuples/dicts with tensors inside
    formatted item by item. ``output_stream``: ``sys.stderr`` (the default, as TF),
    ``sys.stdout``, any object with ``write``, or ``"file://path"`` (appended to)."""
    if isinstance(summarize, bool) or not isinstance(summarize, int) or \
            (summarize < 0 and summarize != -1):
        raise ValueError(f"mg.print: summarize must be a non-negative int or -1 (print "
                         f"everything), got {summarize!r}")
    for what, value in (("sep", sep), ("end", end)):
        if not isinstance(value, str):
            raise TypeError(f"mg.print: {what} must be a str, got {type(value).__name__}")
    write = _writer(output_stream)
    if effects_dropped():
        return
    tensors = []
    parts = [_template(x, tensors, top=True) for x in inputs]
    backends = [t._backend for t in tensors]

    def step(*raws):
        if effects_muted():
            return None
        texts = iter([format_array(b.to_numpy(r), summarize) for b, r in zip(backends, raws)])
        write(sep.join(_fill(p, texts) for p in parts) + end)
        return None

    raws = [t._value for t in tensors]
    trace = current_trace.get()
    if trace is not None:
        record_effect(trace, step, raws)
    run_now(step, raws)


class _Slot:
    """Where a tensor's text goes in the printed line."""


def _template(x, tensors, top=False):
    if isinstance(x, Tensor):
        tensors.append(x)
        return _Slot
    if isinstance(x, dict):
        return ("{", [(repr(k), _template(v, tensors)) for k, v in x.items()], "}")
    if isinstance(x, (list, tuple)):
        open_, close = ("[", "]") if isinstance(x, list) else ("(", ")")
        return (open_, [(None, _template(v, tensors)) for v in x], close)
    return str(x) if top else repr(x)


def _fill(part, texts):
    if part is _Slot:
        return next(texts)
    if isinstance(part, str):
        return part
    open_, items, close = part
    inner = ", ".join(_fill(v, texts) if k is None else f"{k}: {_fill(v, texts)}"
                      for k, v in items)
    return open_ + inner + close


def _writer(stream):
    if stream is None:
        return lambda text: sys.stderr.write(text)       # the stream at run time
    if isinstance(stream, str):
        if not stream.startswith("file://"):
            raise ValueError(f"mg.print: output_stream {stream!r} is not supported; pass "
                             f"sys.stdout, sys.stderr, an object with write(), or "
                             f"'file://path'")
        path = stream[len("file://"):]

        def append(text):
            with open(path, "a", encoding="utf-8") as f:
                f.write(text)
        return append
    if not hasattr(stream, "write"):
        raise TypeError(f"mg.print: output_stream must be sys.stdout, sys.stderr, an object "
                        f"with write() or 'file://path', got {type(stream).__name__}")
    return stream.write
