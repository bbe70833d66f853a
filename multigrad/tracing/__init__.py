"""``mg.function``: trace a step once, replay it as straight-line backend calls.

Modules. Recording: ``proxy`` (the traced value), ``record`` (the hooks on backends'
``ops`` and on Variables), ``trace`` (the recorder), ``stateful`` (random draws as steps),
``captured`` (Python state read per call). Compiling: ``passes`` (the passes in order:
``liveness``, ``simplify``, ``frees``, ``inplace``), ``program`` (straight-line code from
what the passes leave). Calling: ``signature`` (cache keys: the signature model), ``spec``
(``TensorSpec``, relaxed shapes), ``bind`` (``input_signature``), ``dispatch`` (a key's
programs by guard value), ``concrete`` (``ConcreteFunction``), ``results`` (result
structures), ``composite`` (a call under a tape as one op), ``eager_switch``
(``run_functions_eagerly``), ``function`` (``mg.function`` itself). Structured control
flow and effects: ``control_steps``, ``subtrace``, ``effects``, ``names``.
"""

from .. import slots as _slots
from .function import Function, function
from .proxy import LeakedTensorError, Traced, TracingError
from .spec import TensorSpec

_slots.fill("traced_type", Traced)

__all__ = ["Function", "function", "TracingError", "LeakedTensorError", "TensorSpec"]
