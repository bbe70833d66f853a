"""Evenly spaced samples: linspace, logspace, geomspace (NumPy's signatures).

Python-number endpoints give a constant (float32 for floats, float64 for two integers, as
TensorFlow); Tensor endpoints (scalars or arrays, broadcast against each other, the samples along
``axis``) give a differentiable composition: ``start + i * (stop - start) / div``.
"""

from .. import dtypes as _dt
from ..core.args import integer_arg, number_arg
from ..backend.select import get_backend, load_backend
from ..core.convert import as_tensor, convert_to_tensor
from ..core.tensor import Tensor
from .define import defop
from .creation import arange, cast
from .elementwise import abs as _abs, exp, log, power, sign, where
from .layout import moveaxis
from .shape import broadcast_to, reshape

__all__ = ["linspace", "logspace", "geomspace"]


def _num(num, opname):
    num = integer_arg(num, opname, "num")
    if num < 0:
        raise ValueError(f"mg.{opname}: num must be non-negative, got {num}")
    return num


def _endpoints(start, stop, dtype, backend, opname):
    """Both endpoints as Tensors of one floating dtype, or None when both are numbers."""
    if not isinstance(start, Tensor) and not isinstance(stop, Tensor) and \
            not hasattr(start, "shape") and not hasattr(stop, "shape"):
        number_arg(start, opname, "start")
        number_arg(stop, opname, "stop")
        return None
    start, stop = as_tensor(start), as_tensor(stop)
    if dtype is None:
        floating = [t for t in (start, stop) if t.dtype.is_floating or t.dtype.is_complex]
        # the promoted dtype of the floating endpoints (integers alone: float32)
        dtype = (floating[0] if len(floating) == 1 else start + stop).dtype if floating \
            else _dt.float32
    return cast(start, dtype), cast(stop, dtype)


def _samples(start, stop, num, endpoint, axis):
    """The differentiable samples and step, samples on ``axis``."""
    shape = tuple((start + stop).shape)
    start, stop = broadcast_to(start, shape), broadcast_to(stop, shape)
    div = (num - 1) if endpoint else num
    i = reshape(cast(arange(num, backend=start.backend), start.dtype), (num,) + (1,) * len(shape))
    step = (stop - start) / div if div > 0 else (stop - start) * float("nan")
    y = start + i * step if div > 0 else start + i * 0
    if endpoint and num > 1:
        y = where(i == num - 1, stop, y)
    if axis != 0:
        y = moveaxis(y, 0, axis)
    return y, step


@defop()
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0,
             backend=None):
    """``num`` evenly spaced samples from ``start`` to ``stop`` (excluded when not
    ``endpoint``); ``retstep`` also returns the spacing. Differentiable in Tensor endpoints."""
    num = _num(num, "linspace")
    pair = _endpoints(start, stop, dtype, backend, "linspace")
    if pair is None:
        # float32 for float endpoints (TF's default for Python floats), float64 when both
        # are integers (what tf.linspace(-2, 2, n) and np.linspace give)
        both_int = isinstance(start, int) and isinstance(stop, int)
        dtype = (_dt.float64 if both_int else _dt.float32) if dtype is None \
            else _dt.as_dtype(dtype)
        b = get_backend() if backend is None else load_backend(backend)
        if endpoint:
            y = Tensor._make(b.ops.linspace(start, stop, num, dtype=b.native_dtype(dtype)), b)
        else:
            y = Tensor._make(b.ops.linspace(start, stop, num, dtype=b.native_dtype(dtype),
                                            endpoint=False), b)
        div = (num - 1) if endpoint else num
        step = (stop - start) / div if div > 0 else float("nan")
        return (y, step) if retstep else y
    y, step = _samples(*pair, num, endpoint, axis)
    return (y, step) if retstep else y


@defop()
def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, backend=None):
    """``base ** linspace(start, stop)``; differentiable in Tensor endpoints and base."""
    y = linspace(start, stop, num, endpoint=endpoint, dtype=dtype, axis=axis, backend=backend)
    return power(base, y)


def _check_geometric(start, stop):
    ops = start.backend.ops
    zero = ops.any(start._value == 0) | ops.any(stop._value == 0)
    if bool(zero):
        raise ValueError("mg.geomspace: a geometric sequence cannot include zero")
    if bool(ops.any(ops.sign(start._value) != ops.sign(stop._value))):
        raise ValueError("mg.geomspace: start and stop must have the same sign (complex "
                         "results are not supported)")


@defop()
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0, backend=None):
    """Samples evenly spaced on a log scale from ``start`` to ``stop`` (same sign, not 0);
    the endpoints are exact. Differentiable in Tensor endpoints."""
    num = _num(num, "geomspace")
    pair = _endpoints(start, stop, dtype, backend, "geomspace")
    if pair is None:
        if start == 0 or stop == 0:
            raise ValueError("mg.geomspace: a geometric sequence cannot include zero")
        if (start > 0) != (stop > 0):
            raise ValueError("mg.geomspace: start and stop must have the same sign (complex "
                             "results are not supported)")
        dt = _dt.float32 if dtype is None else _dt.as_dtype(dtype)
        pair = (convert_to_tensor(start, dtype=dt, backend=backend),
                convert_to_tensor(stop, dtype=dt, backend=backend))
    start, stop = pair
    _check_geometric(start, stop)
    y, _ = _samples(log(_abs(start)), log(_abs(stop)), num, endpoint, 0)
    y = sign(start) * exp(y)
    if num > 0:
        i = reshape(cast(arange(num, backend=start.backend), start.dtype),
                    (num,) + (1,) * (y.ndim - 1))
        y = where(i == 0, start, y)
        if endpoint and num > 1:
            y = where(i == num - 1, stop, y)
    return moveaxis(y, 0, axis) if axis != 0 else y

