"""Adversarial round (issues 18-22 combined): each test is a small user program that gave a
silently wrong value before its fix, checked against closed forms on every backend."""

import numpy as np
import pytest

import multigrad as mg


def _c(v):
    return mg.constant(v, dtype=mg.float64)


def test_py_function_gradient_inside_function(backend):
    # TF's py_function is differentiable in a traced function too; the trace used to see
    # its result as a constant: d/dx x^3 came back None, and (x^3)*x gave 8 for 32.
    x = _c(2.0)
    cube = mg.function(lambda x: mg.py_function(lambda t: t * t * t, [x], Tout=mg.float64))
    times = mg.function(lambda x: mg.py_function(lambda t: t * t * t, [x],
                                                 Tout=mg.float64) * x)
    for fn, value, slope in [(cube, 8.0, 12.0), (times, 16.0, 32.0)]:
        for _ in range(2):
            with mg.GradientTape() as tape:
                tape.watch(x)
                y = fn(x)
            np.testing.assert_allclose(float(y), value)
            np.testing.assert_allclose(float(tape.gradient(y, x)), slope)


def test_py_function_gradient_tape_inside_function(backend):
    @mg.function
    def grads(x, y):
        with mg.GradientTape() as tape:
            tape.watch([x, y])
            z = mg.py_function(lambda a, b: a * a * b, [x, y], Tout=mg.float64)
        return tape.gradient(z, [x, y])

    for a, b in [(2.0, 3.0), (3.0, 2.0)]:
        dx, dy = grads(_c(a), _c(b))
        np.testing.assert_allclose([float(dx), float(dy)], [2 * a * b, a * a])
    assert grads.experimental_get_tracing_count() == 1
