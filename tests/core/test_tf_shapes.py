"""``x.shape`` is a ``mg.TensorShape``: TF's methods, and still the tuple it always was.

Expected values are TensorFlow 2's documented ``tf.TensorShape`` behaviour."""

import copy
import pickle

import numpy as np
import pytest

import multigrad as mg
from multigrad.core.tensor_shape import TensorShape, as_shape, dimension_value


# --- still a tuple ---------------------------------------------------------------------------

def test_shape_is_a_tuple_as_before(backend):
    x = mg.zeros((2, 3))
    s = x.shape
    assert isinstance(s, tuple) and isinstance(s, mg.TensorShape)
    assert s == (2, 3) and (2, 3) == s and s != (3, 2) and s == [2, 3]
    assert s[0] == 2 and type(s[0]) is int and s[-1] == 3
    rows, cols = s
    assert (rows, cols) == (2, 3) and len(s) == 2 and list(s) == [2, 3]
    assert hash(s) == hash((2, 3)) and {s: 1}[(2, 3)] == 1
    assert np.zeros(s).shape == (2, 3) and mg.zeros(s).shape == (2, 3)
    assert s + (1,) == (2, 3, 1)
    assert mg.reshape(x, s[::-1]).shape == (3, 2)


def test_str_is_the_tuple_and_repr_is_tensorflows(backend):
    assert str(mg.zeros((2, 3)).shape) == "(2, 3)"
    assert str(mg.zeros((4,)).shape) == "(4,)" and str(mg.zeros(()).shape) == "()"
    assert repr(mg.zeros((2, 3)).shape) == "TensorShape([2, 3])"
    assert repr(mg.zeros(()).shape) == "TensorShape([])"
    assert f"{mg.zeros((2, 3)).shape}" == "(2, 3)"
    assert "shape=(2, 3)" in repr(mg.zeros((2, 3)))      # the Tensor's repr is unchanged


def test_a_slice_is_a_tensorshape(backend):
    s = mg.ones((3, 2, 4, 5)).shape
    assert type(s[1:]) is mg.TensorShape and s[1:] == (2, 4, 5)
    assert s[1:].as_list() == [2, 4, 5]


# --- TensorFlow's methods ----------------------------------------------------------------------

def test_tensorflow_methods_on_a_tensors_shape(backend):
    s = mg.ones((3, 2, 4, 5)).shape
    assert s.as_list() == [3, 2, 4, 5] and s.rank == s.ndims == 4
    assert s.num_elements() == 120 and s.is_fully_defined()
    assert s.dims == [3, 2, 4, 5]
    assert mg.ones(()).shape.rank == 0 and mg.ones(()).shape.num_elements() == 1


def test_partially_known_shapes():
    s = mg.TensorShape([None, 3])
    assert s.rank == 2 and s.as_list() == [None, 3] and not s.is_fully_defined()
    assert s.num_elements() is None and str(s) == "(None, 3)"
    assert repr(s) == "TensorShape([None, 3])"
    assert s.is_compatible_with([5, 3]) and s.is_compatible_with(mg.TensorShape([None, None]))
    assert not s.is_compatible_with([5, 4]) and not s.is_compatible_with([3])
    assert s.merge_with([5, None]) == [5, 3]
    assert s.most_specific_compatible_shape([4, 3]) == [None, 3]
    assert s.concatenate([7]) == mg.TensorShape([None, 3, 7])
    assert s == mg.TensorShape([None, 3]) and s != mg.TensorShape([None, 4])


def test_merge_with_conflicting_shapes_raises():
    with pytest.raises(ValueError, match=r"Shapes \(2, 3\) and \(2, 4\) are not compatible"):
        mg.TensorShape([2, 3]).merge_with([2, 4])
    with pytest.raises(ValueError, match=r"incompatible"):
        mg.TensorShape([2, 3]).assert_is_compatible_with([3])
    with pytest.raises(ValueError, match="must have rank 3"):
        mg.TensorShape([2, 3]).assert_has_rank(3)
    with pytest.raises(ValueError, match="rank at least 3"):
        mg.TensorShape([2, 3]).with_rank_at_least(3)
    assert mg.TensorShape([None, 3]).with_rank(2) == [None, 3]


def test_unknown_rank():
    s = mg.TensorShape(None)
    assert s.rank is None and s.ndims is None and s.dims is None
    assert repr(s) == "TensorShape(None)" and str(s) == "<unknown>"
    assert not s.is_fully_defined() and s.num_elements() is None
    assert s.is_compatible_with([1, 2, 3]) and s == mg.TensorShape(None)
    assert s != mg.TensorShape([]) and mg.TensorShape([]) != s
    assert s.merge_with([2, 3]) == (2, 3) and s.concatenate([2]).rank is None
    assert s[0] is None
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown"):
        s.as_list()
    with pytest.raises(ValueError, match="length of shape with unknown rank"):
        len(s)


def test_construction_as_tensorflow():
    assert mg.TensorShape(3) == (3,) and mg.TensorShape([]) == ()
    assert mg.TensorShape(np.array([2, 3])) == (2, 3)
    assert mg.TensorShape(mg.zeros((2, 5)).shape) == (2, 5)
    assert as_shape([1, None]) == mg.TensorShape([1, None])
    assert dimension_value(4) == 4 and dimension_value(None) is None
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        mg.TensorShape([2, -1])
    with pytest.raises(TypeError, match="must be an int or None, got float"):
        mg.TensorShape([2.5])
    with pytest.raises(TypeError, match="not a string"):
        mg.TensorShape("23")


def test_pickle_and_copy_keep_the_type():
    for s in (mg.TensorShape([2, None]), mg.TensorShape(None), mg.TensorShape([])):
        for back in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s)):
            assert type(back) is type(s) and back == s and repr(back) == repr(s)


def test_dask_sizes_left_unknown_by_a_mask_count_as_unknown():
    s = TensorShape.__new__(TensorShape, [float("nan"), 3])     # how Dask reports them
    assert s.as_list() == [None, 3] and not s.is_fully_defined()
    assert s.num_elements() is None and str(s) == "(None, 3)"


def test_shape_of_variables_and_traced_values(backend):
    v = mg.Variable(mg.zeros((2, 2)))
    assert v.shape.as_list() == [2, 2]
    seen = []

    @mg.function
    def f(x):
        seen.append(x.shape)
        return x * 2
    f(mg.ones((3, 1)))
    assert isinstance(seen[0], mg.TensorShape) and seen[0].as_list() == [3, 1]
