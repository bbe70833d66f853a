"""``mg.function``: trace a step once, replay it as straight-line backend calls.

Modules: ``proxy`` (the traced value), ``record`` (the hooks on backends' ``ops`` and on
Variables), ``trace`` (the recorder), ``signature`` (cache keys: the signature model),
``spec`` (``TensorSpec``, relaxed shapes), ``bind`` (``input_signature``), ``captured``
(Python state read per call), ``stateful`` (random draws), ``program`` (the compiler),
``dispatch`` (a key's programs by guard value), ``concrete`` (``ConcreteFunction``),
``function`` (``mg.function`` itself).
"""

from .. import tensor as _tensor
from .function import Function, function
from .proxy import Traced, TracingError
from .spec import TensorSpec

_tensor._traced_type = Traced

__all__ = ["Function", "function", "TracingError", "TensorSpec"]
