"""Each differentiated position of the functional API is its own source (as ``jax.grad``):
a Tensor passed twice, or passed and also captured by the function, is differentiated
only where the position says. d(a*b)/da at a = b = 3 is 3, not 6."""

import numpy as np

import multigrad as mg


def _three(backend):
    return mg.to_backend(np.array(3.0), backend)


def test_grad_of_a_tensor_in_two_positions(backend):
    a = _three(backend)
    assert float(mg.grad(lambda x, y: x * y)(a, a)) == 3.0
    ga, gb = mg.grad(lambda x, y: x * y * y, argnums=(0, 1))(a, a)
    assert (float(ga), float(gb)) == (9.0, 18.0)
    value, g = mg.value_and_grad(lambda x, y: x * y, argnums=1)(a, a)
    assert (float(value), float(g)) == (9.0, 3.0)


def test_grad_of_an_argument_also_captured_by_the_closure(backend):
    a = _three(backend)
    assert float(mg.grad(lambda x: x * a)(a)) == 3.0
    assert float(mg.grad(mg.grad(lambda x: x * x * a))(a)) == 6.0


def test_jacobian_and_hessian_of_repeated_arguments(backend):
    v = mg.to_backend(np.array([1.0, 2.0]), backend)
    jac = mg.jacobian(lambda x, y: x * y)(v, v)
    np.testing.assert_array_equal(jac.numpy(), np.diag([1.0, 2.0]))
    hess = mg.hessian(lambda x, y: mg.reduce_sum(x * x * y))(v, v)
    np.testing.assert_array_equal(hess.numpy(), np.diag([2.0, 4.0]))


def test_vjp_jvp_and_hvp_of_repeated_primals(backend):
    a = _three(backend)
    out, vjp_fn = mg.vjp(lambda x, y: x * y, a, a)
    assert [float(g) for g in vjp_fn(mg.ones_like(out))] == [3.0, 3.0]
    _, tangent = mg.jvp(lambda x, y: x * y, (a, a), (mg.ones_like(a), mg.zeros_like(a)))
    assert float(tangent) == 3.0
    hv = mg.hvp(lambda x, y: x * x * y, (a, a), (mg.ones_like(a), mg.zeros_like(a)))
    assert [float(h) for h in hv] == [6.0, 6.0]


def test_a_variable_passed_once_still_reaches_the_function(backend):
    v = mg.Variable(mg.to_backend(np.array(2.0), backend))
    seen = []

    def f(x):
        seen.append(x)
        return x * x
    assert float(mg.grad(f)(v)) == 4.0
    assert seen[0] is v
    assert float(mg.grad(lambda x, y: x * y)(v, v)) == 2.0
