"""A property test of mg.function's signature model: one traced function called with
random argument kinds (Tensors, NumPy arrays in C or F order or strided, Python numbers
including -0.0, tuples, lists, tuple subclasses, namedtuples, dicts, defaultdicts, a
mutable dataclass whose fields change between calls),
keyword orders, and buffers mutated in place between calls; every result equals eager."""

import collections
import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import multigrad as mg

P = collections.namedtuple("P", "first second")


class Pair(tuple):
    pass


@dataclasses.dataclass
class Cfg:
    """A mutable dataclass argument: one object, its fields changed between calls."""
    w: object
    k: float


def target(a, pair, *, scale, opts, cfg):
    x = mg.convert_to_tensor(a) * scale + mg.convert_to_tensor(pair[0])
    if opts["square"]:
        x = x * x
    x = x + cfg.w * cfg.k
    return mg.reduce_sum(x, axis=0) + opts["bias"], pair[1] * 2.0 - x[0, 0]


def layout(host, kind):
    if kind == "C":
        return np.ascontiguousarray(host)
    if kind == "F":
        return np.asfortranarray(host)
    wide = np.zeros((host.shape[0], host.shape[1] * 2))
    wide[:, ::2] = host
    return wide[:, ::2]                         # strided view


def array_arg(host, kind):
    return mg.constant(host) if kind == "tensor" else layout(host, kind)


call = st.fixed_dictionaries({
    "a_kind": st.sampled_from(["tensor", "C", "F", "strided"]),
    "p_kind": st.sampled_from([tuple, list, Pair, P]),
    "first_kind": st.sampled_from(["tensor", "C", "F"]),
    "scale": st.sampled_from([0.0, -0.0, 1.5, -2.0]),
    "square": st.booleans(),
    "bias": st.sampled_from(["tensor", 0.5, -0.0]),
    "d_kind": st.sampled_from([dict, "defaultdict"]),
    "order": st.permutations(["pair", "scale", "opts", "cfg"]),
    "k": st.sampled_from([1.0, -0.5]),
    "values": st.lists(st.floats(-4, 4, allow_nan=False, width=32), min_size=6, max_size=6),
    "mutate": st.booleans(),
})


def build(c, buffer, cfg):
    host = np.array(c["values"], dtype=np.float64).reshape(2, 3)
    if c["mutate"]:                 # the same buffer, refilled in place
        buffer[:] = host
        a = buffer
    else:
        a = array_arg(host, c["a_kind"])
    first = array_arg(host[::-1].copy(), c["first_kind"])
    pair_items = [first, mg.constant(c["values"][0], dtype=mg.float64)]
    pair = P(*pair_items) if c["p_kind"] is P else c["p_kind"](pair_items)
    bias = mg.constant(1.25, dtype=mg.float64) if c["bias"] == "tensor" else c["bias"]
    opts = {"square": c["square"], "bias": bias}
    if c["d_kind"] == "defaultdict":
        opts = collections.defaultdict(float, opts)
    cfg.w = mg.constant(c["values"][1], dtype=mg.float64)
    cfg.k = c["k"]
    named = {"pair": pair, "scale": c["scale"], "opts": opts, "cfg": cfg}
    return a, {k: named[k] for k in c["order"]}


def check(backend, calls):
    traced = mg.function(target)
    buffer = np.zeros((2, 3))
    cfg = Cfg(None, 0.0)
    for c in calls:
        a, kwargs = build(c, buffer, cfg)
        want = target(a, **kwargs)
        got = traced(a, **kwargs)
        for w, g in zip(want, got):
            w, g = w.numpy(), g.numpy()
            assert w.dtype == g.dtype and w.shape == g.shape
            assert w.tobytes() == g.tobytes(), (c, w, g)


@pytest.mark.filterwarnings("ignore:mg.function:multigrad.PerformanceWarning")  # random kinds retrace
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls=st.lists(call, min_size=2, max_size=6))
def test_random_calls_match_eager_numpy(calls):
    with mg.use_backend("numpy") as b:
        check(b, calls)


@pytest.mark.parametrize("seed", range(3))
def test_random_calls_match_eager(backend, seed):
    """Fixed draws of the same strategy on every backend."""
    rng = np.random.default_rng(seed)
    calls = []
    for _ in range(5):
        calls.append({
            "a_kind": rng.choice(["tensor", "C", "F", "strided"]),
            "p_kind": [tuple, list, Pair, P][rng.integers(4)],
            "first_kind": rng.choice(["tensor", "C", "F"]),
            "scale": [0.0, -0.0, 1.5, -2.0][rng.integers(4)],
            "square": bool(rng.integers(2)),
            "bias": ["tensor", 0.5, -0.0][rng.integers(3)],
            "d_kind": [dict, "defaultdict"][rng.integers(2)],
            "order": list(rng.permutation(["pair", "scale", "opts", "cfg"])),
            "k": [1.0, -0.5][rng.integers(2)],
            "values": list(rng.uniform(-4, 4, 6).astype(np.float32).astype(float)),
            "mutate": bool(rng.integers(2)),
        })
    check(backend, calls)
