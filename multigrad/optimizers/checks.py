"""Argument checks and restored state of the optimizers (``optimizers/__init__.py``): what a
learning rate, a weight decay, a rate between 0 and 1, a restored slot or step count may be."""

import math
import numbers

from ..ops import convert_to_tensor
from ..core.tensor import Tensor

__all__ = ["check_learning_rate", "check_weight_decay", "check_unit", "slot_value",
           "iterations_value"]


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_learning_rate(lr, opt):
    """Fail in the constructor, not at the first apply_gradients (TF/Keras fail late)."""
    if callable(lr) and not isinstance(lr, Tensor):
        return lr
    if isinstance(lr, Tensor):
        ok = lr.size == 1 and (lr.dtype.is_floating or lr.dtype.is_integer)
    else:
        ok = _is_number(lr)
    if not ok:
        raise TypeError(f"{opt}: learning_rate must be a number, a one-element real Tensor or "
                        f"Variable, or a callable schedule (step -> number); got "
                        f"{type(lr).__name__} {lr!r:.40}")
    value = float(lr)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{opt}: learning_rate must be finite and >= 0, got {value!r}")
    return lr


def check_weight_decay(wd, opt):
    if wd is None:
        return None
    if not _is_number(wd):
        raise TypeError(f"{opt}: weight_decay must be a number or None, got "
                        f"{type(wd).__name__} {wd!r:.40}")
    if not (math.isfinite(wd) and wd >= 0):
        raise ValueError(f"{opt}: weight_decay must be finite and >= 0, got {wd!r}")
    return wd


def slot_value(value, name, var, opt):
    """A restored slot: exactly the variable's dtype, shape and backend (no silent cast)."""
    given = getattr(value, "dtype", None)
    t = convert_to_tensor(value, backend=var.backend,
                          dtype=var.dtype if given is None else None)   # Python data
    if t.backend is not var.backend or t.shape != var.shape or t.dtype != var.dtype:
        raise ValueError(
            f"{opt}.load_state: slot {name!r} of variable '{var.name}' must be "
            f"{var.dtype.name} of shape {var.shape} on backend {var.backend.name!r}, got "
            f"{t.dtype.name} of shape {t.shape} on {t.backend.name!r}")
    return t


def iterations_value(value, opt):
    n = value.numpy() if isinstance(value, Tensor) else value
    try:
        count = int(n)
        exact = count == n and count >= 0
    except (TypeError, ValueError):
        exact = False
    if not exact:
        raise ValueError(f"{opt}.load_state: iterations (the first value) must be a whole "
                         f"number >= 0, got {value!r:.60}")
    return count


def check_unit(name, value, opt):
    if not _is_number(value):
        raise TypeError(f"{opt}: {name} must be a number between 0 and 1, got "
                        f"{type(value).__name__} {value!r:.40}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{opt}: {name} must be between 0 and 1, got {value!r}")
