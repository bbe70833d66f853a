"""Names of a trace's inputs, for printing: the function's parameter names (as TF names
a graph's placeholders: ``Tensor("a:0", ...)``)."""

import inspect

from ..core import nest
from ..core.tensor import Tensor
from .proxy import Traced

__all__ = ["name_arguments"]


def name_arguments(trace, fn, args, kwargs):
    """Record in ``trace.names`` each traced Tensor argument's parameter name (``x``, or
    ``x_1``, ``x_2`` ... for the leaves of a nested argument)."""
    try:
        bound = inspect.signature(fn).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return
    for pname, value in bound.arguments.items():
        leaves = [leaf for leaf in nest.flatten(value)
                  if type(leaf) is Tensor and type(leaf._value) is Traced]
        for k, leaf in enumerate(leaves):
            trace.names.setdefault(leaf._value.id, pname if len(leaves) == 1 else f"{pname}_{k}")
