"""Sliced Variable assignment (TensorFlow's ``v[i, j].assign(x)``): a write into the
Variable, every index form the Tensor getitem takes, on every backend, traced as a
Variable write inside mg.function."""

import numpy as np
import pytest

import multigrad as mg

BASE = np.arange(12.0).reshape(3, 4)

INDICES = [
    (1, 2),
    (slice(None), 0),
    (-1,),
    (slice(None, None, -1), slice(1, 3)),
    (Ellipsis, -1),
    (0, None, slice(None, None, 2)),
    (np.array([True, False, True]),),
    (np.array([0, 2]), 1),
]


@pytest.mark.parametrize("index", INDICES, ids=repr)
@pytest.mark.parametrize("what", ["assign", "assign_add", "assign_sub"])
def test_each_index_form_writes_like_numpy(backend, index, what):
    v = mg.Variable(BASE)
    shape = BASE[index].shape
    value = np.arange(1.0, 1.0 + int(np.prod(shape))).reshape(shape) * 100
    result = getattr(v[index], what)(value)
    expected = BASE.copy()
    if what == "assign":
        expected[index] = value
    elif what == "assign_add":
        expected[index] += value
    else:
        expected[index] -= value
    assert result is v
    np.testing.assert_array_equal(v.numpy(), expected)
    assert v.backend is backend and v.dtype == mg.float64


def test_tutorial_forms(backend):
    v = mg.Variable([[1, 2, 3], [4, 5, 6]])
    v[1, 2].assign(9)                                  # the walkthrough's example
    np.testing.assert_array_equal(v.numpy(), [[1, 2, 3], [4, 5, 9]])
    assert v.dtype == mg.int32
    Y = mg.Variable(mg.zeros((2, 3)))
    for i in range(2):
        for j in range(3):
            Y[i, j].assign(mg.reduce_sum(mg.constant([[i, j]], dtype=mg.float32)))
    np.testing.assert_array_equal(Y.numpy(), [[0, 1, 2], [1, 2, 3]])
    v[:, 0].assign_add([10, 20])
    v[:, 0].assign_sub(1)                              # a scalar broadcasts to the slice
    np.testing.assert_array_equal(v.numpy(), [[10, 2, 3], [23, 5, 9]])
    assert v[0, 0].assign(5, read_value=False) is None


def test_the_slice_is_a_value_and_the_read_is_differentiable(backend):
    v = mg.Variable([1.0, 2.0, 3.0])
    with mg.GradientTape() as tape:
        s = v[1:]
        y = mg.reduce_sum(s * s)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [0.0, 4.0, 6.0])
    s.assign([7.0, 8.0])
    np.testing.assert_array_equal(s.numpy(), [2.0, 3.0])   # the slice read keeps its value
    np.testing.assert_array_equal(v.numpy(), [1.0, 7.0, 8.0])


def test_assignment_cuts_the_gradient_path(backend):
    v = mg.Variable([1.0, 2.0])
    x = mg.Variable(3.0)
    with mg.GradientTape(persistent=True) as tape:
        v[0].assign(x * 2.0)
        y = mg.reduce_sum(v * v)
    assert tape.gradient(y, x) is None                     # as TF: assign is not differentiable
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [12.0, 4.0])


def test_traced_as_a_variable_write(backend):
    v = mg.Variable(mg.zeros((2, 2)))

    @mg.function
    def step(a):
        v[1, 0].assign(a)
        v[0].assign_add([1.0, 1.0])
        return v[1] * 2.0

    out1 = step(mg.constant(3.0))
    out2 = step(mg.constant(5.0))
    assert step.experimental_get_tracing_count() == 1
    np.testing.assert_array_equal(out1.numpy(), [6.0, 0.0])
    np.testing.assert_array_equal(out2.numpy(), [10.0, 0.0])
    np.testing.assert_array_equal(v.numpy(), [[2.0, 2.0], [5.0, 0.0]])


def test_errors(backend):
    v = mg.Variable([[1, 2], [3, 4]], name="w")
    with pytest.raises(TypeError, match="Variable slice assign: float data with a fractional "
                                        "part .* cannot be assigned to int32 variable .w:0."):
        v[0, 0].assign(2.5)                                # float into int: TF refuses
    with pytest.raises(ValueError, match=r"a value of shape \(3,\) does not fit the slice of "
                                         r"shape \(2,\) of variable 'w:0'"):
        v[0].assign([1, 2, 3])
    with pytest.raises(ValueError, match=r"slice assign_add: a value of shape \(2, 2\) does "
                                         r"not fit the slice of shape \(2,\)"):
        v[:, 1].assign_add([[1, 2], [3, 4]])
    with pytest.raises(AttributeError, match="Only a Variable .* or a slice read straight"):
        mg.constant([1.0]).assign(2.0)
    with pytest.raises(AttributeError, match="Only a Variable"):
        v[0][1].assign(0)                                  # a slice of a slice is a plain Tensor
    with pytest.raises(AttributeError, match="'Tensor' object has no attribute 'nosuch'"):
        mg.constant([1.0]).nosuch
    np.testing.assert_array_equal(v.numpy(), [[1, 2], [3, 4]])


def test_the_origin_is_forgotten_with_the_slice(backend):
    from multigrad.ops import variable_slices
    v = mg.Variable([1.0, 2.0])
    before = len(variable_slices._ORIGINS)
    s = v[0]
    assert len(variable_slices._ORIGINS) == before + 1
    del s
    assert len(variable_slices._ORIGINS) == before       # no growth with every read
