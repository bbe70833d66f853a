"""Every operation, and ``tensor_ops``: the rule vocabulary on Tensors.

Each module lists its public ops in ``__all__``; adding a module means adding it to
``_MODULES``. ``tensor_ops`` mirrors ``Backend.ops`` name for name, so VJP rules written
against one run unchanged against the other: that is how a backward pass is itself
recorded for higher-order derivatives.
"""

from types import SimpleNamespace as _SimpleNamespace

from .. import tensor as _tensor_module
from . import creation, elementwise, logic, math, products, reductions, scans, shape, stats

_MODULES = (creation, elementwise, reductions, products, shape, math, stats, scans, logic)

__all__ = [name for module in _MODULES for name in module.__all__]
globals().update({name: getattr(module, name) for module in _MODULES for name in module.__all__})

# Array-API spellings used by rules, where multigrad's public name differs.
_VOCABULARY_ALIASES = {"pow": "power", "concat": "concatenate", "astype": "cast",
                       "cumulative_sum": "cumsum", "cumulative_prod": "cumprod"}

tensor_ops = _SimpleNamespace(**{name: globals()[name] for name in __all__},
                              **{alias: globals()[name]
                                 for alias, name in _VOCABULARY_ALIASES.items()})

_tensor_module._ops = tensor_ops   # Tensor operators and methods call these
