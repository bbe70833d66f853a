"""TensorFlow's functions (issue: "TensorFlow code runs unchanged"): values against NumPy,
TensorFlow's special cases, errors, and the mg.math namespace. Gathers are in
tests/ops/test_tf_gather.py; gradients against finite differences in tests/ops/test_tf_ops_grad.py
(the op table)."""

import math

import numpy as np
import pytest

import multigrad as mg
from multigrad.ops.tf import (math_namespace, functions as tf_functions, gather as tf_gather,
                              math_functions as tf_math, math_names as tf_math_names)


def grad(f, *xs):
    """The tape's gradients of f at xs (float64 constants)."""
    xs = [mg.constant(np.asarray(x, dtype=np.float64)) for x in xs]
    with mg.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    return [None if g is None else g.numpy() for g in tape.gradient(y, xs)]


RNG = np.random.default_rng(7)
A = RNG.standard_normal((3, 4))
B = RNG.standard_normal((2, 3, 4))


# --- norms and clipping -----------------------------------------------------------------

@pytest.mark.parametrize("ord", ["euclidean", 1, 3, np.inf])
def test_norm_of_the_whole_tensor_is_a_vector_norm(backend, ord):
    p = {"euclidean": 2}.get(ord, ord)
    flat = np.abs(B.ravel())
    expected = flat.max() if p == np.inf else (flat ** p).sum() ** (1 / p)
    np.testing.assert_allclose(mg.norm(mg.constant(B), ord=ord).numpy(), expected, rtol=1e-12)
    kept = mg.norm(mg.constant(B), ord=ord, keepdims=True)
    assert kept.shape == (1, 1, 1)


def test_norm_over_axes(backend):
    x = mg.constant(B)
    np.testing.assert_allclose(mg.norm(x, axis=-1).numpy(), np.linalg.norm(B, axis=-1))
    np.testing.assert_allclose(mg.norm(x, axis=[1, 2]).numpy(),
                               np.linalg.norm(B, "fro", axis=(1, 2)))
    for ord in (1, 2, np.inf):
        np.testing.assert_allclose(mg.norm(x, ord=ord, axis=(1, 2)).numpy(),
                                   np.linalg.norm(B, ord, axis=(1, 2)), rtol=1e-10)
    assert mg.norm(x, axis=0, keepdims=True).shape == (1, 3, 4)


@pytest.mark.parametrize("ord, axis, message", [
    ("fro", None, "ord='fro' is a matrix norm"),
    (0, 1, "vector ord must be 'euclidean' or a positive number"),
    (-1, None, "vector ord must be"),
    ("nuc", (0, 1), "matrix ord must be 'euclidean', 'fro', 1, 2 or inf"),
    (2, (0, 1, 2), "axis must be None, an int or a pair of ints"),
])
def test_norm_rejects_what_tensorflow_rejects(backend, ord, axis, message):
    with pytest.raises(ValueError, match=message):
        mg.norm(mg.constant(B), ord=ord, axis=axis)


def test_clip_by_norm_rescales_only_above_the_bound(backend):
    norm = np.sqrt((A ** 2).sum())
    np.testing.assert_allclose(mg.clip_by_norm(mg.constant(A), 1.5).numpy(), A * 1.5 / norm)
    np.testing.assert_allclose(mg.clip_by_norm(mg.constant(A), 2 * norm).numpy(), A)
    rows = np.sqrt((A ** 2).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(mg.clip_by_norm(mg.constant(A), 0.8, axes=[1]).numpy(),
                               A * 0.8 / np.maximum(rows, 0.8))


def test_clip_by_norm_of_zeros_has_a_finite_gradient(backend):
    (g,) = grad(lambda x: mg.reduce_sum(mg.clip_by_norm(x, 1.0)), np.zeros(3))
    np.testing.assert_array_equal(g, np.ones(3))     # the identity below the bound


def test_clip_by_norm_rejects_complex(backend):
    with pytest.raises(TypeError, match="complex tensors are not supported"):
        mg.clip_by_norm(mg.constant([1 + 1j]), 1.0)


def test_clip_by_global_norm(backend):
    a, b = A, RNG.standard_normal(5)
    total = np.sqrt((a ** 2).sum() + (b ** 2).sum())
    (ca, none, cb), norm = mg.clip_by_global_norm([mg.constant(a), None, mg.constant(b)], 1.0)
    assert none is None
    np.testing.assert_allclose(norm.numpy(), total)
    np.testing.assert_allclose(ca.numpy(), a / total)
    np.testing.assert_allclose(cb.numpy(), b / total)
    (same,), _ = mg.clip_by_global_norm([mg.constant(a)], 100.0)
    np.testing.assert_allclose(same.numpy(), a)
    (scaled,), used = mg.clip_by_global_norm([mg.constant(a)], 1.0, use_norm=4.0)
    np.testing.assert_allclose(scaled.numpy(), a / 4.0)
    np.testing.assert_allclose(used.numpy(), 4.0)
    np.testing.assert_allclose(mg.linalg.global_norm([mg.constant(a), mg.constant(b)]).numpy(),
                               total)


def test_clip_by_global_norm_of_an_infinite_norm_is_nan(backend):
    (c,), norm = mg.clip_by_global_norm([mg.constant([1.0, np.inf])], 1.0)
    assert np.isinf(norm.numpy()) and np.isnan(c.numpy()).all()


def test_clip_by_global_norm_wants_a_list(backend):
    with pytest.raises(TypeError, match=r"t_list must be a list or tuple.*wrap a single"):
        mg.clip_by_global_norm(mg.constant(A), 1.0)


# --- shapes, ranges, fill, one_hot -------------------------------------------------------

def test_shape_size_rank_are_int32_tensors(backend):
    x = mg.constant(B)
    for t, expected in ((mg.shape(x), [2, 3, 4]), (mg.size(x), 24), (mg.rank(x), 3)):
        assert isinstance(t, mg.Tensor) and t.dtype == mg.int32
        np.testing.assert_array_equal(t.numpy(), expected)
    assert mg.shape(x, out_type=mg.int64).dtype == mg.int64
    assert mg.shape(mg.constant(1.0)).shape == (0,)
    # TF idiom: a shape tensor is a valid shape argument.
    assert mg.reshape(x, mg.shape(mg.constant(A)) * mg.constant([2, 1])).shape == (6, 4)
    assert mg.zeros(mg.shape(x)).shape == (2, 3, 4)


def test_shape_after_a_mask_is_known(backend):
    x = mg.constant([1.0, -2.0, 3.0, -4.0, 5.0])
    masked = x[x > 0]
    np.testing.assert_array_equal(mg.shape(masked).numpy(), [3])
    assert int(mg.size(masked)) == 3


def test_integer_results_have_no_gradient(backend):
    x = mg.constant(A)
    idx = mg.constant([0, 2])
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with pytest.warns(UserWarning, match="int32; it gets no gradient"):
            tape.watch(idx)
        s = mg.cast(mg.shape(x), mg.float32)
        hot = mg.one_hot(idx, 3)
        top = mg.cast(mg.math.top_k(x, k=2)[1], mg.float64)
    assert tape.gradient(s, x) is None
    with pytest.warns(UserWarning, match="the dtype of the source must be floating.*int32"):
        assert tape.gradient(hot, idx) is None       # integer sources give None (TF)
    assert tape.gradient(top, x) is None             # indices do not depend smoothly on x
    with pytest.warns(UserWarning, match="the dtype of the source must be floating.*int32"):
        assert tape.gradient(mg.gather(x, idx), idx) is None


@pytest.mark.parametrize("args, kwargs", [
    ((5,), {}), ((2, 9, 3), {}), ((1.0, 2.5, 0.5), {}), ((5, 0, -2), {}),
    ((3,), {"dtype": mg.float64}), ((0,), {}),
])
def test_range_is_arange_with_tensorflow_dtypes(backend, args, kwargs):
    got = mg.range(*args, **kwargs)
    ints = all(isinstance(a, int) for a in args) and "dtype" not in kwargs
    assert got.dtype == (mg.int32 if ints else kwargs.get("dtype", mg.float32))
    np.testing.assert_allclose(got.numpy(), np.arange(*args))


def test_range_takes_scalar_tensors_and_rejects_zero_delta(backend):
    np.testing.assert_array_equal(mg.range(mg.constant(4), delta=mg.constant(2)).numpy(), [0, 2])
    with pytest.raises(ValueError, match="delta must not be 0"):
        mg.range(0, 3, 0)
    assert list(range(2)) == [0, 1]       # the builtin is untouched


def test_fill(backend):
    t = mg.fill([2, 3], 7)
    assert t.dtype == mg.int32 and t.shape == (2, 3)
    np.testing.assert_array_equal(t.numpy(), np.full((2, 3), 7))
    assert mg.fill(mg.shape(mg.constant(A)), 0.5).dtype == mg.float32
    (g,) = grad(lambda v: mg.reduce_sum(mg.fill((2, 2), v) * mg.constant(A[:2, :2])), 1.0)
    np.testing.assert_allclose(g, A[:2, :2].sum())
    with pytest.raises(ValueError, match="value must be a scalar"):
        mg.fill([2], [1.0, 2.0])


def test_one_hot(backend):
    idx = np.array([[0, 2], [3, 1]])
    expected = (idx[..., None] == np.arange(4)).astype(np.float32)
    got = mg.one_hot(idx, 4)
    assert got.dtype == mg.float32
    np.testing.assert_array_equal(got.numpy(), expected)
    np.testing.assert_array_equal(mg.one_hot(idx, 4, axis=0).numpy(),
                                  np.moveaxis(expected, -1, 0))
    np.testing.assert_array_equal(mg.one_hot(idx, 4, axis=1).numpy(),
                                  np.moveaxis(expected, -1, 1))
    off = mg.one_hot([-1, 5, 1], 3, on_value=5, off_value=-1)
    assert off.dtype == mg.int32
    np.testing.assert_array_equal(off.numpy(), [[-1, -1, -1], [-1, -1, -1], [-1, 5, -1]])
    assert mg.one_hot([1], 2, dtype=mg.float64).dtype == mg.float64


def test_one_hot_errors(backend):
    with pytest.raises(TypeError, match="indices must be integers"):
        mg.one_hot([0.0, 1.0], 2)
    with pytest.raises(ValueError, match="axis 3 is out of range for indices of rank 1"):
        mg.one_hot([0, 1], 2, axis=3)


# --- add_n, is_tensor ---------------------------------------------------------------------

def test_add_n_and_is_tensor(backend):
    np.testing.assert_allclose(mg.add_n([A, 2 * A, mg.constant(A)]).numpy(), 4 * A)
    with pytest.raises(ValueError, match=r"same shape \(add_n does not broadcast\)"):
        mg.add_n([A, A[0]])
    with pytest.raises(ValueError, match="non-empty list"):
        mg.add_n([])
    assert mg.is_tensor(mg.constant(1.0)) and mg.is_tensor(mg.Variable(1.0))
    assert not mg.is_tensor(A) and not mg.is_tensor(1.0)


# --- tf.math and tf.nn functions ----------------------------------------------------------

def test_x_functions_are_zero_where_x_is_zero_and_their_gradients_finite(backend):
    x, y = np.array([0.0, 0.0, 2.0, 0.0]), np.array([0.0, -1.0, 3.0, 2.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        cases = {
            mg.math.xlogy: np.where(x == 0, 0, x * np.log(np.abs(y) + (y == 0))),
            mg.math.xdivy: np.where(x == 0, 0, x / np.where(y == 0, 1, y)),
            mg.math.xlog1py: np.where(x == 0, 0, x * np.log1p(y)),
        }
    for f, expected in cases.items():
        np.testing.assert_allclose(f(x, y).numpy(), expected)
        gx, gy = grad(lambda a, b: mg.reduce_sum(f(a, b)), x, y)
        assert np.isfinite(gx).all() and np.isfinite(gy).all(), f.__name__
        np.testing.assert_array_equal(gy[x == 0], 0.0)


def test_no_nan_functions(backend):
    x, y = np.array([1.0, np.inf, np.nan, 6.0]), np.array([0.0, 0.0, 0.0, 3.0])
    np.testing.assert_array_equal(mg.math.divide_no_nan(x, y).numpy(), [0, 0, 0, 2])
    np.testing.assert_array_equal(mg.math.multiply_no_nan(x, y).numpy(), [0, 0, 0, 18])
    np.testing.assert_array_equal(mg.math.reciprocal_no_nan([0.0, 4.0]).numpy(), [0, 0.25])
    gx, gy = grad(lambda a, b: mg.reduce_sum(mg.math.multiply_no_nan(a, b)), [2.0, 5.0],
                  [0.0, 3.0])
    np.testing.assert_array_equal(gx, [0.0, 3.0])
    np.testing.assert_array_equal(gy, [2.0, 5.0])       # d(xy)/dy = x, also at y == 0
    gx, gy = grad(lambda a, b: mg.reduce_sum(mg.math.divide_no_nan(a, b)), [2.0, 6.0],
                  [0.0, 3.0])
    np.testing.assert_array_equal(gx, [0.0, 1 / 3])
    np.testing.assert_allclose(gy, [0.0, -6 / 9])


def test_elementwise_math_matches_numpy(backend):
    x, y = A, RNG.standard_normal(4)
    checks = [
        (mg.math.squared_difference(x, y), (x - y) ** 2),
        (mg.math.log_sigmoid(x), -np.log1p(np.exp(-x))),
        (mg.math.rsqrt(np.abs(x)), 1 / np.sqrt(np.abs(x))),
        (mg.math.softsign(x), x / (1 + np.abs(x))),
        (mg.math.scalar_mul(2.5, x), 2.5 * x),
        (mg.math.reduce_euclidean_norm(x, axis=0), np.sqrt((x ** 2).sum(axis=0))),
        (mg.math.l2_normalize(x, axis=1), x / np.sqrt((x ** 2).sum(axis=1, keepdims=True))),
        (mg.math.polyval([2.0, -1.0, 0.5], x), 2 * x ** 2 - x + 0.5),
        (mg.math.polyval([], x), np.zeros_like(x)),
        (mg.math.polyval([3.0], x), np.full_like(x, 3.0)),
    ]
    for got, expected in checks:
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(mg.math.log_sigmoid(mg.constant([-1e4, 1e4])).numpy(),
                               [-1e4, 0.0])
    assert mg.math.l2_normalize(np.zeros(3)).numpy().tolist() == [0.0, 0.0, 0.0]


def test_reductions_and_predicates(backend):
    euclid = mg.math.reduce_euclidean_norm(mg.constant([[1, 2, 3], [1, 1, 1]]))
    assert euclid.dtype == mg.int32 and int(euclid) == 4       # TF: integer in, integer out
    assert float(mg.math.zero_fraction([0.0, 1.0, 0.0, 3.0])) == 0.5
    assert mg.math.zero_fraction([1]).dtype == mg.float32
    assert bool(mg.math.is_non_decreasing([[1, 2], [2, 5]]))
    assert not bool(mg.math.is_strictly_increasing([1, 2, 2, 5]))
    assert bool(mg.math.is_strictly_increasing([1.0]))
    assert not bool(mg.math.is_non_decreasing([3, 1]))
    with pytest.raises(TypeError, match="complex numbers have no order"):
        mg.math.is_non_decreasing([1j, 2j])
    with pytest.raises(ValueError, match="scalar must be 0-d, got shape \\(2,\\)"):
        mg.math.scalar_mul([1.0, 2.0], A)
    with pytest.raises(ValueError, match="coefficients must be 1-D"):
        mg.math.polyval(mg.constant([[1.0]]), A)      # a list, or NumPy's 1-D array


def test_nn_moments_and_l2_loss(backend):
    mean, variance = mg.nn.moments(B, axes=[0, 2])
    np.testing.assert_allclose(mean.numpy(), B.mean(axis=(0, 2)))
    np.testing.assert_allclose(variance.numpy(), B.var(axis=(0, 2)))
    mean, variance = mg.nn.moments(mg.constant(A), axes=[1], keepdims=True)
    assert mean.shape == variance.shape == (3, 1)
    np.testing.assert_allclose(float(mg.nn.l2_loss(A)), (A ** 2).sum() / 2)
    assert mg.nn.l2_normalize is mg.math.l2_normalize and mg.nn.softsign is mg.math.softsign


# --- the namespace and the docs -----------------------------------------------------------

RENAMED = {"is_nan": "isnan", "is_inf": "isinf", "is_finite": "isfinite",
           "floordiv": "floor_divide", "floormod": "remainder", "truediv": "divide",
           "accumulate_n": "add_n"}
FROM_NN = ("softplus", "softmax", "log_softmax")
TF_DEFAULTS = ("cumsum", "cumprod")      # TF's axis=0 and dtypes (tests/ops/test_tf_dtypes.py)
TF_ONLY = set(tf_math.__all__) | set(tf_gather.__all__) - {"moments", "l2_loss"}
# Names NumPy has with another meaning: mg.math's is TF's (tests/ops/test_tf_math_names.py).
TF_MEANING = set(tf_math_names.__all__)


def test_mg_math_names_are_the_mg_functions():
    assert mg.math is math_namespace
    for name in math_namespace.__all__:
        f = getattr(mg.math, name)
        assert callable(f), name
        if name in TF_MEANING:
            assert f is getattr(tf_math_names, name), name
        elif name in RENAMED:
            assert f is getattr(mg, RENAMED[name]), name
        elif name in FROM_NN:
            assert f is getattr(mg.nn, name), name
        elif name in TF_DEFAULTS:
            assert f is not getattr(mg, name), name
        elif hasattr(mg, name):
            assert f is getattr(mg, name), name
        else:
            assert name in TF_ONLY, f"mg.math.{name} is neither an mg function nor TF-only"


def test_mg_math_covers_tensorflows_common_names():
    wanted = ("log sin exp softplus sigmoid reduce_sum reduce_mean reduce_max reduce_min "
              "reduce_prod reduce_std reduce_variance reduce_logsumexp square sqrt abs add "
              "multiply subtract divide pow maximum minimum tanh erf cumsum argmax argmin equal "
              "greater less logical_and sign floor ceil round reciprocal negative "
              "squared_difference is_nan is_finite is_inf top_k add_n real imag conj angle "
              "xlogy divide_no_nan log1p expm1 log_sigmoid").split()
    missing = [n for n in wanted if n not in math_namespace.__all__]
    assert not missing, missing
    assert mg.math.reduce_max is mg.reduce_max and mg.math.pow is mg.pow is mg.power
    assert mg.sigmoid is mg.nn.sigmoid is mg.math.sigmoid
    assert "math" in dir(mg)


def test_top_level_tf_functions_are_documented():
    from .test_ops_doc import documented_rows
    documented = {(ns.__name__, n) for ns, names, aliases, _ in documented_rows()
                  for n in names + aliases}
    wanted = [("multigrad", n) for n in tf_functions.__all__ + ["gather", "gather_nd",
                                                                 "boolean_mask", "sigmoid"]]
    missing = [n for n in wanted if n not in documented]
    assert not missing, f"missing from docs/ops.md: {missing}"


def test_tensorflow_gradient_clipping_loop_runs_unchanged(backend):
    """A TF 2 training step with tf replaced by mg."""
    w = mg.Variable(mg.fill([3, 2], 0.5))
    b = mg.Variable(mg.zeros([2]))
    x = mg.constant(A[:, :3])
    labels = mg.one_hot(mg.math.argmax(x[:, :2], axis=1), 2)
    for _ in range(3):
        with mg.GradientTape() as tape:
            logits = mg.matmul(x, w) + b
            loss = mg.reduce_mean(mg.nn.softmax_cross_entropy_with_logits(labels, logits)) \
                + 1e-3 * mg.add_n([mg.nn.l2_loss(v) for v in (w, b)])
        grads, norm = mg.clip_by_global_norm(tape.gradient(loss, [w, b]), 0.1)
        assert float(mg.linalg.global_norm(grads)) <= 0.1 + 1e-6
        for g, v in zip(grads, [w, b]):
            v.assign_sub(0.5 * g)
    assert math.isfinite(float(loss)) and mg.shape(w).numpy().tolist() == [3, 2]
