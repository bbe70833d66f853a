"""Every op of the foundation, first and second order, against finite differences."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.testing import check_grads

from optable import Case, away_from_zero, distinct, positive, table_tests

CASES = [
    # arithmetic with broadcasting, including size-0 and size-1 shapes
    Case("add", mg.add, [(3, 4), (4,)]),
    Case("add-size1", mg.add, [(1,), (2, 3)]),
    Case("add-size0", lambda x, y: mg.add(x, y), [(0, 3), (3,)]),
    Case("subtract", mg.subtract, [(2, 1, 3), (4, 1)]),
    Case("multiply", mg.multiply, [(3, 4), (3, 1)]),
    Case("divide", mg.divide, [(3, 4), (4,)], domain=away_from_zero),
    Case("power", mg.power, [(3,), (3,)], domain=positive),
    Case("power-scalar-exp", lambda x: x ** 3.0, [(2, 3)]),
    Case("power-scalar-base", lambda x: 2.0 ** x, [(4,)]),
    Case("negative", mg.negative, [(2, 3)]),
    Case("operators", lambda x, y: (x @ y - 2 * x.T.T @ y) / 3 + (-x @ y) * 0.5,
         [(2, 3), (3, 2)]),
    # unary math
    Case("square", mg.square, [(5,)]),
    Case("sqrt", mg.sqrt, [(2, 3)], domain=positive),
    Case("exp", mg.exp, [(2, 3)]),
    Case("log", mg.log, [(2, 3)], domain=positive),
    Case("sin", mg.sin, [(4,)]),
    Case("cos", mg.cos, [(4,)]),
    Case("tanh", mg.tanh, [(3, 2)]),
    Case("abs", mg.abs, [(6,)], domain=away_from_zero),
    Case("scalar-0d", lambda x: mg.exp(mg.sin(x)), [()]),
    # maximum / minimum / where / clip
    Case("maximum", mg.maximum, [(3, 4), (4,)]),
    Case("minimum", mg.minimum, [(3, 1), (1, 4)]),
    Case("maximum-scalar", lambda x: mg.maximum(x, 0.1), [(5,)], domain=away_from_zero),
    Case("where", lambda x, y: mg.where(x > 0, x * y, y), [(3, 4), (4,)],
         domain=away_from_zero),
    Case("clip", lambda x: mg.clip(x, -0.5, 0.5), [(10,)], domain=lambda a: a * 0.5 + 0.01),
    # reductions
    Case("sum", mg.sum, [(3, 4)]),
    Case("sum-axis", lambda x: mg.sum(x, axis=1), [(3, 4)]),
    Case("sum-neg-axis-keepdims", lambda x: mg.sum(x, axis=-1, keepdims=True), [(2, 3, 4)]),
    Case("sum-axis-tuple", lambda x: mg.reduce_sum(x, axis=(0, 2)), [(2, 3, 4)]),
    Case("sum-size0", lambda x: mg.sum(x, axis=0), [(0, 3)]),
    Case("mean", mg.mean, [(3, 4)]),
    Case("mean-axis", lambda x: mg.reduce_mean(x, axis=(0,), keepdims=True), [(3, 4)]),
    Case("max", mg.max, [(3, 4)], domain=distinct),
    Case("max-axis", lambda x: mg.reduce_max(x, axis=0), [(3, 4)], domain=distinct),
    Case("min-axis-keepdims", lambda x: mg.reduce_min(x, axis=-1, keepdims=True), [(3, 4)],
         domain=distinct),
    # products and shapes
    Case("matmul", mg.matmul, [(2, 3), (3, 4)]),
    Case("matmul-batched-broadcast", mg.matmul, [(2, 1, 2, 3), (4, 3, 2)]),
    Case("matmul-vec-mat", mg.matmul, [(3,), (3, 4)]),
    Case("matmul-mat-vec", mg.matmul, [(2, 3), (3,)]),
    Case("matmul-vec-vec", mg.matmul, [(3,), (3,)]),
    Case("matmul-vec-batched", mg.matmul, [(3,), (2, 3, 4)]),
    Case("transpose", mg.transpose, [(2, 3, 4)]),
    Case("transpose-perm", lambda x: mg.transpose(x, perm=[1, 2, 0]), [(2, 3, 4)]),
    Case("reshape", lambda x: mg.reshape(x, (-1, 2)), [(2, 3, 2)]),
    Case("expand_dims", lambda x: mg.expand_dims(x, -1) * mg.expand_dims(x, 0), [(3,)]),
    Case("squeeze", lambda x: mg.squeeze(x, axis=1), [(3, 1, 2)]),
    Case("squeeze-all", mg.squeeze, [(1, 3, 1)]),
    Case("concatenate", lambda x, y: mg.concatenate([x, y, x], axis=1), [(2, 3), (2, 1)]),
    Case("concat-neg-axis", lambda x, y: mg.concat([x, y], axis=-1), [(2, 3), (2, 2)]),
    Case("stack", lambda x, y: mg.stack([x, y * x], axis=1), [(2, 3), (2, 3)]),
    Case("broadcast_to", lambda x: mg.broadcast_to(x, (2, 3, 4)), [(3, 1)]),
    # indexing
    Case("getitem-basic", lambda x: x[1:, ::2] * x[0, 1], [(3, 4)]),
    Case("getitem-ellipsis-newaxis", lambda x: x[..., None, 1], [(2, 3)]),
    Case("getitem-int-array-repeats",
         lambda x: x[mg.constant([0, 2, 0, 0])] * 1.5, [(3, 2)]),
    Case("getitem-list", lambda x: x[[1, 1, 0]], [(3,)]),
    Case("getitem-bool-mask", lambda x: x[x > 0], [(6,)], domain=away_from_zero),
    Case("getitem-2d-fancy", lambda x: x[mg.constant([0, 1, 1]), mg.constant([2, 0, 2])],
         [(2, 3)]),
    Case("iterate", lambda x: mg.stack([r * i for i, r in enumerate(x)]), [(3, 2)]),
]


(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)


def test_check_grads_detects_a_wrong_rule(backend):
    wrong = mg.Primitive("wrong_sin", lambda ns, x: ns.sin(x))
    wrong.defvjp(lambda ns, g, ans, x: g * ns.sin(x))   # should be cos

    def f(x):
        return mg.core.primitive.apply(wrong, (x,))
    with pytest.raises(AssertionError, match="order-1 derivative mismatch"):
        check_grads(f, [mg.constant([0.3, 1.2], dtype=mg.float64)])


def test_repeated_indices_accumulate_exactly(backend):
    x = mg.constant([0.0, 1.0, 2.0], dtype=mg.float64)
    with mg.GradientTape() as t:
        t.watch(x)
        y = mg.reduce_sum(x[mg.constant([0, 0, 2, 0])])
    np.testing.assert_array_equal(t.gradient(y, x).numpy(), [3.0, 0.0, 1.0])


def test_max_ties_share_gradient_evenly(backend):
    x = mg.constant([1.0, 3.0, 3.0, 2.0], dtype=mg.float64)
    with mg.GradientTape() as t:
        t.watch(x)
        y = mg.reduce_max(x)
    np.testing.assert_array_equal(t.gradient(y, x).numpy(), [0.0, 0.5, 0.5, 0.0])


def test_maximum_ties_split_evenly(backend):
    x = mg.constant([1.0, 2.0], dtype=mg.float64)
    y = mg.constant([1.0, 0.0], dtype=mg.float64)
    with mg.GradientTape() as t:
        t.watch([x, y])
        z = mg.maximum(x, y)
    gx, gy = t.gradient(z, [x, y])
    np.testing.assert_array_equal(gx.numpy(), [0.5, 1.0])
    np.testing.assert_array_equal(gy.numpy(), [0.5, 0.0])


def test_abs_and_clip_closed_forms(backend):
    x = mg.constant([-2.0, 0.0, 0.5, 3.0], dtype=mg.float64)
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        a = mg.abs(x)
        c = mg.clip(x, -1.0, 1.0)
    np.testing.assert_array_equal(t.gradient(a, x).numpy(), [-1.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(t.gradient(c, x).numpy(), [0.0, 1.0, 1.0, 0.0])



def test_multiply_after_sum_of_a_large_tensor_skips_the_ones(backend):
    """sum(x * y): the sum's cotangent is a broadcast of ones, which multiply's rule may skip;
    the gradient must be exactly y (and x), whatever the backend does."""
    n = 5000
    x = mg.constant(np.linspace(-1.0, 1.0, n))
    y = mg.constant(np.linspace(2.0, 3.0, n))
    with mg.GradientTape() as t:
        t.watch([x, y])
        s = mg.reduce_sum(x * y)
    gx, gy = t.gradient(s, [x, y])
    np.testing.assert_array_equal(gx.numpy(), y.numpy())
    np.testing.assert_array_equal(gy.numpy(), x.numpy())
    # A weighted sum is not a broadcast of ones: the product is taken.
    with mg.GradientTape() as t:
        t.watch(x)
        s = mg.reduce_sum(x * y)
    g = t.gradient(s, x, output_gradients=mg.constant(np.float64(2.0)))
    np.testing.assert_array_equal(g.numpy(), 2.0 * y.numpy())
