"""The functional API (mg.grad, value_and_grad, jacobian, hessian, hvp, vjp, jvp) against
closed forms."""

import numpy as np
import pytest

import multigrad as mg

A = np.array([[2.0, 1.0, 0.0], [-1.0, 3.0, 0.5], [0.0, 4.0, 1.0]])
X0 = np.array([0.5, -1.0, 2.0])


def on(backend, a, dtype="float64"):
    return mg.to_backend(np.asarray(a, dtype=dtype), backend)


def quad(backend):
    a = on(backend, A)
    return lambda x: mg.sum(x * mg.matmul(a, x))          # x^T A x


def test_grad_of_quadratic_form(backend):
    g = mg.grad(quad(backend))(on(backend, X0))
    assert g.dtype == mg.float64 and g.backend.name == backend.name
    np.testing.assert_allclose(g.numpy(), (A + A.T) @ X0, rtol=1e-13)


def test_grad_argnums_tuple_and_value_and_grad(backend):
    def f(x, y, scale):
        return mg.sum(mg.sin(x) * y) * scale
    x, y = on(backend, [0.1, 0.2]), on(backend, [3.0, -1.0])
    gx, gy = mg.grad(f, argnums=(0, 1))(x, y, 2.0)
    np.testing.assert_allclose(gx.numpy(), 2 * np.cos([0.1, 0.2]) * [3.0, -1.0], rtol=1e-13)
    np.testing.assert_allclose(gy.numpy(), 2 * np.sin([0.1, 0.2]), rtol=1e-13)
    value, gy_only = mg.value_and_grad(f, argnums=-2)(x, y, 2.0)
    np.testing.assert_allclose(float(value), 2 * np.sum(np.sin([0.1, 0.2]) * [3.0, -1.0]))
    np.testing.assert_allclose(gy_only.numpy(), gy.numpy())


def test_grad_has_aux_and_unconnected_argument_gets_zeros(backend):
    def f(x, unused):
        return mg.sum(x * x), "aux"
    g, aux = mg.grad(f, argnums=(0, 1), has_aux=True)(on(backend, [1.0, 2.0]), on(backend, [7.0]))
    assert aux == "aux"
    np.testing.assert_array_equal(g[0].numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(g[1].numpy(), [0.0])


def test_python_and_numpy_inputs_are_converted():
    # NumPy float64 stays float64; a Python float becomes float32 (TensorFlow's default).
    g = mg.grad(lambda x: mg.sum(x ** 3))(np.array([1.0, 2.0]))
    assert g.dtype == mg.float64
    np.testing.assert_array_equal(g.numpy(), [3.0, 12.0])
    g32 = mg.grad(lambda x: x * x)(3.0)
    assert g32.dtype == mg.float32 and float(g32) == 6.0


def test_grad_errors(backend):
    x = on(backend, [1.0, 2.0])
    with pytest.raises(TypeError, match=r"must return a scalar.*shape \(2,\).*mg.jacobian"):
        mg.grad(lambda x: x * 2.0)(x)
    with pytest.raises(ValueError, match="argnums 3 refers to argument 3.*1 positional"):
        mg.grad(lambda x: mg.sum(x), argnums=3)(x)
    with pytest.raises(TypeError, match="argnums must be an int or a non-empty tuple"):
        mg.grad(lambda x: mg.sum(x), argnums="x")(x)
    with pytest.raises(TypeError, match="dtype int32, which cannot be differentiated"):
        mg.grad(lambda x: x * 2)(3)
    with pytest.raises(TypeError, match="has_aux=True.*must return a pair"):
        mg.grad(lambda x: mg.sum(x), has_aux=True)(x)


def test_nested_grad_gives_second_derivative(backend):
    d2 = mg.grad(mg.grad(lambda x: mg.sum(mg.sin(x) * x)))
    x = on(backend, 0.7)
    np.testing.assert_allclose(float(d2(x)), 2 * np.cos(0.7) - 0.7 * np.sin(0.7), rtol=1e-12)


def test_jacobian_functional(backend):
    a = on(backend, A)
    j = mg.jacobian(lambda x: mg.matmul(a, x))(on(backend, X0))
    np.testing.assert_allclose(j.numpy(), A, rtol=1e-13)
    jx, jy = mg.jacobian(lambda x, y: x * y, argnums=(0, 1))(on(backend, [1.0, 2.0]),
                                                           on(backend, [3.0, 4.0]))
    np.testing.assert_array_equal(jx.numpy(), np.diag([3.0, 4.0]))
    np.testing.assert_array_equal(jy.numpy(), np.diag([1.0, 2.0]))
    pair = mg.jacobian(lambda x: (x * 2.0, mg.sum(x)))(on(backend, [1.0, 2.0]))
    assert isinstance(pair, tuple) and pair[0].shape == (2, 2) and pair[1].shape == (2,)


def test_hessian_of_quadratic_form_is_a_plus_a_transpose(backend):
    h = mg.hessian(quad(backend))(on(backend, X0))
    assert h.shape == (3, 3)
    np.testing.assert_allclose(h.numpy(), A + A.T, rtol=1e-13)


def test_hessian_of_log_sum_exp(backend):
    # H = diag(p) - p p^T with p = softmax(x)
    x = np.array([0.1, -0.3, 0.8, 0.0])
    h = mg.hessian(lambda v: mg.log(mg.sum(mg.exp(v))))(on(backend, x))
    p = np.exp(x) / np.exp(x).sum()
    np.testing.assert_allclose(h.numpy(), np.diag(p) - np.outer(p, p), rtol=1e-10, atol=1e-14)


def test_hessian_argnums_tuple_gives_blocks(backend):
    def f(x, y):
        return mg.sum(x * x * y)        # d2/dx2 = 2 diag(y), d2/dxdy = 2 diag(x), d2/dy2 = 0
    x, y = on(backend, [1.0, 2.0]), on(backend, [3.0, 5.0])
    (hxx, hxy), (hyx, hyy) = mg.hessian(f, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(hxx.numpy(), np.diag([6.0, 10.0]))
    np.testing.assert_allclose(hxy.numpy(), np.diag([2.0, 4.0]))
    np.testing.assert_allclose(hyx.numpy(), np.diag([2.0, 4.0]))
    np.testing.assert_allclose(hyy.numpy(), np.zeros((2, 2)))


def test_hvp_matches_closed_form_without_forming_the_hessian(backend):
    v = np.array([1.0, -2.0, 0.5])
    (hv,) = mg.hvp(quad(backend), (on(backend, X0),), (on(backend, v),))
    np.testing.assert_allclose(hv.numpy(), (A + A.T) @ v, rtol=1e-13)
    single = mg.hvp(lambda x: mg.sum(mg.exp(x)), on(backend, X0), on(backend, v))
    np.testing.assert_allclose(single.numpy(), np.exp(X0) * v, rtol=1e-13)
    with pytest.raises(ValueError, match=r"tangent of shape \(2,\) does not match"):
        mg.hvp(quad(backend), (on(backend, X0),), (on(backend, [1.0, 2.0]),))


def test_vjp_returns_output_and_reusable_vjp_fn(backend):
    a = on(backend, A)
    out, vjp_fn = mg.vjp(lambda x: mg.tanh(mg.matmul(a, x)), on(backend, X0))
    h = np.tanh(A @ X0)
    np.testing.assert_allclose(out.numpy(), h, rtol=1e-13)
    for u in (np.array([1.0, 0.0, 0.0]), np.array([0.3, -1.0, 2.0])):
        (g,) = vjp_fn(on(backend, u))
        np.testing.assert_allclose(g.numpy(), A.T @ ((1 - h ** 2) * u), rtol=1e-12)
    with pytest.raises(ValueError, match="output_gradients entry of shape"):
        vjp_fn(on(backend, [1.0]))


def test_jvp_matches_jacobian_times_tangent(backend):
    a = on(backend, A)
    t = np.array([0.2, 1.0, -1.0])
    out, tangent_out = mg.jvp(lambda x: mg.tanh(mg.matmul(a, x)), (on(backend, X0),),
                              (on(backend, t),))
    h = np.tanh(A @ X0)
    np.testing.assert_allclose(out.numpy(), h, rtol=1e-13)
    np.testing.assert_allclose(tangent_out.numpy(), (1 - h ** 2) * (A @ t), rtol=1e-12)
    # two primals: d(x*y) = dx*y + x*dy
    _, d = mg.jvp(lambda x, y: x * y, (on(backend, [1.0, 2.0]), on(backend, [3.0, 4.0])),
                  (on(backend, [1.0, 0.0]), on(backend, [0.0, 1.0])))
    np.testing.assert_allclose(d.numpy(), [3.0, 2.0])
    with pytest.raises(ValueError, match="got 1 primals but 2 tangents"):
        mg.jvp(lambda x: x, (on(backend, [1.0]),), (on(backend, [1.0]), on(backend, [1.0])))
