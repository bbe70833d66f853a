"""``mg.random``: TensorFlow's ``tf.random`` on every backend.

Values are drawn on the host by NumPy's ``Generator`` (PCG64) and converted to the selected
backend (or ``backend=``) the way ``mg.constant`` converts host data (``Backend.asarray``),
so the same seed gives the same values on NumPy, array-api-strict, Dask and CuPy. They are
plain Tensors, constants for every tape. The streams are not TensorFlow's (another
algorithm): seeds make a program reproducible here, not equal to TensorFlow's numbers.

Seeds follow TensorFlow's rules: after ``set_seed(s)`` the sequence of random ops repeats;
an op's ``seed=`` selects its own stream (reproducible even without a global seed, and
advancing with each call, so two calls give different values); ``stateless_*`` ops are pure
functions of their ``seed=[a, b]``; a ``Generator`` carries its own state.
"""

# NumPy here is a host random-number generator for *data*, never array math: the Backend
# object exposes host conversion (``asarray`` of a NumPy array) but no host generator, and
# NumPy is a hard dependency of multigrad anyway. This module is imported on first use of
# ``mg.random`` only.
import operator
import weakref

import numpy as _np

from . import dtypes as _dt
from .backend.select import get_backend, load_backend
from .core.tensor import Tensor
from .ops import convert_to_tensor
from .tracing.stateful import register_snapshot, replayed_draw

__all__ = ["normal", "uniform", "truncated_normal", "shuffle", "set_seed", "Generator",
           "stateless_normal", "stateless_uniform", "stateless_truncated_normal"]

# TensorFlow's DEFAULT_GRAPH_SEED: op seeds are reproducible without a global seed.
_DEFAULT_GLOBAL_SEED = 87654321
# A first entropy word per kind of stream, so that e.g. set_seed(1) and
# stateless_normal(seed=[1, 0]) do not share a stream.
_GLOBAL, _OP, _STATELESS, _GENERATOR = range(4)
_MASK64 = (1 << 64) - 1


def _bit_generator(kind, *words):
    """A PCG64 seeded from fixed-width entropy: every int becomes exactly two 32-bit words
    (two's complement for negatives, as TF's int64 seeds), so distinct seeds never collide."""
    entropy = [kind]
    for w in words:
        w &= _MASK64
        entropy += [w & 0xFFFFFFFF, w >> 32]
    return _np.random.PCG64(_np.random.SeedSequence(_np.array(entropy, dtype=_np.uint32)))


class _GlobalState:
    """The process-wide seed, its stream, and one stream per op-level seed."""

    def __init__(self):
        self.reset(None)

    def reset(self, seed):
        """``seed`` None: OS entropy (TF without a global seed)."""
        self.seed = seed
        self.stream = _np.random.Generator(
            _np.random.PCG64() if seed is None else _bit_generator(_GLOBAL, seed))
        self.op_streams = {}

    def for_op(self, seed, where):
        if seed is None:
            return self.stream
        seed = _int_seed(seed, where)
        stream = self.op_streams.get(seed)       # emptied by set_seed
        if stream is None:
            global_seed = _DEFAULT_GLOBAL_SEED if self.seed is None else self.seed
            stream = _np.random.Generator(_bit_generator(_OP, global_seed, seed))
            stream = self.op_streams.setdefault(seed, stream)
        return stream


_state = _GlobalState()
_generators = weakref.WeakSet()     # every mg.random.Generator (their streams, for snapshots)


def _snapshot():
    """Restore-later of every stream (mg.function puts them back after a failed replay)."""
    op_streams = dict(_state.op_streams)
    streams = [_state.stream, *op_streams.values(), *(g._stream for g in _generators)]
    states = [s.bit_generator.state for s in streams]
    holder = _state.stream

    def restore():
        for stream, state in zip(streams, states):
            stream.bit_generator.state = state
        if _state.stream is holder:         # no set_seed since: forget new op streams
            _state.op_streams.clear()
            _state.op_streams.update(op_streams)
    return restore


register_snapshot(_snapshot)


def set_seed(seed):
    """The global seed (``tf.random.set_seed``): the random ops after it repeat their values.

    ``None`` returns to unseeded (OS entropy) behaviour.
    """
    _state.reset(None if seed is None else _int_seed(seed, "set_seed"))


# --- validation -------------------------------------------------------------------------

def _int_seed(seed, where):
    try:
        return operator.index(seed)
    except TypeError:
        raise TypeError(f"mg.random.{where}: a seed must be an int (or None), got "
                        f"{type(seed).__name__} {seed!r}") from None


def _shape(shape, where):
    if isinstance(shape, Tensor):
        shape = shape._host_data().tolist()
    try:
        shape = (operator.index(shape),)    # one int (NumPy's habit; TF wants a list)
    except TypeError:
        pass
    try:
        dims = tuple(operator.index(d) for d in shape)
    except TypeError:
        raise TypeError(f"mg.random.{where}: shape must be a list or tuple of ints, e.g. "
                        f"[2, 3] (or [] for a scalar); got {shape!r}") from None
    if any(d < 0 for d in dims):
        raise ValueError(f"mg.random.{where}: shape {list(dims)} has a negative dimension; "
                         f"every size must be >= 0")
    return dims


def _float_dtype(dtype, where):
    dtype = _dt.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"mg.random.{where}: dtype must be a floating dtype (float16, "
                        f"float32 or float64), got {dtype.name}")
    return dtype


def _host_float(dtype):
    """NumPy's generators draw float32 or float64; float16 is drawn in float32 and rounded."""
    return _np.float64 if dtype is _dt.float64 else _np.float32


def _parameter(value, host, shape, what, where):
    """A distribution parameter (number, array or Tensor) on the host, broadcastable to shape."""
    array = _np.asarray(value, dtype=host)
    try:
        out = _np.broadcast_shapes(array.shape, shape)
    except ValueError:
        out = None
    if out != tuple(shape):
        raise ValueError(f"mg.random.{where}: {what} of shape {array.shape} does not broadcast "
                         f"to the requested shape {list(shape)}")
    return array


def _fixed(backend):
    """The backend a draw creates on, resolved at the call (in mg.function: at trace time,
    so a replay after ``mg.set_backend`` returns what its Tensor's label says)."""
    return get_backend() if backend is None else backend


def _target(backend, dtype):
    """The backend to create on; checked before drawing, so an error consumes no stream."""
    b = get_backend() if backend is None else load_backend(backend)
    b.native_dtype(dtype)           # raises if this backend lacks the dtype (e.g. float16)
    return b


def _to_backend(host, dtype, b):
    host = _np.asarray(host, dtype=_np.dtype(dtype.name))   # cast on the host
    return Tensor._make(b.asarray(host, dtype=dtype), b)


# --- sampling from one NumPy stream (shared by every entry point) ---------------------------

def _standard_draw(stream, shape, mean, stddev, dtype, backend, where):
    """The checked arguments of a normal draw and one standard-normal sample on the host."""
    shape, dtype = _shape(shape, where), _float_dtype(dtype, where)
    b, host = _target(backend, dtype), _host_float(dtype)
    mean = _parameter(mean, host, shape, "mean", where)
    stddev = _parameter(stddev, host, shape, "stddev", where)
    return shape, dtype, b, host, mean, stddev, stream.standard_normal(shape, dtype=host)


def _normal(stream, shape, mean, stddev, dtype, backend, where):
    shape, dtype, b, host, mean, stddev, z = _standard_draw(stream, shape, mean, stddev, dtype,
                                                            backend, where)
    return _to_backend(mean + stddev * z, dtype, b)


def _truncated_normal(stream, shape, mean, stddev, dtype, backend, where):
    shape, dtype, b, host, mean, stddev, z = _standard_draw(stream, shape, mean, stddev, dtype,
                                                            backend, where)
    # TF: values more than 2 standard deviations from the mean are dropped and re-drawn
    # (rejection: ~4.6% of draws per round, so a few rounds suffice).
    outside = _np.abs(z) > 2
    while outside.any():
        z[outside] = stream.standard_normal(int(outside.sum()), dtype=host)
        outside = _np.abs(z) > 2
    return _to_backend(mean + stddev * z, dtype, b)


def _uniform(stream, shape, minval, maxval, dtype, backend, where):
    shape, dtype = _shape(shape, where), _dt.as_dtype(dtype)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(
                f"mg.random.{where}: maxval must be given for the integer dtype {dtype.name} "
                f"(values are drawn from [minval, maxval); only floating dtypes default to "
                f"maxval=1), e.g. mg.random.{where}(shape, maxval=10, dtype=mg.{dtype.name})")
        b, host = _target(backend, dtype), _np.dtype(dtype.name)
        low = _parameter(minval, host, shape, "minval", where)
        high = _parameter(maxval, host, shape, "maxval", where)
        if _np.any(low >= high):
            raise ValueError(f"mg.random.{where}: minval must be less than maxval for an "
                             f"integer dtype (the range [minval, maxval) is empty); got "
                             f"minval={minval!r}, maxval={maxval!r}")
        return _to_backend(stream.integers(low, high, size=shape, dtype=host), dtype, b)
    if not dtype.is_floating:
        raise TypeError(f"mg.random.{where}: dtype must be a floating or integer dtype, got "
                        f"{dtype.name}")
    b, host = _target(backend, dtype), _host_float(dtype)
    low = _parameter(minval, host, shape, "minval", where)
    high = _parameter(1.0 if maxval is None else maxval, host, shape, "maxval", where)
    u = stream.random(shape, dtype=host)
    return _to_backend(low + (high - low) * u, dtype, b)


# --- stateful ops (global seed + op seed) ---------------------------------------------------

def normal(shape, mean=0.0, stddev=1.0, dtype=_dt.float32, seed=None, name=None,
           backend=None):
    """Samples of a normal distribution (``tf.random.normal``), float32 by default."""
    where = "normal"
    shape, backend = _shape(shape, where), _fixed(backend)        # here: a Tensor shape is a guard of the trace
    return replayed_draw(lambda mean, stddev: _normal(_state.for_op(seed, where), shape,
                                                      mean, stddev, dtype, backend, where),
                         mean, stddev)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dt.float32, seed=None, name=None,
                     backend=None):
    """A normal distribution with values beyond 2 stddev from the mean re-drawn."""
    where = "truncated_normal"
    shape, backend = _shape(shape, where), _fixed(backend)
    return replayed_draw(lambda mean, stddev: _truncated_normal(
        _state.for_op(seed, where), shape, mean, stddev, dtype, backend, where), mean, stddev)


def uniform(shape, minval=0, maxval=None, dtype=_dt.float32, seed=None, name=None,
            backend=None):
    """Samples from ``[minval, maxval)`` (``tf.random.uniform``).

    ``maxval`` defaults to 1 for floating dtypes; integer dtypes require it.
    """
    where = "uniform"
    shape, backend = _shape(shape, where), _fixed(backend)
    return replayed_draw(lambda minval, maxval: _uniform(
        _state.for_op(seed, where), shape, minval, maxval, dtype, backend, where),
        minval, maxval)


def shuffle(value, seed=None, name=None):
    """``value`` with its first axis randomly permuted (``tf.random.shuffle``); not
    differentiable (TensorFlow registers no gradient for it either)."""
    x = convert_to_tensor(value)
    if x.ndim == 0:
        raise ValueError("mg.random.shuffle: value must have at least 1 dimension (it "
                         "permutes the first axis); got a scalar")
    b = x.backend
    n = x.shape[0]

    def draw():
        order = _state.for_op(seed, "shuffle").permutation(n)
        return Tensor._make(b.asarray(order.astype(_np.int64), dtype=_dt.int64), b)
    return Tensor._make(b.ops.take(x._value, replayed_draw(draw)._value, axis=0), b)


# --- stateless ops: pure functions of seed=[a, b] -------------------------------------------
# In mg.function a Tensor seed is an input of the draw step (no trace per seed).

def _stateless_stream(seed, where):
    pair = seed._host_data().tolist() if isinstance(seed, Tensor) else seed
    try:
        a, b = (operator.index(s) for s in pair)
    except (TypeError, ValueError):
        raise TypeError(f"mg.random.{where}: seed must be a pair of ints such as [1, 2] (a "
                        f"shape-[2] seed, as TensorFlow's stateless ops take); got "
                        f"{seed!r}") from None
    return _np.random.Generator(_bit_generator(_STATELESS, a, b))


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=_dt.float32, name=None,
                     alg=None, backend=None):
    """``tf.random.stateless_normal``: the same ``seed`` always gives the same values."""
    where = "stateless_normal"
    shape, backend = _shape(shape, where), _fixed(backend)
    return replayed_draw(lambda seed, mean, stddev: _normal(
        _stateless_stream(seed, where), shape, mean, stddev, dtype, backend, where),
        seed, mean, stddev)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=_dt.float32,
                               name=None, alg=None, backend=None):
    where = "stateless_truncated_normal"
    shape, backend = _shape(shape, where), _fixed(backend)
    return replayed_draw(lambda seed, mean, stddev: _truncated_normal(
        _stateless_stream(seed, where), shape, mean, stddev, dtype, backend, where),
        seed, mean, stddev)


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=_dt.float32, name=None,
                      alg=None, backend=None):
    """``tf.random.stateless_uniform``: the same ``seed`` always gives the same values."""
    where = "stateless_uniform"
    shape, backend = _shape(shape, where), _fixed(backend)
    return replayed_draw(lambda seed, minval, maxval: _uniform(
        _stateless_stream(seed, where), shape, minval, maxval, dtype, backend, where),
        seed, minval, maxval)


# --- Generator: explicit state (tf.random.Generator) ----------------------------------------

class Generator:
    """A random-number generator with its own state (``tf.random.Generator``).

    Build it with ``Generator.from_seed(seed)`` or ``Generator.from_non_deterministic_state()``;
    the global seed does not affect it.
    """

    def __init__(self, _stream=None):
        self._stream = _stream if _stream is not None else _np.random.Generator(
            _np.random.PCG64())
        _generators.add(self)

    @classmethod
    def from_seed(cls, seed, alg=None):
        return cls(_np.random.Generator(
            _bit_generator(_GENERATOR, _int_seed(seed, "Generator.from_seed"))))

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        return cls()

    def reset_from_seed(self, seed):
        self._stream = type(self).from_seed(seed)._stream

    def split(self, count=1):
        """``count`` new independent Generators; this one advances (as TF's ``split``)."""
        return [Generator(_np.random.Generator(bits))
                for bits in self._stream.bit_generator.spawn(count)]

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=_dt.float32, name=None, backend=None):
        shape, backend = _shape(shape, "Generator.normal"), _fixed(backend)
        return replayed_draw(lambda mean, stddev: _normal(
            self._stream, shape, mean, stddev, dtype, backend, "Generator.normal"),
            mean, stddev)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=_dt.float32, name=None,
                         backend=None):
        shape, backend = _shape(shape, "Generator.truncated_normal"), _fixed(backend)
        return replayed_draw(lambda mean, stddev: _truncated_normal(
            self._stream, shape, mean, stddev, dtype, backend, "Generator.truncated_normal"),
            mean, stddev)

    def uniform(self, shape, minval=0, maxval=None, dtype=_dt.float32, name=None,
                backend=None):
        shape, backend = _shape(shape, "Generator.uniform"), _fixed(backend)
        return replayed_draw(lambda minval, maxval: _uniform(
            self._stream, shape, minval, maxval, dtype, backend, "Generator.uniform"),
            minval, maxval)

    def __repr__(self):
        return "<mg.random.Generator>"


def host_seed():
    """A seed drawn from the global stream (``mg.data``'s shuffle without ``seed=``): after
    ``set_seed(s)`` the same sequence of seeds, as TF derives op seeds from its global one."""
    return int(_state.stream.integers(2 ** 63))
