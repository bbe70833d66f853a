"""``tf.math.cumsum`` / ``tf.math.cumprod`` (``mg.math.cumsum``): TensorFlow's defaults, axis 0
and an integer tensor's own dtype, over multigrad's scans (``mg.cumsum`` keeps NumPy's
``axis=None`` flattening and integer widening)."""

from .convert import as_tensor
from .ops import cast, cumprod as _cumprod, cumsum as _cumsum
from .ops._define import defop

__all__ = ["cumsum", "cumprod"]


def _scan(op, x, axis, exclusive, reverse):
    x = as_tensor(x)
    out = op(x, axis=int(axis), exclusive=bool(exclusive), reverse=bool(reverse))
    return cast(out, x.dtype) if x.dtype.is_integer and out.dtype != x.dtype else out


@defop()
def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along ``axis`` (0 by default); ``exclusive`` starts from 0, ``reverse``
    runs from the end."""
    return _scan(_cumsum, x, axis, exclusive, reverse)


@defop()
def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along ``axis`` (0 by default); ``exclusive`` starts from 1."""
    return _scan(_cumprod, x, axis, exclusive, reverse)
