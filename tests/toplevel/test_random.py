"""mg.random: TensorFlow's tf.random (seeds, distributions, errors) on every backend.

Samples are seeded, so the statistical bounds below (about 5 standard errors) are checked
against fixed draws: a test passes or fails the same way every run. Sizes stay at 10^4:
the dask matrix cuts arrays into 2-element chunks.
"""

import math

import numpy as np
import pytest

import multigrad as mg

N = (100, 100)          # 10^4 draws per moment test


@pytest.fixture(autouse=True)
def unseeded():
    """Each test starts and ends without a global seed (no leak into other tests)."""
    mg.random.set_seed(None)
    yield
    mg.random.set_seed(None)


def draws(backend):
    """One of each stateful op, on the host."""
    return [mg.random.normal([3]).numpy(),
            mg.random.uniform([2, 2]).numpy(),
            mg.random.uniform([4], minval=-5, maxval=5, dtype=mg.int32).numpy(),
            mg.random.truncated_normal([3], stddev=2.0).numpy(),
            mg.random.shuffle(mg.constant(list(range(8)))).numpy()]


def assert_all_equal(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


# --- seeds ----------------------------------------------------------------------------------

def test_set_seed_makes_the_sequence_of_random_ops_repeat(backend):
    mg.random.set_seed(7)
    first = draws(backend)
    mg.random.set_seed(7)
    assert_all_equal(draws(backend), first)
    mg.random.set_seed(8)
    assert not np.array_equal(draws(backend)[0], first[0])


def test_consecutive_ops_draw_new_values(backend):
    mg.random.set_seed(1)
    a, b = mg.random.normal([5]), mg.random.normal([5])
    assert not np.array_equal(a.numpy(), b.numpy())
    mg.random.set_seed(None)                 # unseeded: OS entropy
    assert not np.array_equal(mg.random.normal([5]).numpy(), mg.random.normal([5]).numpy())


def test_op_seed_selects_its_own_stream_as_tensorflow(backend):
    # TF: with a global seed, op seed s gives A1 then A2 (different), and the pair repeats
    # after set_seed again; an op seed does not move the global stream.
    mg.random.set_seed(1)
    a1, a2 = mg.random.normal([4], seed=5).numpy(), mg.random.normal([4], seed=5).numpy()
    g1 = mg.random.normal([4]).numpy()
    assert not np.array_equal(a1, a2)
    mg.random.set_seed(1)
    g1_again = mg.random.normal([4]).numpy()
    assert_all_equal([mg.random.normal([4], seed=5).numpy(),
                      mg.random.normal([4], seed=5).numpy()], [a1, a2])
    np.testing.assert_array_equal(g1_again, g1)
    assert not np.array_equal(mg.random.normal([4], seed=6).numpy(), a1)
    mg.random.set_seed(2)                    # another global seed: another op stream
    assert not np.array_equal(mg.random.normal([4], seed=5).numpy(), a1)


def test_op_seed_is_reproducible_without_a_global_seed(backend):
    a = mg.random.uniform([4], seed=3).numpy()
    mg.random.set_seed(None)
    np.testing.assert_array_equal(mg.random.uniform([4], seed=3).numpy(), a)


def test_same_seed_gives_the_same_values_on_every_backend(backend):
    mg.random.set_seed(3)
    here = draws(backend)
    mg.random.set_seed(3)
    with mg.use_backend("numpy"):
        on_numpy = draws(None)
    assert_all_equal(here, on_numpy)


def test_values_are_tensors_on_the_selected_or_given_backend(backend):
    x = mg.random.normal([2])
    assert type(x) is mg.Tensor and x.backend is backend
    with mg.use_backend("numpy"):
        y = mg.random.uniform([2], backend=backend.name)
    assert y.backend is backend


def test_random_values_are_constants_for_tapes(backend):
    w = mg.Variable([1.0, 2.0, 3.0])
    with mg.GradientTape(persistent=True) as tape:
        noise = mg.random.normal([3])
        y = mg.reduce_sum(w * noise)
        shuffled = mg.reduce_sum(mg.random.shuffle(w) * noise)
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), noise.numpy())
    assert tape.gradient(shuffled, w) is None    # shuffle is not differentiable (as TF)


def test_seed_must_be_an_int(backend):
    with pytest.raises(TypeError, match=r"mg.random.set_seed: a seed must be an int .*got str"):
        mg.random.set_seed("42")
    with pytest.raises(TypeError, match=r"mg.random.normal: a seed must be an int .*got float"):
        mg.random.normal([2], seed=1.5)


# --- distributions --------------------------------------------------------------------------

def test_normal_moments_and_defaults(backend):
    mg.random.set_seed(0)
    x = mg.random.normal(N, mean=2.0, stddev=3.0)
    assert x.shape == N and x.dtype == mg.float32
    v = x.numpy().astype(np.float64)
    se = 3.0 / math.sqrt(v.size)
    assert abs(v.mean() - 2.0) < 5 * se
    assert abs(v.std() - 3.0) < 5 * 3.0 / math.sqrt(2 * v.size)
    assert mg.random.normal([2], dtype=mg.float64).dtype == mg.float64
    assert mg.random.normal([2], dtype="float64").dtype == mg.float64


def test_parameters_broadcast_to_the_shape(backend):
    mg.random.set_seed(0)
    x = mg.random.normal([5000, 2], mean=[0.0, 10.0], stddev=mg.constant([1.0, 0.1])).numpy()
    assert abs(x[:, 0].mean()) < 5 / math.sqrt(5000) and abs(x[:, 1].mean() - 10) < 0.05
    assert abs(x[:, 1].std() - 0.1) < 0.01
    with pytest.raises(ValueError, match=r"mg.random.normal: mean of shape \(3,\) does not "
                                         r"broadcast to the requested shape \[2, 2\]"):
        mg.random.normal([2, 2], mean=[1.0, 2.0, 3.0])


def test_uniform_floats_lie_in_the_half_open_range(backend):
    mg.random.set_seed(0)
    u = mg.random.uniform(N)                  # TF: maxval defaults to 1 for floats
    assert u.dtype == mg.float32
    v = u.numpy().astype(np.float64)
    assert v.min() >= 0.0 and v.max() < 1.0 and v.max() > 0.99 and v.min() < 0.01
    assert abs(v.mean() - 0.5) < 5 * math.sqrt(1 / 12 / v.size)
    w = mg.random.uniform(N, minval=-3.0, maxval=5.0, dtype=mg.float64).numpy()
    assert w.dtype == np.float64 and w.min() >= -3.0 and w.max() < 5.0
    assert abs(w.mean() - 1.0) < 5 * math.sqrt(64 / 12 / w.size)
    assert abs(w.var() - 64 / 12) < 0.3


def test_uniform_integers_cover_minval_to_maxval_exclusive(backend):
    mg.random.set_seed(0)
    for dtype in (mg.int32, mg.int64):
        x = mg.random.uniform([2000], minval=-3, maxval=4, dtype=dtype)
        assert x.dtype == dtype
        assert sorted(set(x.numpy().tolist())) == list(range(-3, 4))


def test_uniform_integer_dtype_needs_maxval(backend):
    with pytest.raises(ValueError, match=r"mg.random.uniform: maxval must be given for the "
                                         r"integer dtype int32 .*\[minval, maxval\)"):
        mg.random.uniform([2], dtype=mg.int32)
    with pytest.raises(ValueError, match=r"minval must be less than maxval .*minval=5, maxval=5"):
        mg.random.uniform([2], minval=5, maxval=5, dtype=mg.int64)


def test_truncated_normal_redraws_beyond_two_stddev(backend):
    mg.random.set_seed(0)
    x = mg.random.truncated_normal(N, mean=1.0, stddev=0.5)
    assert x.dtype == mg.float32 and x.shape == N
    z = (x.numpy().astype(np.float64) - 1.0) / 0.5
    assert np.abs(z).max() <= 2.0 + 1e-5
    # Re-drawn, not clipped: clipping would pile ~4.6% of the draws onto +-2.
    assert np.mean(np.abs(z) > 1.99) < 0.01
    # Variance of a standard normal truncated to [-2, 2]: 1 - 2 a phi(a) / (2 Phi(a) - 1).
    a = 2.0
    phi = math.exp(-a * a / 2) / math.sqrt(2 * math.pi)
    var = 1 - 2 * a * phi / math.erf(a / math.sqrt(2))
    assert abs(z.var() - var) < 0.03 and abs(z.mean()) < 5 * math.sqrt(var / z.size)


def test_float16_where_the_backend_has_it(backend):
    try:
        backend.native_dtype(mg.float16)
    except TypeError:
        with pytest.raises(TypeError, match="has no dtype float16"):
            mg.random.normal([3], dtype=mg.float16)
        return
    assert mg.random.normal([3], dtype=mg.float16).dtype == mg.float16
    assert mg.random.uniform([3], dtype="float16").dtype == mg.float16


# --- errors ----------------------------------------------------------------------------------

def test_bad_dtypes_are_clear_errors(backend):
    with pytest.raises(TypeError, match=r"mg.random.normal: dtype must be a floating dtype "
                                        r"\(float16, float32 or float64\), got int32"):
        mg.random.normal([2], dtype=mg.int32)
    with pytest.raises(TypeError, match=r"mg.random.truncated_normal: dtype must be a floating"):
        mg.random.truncated_normal([2], dtype=mg.complex64)
    with pytest.raises(TypeError, match=r"mg.random.uniform: dtype must be a floating or "
                                        r"integer dtype, got bool"):
        mg.random.uniform([2], dtype=mg.bool)
    with pytest.raises(TypeError, match="unknown dtype 'float31'"):
        mg.random.normal([2], dtype="float31")


def test_shapes_and_bad_shapes(backend):
    assert mg.random.normal([]).shape == ()
    assert mg.random.normal(3).shape == (3,)
    assert mg.random.uniform((2, 0)).shape == (2, 0)
    assert mg.random.normal(mg.constant([2, 3])).shape == (2, 3)
    assert mg.random.normal(np.array([2, 3])).shape == (2, 3)
    assert mg.random.normal(np.int64(2)).shape == (2,)
    with pytest.raises(TypeError, match=r"mg.random.normal: shape must be a list or tuple of "
                                        r"ints, e.g. \[2, 3\].*got 'ab'"):
        mg.random.normal("ab")
    with pytest.raises(TypeError, match="shape must be a list or tuple of ints"):
        mg.random.uniform([2.5])
    with pytest.raises(ValueError, match=r"mg.random.uniform: shape \[2, -1\] has a negative "
                                         r"dimension"):
        mg.random.uniform([2, -1])


# --- shuffle ----------------------------------------------------------------------------------

def test_shuffle_permutes_the_first_axis(backend):
    rows = np.arange(40.0).reshape(20, 2)
    x = mg.constant(rows.tolist())
    mg.random.set_seed(4)
    s = mg.random.shuffle(x)
    assert s.shape == (20, 2) and s.dtype == mg.float32 and s.backend is backend
    out = s.numpy()
    assert sorted(map(tuple, out.tolist())) == sorted(map(tuple, rows.tolist()))  # rows intact
    assert not np.array_equal(out, rows)
    mg.random.set_seed(4)
    np.testing.assert_array_equal(mg.random.shuffle(x).numpy(), out)
    with pytest.raises(ValueError, match="mg.random.shuffle: value must have at least 1 "
                                         "dimension"):
        mg.random.shuffle(mg.constant(1.0))


# --- stateless ops ------------------------------------------------------------------------

def test_stateless_ops_are_functions_of_their_seed(backend):
    a = mg.random.stateless_normal([6], seed=[1, 2])
    mg.random.set_seed(9)                     # the global seed plays no part
    mg.random.normal([3])
    np.testing.assert_array_equal(mg.random.stateless_normal([6], seed=[1, 2]).numpy(),
                                  a.numpy())
    np.testing.assert_array_equal(mg.random.stateless_normal([6], seed=mg.constant([1, 2])
                                                             ).numpy(), a.numpy())
    assert not np.array_equal(mg.random.stateless_normal([6], seed=[2, 1]).numpy(), a.numpy())
    assert a.dtype == mg.float32 and a.backend is backend
    u = mg.random.stateless_uniform([500], seed=[3, -4], minval=2, maxval=9, dtype=mg.int32)
    np.testing.assert_array_equal(
        mg.random.stateless_uniform([500], seed=[3, -4], minval=2, maxval=9,
                                    dtype=mg.int32).numpy(), u.numpy())
    assert sorted(set(u.numpy().tolist())) == list(range(2, 9))
    t = mg.random.stateless_truncated_normal([1000], seed=[0, 0]).numpy()
    assert np.abs(t).max() <= 2.0 + 1e-6


def test_stateless_ops_leave_the_global_stream_alone(backend):
    mg.random.set_seed(5)
    expected = mg.random.normal([4]).numpy()
    mg.random.set_seed(5)
    mg.random.stateless_uniform([4], seed=[1, 1])
    np.testing.assert_array_equal(mg.random.normal([4]).numpy(), expected)


def test_stateless_seed_must_be_a_pair(backend):
    for bad in (3, [1, 2, 3], ["a", "b"]):
        with pytest.raises(TypeError, match=r"mg.random.stateless_normal: seed must be a pair "
                                            r"of ints such as \[1, 2\]"):
            mg.random.stateless_normal([2], seed=bad)
    with pytest.raises(ValueError, match="maxval must be given for the integer dtype int64"):
        mg.random.stateless_uniform([2], seed=[1, 2], dtype=mg.int64)


# --- Generator ------------------------------------------------------------------------------

def test_generator_from_seed_is_reproducible_and_ignores_the_global_seed(backend):
    g = mg.random.Generator.from_seed(11)
    mg.random.set_seed(1)
    first = [g.normal([3]).numpy(), g.uniform([3]).numpy(), g.truncated_normal([3]).numpy(),
             g.uniform([3], maxval=100, dtype=mg.int64).numpy()]
    assert not np.array_equal(g.normal([3]).numpy(), first[0])      # state advances
    h = mg.random.Generator.from_seed(11)
    mg.random.set_seed(2)
    again = [h.normal([3]).numpy(), h.uniform([3]).numpy(), h.truncated_normal([3]).numpy(),
             h.uniform([3], maxval=100, dtype=mg.int64).numpy()]
    assert_all_equal(again, first)
    g.reset_from_seed(11)
    np.testing.assert_array_equal(g.normal([3]).numpy(), first[0])
    assert not np.array_equal(mg.random.Generator.from_seed(12).normal([3]).numpy(), first[0])


def test_generator_samples_have_the_right_distribution(backend):
    g = mg.random.Generator.from_seed(0)
    x = g.normal(N, mean=-1.0, stddev=2.0)
    assert x.dtype == mg.float32 and x.backend is backend
    v = x.numpy().astype(np.float64)
    assert abs(v.mean() + 1.0) < 5 * 2 / math.sqrt(v.size) and abs(v.std() - 2.0) < 0.1
    t = g.truncated_normal([1000], stddev=3.0).numpy()
    assert np.abs(t).max() <= 6.0 + 1e-5
    u = g.uniform([1000], minval=1.0, maxval=2.0, dtype=mg.float64).numpy()
    assert u.dtype == np.float64 and u.min() >= 1.0 and u.max() < 2.0


def test_generator_split_and_nondeterministic_state(backend):
    g = mg.random.Generator.from_seed(3)
    a, b = g.split(2)
    xa, xb = a.normal([4]).numpy(), b.normal([4]).numpy()
    assert not np.array_equal(xa, xb)
    c, d = mg.random.Generator.from_seed(3).split(2)     # splitting is reproducible too
    assert_all_equal([c.normal([4]).numpy(), d.normal([4]).numpy()], [xa, xb])
    e, f = (mg.random.Generator.from_non_deterministic_state() for _ in range(2))
    assert not np.array_equal(e.normal([4]).numpy(), f.normal([4]).numpy())


def test_generator_errors_name_the_method(backend):
    g = mg.random.Generator.from_seed(0)
    with pytest.raises(ValueError, match=r"mg.random.Generator.uniform: maxval must be given "
                                         r"for the integer dtype int32"):
        g.uniform([2], dtype=mg.int32)
    with pytest.raises(TypeError, match=r"mg.random.Generator.normal: dtype must be a floating"):
        g.normal([2], dtype=mg.int64)
    with pytest.raises(TypeError, match=r"mg.random.Generator.from_seed: a seed must be an int"):
        mg.random.Generator.from_seed("x")
