"""How a traced call's result maps to a program's outputs, and back.

``outputs_of`` splits the result of a trace into the program values it returns and the
objects it returned as they are (constants, Python values); ``returns_for`` tells the
compiler how to build the same structure from the program's output arrays.
"""

from ..core import nest
from ..core.tensor import Tensor
from .proxy import Traced

__all__ = ["outputs_of", "returns_for", "builder"]

_make = Tensor._make


def outputs_of(trace, result):
    """(output ids, spec, the eager result of this call). ``spec`` holds, per leaf,
    (index, backend) for a program output or ("const", object) for a value the trace
    returned as is."""
    ids, spec, eager = [], [], []
    for leaf in nest.flatten(result):
        value = leaf._value if type(leaf) is Tensor else None
        if type(value) is Traced and value.trace is trace:
            spec.append((len(ids), leaf._backend))
            ids.append(value.id)
            eager.append(_make(value.real, leaf._backend))
        else:
            spec.append(("const", leaf))
            eager.append(leaf)
    return ids, spec, nest.pack_like(result, eager) if result is not None else None


def returns_for(result, spec):
    """``compile_trace``'s ``returns``: a form it writes out inline for a single Tensor or a
    flat tuple or list of them, else ``builder``."""
    if result is None:
        return None
    if type(result) is Tensor and spec[0][0] != "const":
        return ("tensor", _make, spec[0][1])
    if type(result) in (tuple, list) and all(type(t) is Tensor for t in result) \
            and all(i != "const" for i, _ in spec):
        return (type(result).__name__, _make, [b for _, b in spec])
    return builder(result, spec)


def builder(result, spec):
    """A function of the program's output arrays that builds the result's structure."""
    if result is None:
        return lambda values: None
    skeleton = nest.pack_like(result, [None] * len(spec))

    def build(values):
        leaves = [obj if i == "const" else _make(values[i], obj) for i, obj in spec]
        return nest.pack_like(skeleton, leaves)
    return build
