"""``mg.math.<name>`` is TensorFlow's where NumPy has the same name with another meaning;
the top-level name stays NumPy's. Expected values are tf.math's documented results."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.testing import check_grads

M = [[1, 5, 3], [4, 2, 6]]


def test_argmax_and_argmin_reduce_axis_0(backend):
    x = mg.constant(M)
    assert mg.math.argmax(x).numpy().tolist() == [1, 0, 1]
    assert mg.math.argmin(x).numpy().tolist() == [0, 1, 0]
    assert mg.math.argmax(x).dtype == mg.int64 and mg.math.argmin(x).dtype == mg.int64
    assert mg.math.argmax(x, axis=1, output_type=mg.int32).numpy().tolist() == [1, 2]
    assert mg.math.argmax(x, 1, mg.int32).dtype == mg.int32
    assert mg.math.argmin(x, axis=-1).numpy().tolist() == [0, 1]
    assert int(mg.argmax(x)) == 5                  # the top-level name flattens (NumPy)
    assert mg.math.argmax([3.0, 9.0, 1.0]).numpy() == 1


def test_argmax_errors(backend):
    x = mg.constant(M)
    with pytest.raises(mg.errors.InvalidArgumentError,
                       match=r"Expected dimension in the range \[-2, 2\), but got 2"):
        mg.math.argmax(x, axis=2)
    with pytest.raises(mg.errors.InvalidArgumentError, match=r"range \[0, 0\)"):
        mg.math.argmin(mg.constant(1.0))
    with pytest.raises(TypeError, match="output_type must be one of int16, uint16, int32, "
                                        "int64; got float32"):
        mg.math.argmax(x, output_type=mg.float32)


def test_cumsum_and_cumprod_take_tensorflows_arguments(backend):
    x = mg.constant(M)
    np.testing.assert_array_equal(mg.math.cumsum(x).numpy(), [[1, 5, 3], [5, 7, 9]])
    np.testing.assert_array_equal(mg.math.cumsum(x, 1, True, True).numpy(),
                                  [[8, 3, 0], [8, 6, 0]])
    np.testing.assert_array_equal(mg.math.cumprod(x, axis=1, exclusive=True).numpy(),
                                  [[1, 1, 5], [1, 4, 8]])
    assert mg.math.cumsum(x).dtype == mg.int32 and mg.math.cumprod(x).dtype == mg.int32
    assert mg.cumsum(x).shape == (6,)              # NumPy's: the flattened input
    v = mg.math.cumsum(mg.constant([1.0, 2.0, 3.0]), reverse=True)
    assert v.numpy().tolist() == [6.0, 5.0, 3.0] and v.dtype == mg.float32


def test_integer_reductions_keep_their_dtype(backend):
    x = mg.constant(M)
    total = mg.math.reduce_sum(x)
    assert int(total) == 21 and total.dtype == mg.int32
    assert mg.reduce_sum(x).dtype == mg.int32       # a TF name: TF's dtype at the top level too
    assert mg.sum(x).dtype == mg.int64              # the NumPy name: NumPy's promotion
    assert mg.math.reduce_prod(x, axis=0).numpy().tolist() == [4, 10, 18]
    assert mg.math.reduce_prod(x).dtype == mg.int32
    small = mg.constant(np.array([200, 100], np.uint8))
    assert int(mg.math.reduce_sum(small)) == 44    # wraps around in uint8, as TF's kernel


def test_integer_mean_truncates_toward_zero(backend):
    assert int(mg.math.reduce_mean(mg.constant([1, 2]))) == 1
    assert int(mg.math.reduce_mean(mg.constant([-1, -2]))) == -1
    mean0 = mg.math.reduce_mean(mg.constant(M), axis=0)
    assert mean0.numpy().tolist() == [2, 3, 4] and mean0.dtype == mg.int32
    kept = mg.math.reduce_mean(mg.constant(M), axis=1, keepdims=True)
    assert kept.numpy().tolist() == [[3], [4]]
    assert float(mg.math.reduce_mean(mg.constant([1.0, 2.0]))) == 1.5
    with pytest.raises(mg.errors.InvalidArgumentError, match="empty"):
        mg.math.reduce_mean(mg.zeros((0,), dtype=mg.int32))


def test_std_and_variance_refuse_integers(backend):
    with pytest.raises(TypeError, match="reduce_std: Input must be either real or complex. "
                                        "Received int32"):
        mg.math.reduce_std(mg.constant(M))
    with pytest.raises(TypeError, match="reduce_variance: Input must be either real"):
        mg.math.reduce_variance(mg.constant([True, False]))
    x = mg.constant([1.0, 2.0, 3.0, 4.0])
    assert float(mg.math.reduce_variance(x)) == 1.25


def test_count_nonzero_dtype(backend):
    x = mg.constant([[0, 1], [2, 0]])
    n = mg.math.count_nonzero(x)
    assert int(n) == 2 and n.dtype == mg.int64
    assert mg.math.count_nonzero(x, axis=1, dtype=mg.int32).dtype == mg.int32
    assert mg.math.count_nonzero(x, axis=0, keepdims=True).shape == (1, 2)


def test_gradients_of_the_float_forms(backend):
    a = np.random.default_rng(3).standard_normal((3, 4))
    for f in (lambda x: mg.math.cumsum(x, 1, exclusive=True, reverse=True),
              lambda x: mg.math.cumprod(x, axis=0),
              lambda x: mg.math.reduce_sum(x, axis=1),
              lambda x: mg.math.reduce_prod(x, axis=0),
              lambda x: mg.math.reduce_mean(x),
              lambda x: mg.math.reduce_std(x, axis=0),
              lambda x: mg.math.reduce_variance(x, axis=1, keepdims=True)):
        check_grads(f, [a], order=2)


def test_closed_form_gradient_of_the_reverse_exclusive_cumsum(backend):
    x = mg.constant([1.0, 2.0, 3.0], dtype=mg.float64)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.reduce_sum(mg.math.cumsum(x, exclusive=True, reverse=True) * [1.0, 10.0, 100.0])
    # y = 1 * (x1 + x2) + 10 * x2 + 0: dy/dx = [0, 1, 11]
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 1.0, 11.0]
