"""Every operation, its aliases (``aliases.ALIASES``), and ``tensor_ops`` filled with them.

Each module lists its public ops in ``__all__``; adding a module means adding it to
``_MODULES``.
"""

from .. import slots as _slots
from ..core import tensor as _tensor_module
from ..core import tensor_methods as _tensor_methods
from ..core.vocabulary import tensor_ops
from . import (aggregates, complex_parts, creation, differences, elementwise, indexing, joining, layout, matrices,
               nan_reductions, nondiff_reductions, numpy_compositions, polynomial, products,
               reductions, scans, selection, shape, sorting, spacing, tf_reductions, ufuncs)
from .aliases import ALIASES

_MODULES = (creation, elementwise, reductions, products, shape, ufuncs, aggregates, scans,
            nondiff_reductions, layout, joining, matrices, indexing, differences, selection,
            sorting, nan_reductions, polynomial, spacing, numpy_compositions, tf_reductions, complex_parts)

globals().update({name: getattr(module, name) for module in _MODULES for name in module.__all__})
globals().update({alias: globals()[name] for alias, name in ALIASES.items()})
__all__ = [name for module in _MODULES for name in module.__all__] + list(ALIASES)

tensor_ops.__dict__.update({name: globals()[name] for name in __all__})
# Chunk layout is a raw-array concern (see ArrayOps.broadcast_like): Tensors just broadcast.
tensor_ops.broadcast_like = lambda x, target, like: tensor_ops.broadcast_to(x, target)
# Vocabulary names whose public op has another signature: the backend extra
# ``index_add(shape, index, values)`` (zeros plus a scatter-add), while the public
# ``mg.index_add(x, index, values)`` adds into ``x``.
tensor_ops.index_add = shape.index_add_into_zeros

_slots.fill("ops", tensor_ops)   # Tensor operators and methods call these



def _install_operators(tensor_type, ops):
    """Bind Tensor's operators to the ops themselves (no wrapper call on the hot path)."""
    forward = {"add": ops.add, "sub": ops.subtract, "mul": ops.multiply,
               "truediv": ops.divide, "floordiv": ops.floor_divide, "mod": ops.remainder,
               "pow": ops.power, "matmul": ops.matmul, "and": ops.logical_and,
               "or": ops.logical_or, "xor": ops.logical_xor}
    for name, op in forward.items():
        setattr(tensor_type, f"__{name}__", op)
        setattr(tensor_type, f"__r{name}__", _reflected(op))
    for name, op in {"eq": ops.equal, "ne": ops.not_equal, "lt": ops.less,
                     "le": ops.less_equal, "gt": ops.greater, "ge": ops.greater_equal}.items():
        setattr(tensor_type, f"__{name}__", op)
    tensor_type.__neg__ = ops.negative
    tensor_type.__abs__ = ops.abs
    tensor_type.__invert__ = ops.logical_not


def _reflected(op):
    def reflected(self, other):
        return op(other, self)
    reflected.__name__ = f"reflected_{op.__name__}"
    return reflected


_install_operators(_tensor_module.Tensor, tensor_ops)
_tensor_methods.install(_tensor_module.Tensor, tensor_ops)
