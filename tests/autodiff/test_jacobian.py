"""tape.jacobian and tape.batch_jacobian: TensorFlow's shapes and errors, closed forms."""

import numpy as np
import pytest

import multigrad as mg


def on(backend, a, dtype="float64"):
    return mg.to_backend(np.asarray(a, dtype=dtype), backend)


def test_jacobian_of_matrix_vector_product_is_the_matrix(backend):
    A = np.arange(12.0).reshape(3, 4) - 5.0
    x = on(backend, [0.5, -1.0, 2.0, 3.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.matmul(on(backend, A), x)
    j = tape.jacobian(y, x)
    assert j.shape == (3, 4) and j.dtype == mg.float64 and j.backend.name == backend.name
    np.testing.assert_array_equal(j.numpy(), A)


def test_jacobian_nested_sources_keep_structure_and_shapes(backend):
    a = on(backend, [1.0, 2.0, 3.0])
    b = on(backend, [[1.0, -1.0], [0.5, 2.0]])
    with mg.GradientTape() as tape:
        tape.watch([a, b])
        y = mg.stack([mg.sum(a * a), mg.sum(b) * 3.0])            # shape (2,)
    j = tape.jacobian(y, {"first": a, "rest": [b]})
    assert set(j) == {"first", "rest"} and isinstance(j["rest"], list)
    assert j["first"].shape == (2, 3) and j["rest"][0].shape == (2, 2, 2)
    np.testing.assert_allclose(j["first"].numpy(), [[2.0, 4.0, 6.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(j["rest"][0].numpy(), [np.zeros((2, 2)), np.full((2, 2), 3.0)])


@pytest.mark.parametrize("mode", ["none", "zero", mg.UnconnectedGradients.ZERO])
def test_jacobian_unconnected_source(backend, mode):
    x = on(backend, [1.0, 2.0])
    z = on(backend, [[1.0, 2.0, 3.0]])
    with mg.GradientTape() as tape:
        tape.watch([x, z])
        y = x * 2.0
    jx, jz = tape.jacobian(y, [x, z], unconnected_gradients=mg.UnconnectedGradients(
        mode) if isinstance(mode, str) else mode)
    np.testing.assert_array_equal(jx.numpy(), [[2.0, 0.0], [0.0, 2.0]])
    if mode == "none":
        assert jz is None
    else:
        assert jz.shape == (2, 1, 3) and not jz.numpy().any()


def test_jacobian_integer_source_gives_none(backend):
    x = on(backend, [1.0, 2.0])
    n = mg.to_backend(np.array([3, 4], dtype=np.int32), backend)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x * mg.cast(n, mg.float64)
    jx, jn = tape.jacobian(y, [x, n], unconnected_gradients="zero")
    assert jn is None
    np.testing.assert_array_equal(jx.numpy(), np.diag([3.0, 4.0]))


def test_jacobian_size_zero_target_gives_empty_zeros(backend):
    x = on(backend, [1.0, 2.0, 3.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = (x * 2.0)[3:]
    j = tape.jacobian(y, x)
    assert j.shape == (0, 3) and j.dtype == mg.float64


def test_jacobian_bad_unconnected_value_and_bad_target(backend):
    x = on(backend, [1.0])
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * 2.0
    with pytest.raises(ValueError, match="unconnected_gradients must be 'none' or 'zero'"):
        tape.jacobian(y, x, unconnected_gradients="zeros")
    with pytest.raises(TypeError, match="target must be a Tensor"):
        tape.jacobian([y], x)
    with pytest.raises(TypeError, match="sources must be Tensors"):
        tape.jacobian(y, [1.0])


def test_non_persistent_tape_second_jacobian_call_raises(backend):
    x = on(backend, [1.0, 2.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.jacobian(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape.*jacobian was called "
                                           "again.*persistent=True"):
        tape.jacobian(y, x)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="batch_jacobian was called again"):
        tape.batch_jacobian(y, x)


def test_batch_jacobian_of_per_row_tanh_layer(backend):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 3))
    W = rng.standard_normal((3, 4))
    x = on(backend, X)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.tanh(mg.matmul(x, on(backend, W)))
    j = tape.batch_jacobian(y, x)
    assert j.shape == (5, 4, 3)
    h = np.tanh(X @ W)
    expected = np.stack([np.diag(1 - h[i] ** 2) @ W.T for i in range(5)])
    np.testing.assert_allclose(j.numpy(), expected, rtol=1e-12, atol=1e-12)


def test_batch_jacobian_first_dimension_mismatch_message(backend):
    x = on(backend, np.ones((3, 2)))
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.sum(x, axis=0)          # shape (2,): not one row per example
    with pytest.raises(ValueError, match=r"first dimension of target \(shape \(2,\)\) and "
                                         r"source \(shape \(3, 2\)\) must match"):
        tape.batch_jacobian(y, x)


def test_batch_jacobian_unconnected_and_integer_source(backend):
    x = on(backend, np.ones((2, 3)))
    other = on(backend, np.ones((2, 4)))
    with mg.GradientTape(persistent=True) as tape:
        tape.watch([x, other])
        y = x * 3.0
    assert tape.batch_jacobian(y, other) is None
    z = tape.batch_jacobian(y, other, unconnected_gradients="zero")
    assert z.shape == (2, 3, 4) and not z.numpy().any()
    n = mg.to_backend(np.ones((2, 3), dtype=np.int32), backend)
    assert tape.batch_jacobian(y, n) is None
