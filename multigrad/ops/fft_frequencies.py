"""``mg.fft``'s helpers (re-exported there): fftshift and ifftshift (rolls, differentiable),
fftfreq and rfftfreq (sample frequencies, constants)."""

from .. import ops
from ..core.args import integer_arg, number_arg, single_axis
from ..core.convert import as_tensor
from .define import defop

__all__ = ["fftshift", "ifftshift", "fftfreq", "rfftfreq"]


def _shift(x, axes, sign, opname):
    x = as_tensor(x)
    if axes is None:
        axes = tuple(range(x.ndim))
    elif isinstance(axes, int) or hasattr(type(axes), "__index__"):
        axes = (axes,)
    axes = [single_axis(a, x.ndim, opname) for a in axes]
    if not axes:
        return x
    shifts = [sign * (x.shape[a] // 2) for a in axes]
    return ops.roll(x, shifts, axis=tuple(axes))


@defop()
def fftshift(x, axes=None, name=None):
    """The zero-frequency term moved to the centre: a roll by ``n // 2`` along ``axes``
    (all by default)."""
    return _shift(x, axes, 1, "fft.fftshift")


@defop()
def ifftshift(x, axes=None, name=None):
    """The inverse of ``fftshift``: a roll by ``-(n // 2)``."""
    return _shift(x, axes, -1, "fft.ifftshift")


def _frequency_args(n, d, opname):
    n = integer_arg(n, opname, "n")
    if n <= 0:
        raise ValueError(f"mg.{opname}: n must be positive, got {n}")
    d = number_arg(d, opname, "d")
    return n, d


@defop(differentiable=False)
def fftfreq(n, d=1.0, dtype=None, backend=None):
    """Sample frequencies of an ``n``-point FFT with spacing ``d``: ``[0, 1, ..., -1] / (d n)``
    (float32 by default, as ``mg.linspace``)."""
    n, d = _frequency_args(n, d, "fft.fftfreq")
    k = ops.arange(n, dtype=dtype or "float32", backend=backend)
    return ops.where(k < (n + 1) // 2, k, k - n) / (d * n)


@defop(differentiable=False)
def rfftfreq(n, d=1.0, dtype=None, backend=None):
    """The non-negative frequencies of an ``n``-point real FFT: ``[0, ..., n // 2] / (d n)``."""
    n, d = _frequency_args(n, d, "fft.rfftfreq")
    return ops.arange(n // 2 + 1, dtype=dtype or "float32", backend=backend) / (d * n)
