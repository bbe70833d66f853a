"""The refusal of complex input by functions defined on real numbers only.

NumPy and TensorFlow raise for these (``np.cbrt``, ``tf.math.erf``, ``tf.nn.relu`` of
complex): returning a number would be silently wrong (e.g. the real cube root's formula
applied to a complex value). Called from forward functions, so it costs one dtype test.
"""

from ..backend.conj import is_complex
from ..dtypes import as_dtype

__all__ = ["refuse_complex"]


def refuse_complex(x, opname=None, what="real input"):
    """Raise a TypeError when ``x`` (raw array or Tensor) is complex. In a forward function
    pass no ``opname``: ``primitive.apply`` prefixes the op's name to the message."""
    if is_complex(x):
        subject = "defined" if opname is None else f"mg.{opname} is defined"
        raise TypeError(f"{subject} for {what} only (as in NumPy and TensorFlow), got dtype "
                        f"{as_dtype(x.dtype).name}; apply it to mg.real(x), mg.imag(x) or mg.abs(x) as the "
                        f"computation needs")
