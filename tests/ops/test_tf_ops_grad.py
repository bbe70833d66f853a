"""The TensorFlow-only functions in the op table: first and second order against float64
finite differences, float32 kept float32, batched cotangents equal to row-by-row ones."""

import multigrad as mg

from optable import Case, away_from_zero, distinct, positive, table_tests


def _flat(*tensors):
    return mg.concat([mg.reshape(t, (-1,)) for t in tensors], axis=0)


def _ints(values):
    return mg.constant(values, dtype=mg.int32)


MASK = [[True, False, True, True], [False, False, True, False], [True, True, False, True]]

CASES = [
    # norms and clipping
    Case("norm", lambda x: mg.norm(x), [(2, 3)]),
    Case("norm-ord3-axis", lambda x: mg.norm(x, ord=3, axis=1), [(2, 3)], domain=away_from_zero),
    Case("norm-ord1-keepdims", lambda x: mg.norm(x, ord=1, keepdims=True), [(2, 3)],
         domain=away_from_zero),
    Case("norm-inf", lambda x: mg.norm(x, ord=float("inf"), axis=-1), [(3, 4)], domain=distinct),
    Case("norm-matrix-fro", lambda x: mg.norm(x, axis=[-2, -1]), [(2, 3, 3)]),
    Case("norm-matrix-ord1", lambda x: mg.norm(x, ord=1, axis=(0, 1)), [(3, 4)], domain=distinct),
    Case("clip_by_norm-active", lambda x: mg.clip_by_norm(x, 0.5), [(2, 3)]),
    Case("clip_by_norm-inactive", lambda x: mg.clip_by_norm(x, 100.0), [(2, 3)]),
    Case("clip_by_norm-axes", lambda x: mg.clip_by_norm(x, 0.7, axes=[1]), [(3, 4)]),
    Case("clip_by_norm-tensor-bound", lambda x, c: mg.clip_by_norm(x, c), [(3,), ()],
         domain=positive),
    Case("clip_by_global_norm", lambda x, y: _flat(*mg.clip_by_global_norm([x, y], 1.0)[0]),
         [(2, 3), (4,)]),
    Case("clip_by_global_norm-norm", lambda x, y: mg.clip_by_global_norm([x, None, y], 1.0)[1],
         [(2, 3), (4,)]),
    Case("global_norm", lambda x, y: mg.linalg.global_norm([x, y]), [(2,), (3, 1)]),
    # creation with a differentiable value
    Case("fill", lambda v: mg.fill([2, 3], v), [()]),
    Case("one_hot-on-off", lambda on, off: mg.one_hot(_ints([[0, 2], [1, -1]]), 3,
                                                      on_value=on, off_value=off, axis=1),
         [(), ()]),
    # gathers
    Case("gather-axis1", lambda p: mg.gather(p, _ints([2, 0, 2]), axis=1), [(2, 3, 2)]),
    Case("gather-scalar-index", lambda p: mg.gather(p, _ints(1)), [(3, 2)]),
    Case("gather-2d-indices", lambda p: mg.gather(p, _ints([[0, 1], [1, 1]])), [(2, 3)]),
    Case("gather-batch_dims", lambda p: mg.gather(p, _ints([[3, 0, 3], [1, 2, 2]]), axis=2,
                                                  batch_dims=1), [(2, 3, 4)]),
    Case("gather_nd", lambda p: mg.gather_nd(p, _ints([[0, 1], [2, 3], [0, 1]])), [(3, 4, 2)]),
    Case("gather_nd-batch_dims", lambda p: mg.gather_nd(p, _ints([[[1], [0]], [[2], [2]]]),
                                                        batch_dims=1), [(2, 3, 2)]),
    Case("boolean_mask", lambda x: mg.boolean_mask(x, mg.constant(MASK)), [(3, 4)]),
    Case("boolean_mask-axis1", lambda x: mg.boolean_mask(x, mg.constant([True, False, True]),
                                                         axis=1), [(2, 3, 2)]),
    Case("top_k-values", lambda x: mg.math.top_k(x, k=2)[0], [(3, 4)], domain=distinct),
    Case("unsorted_segment_sum", lambda x: mg.math.unsorted_segment_sum(
        x, _ints([2, 0, -1, 2]), 3), [(4, 2)]),
    Case("segment_mean", lambda x: mg.math.segment_mean(x, _ints([0, 0, 2, 2, 2])), [(5,)]),
    Case("add_n", lambda x, y: mg.add_n([x, y, x]), [(2, 3), (2, 3)]),
    # tf.math functions
    Case("squared_difference", mg.math.squared_difference, [(3, 4), (4,)]),
    Case("xlogy", mg.math.xlogy, [(3,), (3,)], domain=positive),
    Case("xdivy", mg.math.xdivy, [(3,), (2, 3)], domain=positive),
    Case("xlog1py", mg.math.xlog1py, [(3,), (3,)], domain=positive),
    Case("divide_no_nan", mg.math.divide_no_nan, [(3,), (3,)], domain=away_from_zero),
    Case("multiply_no_nan", mg.math.multiply_no_nan, [(2, 3), (3,)]),
    Case("reciprocal_no_nan", mg.math.reciprocal_no_nan, [(4,)], domain=away_from_zero),
    Case("log_sigmoid", mg.math.log_sigmoid, [(5,)]),
    Case("rsqrt", mg.math.rsqrt, [(4,)], domain=positive),
    Case("softsign", mg.math.softsign, [(5,)], domain=away_from_zero),
    Case("scalar_mul", mg.math.scalar_mul, [(), (2, 3)]),
    Case("reduce_euclidean_norm", lambda x: mg.math.reduce_euclidean_norm(x, axis=1), [(2, 3)]),
    Case("l2_normalize", lambda x: mg.math.l2_normalize(x, axis=-1), [(2, 3)]),
    Case("polyval", lambda x, a, b: mg.math.polyval([a, b, 1.0], x), [(3,), (), ()]),
    # tf.nn
    Case("moments", lambda x: _flat(*mg.nn.moments(x, axes=[0, 2])), [(2, 3, 2)]),
    Case("moments-keepdims", lambda x: _flat(*mg.nn.moments(x, axes=1, keepdims=True)),
         [(3, 4)]),
    Case("l2_loss", mg.nn.l2_loss, [(2, 3)]),
]


(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)
