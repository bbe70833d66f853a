"""``tensor_ops``: the rule vocabulary on Tensors, and how op modules use one another.

It mirrors ``Backend.ops`` name for name, so VJP rules written against one run unchanged
against the other (that is how a backward pass is itself recorded for higher order).
It starts empty and ``multigrad.ops`` fills it once every op module has loaded; an op
built from other ops (``tensordot`` from ``reshape`` and ``matmul``) calls them through
it, so the op modules never import one another in a circle.
"""

from types import SimpleNamespace

__all__ = ["tensor_ops"]

tensor_ops = SimpleNamespace()
