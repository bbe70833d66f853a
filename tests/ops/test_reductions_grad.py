"""Reductions and scans: gradients to second order, float32 kept, batched cotangents,
exact gradients through zeros, ties, ddof, weights."""

import numpy as np
import pytest

import multigrad as mg

from optable import Case, away_from_zero, distinct, table_tests


def with_one_zero(a):
    out = away_from_zero(a)
    out.reshape(-1)[1] = 0.0
    return out


def with_zeros(a):
    out = away_from_zero(a)
    out.reshape(-1)[[0, 2, 5]] = 0.0
    return out


def weights_of(n):
    weights = [float(i + 1) for i in range(n)]     # Python floats: float32 weights
    return lambda x: mg.average(x, axis=1, weights=mg.constant(weights))


CASES = [
    Case("prod", mg.prod, [(3, 4)], domain=away_from_zero),
    Case("prod-axis-keepdims", lambda x: mg.prod(x, axis=-1, keepdims=True), [(2, 3)]),
    Case("prod-axis-tuple", lambda x: mg.reduce_prod(x, axis=(0, 2)), [(2, 2, 3)]),
    Case("prod-one-zero", lambda x: mg.prod(x), [(4,)], domain=with_one_zero),
    Case("prod-one-zero-axis", lambda x: mg.prod(x, axis=0), [(2, 3)], domain=with_one_zero),
    Case("prod-several-zeros", lambda x: mg.prod(x, axis=1), [(2, 3)], domain=with_zeros),
    Case("prod-size0", lambda x: mg.prod(x, axis=0), [(0, 3)]),
    Case("prod-size1", mg.prod, [(1,)]),
    Case("var", mg.var, [(3, 4)]),
    Case("var-ddof-axis", lambda x: mg.var(x, axis=0, ddof=1), [(3, 4)]),
    Case("var-keepdims-tuple", lambda x: mg.reduce_variance(x, axis=(-1, 0), keepdims=True),
         [(2, 3, 2)]),
    Case("std", lambda x: mg.std(x, axis=-1), [(3, 4)]),
    Case("std-ddof", lambda x: mg.reduce_std(x, ddof=1), [(5,)]),
    Case("ptp", lambda x: mg.ptp(x, axis=1), [(3, 4)], domain=distinct),
    Case("logsumexp", mg.logsumexp, [(3, 4)]),
    Case("logsumexp-axis", lambda x: mg.reduce_logsumexp(x, axis=-1, keepdims=True), [(2, 3)]),
    Case("logsumexp-axis-tuple", lambda x: mg.logsumexp(x, axis=(0, 2)), [(2, 3, 2)]),
    Case("average", mg.average, [(3, 4)]),
    Case("average-weights", lambda x, w: mg.average(x, axis=0, weights=mg.exp(w)),
         [(3, 2), (3, 2)]),
    Case("average-1d-weights", weights_of(4), [(2, 4)]),
    Case("average-keepdims", lambda x: mg.average(x, axis=-1, weights=mg.constant(
        [1.0, 2.0, 3.0]), keepdims=True), [(2, 3)]),
    Case("cumsum", mg.cumsum, [(2, 3)]),
    Case("cumsum-axis", lambda x: mg.cumsum(x, axis=1), [(2, 3)]),
    Case("cumsum-neg-axis", lambda x: mg.cumsum(x, axis=-2), [(3, 2)]),
    Case("cumsum-size0", lambda x: mg.cumsum(x, axis=0), [(0, 2)]),
    Case("cumprod", lambda x: mg.cumprod(x, axis=0), [(4, 2)], domain=away_from_zero),
    Case("cumprod-flat", mg.cumprod, [(2, 2)], domain=away_from_zero),
    Case("cumprod-size1", lambda x: mg.cumprod(x, axis=-1), [(2, 1)]),
    Case("cumprod-zero", lambda x: mg.cumprod(x, axis=-1), [(2, 4)], domain=with_one_zero,
         order=1),
    Case("cumprod-zeros", lambda x: mg.cumprod(x, axis=1), [(2, 3)], domain=with_zeros,
         order=1),
]


(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)


def _grad(f, x):
    x = mg.constant(np.asarray(x, dtype=np.float64))
    with mg.GradientTape() as t:
        t.watch(x)
        y = f(x)
    return y, t.gradient(y, x)


def test_prod_gradients_with_zeros_are_exact(backend):
    np.testing.assert_array_equal(_grad(mg.prod, [2.0, 0.0, 3.0])[1].numpy(), [0.0, 6.0, 0.0])
    np.testing.assert_array_equal(_grad(mg.prod, [2.0, 0.0, 3.0, 0.0])[1].numpy(), [0.0] * 4)
    np.testing.assert_array_equal(_grad(mg.prod, [2.0, 5.0, 3.0])[1].numpy(), [15.0, 6.0, 10.0])


def test_prod_second_derivative_at_a_zero(backend):
    # d2/dx0 dx1 of x0 x1 x2 at x1 = 0 is x2 (the first derivative is not a constant 0).
    x = mg.constant(np.array([2.0, 0.0, 3.0]))
    with mg.GradientTape() as outer:
        outer.watch(x)
        with mg.GradientTape() as inner:
            inner.watch(x)
            y = mg.prod(x)
        g = inner.gradient(y, x)
        g0 = g[0]
    np.testing.assert_array_equal(outer.gradient(g0, x).numpy(), [0.0, 3.0, 0.0])


def test_cumprod_gradients_with_zeros_are_exact(backend):
    x = [2.0, 0.0, 3.0, 0.0, 5.0]
    _, g = _grad(lambda t: mg.sum(mg.cumprod(t)), x)
    # d/dx1: x0 + x0 x2 + x0 x2 x3 + ...= 2 + 6 + 0 + 0; later entries see the zero at x1.
    np.testing.assert_array_equal(g.numpy(), [1.0, 8.0, 0.0, 0.0, 0.0])


def test_var_and_std_match_numpy_with_ddof(backend):
    a = np.random.default_rng(3).standard_normal((4, 5))
    x = mg.constant(a)
    np.testing.assert_allclose(mg.var(x, axis=1, ddof=1).numpy(), a.var(axis=1, ddof=1))
    np.testing.assert_allclose(mg.std(x, axis=0).numpy(), a.std(axis=0))
    np.testing.assert_allclose(mg.logsumexp(x, axis=0).numpy(), np.log(np.exp(a).sum(0)))
    np.testing.assert_allclose(mg.average(x, axis=1, weights=mg.constant(np.arange(5.0))).numpy(),
                               np.average(a, axis=1, weights=np.arange(5.0)))
    np.testing.assert_allclose(mg.cumprod(x, axis=1).numpy(), np.cumprod(a, axis=1))
    np.testing.assert_allclose(mg.cumsum(x).numpy(), np.cumsum(a))


# np.errstate is thread-local: Dask computes in its own threads, where NumPy warns anyway.
@pytest.mark.filterwarnings("ignore:divide by zero encountered in log:RuntimeWarning")
def test_logsumexp_is_stable_at_extremes(backend):
    x = np.array([[1e4, 1e4], [-1e4, 0.0], [-1e4, -1e4]], np.float32)
    y, g = _grad(lambda t: mg.logsumexp(mg.cast(t, mg.float32), axis=1), x)
    np.testing.assert_allclose(y.numpy(), [1e4 + np.log(2), 0.0, -1e4 + np.log(2)], rtol=1e-6)
    np.testing.assert_array_equal(g.numpy(), [[0.5, 0.5], [0.0, 1.0], [0.5, 0.5]])
    with np.errstate(divide="ignore"):      # log(0), as np.log warns
        lse = mg.logsumexp(mg.constant([[-np.inf, -np.inf], [-np.inf, 1.0]]), axis=1)
    np.testing.assert_array_equal(lse.numpy(), [-np.inf, 1.0])


def test_ptp_ties_share_the_gradient(backend):
    _, g = _grad(mg.ptp, [3.0, 1.0, 3.0, 1.0, 2.0])
    np.testing.assert_array_equal(g.numpy(), [0.5, -0.5, 0.5, -0.5, 0.0])


def test_reduction_errors_are_specific(backend):
    x = mg.constant(np.ones((2, 3)))
    with pytest.raises(ValueError, match="ddof must be a non-negative integer"):
        mg.var(x, ddof=-1)
    with pytest.raises(ValueError, match="weights of shape .* do not match"):
        mg.average(x, weights=mg.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="1-D weights have length 2 but axis 1 of x has length 3"):
        mg.average(x, axis=1, weights=mg.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match="axis must be an int or None"):
        mg.cumsum(x, axis=(0, 1))
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        mg.prod(x, axis=2)
