"""mg.ForwardAccumulator: JVPs, unconnected targets, and nesting with GradientTape."""

import numpy as np
import pytest

import multigrad as mg

A = np.array([[2.0, 1.0, 0.0], [-1.0, 3.0, 0.5], [0.0, 4.0, 1.0]])
X0 = np.array([0.5, -1.0, 2.0])
V = np.array([1.0, -2.0, 0.5])


def on(backend, a, dtype="float64"):
    return mg.to_backend(np.asarray(a, dtype=dtype), backend)


def test_jvp_of_elementwise_and_matmul(backend):
    x, v = on(backend, X0), on(backend, V)
    with mg.ForwardAccumulator(x, v) as acc:
        y = mg.sin(mg.matmul(on(backend, A), x))
        inside = acc.jvp(y)                  # callable inside the context too
    expected = np.cos(A @ X0) * (A @ V)
    np.testing.assert_allclose(inside.numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(acc.jvp(y).numpy(), expected, rtol=1e-12)
    np.testing.assert_array_equal(acc.jvp(x).numpy(), V)      # a primal's JVP is its tangent


def test_jvp_nested_targets_and_several_primals(backend):
    x, y = on(backend, [1.0, 2.0]), on(backend, [3.0, 4.0])
    with mg.ForwardAccumulator([x, y], [on(backend, [1.0, 1.0]), on(backend, [0.0, 2.0])]) as acc:
        p = x * y
        s = mg.sum(x)
    out = acc.jvp({"p": p, "s": s})
    np.testing.assert_allclose(out["p"].numpy(), [3.0 * 1 + 1 * 0, 4.0 * 1 + 2.0 * 2])
    np.testing.assert_allclose(float(out["s"]), 2.0)


def test_unconnected_target_none_or_zero(backend):
    x = on(backend, [1.0, 2.0])
    other = on(backend, [5.0, 6.0, 7.0])
    with mg.ForwardAccumulator(x, on(backend, [1.0, 1.0])) as acc:
        z = other * 2.0
    assert acc.jvp(z) is None
    zero = acc.jvp(z, unconnected_gradients="zero")
    assert zero.shape == (3,) and not zero.numpy().any()


def test_variable_primal(backend):
    w = mg.Variable(on(backend, [1.0, -1.0]))
    with mg.ForwardAccumulator(w, on(backend, [0.5, 2.0])) as acc:
        y = mg.sum(w * w)
    np.testing.assert_allclose(float(acc.jvp(y)), 2 * (1.0 * 0.5 + -1.0 * 2.0))


def test_forward_over_reverse_hessian_vector_product(backend):
    x, v = on(backend, X0), on(backend, V)
    a = on(backend, A)
    with mg.ForwardAccumulator(x, v) as acc:
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = mg.sum(x * mg.matmul(a, x))
        g = tape.gradient(y, x)
    np.testing.assert_allclose(g.numpy(), (A + A.T) @ X0, rtol=1e-13)
    np.testing.assert_allclose(acc.jvp(g).numpy(), (A + A.T) @ V, rtol=1e-13)


def test_reverse_over_forward_gradient_of_a_jvp(backend):
    # d/dx <grad f(x), v> = H v for f = sum(exp(x) * x): H = diag(exp(x) * (x + 2))
    x, v = on(backend, X0), on(backend, V)
    with mg.GradientTape() as tape:
        tape.watch(x)
        with mg.ForwardAccumulator(x, v) as acc:
            y = mg.sum(mg.exp(x) * x)
        jv = acc.jvp(y)
    np.testing.assert_allclose(float(jv), np.sum(np.exp(X0) * (X0 + 1) * V), rtol=1e-12)
    np.testing.assert_allclose(tape.gradient(jv, x).numpy(), np.exp(X0) * (X0 + 2) * V,
                               rtol=1e-12)


def test_bad_arguments(backend):
    x = on(backend, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"tangent of shape \(3,\) does not match its primal's "
                                         r"shape \(2,\)"):
        mg.ForwardAccumulator(x, on(backend, [1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        mg.ForwardAccumulator([x, x], [x])
    with pytest.raises(TypeError, match="primals must be Tensors"):
        mg.ForwardAccumulator([1.0], [1.0])
    with pytest.raises(TypeError, match="dtype int32 cannot carry a tangent"):
        mg.ForwardAccumulator(mg.constant([1, 2]), mg.constant([1, 1]))


def test_forward_over_forward_second_directional_derivative(backend):
    xs, vs = np.array([0.3, 1.2]), np.array([1.0, 0.5])
    x, v = on(backend, xs), on(backend, vs)
    with mg.ForwardAccumulator(x, v) as outer:
        with mg.ForwardAccumulator(x, v) as inner:
            y = mg.sum(mg.sin(x))
        jv = inner.jvp(y)
    np.testing.assert_allclose(float(jv), np.sum(np.cos(xs) * vs), rtol=1e-13)
    np.testing.assert_allclose(float(outer.jvp(jv)), np.sum(-np.sin(xs) * vs ** 2), rtol=1e-13)
