"""copy, deepcopy and pickle of Tensors, Variables and tapes (TensorFlow's semantics)."""

import copy
import pickle

import numpy as np
import pytest

import multigrad as mg

cloudpickle = pytest.importorskip("cloudpickle")


def test_copy_copy_is_the_same_variable_or_tensor(backend):
    v = mg.Variable([1.0, 2.0])
    t = mg.constant([3.0])
    assert copy.copy(v) is v and copy.copy(t) is t
    with mg.GradientTape() as tape:
        y = mg.sum(copy.copy(v) * 3.0)
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [3.0, 3.0])


def test_deepcopy_is_an_independent_variable(backend):
    v = mg.Variable([1.0, 2.0], name="w", trainable=False)
    d = copy.deepcopy(v)
    assert type(d) is mg.Variable and d is not v and d._id != v._id
    assert (d.name, d.trainable, d.dtype, d.backend) == ("w:0", False, v.dtype, v.backend)
    d.assign([5.0, 6.0])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(d.numpy(), [5.0, 6.0])
    w = mg.Variable([1.0, 2.0])
    w2 = copy.deepcopy(w)
    with mg.GradientTape(persistent=True) as tape:     # the tape tells them apart
        y = mg.sum(w2 * 2.0)
    assert tape.gradient(y, w) is None
    np.testing.assert_array_equal(tape.gradient(y, w2).numpy(), [2.0, 2.0])
    pair = copy.deepcopy([w, w])              # one Variable, copied once
    assert pair[0] is pair[1] and pair[0]._id != w._id


def test_deepcopy_of_a_tensor_is_a_fresh_tensor(backend):
    x = mg.constant([1.5, -2.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0
        d = copy.deepcopy(y)
        z = mg.sum(d * y)
    assert type(d) is mg.Tensor and d.backend is backend
    np.testing.assert_array_equal(d.numpy(), y.numpy())
    # d is a constant copy: only the y factor carries the gradient.
    np.testing.assert_array_equal(tape.gradient(z, x).numpy(), 2.0 * y.numpy())


@pytest.mark.parametrize("dumps,loads", [(pickle.dumps, pickle.loads),
                                         (cloudpickle.dumps, cloudpickle.loads)],
                         ids=["pickle", "cloudpickle"])
def test_tensors_and_variables_pickle_as_host_data(backend, dumps, loads):
    values = [mg.constant(np.arange(6.0).reshape(2, 3)), mg.constant([1, 2], dtype="int32"),
              mg.constant(np.array([1 + 2j, -3j])), mg.constant(np.float32(2.5))]
    for t in values:
        back = loads(dumps(t))
        assert type(back) is mg.Tensor and back.backend is backend
        assert back.dtype == t.dtype and back.shape == t.shape
        np.testing.assert_array_equal(back.numpy(), t.numpy())
    v = mg.Variable(np.array([[1.0, 2.0]]), name="kernel", trainable=False)
    back = loads(dumps(v))
    assert type(back) is mg.Variable and back._id != v._id and back.backend is backend
    assert (back.name, back.trainable, back.dtype) == ("kernel:0", False, mg.float64)
    np.testing.assert_array_equal(back.numpy(), [[1.0, 2.0]])
    a, b = loads(dumps([v, v]))               # identity within one pickle is kept
    assert a is b


def test_unpickling_selects_the_backend_by_name(backend):
    data = pickle.dumps(mg.constant([1.0, 2.0]))
    with mg.use_backend("numpy"):            # the selected backend does not matter
        back = pickle.loads(data)
    assert back.backend.name == backend.name


def test_backend_objects_cloudpickle_without_recursing(backend):
    back = cloudpickle.loads(cloudpickle.dumps(backend))
    assert back.name == backend.name
    ops = cloudpickle.loads(cloudpickle.dumps(backend.ops))
    assert type(ops) is type(backend.ops)


def test_a_tape_or_accumulator_refuses_to_pickle_or_copy(backend):
    x = mg.constant([1.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        mg.sin(x)
    for how in (pickle.dumps, cloudpickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="a GradientTape cannot be pickled or copied; "
                                            "pickle the Tensors and Variables it computed"):
            how(tape)
        with pytest.raises(TypeError, match="a ForwardAccumulator cannot be pickled or copied"):
            how(mg.ForwardAccumulator(x, mg.constant([1.0])))
