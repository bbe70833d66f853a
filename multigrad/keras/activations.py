"""``mg.keras.activations``: Keras's activation functions, built on ``mg.nn``."""

from ..ops.nn import elu, gelu, leaky_relu, relu as _relu, sigmoid, softmax, softplus, softsign
from ..ops import clip, exp, identity, minimum, tanh, where

__all__ = ["relu", "sigmoid", "softmax", "tanh", "gelu", "elu", "softplus", "softsign",
           "leaky_relu", "silu", "swish", "linear", "exponential", "get"]


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0) by default; Keras's options: a ``negative_slope`` below ``threshold``
    (values under it become negative_slope * (x - threshold)) and a ``max_value`` cap."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return _relu(x)
    out = where(x >= threshold, x, negative_slope * (x - threshold))
    return out if max_value is None else minimum(out, max_value)


def silu(x):
    """x * sigmoid(x) (also called swish)."""
    return x * sigmoid(x)


swish = silu


def linear(x):
    """The identity."""
    return identity(x)


def exponential(x):
    return exp(x)


def hard_sigmoid(x):
    """Keras 3's piecewise-linear sigmoid: relu6(x + 3) / 6."""
    return clip(x + 3.0, 0.0, 6.0) / 6.0


_BY_NAME = {"relu": relu, "sigmoid": sigmoid, "softmax": softmax, "tanh": tanh, "gelu": gelu,
            "elu": elu, "softplus": softplus, "softsign": softsign, "leaky_relu": leaky_relu,
            "silu": silu, "swish": swish, "linear": linear, "exponential": exponential,
            "hard_sigmoid": hard_sigmoid}


def get(identifier):
    """An activation by name (``"relu"``), None (``linear``), or a callable as it is."""
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    if identifier in _BY_NAME:
        return _BY_NAME[identifier]
    raise ValueError(f"mg.keras.activations.get: unknown activation {identifier!r}; known: "
                     f"{sorted(_BY_NAME)}")


