"""``mg.keras.backend``: the few Keras 2 backend functions tutorials call."""

from ..keras_settings import epsilon, floatx, set_epsilon, set_floatx
from ..ops import cast, dot as _dot

__all__ = ["dot", "epsilon", "set_epsilon", "floatx", "set_floatx", "cast_to_floatx"]


def dot(x, y):
    """Keras's ``dot``: x's last axis against y's second-to-last (NumPy's ``dot``; matmul for
    matrices)."""
    return _dot(x, y)


def cast_to_floatx(x):
    return cast(x, floatx())
