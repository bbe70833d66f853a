"""Bad indices raise NumPy's IndexError on every backend and in every indexing path;
host index data and slices mean the same thing everywhere ("never silently wrong")."""

import numpy as np
import pytest

import multigrad as mg

OUT = "index {} is out of bounds for axis {} with size {}"
MASK = ("boolean index did not match indexed array along axis 0; size of axis is 3 but "
        "size of corresponding boolean axis is {}")


def _x():
    return mg.constant([1., 2., 3.])


def _m():
    return mg.constant([[1., 2., 3.], [4., 5., 6.]])


@pytest.mark.parametrize("index, value", [([0, -4], -4), ([0, 5], 5), (3, 3), (-4, -4),
                                          ((np.int64(7),), 7)])
def test_getitem_out_of_range_raises(backend, index, value):
    with pytest.raises(IndexError, match=OUT.format(value, 0, 3)):
        _x()[index]


def test_getitem_out_of_range_in_a_later_axis(backend):
    with pytest.raises(IndexError, match=OUT.format(-5, 1, 3)):
        _m()[:, [0, -5]]
    with pytest.raises(IndexError, match=OUT.format(2, 0, 2)):
        _m()[..., [2, 0], 1]


def test_getitem_tensor_index_out_of_range(backend):
    with pytest.raises(IndexError, match=OUT.format(3, 0, 3)):
        _x()[mg.constant([[0, 1], [3, 2]])]


@pytest.mark.parametrize("mask", [[True, False], [True, False, True, False]])
def test_wrong_length_mask_raises(backend, mask):
    with pytest.raises(IndexError, match=MASK.format(len(mask))):
        _x()[mask]
    with pytest.raises(IndexError, match=MASK.format(len(mask))):
        _x()[mg.constant(mask)]


def test_too_many_indices_and_non_integer_arrays(backend):
    with pytest.raises(IndexError, match="too many indices for array: array is "
                                         "1-dimensional, but 2 were indexed"):
        _x()[0, 0]
    with pytest.raises(IndexError, match="must be of integer \\(or boolean\\) type"):
        _x()[mg.constant([0.0, 1.0])]


def test_in_range_negative_indices_still_work(backend):
    np.testing.assert_array_equal(_x()[[0, -3, -1]].numpy(), [1., 1., 3.])
    np.testing.assert_array_equal(_m()[:, [-1, 0]].numpy(), [[3., 1.], [6., 4.]])
    np.testing.assert_array_equal(mg.take(_x(), [-3, -1]).numpy(), [1., 3.])
    np.testing.assert_array_equal(_x()[[]].numpy(), np.zeros((0,)))


def test_take_out_of_range_raises(backend):
    with pytest.raises(IndexError, match=OUT.format(-4, 0, 3)):
        mg.take(_x(), [-4])
    with pytest.raises(IndexError, match=OUT.format(3, 1, 3)):
        mg.take(_m(), [[0], [3]], axis=1)
    with pytest.raises(IndexError, match=OUT.format(6, 0, 6)):
        mg.take(_m(), [6])
    with pytest.raises(IndexError, match=OUT.format(-3, 0, 2)):
        mg.take_along_axis(_m(), mg.constant([[0, -3, 1]]), axis=0)


def test_updates_with_bad_indices_raise(backend):
    x = _x()
    with pytest.raises(IndexError, match=MASK.format(1)):
        mg.index_update(x, mg.constant([True]), 5.)
    with pytest.raises(IndexError, match=OUT.format(-4, 0, 3)):
        mg.index_update(x, [0, -4], 5.)
    with pytest.raises(IndexError, match=OUT.format(3, 0, 3)):
        mg.index_add(x, [3], 1.)
    with pytest.raises(IndexError, match=MASK.format(2)):
        mg.index_add(x, [True, True], 1.)
    with pytest.raises(IndexError, match=OUT.format(2, 0, 2)):
        mg.tensor_scatter_nd_update(_m(), [[2, 0]], [9.])
    with pytest.raises(IndexError, match="mg.tensor_scatter_nd_add: " + OUT.format(-4, 1, 3)):
        mg.tensor_scatter_nd_add(_m(), [[0, -4]], [9.])
    with pytest.raises(IndexError, match="mg.tensor_scatter_nd_update: " + OUT.format(3, 1, 3)):
        mg.tensor_scatter_nd_update(_m(), [[1, 3]], [9.])
    with pytest.raises(IndexError, match=OUT.format(4, 0, 4)):
        mg.scatter_nd([[4]], mg.constant([1.]), (4,))


def test_bad_index_raises_under_a_tape(backend):
    """The check runs before anything is recorded (the backward rules reuse the index)."""
    w = mg.Variable([1., 2., 3.])
    with mg.GradientTape() as tape:
        with pytest.raises(IndexError, match=OUT.format(-4, 0, 3)):
            w[[0, -4]]
        y = mg.sum(w[[0, -1, -1]])
    np.testing.assert_array_equal(tape.gradient(y, w).numpy(), [1., 0., 2.])


# --- host index data and slices --------------------------------------------------------

@pytest.mark.parametrize("index", [np.array([0, 2]), [0, 2], (np.array([0, 2]),)])
def test_host_index_data_follows_the_tensor(backend, index):
    np.testing.assert_array_equal(_x()[index].numpy(), [1., 3.])
    out = mg.index_update(_x(), index, 0.)
    np.testing.assert_array_equal(out.numpy(), [0., 2., 0.])
    np.testing.assert_array_equal(mg.index_add(_x(), index, 1.).numpy(), [2., 2., 4.])


def test_host_mask_follows_the_tensor(backend):
    mask = np.array([True, False, True])
    np.testing.assert_array_equal(_x()[mask].numpy(), [1., 3.])
    np.testing.assert_array_equal(_m()[np.array([False, True]), np.int64(1)].numpy(), 5.)


SLICES = [slice(-7, None, -2), slice(None, 5), slice(-9, 9), slice(5, -9, -1),
          slice(10, None, -3), slice(None, -9, -1), slice(2, 1), slice(-1, None, -1)]


@pytest.mark.parametrize("s", SLICES, ids=str)
def test_slices_match_numpy_values_and_gradients(backend, s):
    data = np.array([0., 1., 2., 3.])
    w = mg.Variable(data.tolist())
    with mg.GradientTape() as tape:
        y = w[s]
        loss = mg.sum(y * mg.arange(1.0, 1.0 + y.shape[0]))
    np.testing.assert_array_equal(y.numpy(), data[s])
    expected = np.zeros(4)
    expected[s] = np.arange(1.0, 1.0 + data[s].shape[0])
    np.testing.assert_array_equal(tape.gradient(loss, w).numpy(), expected)


def test_slices_in_updates_match_numpy(backend):
    data = np.array([0., 1., 2., 3.])
    expected = data.copy()
    expected[-7::-2] = 9.
    np.testing.assert_array_equal(mg.index_update(mg.constant(data.tolist()),
                                                  slice(-7, None, -2), 9.).numpy(), expected)
    expected = data.copy()
    expected[:9] += 1.
    np.testing.assert_array_equal(mg.index_add(mg.constant(data.tolist()),
                                               slice(None, 9), 1.).numpy(), expected)


# --- indices some backends read differently ------------------------------------------------

def test_python_true_adds_an_axis_everywhere(backend):
    data = np.arange(6.).reshape(2, 3)
    x = mg.constant(data)
    for index in [True, (0, True), (True, slice(None), 1)]:
        np.testing.assert_array_equal(x[index].numpy(), data[index])
    with pytest.raises(IndexError, match="mg.getitem: a Python bool next to array indices"):
        x[True, [0, 1]]


def test_nd_integer_index_on_fewer_axes(backend):
    data = np.arange(12.).reshape(2, 3, 2)
    index = [[0, 1], [1, 1]]
    w = mg.Variable(data)
    with mg.GradientTape() as tape:
        y = w[index]
        loss = mg.reduce_sum(y)
    np.testing.assert_array_equal(y.numpy(), data[np.array(index)])
    np.testing.assert_array_equal(tape.gradient(loss, w).numpy()[:, 0, 0], [1., 3.])
    expected = data.copy()
    expected[np.array(index)] = -1.
    np.testing.assert_array_equal(mg.index_update(w, index, -1.).numpy(), expected)


def test_host_index_data_in_take_and_scatter(backend):
    m = _m()
    np.testing.assert_array_equal(mg.take(m, np.array([2, 0]), axis=1).numpy(),
                                  [[3., 1.], [6., 4.]])
    out = mg.tensor_scatter_nd_update(m, np.array([[1, 2]]), [0.])
    np.testing.assert_array_equal(out.numpy(), [[1., 2., 3.], [4., 5., 0.]])


def test_gradients_through_negative_indices(backend):
    w = mg.Variable([[1., 2., 3.], [4., 5., 6.]])
    with mg.GradientTape() as tape:
        loss = mg.reduce_sum(w[:, [-1, -1, 0]]) + mg.reduce_sum(w[-1, -3:])
    np.testing.assert_array_equal(tape.gradient(loss, w).numpy(),
                                  [[1., 0., 2.], [2., 1., 3.]])


# --- the same messages on every backend, in every path (Dask's native ones differ) --------

TF_GATHER = r" \(TensorFlow's gathers take indices in \[0, {}\): negative ones do not count"


def test_gathers_out_of_range_name_the_index_axis_and_size(backend):
    with pytest.raises(IndexError, match="mg.gather: " + OUT.format(2, 0, 2) +
                                         TF_GATHER.format(2)):
        mg.gather(_m(), [0, 2])
    with pytest.raises(IndexError, match="mg.gather: " + OUT.format(-1, 1, 3)):
        mg.gather(_m(), [-1], axis=1)
    with pytest.raises(IndexError, match="mg.gather_nd: " + OUT.format(3, 1, 3)):
        mg.gather_nd(_m(), [[1, 3]])


@pytest.mark.parametrize("call, opname", [
    (lambda x: x[[0.0, 1.0]], "getitem"),
    (lambda x: mg.index_update(x, np.array([1.0]), 0.0), "index_update"),
    (lambda x: mg.index_add(x, [1.5], 0.0), "index_add"),
])
def test_float_index_arrays_raise_numpys_index_error(backend, call, opname):
    with pytest.raises(IndexError, match=rf"mg.{opname}: arrays used as indices must be of "
                                         rf"integer \(or boolean\) type, got float"):
        call(_x())


@pytest.mark.parametrize("call, opname", [
    (lambda x: mg.take(x, [0.0, 1.0]), "take"),
    (lambda x: mg.take(x, np.array([True, False, True])), "take"),
    (lambda x: mg.take_along_axis(x, np.array([0.5]), axis=0), "take_along_axis"),
    (lambda x: mg.tensor_scatter_nd_update(x, [[0.0]], [1.0]), "tensor_scatter_nd_update"),
    (lambda x: mg.tensor_scatter_nd_add(x, [[0.0]], [1.0]), "tensor_scatter_nd_add"),
    (lambda x: mg.gather(x, [0.0]), "gather"),
    (lambda x: mg.gather_nd(x, [[1.0]]), "gather_nd"),
])
def test_non_integer_indices_of_takes_and_scatters_raise_type_error(backend, call, opname):
    with pytest.raises(TypeError, match=rf"mg.{opname}: indices must be integers, got dtype "
                                        rf"(float|bool)"):
        call(_x())


@pytest.mark.parametrize("index", ["a", 1.5, (0, "b"), {0: 1}], ids=repr)
def test_other_index_types_raise_numpys_index_error(backend, index):
    with pytest.raises(IndexError, match=r"mg.getitem: only integers, slices \(`:`\), ellipsis "
                                         r"\(`...`\), None \(newaxis\) and integer or boolean "
                                         r"arrays are valid indices; got "):
        _m()[index]
    with pytest.raises(IndexError, match="mg.index_update: only integers"):
        mg.index_update(_m(), index, 0.0)
