"""Late-bound slots: the few calls from a lower layer into code a higher layer provides.

A module never imports one above it (docs/design.md, "The map"), yet a Tensor's methods
are ops, a Variable read inside ``mg.function`` must reach the tracer, and
``mg.debugging`` checks every op's output. Each such call goes through a slot, and every
slot is listed here, with the one module that fills it and the modules that read it.

The rule: a slot named ``x`` is a module global ``_x`` in each module that reads it (a plain
global read, so the per-op paths pay nothing for it), ``None`` until filled; only ``fill``
writes it, called by the slot's owner.
"""

import importlib

__all__ = ["SLOTS", "fill", "current"]

# name: (the module that fills it, the modules that read it, what it holds)
SLOTS = {
    "ops": ("multigrad.ops", ("multigrad.core.tensor",),
            "the rule vocabulary on Tensors (``tensor_ops``): Tensor methods call these ops"),
    "traced_type": ("multigrad.tracing",
                    ("multigrad.core.tensor", "multigrad.core.convert",
                     "multigrad.core.primitive", "multigrad.backend.select",
                     "multigrad.ops._index_check"),
                    "the type of mg.function's traced values, which stand for raw arrays"),
    "variable_hook": ("multigrad.tracing.record", ("multigrad.core.tensor",),
                      "while mg.function traces: sees each Variable read and assign"),
    "lift": ("multigrad.tracing.record", ("multigrad.core.primitive",),
             "while mg.function traces: a raw array an op reads, as a traced value"),
    "check_numerics": ("multigrad.debugging",
                       ("multigrad.core.primitive", "multigrad.autodiff.tape"),
                       "while mg.debugging checks numerics: checks an op's output"),
}

_values = dict.fromkeys(SLOTS)
_readers = {}


def fill(name, value):
    """Set slot ``name`` to ``value`` (None empties it) in every module that reads it."""
    readers = _readers.get(name)
    if readers is None:
        readers = _readers[name] = [importlib.import_module(m) for m in SLOTS[name][1]]
    for module in readers:
        setattr(module, "_" + name, value)
    _values[name] = value


def current(name):
    """What slot ``name`` holds now (None when empty)."""
    return _values[name]
