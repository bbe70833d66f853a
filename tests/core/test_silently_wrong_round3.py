"""Issue 22's items outside linear algebra: each case gave a wrong number, shape or a
silent acceptance; each test here fails without its fix."""

import numpy as np
import pytest

import multigrad as mg


def _grad_and_second(f, a, backend):
    x = mg.to_backend(np.asarray(a, dtype=float), backend)
    with mg.GradientTape() as outer:
        outer.watch(x)
        with mg.GradientTape() as inner:
            inner.watch(x)
            y = mg.reduce_sum(f(x))
        g = inner.gradient(y, x)
        gg = mg.reduce_sum(g)
    return y, g.numpy(), outer.gradient(gg, x, unconnected_gradients="zero").numpy()


# --- 6. std over one element ------------------------------------------------------------

@pytest.mark.parametrize("name, f, a", [
    ("std-0d", mg.std, 2.0),
    ("std-axis-of-one", lambda x: mg.std(x, axis=1), [[2.0], [5.0]]),
    ("std-keepdims", lambda x: mg.std(x, axis=0, keepdims=True), [[2.0, 3.0]]),
    ("reduce_std", lambda x: mg.math.reduce_std(x, axis=-1), [[1.0]]),
    ("nanstd-one-left", lambda x: mg.nanstd(x, axis=1), [[2.0, np.nan], [7.0, np.nan]]),
])
def test_std_of_one_element_has_gradient_zero(backend, name, f, a):
    y, g, gg = _grad_and_second(f, a, backend)
    assert float(y) == 0.0
    np.testing.assert_array_equal(g, np.zeros_like(g))
    np.testing.assert_array_equal(gg, np.zeros_like(gg))


def test_nanstd_mixes_one_element_and_longer_slices(backend):
    y, g, _ = _grad_and_second(lambda x: mg.nanstd(x, axis=1),
                               [[2.0, np.nan], [1.0, 3.0]], backend)
    np.testing.assert_allclose(g, [[0.0, 0.0], [-0.5, 0.5]])


# --- 8. functions defined on reals, complex input, and other bad input ---------------------

def _z(backend):
    return mg.to_backend(np.array([1 + 1j, -2 + 0.5j]), backend)


@pytest.mark.parametrize("name, f", [
    ("erf", mg.erf), ("cbrt", mg.cbrt), ("nn.relu", mg.nn.relu),
    ("nn.leaky_relu", mg.nn.leaky_relu), ("nn.elu", mg.nn.elu), ("nn.gelu", mg.nn.gelu),
    ("nn.softplus", mg.nn.softplus), ("nn.softsign", mg.nn.softsign),
    ("nn.softmax", mg.nn.softmax), ("nn.log_softmax", mg.nn.log_softmax),
    ("copysign", lambda z: mg.copysign(z, z)),
])
def test_real_only_functions_refuse_complex_input(backend, name, f):
    with pytest.raises(TypeError, match=r"defined for real (or integer )?input only .*"
                                        r"got dtype complex128; apply it to mg.real\(x\)"):
        f(_z(backend))


def test_sigmoid_of_complex_input_is_tensorflows(backend):
    z = np.array([1 + 1j, -2 + 0.5j])
    np.testing.assert_allclose(mg.nn.sigmoid(_z(backend)).numpy(), 1 / (1 + np.exp(-z)),
                               rtol=1e-14)
    assert mg.math.sigmoid is mg.nn.sigmoid
    from multigrad.testing import check_grads
    check_grads(mg.nn.sigmoid, [_z(backend)], order=2)


def test_l2_normalize_and_euclidean_norm_of_complex_input_use_the_modulus(backend):
    z = np.array([1 + 1j, -2 + 0.5j])
    np.testing.assert_allclose(mg.math.l2_normalize(_z(backend)).numpy(),
                               z / np.linalg.norm(z), rtol=1e-14)
    norm = mg.math.reduce_euclidean_norm(_z(backend))
    assert norm.dtype == mg.complex128                       # TF keeps the input dtype
    np.testing.assert_allclose(norm.numpy(), np.linalg.norm(z), rtol=1e-14)


def test_complex_order_is_numpys_lexicographic_one(backend):
    # One rule for the comparison family (README "Complex numbers"): NumPy's order, real
    # part first; the TF spellings are the same functions. array_api_strict refuses
    # complex comparisons (its standard does): an error, never another order.
    z = np.array([1 + 1j, -2 + 0.5j, 1 + 0.5j])
    x = mg.to_backend(z, backend)
    checks = [(lambda t: mg.maximum(t, t[::-1]), np.maximum(z, z[::-1])),
              (mg.sort, np.sort(z)), (mg.math.reduce_max, np.max(z)), (mg.argmin, 1)]
    for f, want in checks:
        if backend.name == "array_api_strict":
            with pytest.raises(TypeError, match="Only real numeric dtypes"):
                f(x)
        else:
            np.testing.assert_array_equal(f(x).numpy(), want)


def test_sin_of_booleans_follows_numpys_promotion(backend):
    b = mg.to_backend(np.array([True, False]), backend)
    if backend.name == "array_api_strict":        # the standard has no sin of booleans
        with pytest.raises(TypeError, match="floating-point dtypes"):
            mg.sin(b)
        return
    y = mg.sin(b)
    assert y.dtype == mg.float16 and np.sin(np.array([True])).dtype == np.float16
    np.testing.assert_array_equal(y.numpy(), np.sin(np.array([True, False])))


@pytest.mark.parametrize("data", [np.array(["a", "b"]), np.array([b"a"]),
                                  np.array([1, None], dtype=object)])
def test_string_and_object_arrays_are_refused_clearly(backend, data):
    with pytest.raises(TypeError, match="no string tensors, unlike TensorFlow's tf.string"):
        mg.constant(data)


@pytest.mark.parametrize("op", ["tensor_scatter_nd_update", "tensor_scatter_nd_add"])
def test_tensorflow_scatters_refuse_negative_indices(backend, op):
    x = mg.to_backend(np.zeros(3), backend)
    with pytest.raises(IndexError, match=rf"mg.{op}: index -1 is out of bounds for axis 0 "
                                         r"with size 3 \(TensorFlow's scatters"):
        getattr(mg, op)(x, [[-1]], [5.0])
    with pytest.raises(IndexError, match="index -2 is out of bounds"):
        mg.scatter_nd([[0], [-2]], mg.to_backend(np.ones(2), backend), [3])


# --- 7. empty axes cut differently, negative-step writes (Dask) ----------------------------

def _values_and_shapes(*tensors):
    for t in tensors:
        value = t.numpy()
        assert value.shape == t.shape, (value.shape, t.shape)      # never a wrong shape
        yield value


def test_empty_selections_cut_differently_combine_into_the_declared_shape(backend):
    # x[mask] cuts its axis (1, 0) on Dask, a roll cuts (0, 0): their sum was declared
    # (1, 0) and computed (2, 0).
    x = mg.to_backend(np.zeros((2, 0)), backend)
    mask = mg.to_backend(np.array([True, False]), backend)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x[mask] + mg.roll(x[:1], 1, axis=0)
        z = mg.reduce_sum(y * 2) + mg.reduce_sum(mg.roll(x, 3, axis=1) * x[::-1])
    (y_value, g) = _values_and_shapes(y, tape.gradient(z, x))
    assert y_value.shape == (1, 0) and g.shape == (2, 0)


def test_ops_after_an_empty_axis_cut_differently(backend):
    a = mg.to_backend(np.zeros((3, 0)), backend)
    b = mg.to_backend(np.ones((0, 2)), backend)
    rolled = mg.roll(a, 3, axis=1)
    out = mg.matmul(rolled, b) + mg.matmul(a[::-1], b[:, ::-1])
    (value,) = _values_and_shapes(out)
    np.testing.assert_array_equal(value, np.zeros((3, 2)))
    (value,) = _values_and_shapes(mg.concatenate([rolled, a[::-1]], axis=1) + a)
    assert value.shape == (3, 0)


def test_an_integer_next_to_a_negative_step_slice(backend):
    x = mg.to_backend(np.arange(15.0).reshape(3, 5), backend)
    v = mg.to_backend(np.array([10.0, 20.0, 30.0]), backend)
    want = np.arange(15.0).reshape(3, 5)
    want[1, ::-2] = [10.0, 20.0, 30.0]
    with mg.GradientTape(persistent=True) as tape:
        tape.watch([x, v])
        picked = x[1, ::-2]
        updated = mg.index_update(x, (1, slice(None, None, -2)), v * 1.0)
        loss = mg.reduce_sum(picked * mg.to_backend(np.array([1.0, 2.0, 3.0]), backend))
        weights = mg.to_backend(np.arange(15.0).reshape(3, 5), backend)
        weighted = mg.reduce_sum(updated * weights)
    np.testing.assert_array_equal(picked.numpy(), [9.0, 7.0, 5.0])
    np.testing.assert_array_equal(updated.numpy(), want)
    g = np.zeros((3, 5))
    g[1, ::-2] = [1.0, 2.0, 3.0]
    np.testing.assert_array_equal(tape.gradient(loss, x).numpy(), g)
    gv = tape.gradient(weighted, v).numpy()
    np.testing.assert_array_equal(gv, np.arange(15.0).reshape(3, 5)[1, ::-2])
    np.testing.assert_array_equal(mg.index_update(x, (1, slice(None, None, -2)), 0.0).numpy()[1],
                                  [0.0, 6.0, 0.0, 8.0, 0.0])


def test_raw_dask_arrays_cut_unevenly_are_taken_as_they_compute(backend):
    if backend.name != "dask":
        pytest.skip("raw Dask arrays passed in: the dask backend only")
    da = pytest.importorskip("dask.array")
    empty = mg.to_backend(da.from_array(np.zeros((1, 0)), chunks=((1, 0), (0, 0))), "dask")
    one = mg.to_backend(da.from_array(np.ones((1, 1, 1)), chunks=((1, 0),) * 3), "dask")
    wide = mg.to_backend(np.ones((1, 3, 1)), "dask")
    (a, b) = _values_and_shapes(empty + empty, one + wide)
    assert a.shape == (1, 0)
    np.testing.assert_array_equal(b, np.full((1, 3, 1), 2.0))
