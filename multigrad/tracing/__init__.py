"""``mg.function``: trace a step once, replay it as straight-line backend calls.

Modules. Recording: ``proxy`` (the traced value), ``record`` (the hooks on backends'
``ops`` and on Variables), ``trace`` (the recorder), ``stateful`` (random draws as steps).
Compiling: ``passes`` (the passes in order: ``liveness``, ``simplify``, ``frees``,
``inplace``), ``program`` (straight-line code from what the passes leave). Calling:
``signature`` (cache keys), ``results`` (result structures), ``composite`` (a call under a
tape as one op), ``function`` (``mg.function`` itself).
"""

from .. import slots as _slots
from .function import Function, function
from .proxy import LeakedTensorError, Traced, TracingError

_slots.fill("traced_type", Traced)

__all__ = ["Function", "function", "TracingError", "LeakedTensorError"]
