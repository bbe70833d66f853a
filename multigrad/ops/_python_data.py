"""Python numbers next to a tensor take that tensor's dtype (NumPy 2's weak scalars).

``mg.index_add(x64, i, -0.54)`` must add the float64 number -0.54, not -0.54 rounded to
float32 (TensorFlow's default for a lone Python float) and cast back.
"""

from ..core.convert import convert_to_tensor
from ..dtypes import python_kind

__all__ = ["data_like"]

_FITS = {"f": "bif", "c": "bifc"}     # Python data kinds a tensor's dtype kind holds exactly


def data_like(data, like):
    """``data`` as a Tensor on ``like``'s backend; Python numbers (and lists of them) whose
    kind ``like``'s floating or complex dtype holds take that dtype."""
    kind = python_kind(data)
    dtype = like.dtype if kind is not None and kind in _FITS.get(like.dtype.kind, "") else None
    return convert_to_tensor(data, dtype=dtype, backend=like.backend)
