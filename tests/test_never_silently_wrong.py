"""Python data keeps its value, arguments of the wrong type are refused, empty axes and
``axis=None`` behave as in NumPy ("never silently wrong"), on every backend."""

import numpy as np
import pytest

import multigrad as mg


# --- Python numbers take the other operand's dtype -------------------------------------

def test_index_add_python_number_into_float64_is_exact(backend):
    data = np.array([1., 2., 3.])
    x = mg.constant(data)
    assert x.dtype == mg.float64
    expected = data.copy()
    np.add.at(expected, [-2, 0, 0], -0.54)
    out = mg.index_add(x, [-2, 0, 0], -0.54)
    assert out.dtype == mg.float64
    np.testing.assert_array_equal(out.numpy(), expected)
    expected = data.copy()
    expected[[0, 2]] += [0.1, 0.7]
    np.testing.assert_array_equal(mg.index_add(x, [0, 2], [0.1, 0.7]).numpy(), expected)


def test_index_update_and_scatter_python_lists_into_float64_are_exact(backend):
    data = np.array([[1., 2.], [3., 4.]])
    x = mg.constant(data)
    expected = data.copy()
    expected[0] = [0.1, 0.3]
    np.testing.assert_array_equal(mg.index_update(x, 0, [0.1, 0.3]).numpy(), expected)
    expected = data.copy()
    expected[1, 0] += 0.1
    np.testing.assert_array_equal(mg.tensor_scatter_nd_add(x, [[1, 0]], [0.1]).numpy(),
                                  expected)


def test_index_add_python_complex_into_complex128_is_exact(backend):
    x = mg.constant(np.array([1 + 1j, 2.]))
    out = mg.index_add(x, [1], 0.1 + 0.3j)
    assert out.dtype == mg.complex128
    np.testing.assert_array_equal(out.numpy(), [1 + 1j, 2.1 + 0.3j])


# --- an empty Python list used as integer data -------------------------------------------

def test_empty_list_is_integer_data(backend):
    x = mg.zeros((0, 3))
    assert mg.repeat(x, [], axis=0).shape == (0, 3)
    assert mg.take(mg.constant([1., 2.]), []).shape == (0,)
    assert mg.take_along_axis(mg.zeros((2, 3)), [[], []], axis=1).shape == (2, 0)
    assert mg.constant([1., 2.])[[]].shape == (0,)
    np.testing.assert_array_equal(mg.index_add(mg.constant([1., 2.]), [], 5.).numpy(), [1., 2.])
