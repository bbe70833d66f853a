"""TensorFlow's "Introduction to Variables" guide, its programs with ``tf`` -> ``mg``,
against the values the guide prints (TF 2). All eight run; the GPU placement program runs
on the CPU here, as TF's soft placement does on a machine without a GPU."""

import numpy as np
import pytest

import multigrad as mg

MY_TENSOR = [[1.0, 2.0], [3.0, 4.0]]


def test_creating_variables(backend):
    my_variable = mg.Variable(mg.constant(MY_TENSOR))
    bool_variable = mg.Variable([False, False, False, True])
    complex_variable = mg.Variable([5 + 4j, 6 + 1j])
    assert bool_variable.dtype == mg.bool and complex_variable.dtype == mg.complex128
    assert str(my_variable.shape) == "(2, 2)" and my_variable.dtype == mg.float32
    np.testing.assert_array_equal(my_variable.numpy(), MY_TENSOR)
    assert "'Variable:0' shape=(2, 2) dtype=float32" in repr(my_variable)
    as_tensor = mg.convert_to_tensor(my_variable)
    assert type(as_tensor) is mg.Tensor and as_tensor.numpy().tolist() == MY_TENSOR
    highest = mg.math.argmax(my_variable)
    assert highest.numpy().tolist() == [1, 1] and highest.dtype == mg.int64
    copied = mg.reshape(my_variable, [1, 4])
    assert copied.numpy().tolist() == [[1.0, 2.0, 3.0, 4.0]] and my_variable.shape == (2, 2)


def test_assign_keeps_the_dtype_and_refuses_a_new_shape(backend):
    a = mg.Variable([2.0, 3.0])
    a.assign([1, 2])
    assert a.dtype == mg.float32 and a.numpy().tolist() == [1.0, 2.0]
    with pytest.raises(ValueError) as info:
        a.assign([1.0, 2.0, 3.0])
    assert type(info.value).__name__ == "ValueError"           # what the guide prints
    assert "(3,)" in str(info.value) and "(2,)" in str(info.value)


def test_a_variable_copied_from_another_is_independent(backend):
    a = mg.Variable([2.0, 3.0])
    b = mg.Variable(a)
    a.assign([5, 6])
    assert a.numpy().tolist() == [5.0, 6.0] and b.numpy().tolist() == [2.0, 3.0]
    assert a.assign_add([2, 3]).numpy().tolist() == [7.0, 9.0]
    assert a.assign_sub([7, 9]).numpy().tolist() == [0.0, 0.0]


def test_names_do_not_make_variables_equal(backend):
    my_tensor = mg.constant(MY_TENSOR)
    a = mg.Variable(my_tensor, name="Mark")
    b = mg.Variable(my_tensor + 1, name="Mark")
    assert a.name == b.name == "Mark:0"
    assert (a == b).numpy().tolist() == [[False, False], [False, False]]


def test_variables_not_to_differentiate(backend):
    step_counter = mg.Variable(1, trainable=False)
    assert step_counter.trainable is False and step_counter.dtype == mg.int32
    with mg.GradientTape() as tape:
        y = mg.cast(step_counter, mg.float32) * 2.0
    assert tape.watched_variables() == ()
    with pytest.warns(UserWarning, match="source must be floating"):
        assert tape.gradient(y, step_counter) is None


def test_placing_variables_and_tensors(backend):
    with mg.device("CPU:0"):
        a = mg.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        b = mg.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        c = mg.matmul(a, b)
    assert c.numpy().tolist() == [[22.0, 28.0], [49.0, 64.0]]
    assert c.device.endswith("device:CPU:0") or backend.device_type == "GPU"


def test_computing_on_another_device_than_the_variables(backend):
    with mg.device("CPU:0"):
        a = mg.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        b = mg.Variable([[1.0, 2.0, 3.0]])
    with mg.device("GPU:0"):         # no GPU: soft placement, as TF's default
        k = a * b
    assert k.numpy().tolist() == [[1.0, 4.0, 9.0], [4.0, 10.0, 18.0]]
