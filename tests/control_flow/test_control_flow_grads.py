"""Gradients through mg.cond, mg.switch_case, mg.while_loop and mg.TensorArray, eager and
inside mg.function, first and second order, against float64 finite differences."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.testing import check_grads

F64 = mg.float64


def loop(x):
    """A data-dependent trip count (3 for the inputs below) and a captured tensor."""
    _, y = mg.while_loop(lambda i, y: mg.logical_and(i < 10, mg.reduce_sum(y * y) < 30.0),
                         lambda i, y: (i + 1, mg.sin(y) * x + y * 1.5),
                         [mg.constant(0), x])
    return y


def branch(x):
    return mg.cond(mg.reduce_sum(x) > 0, lambda: mg.sin(x) * x, lambda: mg.exp(x) * 2.0)


def switch(x, k):
    return mg.switch_case(k, [lambda: x * x, lambda: mg.sin(x) * x, lambda: mg.exp(x) * x])


def array_loop(x):
    n = x.shape[0]
    ta = mg.TensorArray(F64, size=0, dynamic_size=True)
    _, ta = mg.while_loop(lambda i, ta: i < n,
                          lambda i, ta: (i + 1, ta.write(i, mg.sin(x[i]) * x[i] * x[0])),
                          [mg.constant(0), ta])
    return ta.stack()


X = [0.3, -0.2, 0.5]


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])
@pytest.mark.parametrize("fn", [loop, branch, array_loop], ids=lambda f: f.__name__)
def test_first_and_second_order_match_finite_differences(backend, fn, traced):
    f = mg.function(fn) if traced else fn
    check_grads(f, [mg.constant(X, dtype=F64)], order=2)


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])
@pytest.mark.parametrize("k", [0, 1, 2, 7])
def test_switch_case_gradients(backend, k, traced):
    f = mg.function(switch) if traced else switch
    check_grads(f, [mg.constant(X, dtype=F64), mg.constant(k)], order=2)


def test_cond_takes_the_other_branch_for_negative_sums(backend):
    check_grads(mg.function(branch), [mg.constant([-0.3, -0.2], dtype=F64)], order=2)


def inside(fn):
    """The first and second derivatives of sum(fn(x)) taken inside the traced function:
    the loop's step and its backward loop are steps of one program."""
    def derivatives(x):
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as tape:
                tape.watch(x)
                y = mg.reduce_sum(fn(x))
            g = tape.gradient(y, x)
            gs = mg.reduce_sum(g * mg.constant([1.0, 2.0, 3.0], dtype=F64))
        return y, g, outer.gradient(gs, x, unconnected_gradients="zero")
    return derivatives


@pytest.mark.parametrize("fn", [loop, branch, array_loop], ids=lambda f: f.__name__)
def test_derivatives_taken_inside_mg_function_equal_eager(backend, fn):
    eager, traced = inside(fn), mg.function(inside(fn))
    for xs in (X, [0.1, 0.2, 0.4], [-0.5, 0.1, -0.3]):
        x = mg.constant(xs, dtype=F64)
        for a, b in zip(eager(x), traced(x)):
            np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-10, atol=1e-12)


def test_gradient_function_traced_once_matches_finite_differences(backend):
    """The traced gradient (a loop and its backward loop in one program) is itself
    differentiated against finite differences: second order through the traced step."""
    def grad_of_loop(x):
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = mg.reduce_sum(loop(x))
        return tape.gradient(y, x)
    traced = mg.function(grad_of_loop)
    check_grads(traced, [mg.constant(X, dtype=F64)], order=1)


def test_power_loop_closed_form_at_every_trip_count_traced_once(backend):
    @mg.function
    def derivatives(x, n):
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as tape:
                tape.watch(x)
                _, y = mg.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, y * x),
                                     [mg.constant(0), mg.constant(1.0, dtype=F64)])
            g = tape.gradient(y, x)
        return y, g, outer.gradient(g, x, unconnected_gradients="zero")

    x = 1.3
    for n in range(6):
        y, g, h = derivatives(mg.constant(x, dtype=F64), mg.constant(n))
        np.testing.assert_allclose([y.numpy(), g.numpy(), h.numpy()],
                                   [x ** n, n * x ** max(n - 1, 0) if n else 0.0,
                                    n * (n - 1) * x ** max(n - 2, 0) if n > 1 else 0.0],
                                   rtol=1e-12)
    assert derivatives.experimental_get_tracing_count() == 1


def test_variable_read_in_a_traced_loop_gets_its_gradient(backend):
    w = mg.Variable([0.5, -0.4], dtype=F64)

    def step(x):
        with mg.GradientTape() as tape:
            _, y = mg.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, mg.tanh(y * w)),
                                 [mg.constant(0), x])
            loss = mg.reduce_sum(y)
        return tape.gradient(loss, w)

    x = mg.constant([0.7, 0.2], dtype=F64)
    np.testing.assert_allclose(mg.function(step)(x).numpy(), step(x).numpy(), rtol=1e-12)


@pytest.mark.parametrize("fn", [loop, branch, array_loop], ids=lambda f: f.__name__)
def test_jacobian_inside_mg_function_equals_eager(backend, fn):
    """A jacobian's batched cotangent reaches the step's VJP with unbatched zeros for the
    outputs it does not touch (a loop's counter, its history)."""
    def jacobian(x):
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        return tape.jacobian(y, x)

    x = mg.constant(X, dtype=F64)
    np.testing.assert_allclose(mg.function(jacobian)(x).numpy(), jacobian(x).numpy(),
                               rtol=1e-12, atol=1e-14)


def scanned(x):
    return mg.scan(lambda a, e: mg.sin(a) * e + a, x, initializer=x[0] * 0.5, reverse=False)


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])
def test_scan_and_foldr_gradients(backend, traced):
    def folded(x):
        return mg.foldr(lambda a, e: a * e + mg.cos(e), x)
    for fn in (scanned, folded):
        check_grads(mg.function(fn) if traced else fn, [mg.constant(X, dtype=F64)], order=2)
