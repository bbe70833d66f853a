"""Keras's global numeric settings (``keras.backend.epsilon``, ``floatx``): the fuzz factor
that probability losses clip with, and the float dtype Keras's loss classes compute in."""

from .dtypes import as_dtype

__all__ = ["epsilon", "set_epsilon", "floatx", "set_floatx"]

_settings = {"epsilon": 1e-7, "floatx": "float32"}


def epsilon():
    """The fuzz factor (1e-7 by default): probabilities are clipped to [eps, 1 - eps]."""
    return _settings["epsilon"]


def set_epsilon(value):
    _settings["epsilon"] = float(value)


def floatx():
    """The default float dtype's name ("float32")."""
    return _settings["floatx"]


def set_floatx(value):
    dtype = as_dtype(value)
    if not dtype.is_floating:
        raise ValueError(f"set_floatx: expected a floating dtype (float16, float32, float64), "
                         f"got {dtype.name}")
    _settings["floatx"] = dtype.name
