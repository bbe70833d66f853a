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


# --- axes, shapes and sizes: integers only -------------------------------------------------

def test_axis_error_is_numpy_like():
    assert issubclass(mg.AxisError, ValueError) and issubclass(mg.AxisError, IndexError)


@pytest.mark.parametrize("perm, axis", [((0, 3), 3), ((-3, 0), -3), ((2, 1), 2)])
def test_transpose_axis_out_of_range_raises(backend, perm, axis):
    m = mg.zeros((2, 3))
    with pytest.raises(mg.AxisError, match=f"mg.transpose: axis {axis} is out of bounds for "
                                           f"array of dimension 2"):
        mg.transpose(m, perm=perm)
    assert mg.transpose(m, perm=(-1, 0)).shape == (3, 2)


@pytest.mark.parametrize("axis", [3, -4, (0, 5)])
def test_reduction_axis_out_of_range_raises(backend, axis):
    with pytest.raises(mg.AxisError, match="axis -?[0-9] is out of bounds for array of "
                                           "dimension 3"):
        mg.reduce_sum(mg.zeros((2, 3, 4)), axis=axis)


@pytest.mark.parametrize("axis", ["0", True, 0.0, 1.5, [0.0], None.__class__])
def test_non_integer_axis_raises_type_error(backend, axis):
    with pytest.raises(TypeError, match="mg.sum: axis must be an integer"):
        mg.reduce_sum(mg.zeros((2, 3)), axis=axis)


def test_integer_like_axes_are_accepted(backend):
    m = mg.constant([[1., 2.], [3., 4.]])
    np.testing.assert_array_equal(mg.reduce_sum(m, axis=np.int64(1)).numpy(), [3., 7.])
    np.testing.assert_array_equal(mg.reduce_sum(m, axis=[0]).numpy(), [4., 6.])
    np.testing.assert_array_equal(mg.reduce_sum(m, axis=mg.constant(-1)).numpy(), [3., 7.])


@pytest.mark.parametrize("make", [lambda: mg.zeros((2.7,)), lambda: mg.ones((2, 2.0)),
                                  lambda: mg.full((True,), 1.),
                                  lambda: mg.reshape(mg.zeros((6,)), (2.9, 3)),
                                  lambda: mg.broadcast_to(mg.zeros(()), (2.5,)),
                                  lambda: mg.constant([1., 2.], shape=(2.0,))])
def test_float_dimensions_raise_type_error(backend, make):
    with pytest.raises(TypeError, match="every entry of shape must be an integer"):
        make()


@pytest.mark.parametrize("make", [lambda: mg.zeros((-1,)), lambda: mg.ones((2, -3)),
                                  lambda: mg.full(-2, 1.)])
def test_negative_dimensions_raise_value_error(backend, make):
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        make()


@pytest.mark.parametrize("make, message", [
    (lambda: mg.zeros("abc"), "mg.zeros: shape must be an integer or a sequence"),
    (lambda: mg.zeros(None), "mg.zeros: shape must be an integer or a sequence"),
    (lambda: mg.transpose(mg.zeros((2, 3)), perm="ab"), "mg.transpose: perm must be an int"),
    (lambda: mg.eye("3"), "mg.eye: n must be an integer, got '3'"),
    (lambda: mg.eye(3, 2.0), "mg.eye: m must be an integer, got 2.0"),
    (lambda: mg.linspace(0., 1., num="5"), "mg.linspace: num must be an integer, got '5'"),
    (lambda: mg.full((2,), "a"), "mg.full: fill_value must be a number, got 'a'"),
    (lambda: mg.full_like(mg.zeros(2), "a"), "mg.full_like: fill_value must be a number"),
    (lambda: mg.arange("3"), "mg.arange: stop must be a number"),
    (lambda: mg.tile(mg.zeros(2), (1.5,)), "mg.tile: every entry of reps must be an integer"),
    (lambda: mg.tile(mg.zeros(2), 1.5), "mg.tile: reps must be an integer or a sequence"),
])
def test_wrong_argument_types_raise_type_error_naming_the_argument(backend, make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_creation_still_takes_integer_likes(backend):
    assert mg.zeros(np.int64(3)).shape == (3,)
    assert mg.ones(mg.constant([2, 3])).shape == (2, 3)
    assert mg.eye(np.int32(2), 3).shape == (2, 3)
    assert mg.linspace(0., 1., num=np.int64(4)).shape == (4,)
    assert mg.full((2,), np.float32(1.5)).numpy().tolist() == [1.5, 1.5]
    with pytest.raises(ValueError, match="mg.linspace: num must be non-negative"):
        mg.linspace(0., 1., num=-1)
    with pytest.raises(ValueError, match="mg.eye: negative dimensions are not allowed"):
        mg.eye(-2)


def test_python_ints_beyond_int32_are_int64(backend):
    t = mg.constant(2 ** 40)
    assert t.dtype == mg.int64 and int(t) == 2 ** 40
    t = mg.constant([1, -2 ** 35])
    assert t.dtype == mg.int64 and t.numpy().tolist() == [1, -2 ** 35]
    assert mg.constant([1, 2]).dtype == mg.int32
    assert mg.constant(2 ** 31 - 1).dtype == mg.int32
    assert mg.constant(-2 ** 31).dtype == mg.int32
    assert mg.constant(2 ** 31).dtype == mg.int64


# --- empty axes -------------------------------------------------------------------------

@pytest.mark.parametrize("shape, axis, keepdims, expected_shape", [
    ((0,), None, False, ()), ((0, 2), None, True, (1, 1)), ((2, 0), 1, False, (2,)),
    ((2, 0, 3), (0, 1), True, (1, 1, 3)), ((0, 2), 0, False, (2,))])
def test_logsumexp_over_an_empty_axis_is_minus_inf(backend, shape, axis, keepdims,
                                                   expected_shape):
    x = mg.Variable(np.zeros(shape))
    with mg.GradientTape() as tape:
        y = mg.logsumexp(x, axis=axis, keepdims=keepdims)
        loss = mg.reduce_sum(mg.where(mg.isinf(y), 0.0, y))
    assert y.shape == expected_shape and y.dtype == mg.float64
    np.testing.assert_array_equal(y.numpy(), np.full(expected_shape, -np.inf))
    assert tape.gradient(loss, x).shape == shape


def test_logsumexp_of_a_nonempty_reduction_of_an_empty_tensor(backend):
    y = mg.logsumexp(mg.zeros((0, 3)), axis=1)
    assert y.shape == (0,)


@pytest.mark.parametrize("op", [mg.nn.softmax, mg.nn.log_softmax])
@pytest.mark.parametrize("shape, axis", [((2, 0), -1), ((0, 3), -1), ((0, 3), 0)])
def test_softmax_over_an_empty_axis_is_an_empty_result(backend, op, shape, axis):
    x = mg.Variable(np.zeros(shape))
    with mg.GradientTape() as tape:
        y = op(x, axis=axis)
    assert y.shape == shape
    assert tape.gradient(y, x).shape == shape


# --- axis=None flattens where NumPy's does ------------------------------------------------

def test_concatenate_with_axis_none_flattens(backend):
    a, b = np.arange(6.).reshape(2, 3), np.array([7., 8.])
    ta, tb = mg.Variable(a), mg.Variable(b)
    with mg.GradientTape() as tape:
        y = mg.concatenate([ta, tb, mg.constant(9.0, dtype=mg.float64)], axis=None)
        loss = mg.reduce_sum(y * mg.arange(1.0, 10.0, dtype=mg.float64))
    np.testing.assert_array_equal(y.numpy(), np.concatenate([a, b, np.array(9.)], axis=None))
    ga, gb = tape.gradient(loss, [ta, tb])
    np.testing.assert_array_equal(ga.numpy(), [[1., 2., 3.], [4., 5., 6.]])
    np.testing.assert_array_equal(gb.numpy(), [7., 8.])


@pytest.mark.parametrize("descending", [False, True])
def test_sort_with_axis_none_flattens(backend, descending):
    data = np.array([[3., -1., 2.], [0.5, 7., -4.]])
    w = mg.Variable(data)
    with mg.GradientTape() as tape:
        y = mg.sort(w, axis=None, descending=descending)
        loss = mg.reduce_sum(y * mg.arange(1.0, 7.0, dtype=mg.float64))
    expected = np.sort(data, axis=None)[::-1] if descending else np.sort(data, axis=None)
    np.testing.assert_array_equal(y.numpy(), expected)
    rank = {v: k + 1.0 for k, v in enumerate(expected)}
    np.testing.assert_array_equal(tape.gradient(loss, w).numpy(),
                                  np.vectorize(rank.get)(data))
    np.testing.assert_array_equal(mg.sort(mg.constant(2.0), axis=None).numpy(), [2.0])


def test_take_along_axis_with_axis_none_flattens(backend):
    data = np.array([[3., -1.], [0.5, 7.]])
    idx = np.array([3, 0, 0])
    got = mg.take_along_axis(mg.constant(data), mg.constant(idx), axis=None)
    np.testing.assert_array_equal(got.numpy(), np.take_along_axis(data, idx, axis=None))


@pytest.mark.parametrize("call", [lambda x: mg.stack([x, x], axis=None),
                                  lambda x: mg.split(x, 2, axis=None),
                                  lambda x: mg.concatenate([x, x], axis=(0, 1)),
                                  lambda x: mg.sort(x, axis=(0,)),
                                  lambda x: mg.take(x, [0], axis=1.0)])
def test_single_axis_ops_refuse_none_and_tuples(backend, call):
    with pytest.raises(TypeError, match="axis must be an integer"):
        call(mg.zeros((2, 2)))


# --- found by the differential test (tests/differential/FINDINGS.md) --------------------

def test_power_of_a_real_base_with_a_complex_exponent(backend):
    # F9: the exponent's rule missed the conjugate of x**y when only y is complex.
    from multigrad.testing import check_grads
    base = mg.constant([0.5, 1.7, 2.3], dtype=mg.float64)
    exponent = mg.constant([0.3 - 0.8j, -0.9 + 0.4j, 1.1 + 0.2j], dtype=mg.complex128)
    check_grads(lambda y: mg.real(mg.power(base, y) ** 2), [exponent], order=2)
    check_grads(lambda y: mg.real(mg.power(1.6, y) ** 2), [exponent], order=2)
    check_grads(lambda x: mg.imag(mg.power(x, exponent)), [base], order=2)


def test_clip_with_one_bound_is_numpys_one_sided_clip(backend):
    # F11: a None bound raised "expected a Tensor ..., got NoneType".
    from multigrad.testing import check_grads
    x = mg.constant([-2.0, -0.4, 0.3, 2.5], dtype=mg.float64)
    np.testing.assert_array_equal(mg.clip(x, -1.0, None).numpy(), np.clip(x.numpy(), -1, None))
    np.testing.assert_array_equal(mg.clip(x, None, 1.0).numpy(), np.clip(x.numpy(), None, 1))
    np.testing.assert_array_equal(mg.clip(x, a_min=0.0, a_max=1.0).numpy(),
                                  np.clip(x.numpy(), 0, 1))
    check_grads(lambda t: mg.clip(t, -1.0, None) ** 2, [x], order=2)
    lo = mg.constant([-3.0, 0.0, 0.0, 0.0], dtype=mg.float64)
    check_grads(lambda t, b: mg.clip(t, b, None) * t, [x, lo], order=2)
    with pytest.raises(ValueError, match="needs at least one of"):
        mg.clip(x, None, None)


@pytest.mark.parametrize("value, dtype, bad", [
    (1.5, "int32", "1.5"), ([1.0, 2.5], "int64", "2.5"), ([[0.0], [-0.25]], mg.int32, "-0.25"),
    (float("inf"), "int32", "inf"), (float("nan"), "int64", "nan"), (0.5, "uint8", "0.5")])
def test_python_floats_with_a_fraction_into_integer_dtypes_raise(backend, value, dtype, bad):
    with pytest.raises(TypeError, match=rf"cannot convert {bad} to a tensor of dtype "
                                        rf"\w+: it is not a whole number"):
        mg.constant(value, dtype=dtype)


def test_whole_python_floats_and_arrays_still_convert_to_integer_dtypes(backend):
    assert mg.constant(2.0, dtype="int32").numpy().item() == 2
    np.testing.assert_array_equal(mg.constant([1.0, -3.0], dtype="int64").numpy(), [1, -3])
    # Arrays keep NumPy's casting (only Python data is checked).
    np.testing.assert_array_equal(mg.constant(np.array([1.5, 2.7]), dtype="int32").numpy(),
                                  [1, 2])


def test_index_update_of_an_empty_tensor_writes_nothing(backend):
    # dask's __setitem__ refused size-0 values (differential test, F14)
    x = mg.constant(np.ones((3, 1, 0)))
    out = mg.index_update(x, (slice(None),), mg.constant(np.zeros((3, 1, 0))))
    assert out.shape == (3, 1, 0)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.sum(mg.index_update(x, (slice(0, 2),), 2.0) * x)
    assert tape.gradient(y, x).shape == (3, 1, 0)


def test_an_index_equal_to_dasks_chunk_offsets_keeps_its_shape(backend):
    # Dask keyed the index [0] like the offsets of an axis of one chunk (from_array([0])):
    # x[[0]] was declared with x's shape (2, 3), so concatenate and reshape went wrong, and
    # index_update's second order raised (differential test).
    data = np.arange(6.0).reshape(2, 3)
    x = mg.constant(data)
    for index in ([0], np.array([0]), mg.constant(np.array([0]))):
        assert x[index].shape == (1, 3)
    assert mg.take(x, [0], axis=0).shape == (1, 3)
    np.testing.assert_array_equal(mg.concatenate([x[[0]], x]).numpy(),
                                  np.concatenate([data[[0]], data]))
    np.testing.assert_array_equal(mg.reshape(x[[0]], (-1,)).numpy(), data[0])
    f = lambda t, v: mg.sum(mg.index_update(t, np.array([0]), v) ** 2)      # noqa: E731
    _, jvp = mg.jvp(f, (x, mg.constant(np.ones((1, 3)))), (mg.ones_like(x), mg.ones_like(x[:1])))
    assert float(jvp) == 2 * (3 + 4 + 5) + 2 * 3
