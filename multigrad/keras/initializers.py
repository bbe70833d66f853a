"""``mg.keras.initializers``: Keras's weight initializers, ``init(shape, dtype=None)``.

The dtype defaults to ``floatx()`` (float32). As in Keras 3, an initializer given a ``seed``
returns the same values on every call (a stateless draw from ``[seed, 0]``); without one,
each call draws anew from ``mg.random``'s global stream (``mg.random.set_seed`` repeats it).
"""

import math

from .. import random as _random
from ..keras_settings import floatx
from ..ops import cast, ones, zeros

__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeNormal",
           "HeUniform", "LecunNormal", "LecunUniform", "get"]


def _shape(shape):
    return tuple(int(d) for d in shape)


class Initializer:
    """``init(shape, dtype=None)`` -> a Tensor of that shape."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    def __repr__(self):
        return f"{type(self).__name__}({self.get_config()})"


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return zeros(_shape(shape), dtype=dtype or floatx())


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return ones(_shape(shape), dtype=dtype or floatx())


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = dtype or floatx()
        return ones(_shape(shape), dtype=dtype) * cast(self.value, dtype)

    def get_config(self):
        return {"value": self.value}


class _Random(Initializer):
    """Draws with ``mg.random``: stateless from ``[seed, 0]`` when seeded."""

    def __init__(self, seed=None):
        self.seed = seed

    def _draw(self, kind, shape, dtype, **params):
        dtype = dtype or floatx()
        if self.seed is None:
            return getattr(_random, kind)(_shape(shape), dtype=dtype, **params)
        return getattr(_random, "stateless_" + kind)(_shape(shape), seed=[self.seed, 0],
                                                     dtype=dtype, **params)

    def get_config(self):
        return {"seed": self.seed}


class RandomNormal(_Random):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return self._draw("normal", shape, dtype, mean=self.mean, stddev=self.stddev)


class TruncatedNormal(RandomNormal):
    """Normal values re-drawn beyond two standard deviations from the mean."""

    def __call__(self, shape, dtype=None):
        return self._draw("truncated_normal", shape, dtype, mean=self.mean, stddev=self.stddev)


class RandomUniform(_Random):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return self._draw("uniform", shape, dtype, minval=self.minval, maxval=self.maxval)


def fans(shape):
    """(fan_in, fan_out) as Keras computes them (a kernel's receptive field multiplies)."""
    shape = _shape(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(_Random):
    """Variance ``scale / n`` with n the fan in, out or their mean (``mode``); a normal
    truncated at 2 stddev (rescaled to keep the variance), an untruncated normal, or a
    uniform on [-limit, limit] with limit = sqrt(3 scale / n)."""

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        if scale <= 0:
            raise ValueError(f"VarianceScaling: scale must be positive, got {scale}")
        if mode not in self._MODES or distribution not in self._DISTRIBUTIONS:
            raise ValueError(f"VarianceScaling: mode must be one of {self._MODES} and "
                             f"distribution one of {self._DISTRIBUTIONS}, got {mode!r}, "
                             f"{distribution!r}")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return self._draw("uniform", shape, dtype, minval=-limit, maxval=limit)
        if self.distribution == "untruncated_normal":
            return self._draw("normal", shape, dtype, stddev=math.sqrt(variance))
        # The stddev of a unit normal truncated to [-2, 2].
        return self._draw("truncated_normal", shape, dtype,
                          stddev=math.sqrt(variance) / .87962566103423978)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


def _preset(name, scale, mode, distribution, doc):
    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return {"seed": self.seed}
    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                           "__doc__": doc})


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform",
                        "Uniform on [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)).")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal",
                       "Truncated normal, stddev = sqrt(2 / (fan_in + fan_out)).")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal",
                   "Truncated normal, stddev = sqrt(2 / fan_in).")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform",
                    "Uniform on [-limit, limit], limit = sqrt(6 / fan_in).")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal",
                      "Truncated normal, stddev = sqrt(1 / fan_in).")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform",
                       "Uniform on [-limit, limit], limit = sqrt(3 / fan_in).")

_BY_NAME = {cls.__name__: cls for cls in (
    Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
    GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform)}
_SNAKE = {"zeros": Zeros, "ones": Ones, "constant": Constant, "random_normal": RandomNormal,
          "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
          "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
          "he_normal": HeNormal, "he_uniform": HeUniform, "lecun_normal": LecunNormal,
          "lecun_uniform": LecunUniform}


def get(identifier):
    """An initializer by name (``"glorot_uniform"``, ``"GlorotUniform"``), or a callable."""
    if callable(identifier):
        return identifier
    cls = _BY_NAME.get(identifier) or _SNAKE.get(identifier)
    if cls is None:
        raise ValueError(f"mg.keras.initializers.get: unknown initializer {identifier!r}; "
                         f"known: {sorted(_SNAKE)}")
    return cls()
