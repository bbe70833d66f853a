"""Elementwise math (unary and broadcasting binary): gradients to second order, float32
kept, batched cotangents; zero-gradient ops; closed forms at ties and special points."""

import math

import numpy as np
import pytest

import multigrad as mg

from optable import Case, away_from_zero, positive, table_tests, unit_interval


def above_one(a):
    return np.abs(a) + 1.5


def not_near_integer(a):
    """Values whose fractional part stays away from the jumps of floor/round/mod."""
    return np.round(a * 3) + 0.3


CASES = [
    # unary
    Case("reciprocal", mg.reciprocal, [(2, 3)], domain=away_from_zero),
    Case("exp2", mg.exp2, [(4,)]),
    Case("expm1", mg.expm1, [(4,)]),
    Case("log2", mg.log2, [(4,)], domain=positive),
    Case("log10", mg.log10, [(2, 2)], domain=positive),
    Case("log1p", mg.log1p, [(4,)], domain=positive),
    Case("cbrt", mg.cbrt, [(5,)], domain=away_from_zero),
    Case("tan", mg.tan, [(4,)], domain=unit_interval),
    Case("arcsin", mg.arcsin, [(4,)], domain=unit_interval),
    Case("acos", mg.acos, [(4,)], domain=unit_interval),
    Case("arctan", mg.arctan, [(4,)]),
    Case("sinh", mg.sinh, [(4,)]),
    Case("cosh", mg.cosh, [(4,)]),
    Case("asinh", mg.asinh, [(4,)]),
    Case("arccosh", mg.arccosh, [(4,)], domain=above_one),
    Case("atanh", mg.atanh, [(4,)], domain=unit_interval),
    Case("deg2rad", mg.deg2rad, [(3,)]),
    Case("degrees", mg.degrees, [(3,)]),
    Case("sinc", mg.sinc, [(6,)]),
    Case("sinc-at-zero", lambda x: mg.sinc(x * 0.0) * x, [(2,)]),
    Case("erf", mg.erf, [(7,)], domain=lambda a: a * 2),
    Case("nan_to_num", mg.nan_to_num, [(3,)]),
    Case("real-of-real", lambda x: mg.real(x) + mg.imag(x) + mg.conj(x) * x, [(3,)]),
    Case("fabs", mg.fabs, [(3,)], domain=away_from_zero),
    Case("size0-unary", mg.log1p, [(0, 2)]),
    Case("size1-unary", mg.tan, [(1,)], domain=unit_interval),
    # zero-gradient ops inside a differentiable expression
    Case("rounding", lambda x: x * (mg.floor(x) + mg.ceil(x) + mg.round(x) + mg.rint(x)
                                    + mg.trunc(x) + mg.sign(x)), [(6,)],
         domain=not_near_integer),
    Case("round-decimals", lambda x: x * mg.round(x, decimals=1), [(3,)],
         domain=not_near_integer),
    # binary, broadcasting
    Case("fmax", mg.fmax, [(3, 4), (4,)]),
    Case("fmin", mg.fmin, [(3, 1), (1, 4)]),
    Case("logaddexp", mg.logaddexp, [(2, 3), (3,)]),
    Case("logaddexp2", mg.logaddexp2, [(3,), (2, 1)]),
    Case("mod", mg.mod, [(2, 3), (3,)], domain=not_near_integer),
    Case("remainder-neg", lambda x, y: mg.remainder(x, -y), [(4,), (4,)], domain=positive),
    Case("fmod", mg.fmod, [(2, 3), (3,)], domain=not_near_integer),
    Case("arctan2", mg.arctan2, [(2, 3), (3,)]),
    Case("atan2-scalar", lambda y: mg.atan2(y, 0.7), [(3,)]),
    Case("hypot", mg.hypot, [(3, 1), (4,)]),
    Case("floor_divide", lambda x, y: x * mg.floor_divide(x, y), [(3,), (3,)],
         domain=lambda a: a * 3 + 0.1),
    Case("true_divide", mg.true_divide, [(2, 3), (1, 3)], domain=away_from_zero),
    Case("power-broadcast", mg.power, [(2, 3), (3,)], domain=positive),
    Case("binary-size0", mg.hypot, [(0, 3), (1, 3)]),
]


(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)


def _grads(f, *xs):
    xs = [mg.constant(np.asarray(x, dtype=np.float64)) for x in xs]
    with mg.GradientTape() as t:
        t.watch(xs)
        y = f(*xs)
    return y, t.gradient(y, xs)


@pytest.mark.parametrize("op", [mg.sign, mg.floor, mg.ceil, mg.round, mg.rint, mg.trunc])
def test_piecewise_constant_ops_give_zero_gradients(backend, op):
    y, (g,) = _grads(op, [-1.5, -0.5, 0.0, 0.5, 2.0])
    assert g is not None
    np.testing.assert_array_equal(g.numpy(), np.zeros(5))


def test_floor_divide_gives_zero_gradients(backend):
    _, (gx, gy) = _grads(mg.floor_divide, [3.0, -7.0], [2.0])
    np.testing.assert_array_equal(gx.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(gy.numpy(), [0.0])


def test_forward_values_match_numpy(backend):
    a = np.array([-3.7, -1.0, -0.2, 0.0, 0.4, 2.5, 8.0])
    x = mg.constant(a)
    np.testing.assert_allclose(mg.cbrt(x).numpy(), np.cbrt(a), rtol=1e-15)
    np.testing.assert_allclose(mg.sinc(x).numpy(), np.sinc(a), rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(mg.exp2(x).numpy(), np.exp2(a), rtol=1e-15)
    np.testing.assert_array_equal(mg.rint(x).numpy(), np.rint(a))
    np.testing.assert_allclose(mg.logaddexp2(x, x[::-1]).numpy(), np.logaddexp2(a, a[::-1]))
    np.testing.assert_array_equal(mg.fmod(x, 1.5).numpy(), np.fmod(a, 1.5))
    np.testing.assert_array_equal(mg.fmod(x, -1.5).numpy(), np.fmod(a, -1.5))
    np.testing.assert_allclose(mg.round(x, decimals=1).numpy(), np.round(a, 1))
    np.testing.assert_allclose(mg.erf(x).numpy(), [math.erf(v) for v in a], rtol=1e-14)
    assert mg.cbrt(mg.constant(27.0, mg.float64)).numpy() == 3.0


def test_erf_is_accurate_over_its_whole_range(backend):
    # 2001 points; 201 on a lazy backend (Dask cuts them into 2-element chunks in the
    # matrix: ~200k tasks for 2001 points), the same range and both branches of the series.
    a = np.linspace(-7, 7, 201 if backend.lazy else 2001)
    np.testing.assert_allclose(mg.erf(mg.constant(a)).numpy(), [math.erf(v) for v in a],
                               rtol=0, atol=4e-15)


def test_fmax_fmin_ignore_nan_and_split_ties(backend):
    nan = float("nan")
    y, (gx, gy) = _grads(mg.fmax, [nan, 1.0, 2.0, 3.0], [0.5, nan, 2.0, 1.0])
    np.testing.assert_array_equal(y.numpy(), [0.5, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(gx.numpy(), [0.0, 1.0, 0.5, 1.0])
    np.testing.assert_array_equal(gy.numpy(), [1.0, 0.0, 0.5, 0.0])
    y, (gx, gy) = _grads(mg.fmin, [nan, 1.0, 2.0], [0.5, nan, 2.0])
    np.testing.assert_array_equal(y.numpy(), [0.5, 1.0, 2.0])
    np.testing.assert_array_equal(gx.numpy(), [0.0, 1.0, 0.5])


def test_nan_to_num_values_and_gradient(backend):
    inf, nan = float("inf"), float("nan")
    y, (g,) = _grads(lambda x: mg.nan_to_num(x, nan=-1.0, posinf=9.0), [nan, inf, -inf, 2.0])
    np.testing.assert_array_equal(y.numpy(), [-1.0, 9.0, -np.finfo(np.float64).max, 2.0])
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0, 0.0, 1.0])


def test_hypot_and_arctan2_gradients_are_zero_at_the_origin(backend):
    _, (gx, gy) = _grads(mg.hypot, [0.0, 3.0], [0.0, 4.0])
    np.testing.assert_allclose(gx.numpy(), [0.0, 0.6])
    np.testing.assert_allclose(gy.numpy(), [0.0, 0.8])
    _, (gy, gx) = _grads(mg.arctan2, [0.0, 1.0], [0.0, 1.0])
    np.testing.assert_allclose(gy.numpy(), [0.0, 0.5])
    np.testing.assert_allclose(gx.numpy(), [0.0, -0.5])


def test_sinc_gradient_at_zero_is_zero(backend):
    _, (g,) = _grads(mg.sinc, [0.0, 0.5])
    np.testing.assert_allclose(g.numpy(), [0.0, -4 / math.pi])


def test_aliases_are_the_same_ops():
    assert mg.asin is mg.arcsin and mg.acos is mg.arccos and mg.atan is mg.arctan
    assert mg.asinh is mg.arcsinh and mg.acosh is mg.arccosh and mg.atanh is mg.arctanh
    assert mg.radians is mg.deg2rad and mg.degrees is mg.rad2deg and mg.atan2 is mg.arctan2
    assert mg.fabs is mg.abs and mg.absolute is mg.abs and mg.mod is mg.remainder
    assert mg.true_divide is mg.divide


def test_round_rejects_fractional_decimals(backend):
    with pytest.raises(TypeError, match="decimals must be an integer"):
        mg.round(mg.constant([1.25]), decimals=1.5)


def test_nan_to_num_rejects_complex(backend):
    with pytest.raises(TypeError, match="mg.real.*mg.imag"):
        mg.nan_to_num(mg.constant([1 + 1j]))


def test_float32_promotion_follows_numpy(backend):
    x = mg.constant([1.0, 2.0], mg.float32)
    y = mg.constant([1.0, 2.0], mg.float64)
    assert mg.hypot(x, y).dtype == mg.float64
    assert mg.logaddexp(x, 2.0).dtype == mg.float32
    assert mg.exp2(mg.constant([1, 2], mg.int32)).dtype == mg.float64
