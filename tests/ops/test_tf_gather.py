"""TensorFlow's gathers and selections (gather, gather_nd, boolean_mask, top_k, segment
sums): values against NumPy, gradients where they have closed forms, errors."""

import numpy as np
import pytest

import multigrad as mg

from .test_tf_functions import A, B, RNG, grad


# --- gathers ------------------------------------------------------------------------------

def test_gather_matches_numpy_take(backend):
    idx = np.array([[2, 0], [1, 1]])
    for axis in (0, 1, 2, -1):
        sub = idx % B.shape[axis]
        np.testing.assert_array_equal(mg.gather(B, sub, axis=axis).numpy(),
                                      np.take(B, sub, axis=axis))
    np.testing.assert_array_equal(mg.gather(A, 2).numpy(), A[2])
    assert mg.gather(A, np.zeros((0,), dtype=np.int32)).shape == (0, 4)


def test_gather_with_batch_dims(backend):
    idx = np.array([[3, 0, 3], [1, 2, 2]])                      # batch of 2, 3 picks each
    expected = np.stack([np.take(B[i], idx[i], axis=1) for i in range(2)])
    np.testing.assert_array_equal(mg.gather(B, idx, axis=2, batch_dims=1).numpy(), expected)
    rows = np.array([[2, 0], [1, 1]])
    expected = np.stack([np.take(B[i], rows[i], axis=0) for i in range(2)])
    np.testing.assert_array_equal(mg.gather(B, rows, batch_dims=1).numpy(), expected)
    np.testing.assert_array_equal(mg.gather(B, rows, batch_dims=-1).numpy(), expected)


def test_gather_gradient_accumulates_repeats(backend):
    (g,) = grad(lambda p: mg.reduce_sum(mg.gather(p, [0, 2, 0], axis=1)), A)
    np.testing.assert_array_equal(g, np.tile([2.0, 0.0, 1.0, 0.0], (3, 1)))


@pytest.mark.parametrize("call, error, message", [
    (lambda: mg.gather(A, [0, 3]), IndexError, r"mg.gather: index 3 is out of bounds for axis "
                                               r"0 with size 3 \(TensorFlow's gathers take "
                                               r"indices in \[0, 3\)"),
    (lambda: mg.gather(A, [-1]), IndexError, "index -1 is out of bounds for axis 0 with size 3 "
                                             r"\(.*negative ones do not count from the end\)"),
    (lambda: mg.gather(A, [0.5]), TypeError, "indices must be integers, got dtype float32"),
    (lambda: mg.gather(B, [[0], [1]], axis=0, batch_dims=1), ValueError,
     "batch_dims <= axis < params rank"),
    (lambda: mg.gather(B, [[0], [1], [2]], batch_dims=1), ValueError,
     "must share their first 1 sizes"),
    (lambda: mg.gather_nd(A, [[0, 4]]), IndexError, "mg.gather_nd: index 4 is out of bounds "
                                                    "for axis 1 with size 4"),
    (lambda: mg.gather_nd(A, [[3, 0], [0, 0]]), IndexError, "mg.gather_nd: index 3 is out of "
                                                            "bounds for axis 0 with size 3"),
    (lambda: mg.gather_nd(A, [[0, 1, 2]]), ValueError, "K <= params rank - batch_dims"),
])
def test_gather_errors(backend, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_gather_nd_matches_fancy_indexing(backend):
    idx = np.array([[[0, 1], [2, 3]], [[1, 1], [0, 0]]])           # (2, 2, K=2)
    np.testing.assert_array_equal(mg.gather_nd(A, idx).numpy(), A[idx[..., 0], idx[..., 1]])
    rows = np.array([[1], [0], [1]])
    np.testing.assert_array_equal(mg.gather_nd(B, rows).numpy(), B[rows[:, 0]])
    per_batch = np.array([[[1, 3], [0, 0]], [[2, 2], [1, 0]]])      # batch_dims=1, K=2
    expected = np.stack([B[i][per_batch[i, :, 0], per_batch[i, :, 1]] for i in range(2)])
    np.testing.assert_array_equal(mg.gather_nd(B, per_batch, batch_dims=1).numpy(), expected)


def test_boolean_mask(backend):
    mask = A > 0
    np.testing.assert_array_equal(mg.boolean_mask(A, mask).numpy(), A[mask])
    np.testing.assert_array_equal(mg.boolean_mask(B, [True, False]).numpy(), B[[True, False]])
    cols = np.array([True, False, True, True])
    np.testing.assert_array_equal(mg.boolean_mask(B, cols, axis=2).numpy(), B[:, :, cols])
    np.testing.assert_array_equal(mg.boolean_mask(B, B[0] > 0, axis=1).numpy(),
                                  B[:, B[0] > 0])
    (g,) = grad(lambda x: mg.reduce_sum(mg.boolean_mask(x, cols, axis=1) ** 2), A)
    np.testing.assert_allclose(g, 2 * A * cols)


def test_boolean_mask_numeric_masks_select_nonzero_entries(backend):
    # TF's boolean_mask runs Where on the mask: nonzero numbers count as true (the textbook's
    # cross-entropy picks y_hat's entries with tf.one_hot(y, depth) as the mask).
    y_hat = np.array([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    picked = mg.boolean_mask(y_hat, mg.one_hot([0, 2], depth=3))
    np.testing.assert_array_equal(picked.numpy(), [0.1, 0.5])
    np.testing.assert_array_equal(mg.boolean_mask(A, [2, 0, -1.5]).numpy(),
                                  A[[True, False, True]])
    (g,) = grad(lambda x: mg.reduce_sum(mg.boolean_mask(x, mg.one_hot([1, 0], 3))), y_hat)
    np.testing.assert_array_equal(g, [[0, 1, 0], [1, 0, 0]])


def test_boolean_mask_errors(backend):
    with pytest.raises(ValueError, match=r"mask shape \(3,\) must equal the tensor's shape "
                                         r"at axes 1..1"):
        mg.boolean_mask(A, [True, False, True], axis=1)


def test_top_k(backend):
    x = np.array([[1.0, 3.0, 3.0, -np.inf], [0.0, -1.0, 5.0, 4.0], [-np.inf] * 4])
    values, indices = mg.math.top_k(x, k=3)
    order = np.argsort(-x, axis=-1, kind="stable")[:, :3]     # ties: the lower index first
    np.testing.assert_array_equal(indices.numpy(), order)
    np.testing.assert_array_equal(values.numpy(), np.take_along_axis(x, order, axis=-1))
    assert indices.dtype == mg.int32
    ints = mg.math.top_k(mg.constant([4, 9, 1]), k=2)
    np.testing.assert_array_equal(ints[0].numpy(), [9, 4])
    assert mg.math.top_k(A, k=0)[1].shape == (3, 0)
    with pytest.raises(ValueError, match="0 <= k <= its last size; got shape \\(3, 4\\), k=5"):
        mg.math.top_k(A, k=5)
    (g,) = grad(lambda t: mg.reduce_sum(mg.math.top_k(t, k=2)[0]), [1.0, 5.0, 3.0])
    np.testing.assert_array_equal(g, [0.0, 1.0, 1.0])


def test_segment_sums_and_means(backend):
    data = RNG.standard_normal((5, 2))
    ids = np.array([2, 0, -1, 2, 0])
    expected = np.stack([data[ids == s].sum(axis=0) for s in range(4)])
    np.testing.assert_allclose(mg.math.unsorted_segment_sum(data, ids, 4).numpy(), expected)
    means = np.stack([data[ids == s].mean(axis=0) if (ids == s).any() else np.zeros(2)
                      for s in range(4)])
    np.testing.assert_allclose(mg.math.unsorted_segment_mean(data, ids, 4).numpy(), means)
    sorted_ids = np.array([0, 0, 1, 3, 3])
    sums = np.stack([data[sorted_ids == s].sum(axis=0) for s in range(4)])
    np.testing.assert_allclose(mg.math.segment_sum(data, sorted_ids).numpy(), sums)
    np.testing.assert_allclose(mg.math.segment_mean(data, sorted_ids).numpy()[3],
                               data[3:].mean(axis=0))
    with pytest.raises(ValueError, match="segment_ids must be sorted.*unsorted_segment_sum"):
        mg.math.segment_sum(data, [1, 0, 0, 0, 0])
    with pytest.raises(IndexError, match=r"segment_ids must lie in \[0, 2\)"):
        mg.math.unsorted_segment_sum(data, [0, 2, 0, 0, 0], 2)
