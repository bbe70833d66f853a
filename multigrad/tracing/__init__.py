"""``mg.function``: trace a step once, replay it as straight-line backend calls.

Modules: ``proxy`` (the traced value), ``record`` (the hooks on backends' ``ops`` and on
Variables), ``trace`` (the recorder), ``signature`` (cache keys), ``program`` (the
compiler), ``function`` (``mg.function`` itself).
"""

from .. import slots as _slots
from .function import Function, function
from .proxy import Traced, TracingError

_slots.fill("traced_type", Traced)

__all__ = ["Function", "function", "TracingError"]
