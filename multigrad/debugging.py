"""Finding where NaN and Inf first appear (``tf.debugging.enable_check_numerics``).

``mg.debugging.enable_check_numerics()`` makes every op check its output in the forward
pass and every VJP rule check the cotangent it produces in the backward pass; the first
non-finite value raises ``NumericsError`` naming the op and the pass. Setting the
environment variable ``MULTIGRAD_CHECK_NUMERICS=1`` turns it on at import.

When off, the cost is one module-global test per op and per rule: the check is a function
held in the late-bound slot ``check_numerics`` (``slots.py``; None when off).
"""

import os

from . import slots as _slots
from .errors import InvalidArgumentError
from .core.tensor import Tensor

__all__ = ["NumericsError", "enable_check_numerics", "disable_check_numerics",
           "check_numerics_enabled"]

ENV_VAR = "MULTIGRAD_CHECK_NUMERICS"


class NumericsError(InvalidArgumentError, FloatingPointError):
    """An op produced NaN or Inf while numerics checking was on (TF raises
    InvalidArgumentError; also a FloatingPointError).

    ``op``: the op's name (``"log"``); ``pass_``: ``"forward"`` or ``"backward"``;
    ``kind``: ``"nan"``, ``"inf"`` or ``"-inf"``; ``input_index``: which input's gradient
    (backward pass only).
    """

    def __init__(self, message, op, pass_, kind, input_index=None):
        super().__init__(message)
        self.op = op
        self.pass_ = pass_
        self.kind = kind
        self.input_index = input_index

    def __reduce__(self):
        return type(self), (self.message, self.op, self.pass_, self.kind, self.input_index)


def _kind(ops, raw):
    if bool(ops.any(ops.isnan(raw))):
        return "nan"
    if bool(ops.any(ops.isinf(raw) & (raw > 0))):
        return "inf"
    return "-inf"


def _check(prim, value, ops, input_index):
    """Raise NumericsError if ``value`` (an op's output, or a cotangent when
    ``input_index`` is not None) holds NaN or Inf."""
    for v in (value if isinstance(value, tuple) else (value,)):
        if isinstance(v, Tensor):
            v, backend = v._value, v._backend
        else:
            backend = ops._backend
        if not backend.dtype_of(v).is_floating:
            continue
        bops = backend.ops
        if bool(bops.all(bops.isfinite(v))):
            continue
        kind = _kind(bops, v)
        where = (f"(output of shape {tuple(v.shape)}, {backend.dtype_of(v).name}, "
                 f"backend {backend.name})")
        if input_index is None:
            message = (f"mg.{prim.name} produced {kind} in its forward pass {where}. Check its "
                       f"inputs (log or division at 0, overflow in exp, ...); "
                       f"mg.debugging.disable_check_numerics() turns this check off.")
            raise NumericsError(message, prim.name, "forward", kind)
        message = (f"the gradient of mg.{prim.name} with respect to its input {input_index} "
                   f"contains {kind} in the backward pass {where}: the op's derivative is not "
                   f"finite at these values (e.g. sqrt or log at 0).")
        raise NumericsError(message, prim.name, "backward", kind, input_index)


def enable_check_numerics():
    """Raise ``NumericsError`` at the first op whose forward or backward pass produces
    NaN or Inf (floating dtypes; complex values are not checked)."""
    _slots.fill("check_numerics", _check)


def disable_check_numerics():
    """Turn numerics checking off (its cost drops back to one flag test per op)."""
    _slots.fill("check_numerics", None)


def check_numerics_enabled():
    return _slots.current("check_numerics") is not None


if os.environ.get(ENV_VAR, "").strip().lower() not in ("", "0", "false", "no", "off"):
    enable_check_numerics()
