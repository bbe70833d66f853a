"""TensorFlow's "Introduction to Tensors" guide, its programs with ``tf`` -> ``mg``, against
the values the guide prints (TF 2). Not run: `tf.ragged`, string and sparse tensors (the
guide's last sections; multigrad has none: the ragged list's error is checked)."""

import numpy as np
import pytest

import multigrad as mg


def _float16_or_32(backend):
    """float16 where the backend has it (the Array API standard does not): the guide's
    values are exact in both."""
    try:
        backend.native_dtype("float16")
        return mg.float16
    except TypeError:
        return mg.float32


def _rank_3():
    return mg.constant([[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]],
                        [[10, 11, 12, 13, 14], [15, 16, 17, 18, 19]],
                        [[20, 21, 22, 23, 24], [25, 26, 27, 28, 29]]])


def test_basics_ranks_and_numpy(backend):
    rank_0 = mg.constant(4)
    assert rank_0.shape == () and rank_0.dtype == mg.int32 and int(rank_0) == 4
    rank_1 = mg.constant([2.0, 3.0, 4.0])
    assert rank_1.shape == (3,) and rank_1.dtype == mg.float32
    f16 = _float16_or_32(backend)
    rank_2 = mg.constant([[1, 2], [3, 4], [5, 6]], dtype=f16)
    assert rank_2.shape == (3, 2) and rank_2.dtype == f16
    rank_3 = _rank_3()
    assert rank_3.shape == (3, 2, 5) and rank_3.dtype == mg.int32
    np.testing.assert_array_equal(np.array(rank_2), [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(rank_2.numpy(), [[1, 2], [3, 4], [5, 6]])


def test_basic_math(backend):
    a = mg.constant([[1, 2], [3, 4]])
    b = mg.ones([2, 2], dtype=mg.int32)
    for added, multiplied, product in ((mg.add(a, b), mg.multiply(a, b), mg.matmul(a, b)),
                                       (a + b, a * b, a @ b)):
        np.testing.assert_array_equal(added.numpy(), [[2, 3], [4, 5]])
        np.testing.assert_array_equal(multiplied.numpy(), [[1, 2], [3, 4]])
        np.testing.assert_array_equal(product.numpy(), [[3, 3], [7, 7]])
    c = mg.constant([[4.0, 5.0], [10.0, 1.0]])
    assert float(mg.reduce_max(c)) == 10.0
    largest = mg.math.argmax(c)
    assert largest.numpy().tolist() == [1, 0] and largest.dtype == mg.int64
    np.testing.assert_allclose(mg.nn.softmax(c).numpy(),
                               [[2.6894143e-01, 7.3105860e-01], [9.9987662e-01, 1.2339458e-04]],
                               rtol=1e-6)
    assert int(mg.reduce_max([1, 2, 3])) == 3
    assert int(mg.reduce_max(np.array([1, 2, 3]))) == 3
    assert mg.convert_to_tensor([1, 2, 3]).numpy().tolist() == [1, 2, 3]


def test_about_shapes(backend):
    rank_4 = mg.zeros([3, 2, 4, 5])
    assert rank_4.dtype == mg.float32 and rank_4.ndim == 4
    assert str(rank_4.shape) == "(3, 2, 4, 5)"
    assert rank_4.shape[0] == 3 and rank_4.shape[-1] == 5
    assert mg.size(rank_4).numpy() == 120
    rank = mg.rank(rank_4)
    assert int(rank) == 4 and rank.dtype == mg.int32
    assert mg.shape(rank_4).numpy().tolist() == [3, 2, 4, 5]


def test_single_axis_indexing(backend):
    rank_1 = mg.constant([0, 1, 1, 2, 3, 5, 8, 13, 21, 34])
    assert rank_1[0].numpy() == 0 and rank_1[1].numpy() == 1 and rank_1[-1].numpy() == 34
    assert rank_1[:].numpy().tolist() == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
    assert rank_1[:4].numpy().tolist() == [0, 1, 1, 2]
    assert rank_1[4:].numpy().tolist() == [3, 5, 8, 13, 21, 34]
    assert rank_1[2:7].numpy().tolist() == [1, 2, 3, 5, 8]
    assert rank_1[::2].numpy().tolist() == [0, 1, 3, 8, 21]
    assert rank_1[::-1].numpy().tolist() == [34, 21, 13, 8, 5, 3, 2, 1, 1, 0]


def test_multi_axis_indexing(backend):
    rank_2 = mg.constant([[1, 2], [3, 4], [5, 6]], dtype=_float16_or_32(backend))
    assert rank_2[1, 1].numpy() == 4.0
    assert rank_2[1, :].numpy().tolist() == [3.0, 4.0]
    assert rank_2[:, 1].numpy().tolist() == [2.0, 4.0, 6.0]
    assert rank_2[-1, :].numpy().tolist() == [5.0, 6.0]
    assert rank_2[0, -1].numpy() == 2.0
    assert rank_2[1:, :].numpy().tolist() == [[3.0, 4.0], [5.0, 6.0]]
    assert _rank_3()[:, :, 4].numpy().tolist() == [[4, 9], [14, 19], [24, 29]]


def test_manipulating_shapes(backend):
    x = mg.constant([[1], [2], [3]])
    assert x.shape == (3, 1) and x.shape.as_list() == [3, 1]
    reshaped = mg.reshape(x, [1, 3])
    assert x.shape == (3, 1) and reshaped.shape == (1, 3)
    rank_3 = _rank_3()
    assert mg.reshape(rank_3, [-1]).numpy().tolist() == list(range(30))
    np.testing.assert_array_equal(mg.reshape(rank_3, [3 * 2, 5]).numpy(),
                                  np.arange(30).reshape(6, 5))
    np.testing.assert_array_equal(mg.reshape(rank_3, [3, -1]).numpy(),
                                  np.arange(30).reshape(3, 10))
    # The guide's "bad examples": reshape keeps the element order, whatever the axes mean.
    np.testing.assert_array_equal(mg.reshape(rank_3, [2, 3, 5]).numpy(),
                                  np.arange(30).reshape(2, 3, 5))
    np.testing.assert_array_equal(mg.reshape(rank_3, [5, 6]).numpy(),
                                  np.arange(30).reshape(5, 6))
    with pytest.raises(mg.errors.InvalidArgumentError) as info:
        mg.reshape(rank_3, [7, -1])
    assert type(info.value).__name__ == "InvalidArgumentError"     # what the guide prints
    assert "30 elements" in str(info.value)


def test_more_on_dtypes(backend):
    f16 = _float16_or_32(backend)
    the_f64 = mg.constant([2.2, 3.3, 4.4], dtype=mg.float64)
    the_u8 = mg.cast(mg.cast(the_f64, dtype=f16), dtype=mg.uint8)
    assert the_u8.numpy().tolist() == [2, 3, 4] and the_u8.dtype == mg.uint8


def test_broadcasting(backend):
    x, y, z = mg.constant([1, 2, 3]), mg.constant(2), mg.constant([2, 2, 2])
    for result in (mg.multiply(x, 2), x * y, x * z):
        assert result.numpy().tolist() == [2, 4, 6]
    x = mg.reshape(x, [3, 1])
    y = mg.range(1, 5)
    expected = [[1, 2, 3, 4], [2, 4, 6, 8], [3, 6, 9, 12]]
    assert mg.multiply(x, y).numpy().tolist() == expected
    x_stretch = mg.constant([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]])
    y_stretch = mg.constant([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]])
    assert (x_stretch * y_stretch).numpy().tolist() == expected
    assert mg.broadcast_to(mg.constant([1, 2, 3]), [3, 3]).numpy().tolist() == [[1, 2, 3]] * 3


def test_a_ragged_list_is_not_a_tensor(backend):
    # TF: "ValueError: Can't convert non-rectangular Python sequence to Tensor."
    with pytest.raises(ValueError, match="cannot convert list to a tensor"):
        mg.constant([[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]])
