"""The walkthrough programs users try first, with their exact values."""

import numpy as np
import pytest

import multigrad as mg


def test_matmul_gradient_walkthrough(backend):
    x = mg.reshape(mg.Variable(range(4), dtype=mg.float32), (4, 1))
    with mg.GradientTape() as t:
        t.watch(x)
        y = 2 * mg.matmul(mg.transpose(x), x)
    dy_dx = t.gradient(y, x)
    assert isinstance(dy_dx, mg.Tensor)
    assert dy_dx.shape == (4, 1) and dy_dx.dtype == mg.float32
    assert dy_dx.backend.name == backend.name
    np.testing.assert_array_equal(dy_dx.numpy(), [[0.], [4.], [8.], [12.]])


def test_persistent_tape_inside_context_works_and_warns(backend):
    x = mg.reshape(mg.Variable(range(4), dtype=mg.float32), (4, 1))
    with mg.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        z = y * y
        with pytest.warns(mg.PerformanceWarning, match="persistent tape inside its context"):
            dz_dx = g.gradient(z, x)
        with pytest.warns(mg.PerformanceWarning):
            dy_dx = g.gradient(y, x)
    np.testing.assert_array_equal(dz_dx.numpy(), [[0.], [4.], [32.], [108.]])
    np.testing.assert_array_equal(dy_dx.numpy(), [[0.], [2.], [4.], [6.]])


def test_linear_regression_walkthrough(backend):
    W = mg.Variable(1.0)
    b = mg.Variable(1.0)

    def model(x):
        return W * x + b

    def loss(p, y):
        return mg.reduce_mean(mg.square(p - y))

    for _ in range(100):
        for x, y in zip([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]):
            with mg.GradientTape() as t:
                current = loss(model(x), y)
            dW, db = t.gradient(current, [W, b])
            W.assign_sub(0.01 * dW)
            b.assign_sub(0.01 * db)
    assert W.dtype == mg.float32 and b.dtype == mg.float32
    np.testing.assert_allclose(W.numpy(), 1.8927366, rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), 0.3451546, rtol=1e-6)
    final = loss(model(mg.constant([1.0, 2.0, 3.0, 4.0])), mg.constant([2.0, 4.0, 6.0, 8.0]))
    np.testing.assert_allclose(final.numpy(), 0.0203102, rtol=1e-5)


def test_gradient_through_python_control_flow(backend):
    def f(x):
        out = x
        if float(mg.reduce_sum(x)) > 0:      # if on a value
            out = out * 3.0
        for _ in range(2):                   # for
            out = mg.sin(out)
        while float(mg.reduce_max(mg.abs(out))) > 0.5:   # while on a value
            out = out * 0.5
        return mg.reduce_sum(out)

    x = mg.constant([0.3, 0.1], dtype=mg.float64)
    with mg.GradientTape() as t:
        t.watch(x)
        y = f(x)
    g = t.gradient(y, x).numpy()
    # The same path written out: 3x -> sin -> sin -> halved k times.
    inner = np.sin(np.sin(3 * x.numpy()))
    k = 0
    while np.max(np.abs(inner * 0.5 ** k)) > 0.5:
        k += 1
    expected = 0.5 ** k * np.cos(np.sin(3 * x.numpy())) * np.cos(3 * x.numpy()) * 3
    np.testing.assert_allclose(g, expected, rtol=1e-12)


def test_demo_prints_walkthrough_values():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "multigrad", "demo"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert "dy_dx = [[0.0], [4.0], [8.0], [12.0]]  (shape (4, 1), float32)" in out
    assert "dz_dx = [[0.0], [4.0], [32.0], [108.0]]" in out
    assert "dy_dx = [[0.0], [2.0], [4.0], [6.0]]" in out
    assert "W = 1.8927366, b = 0.3451546, loss = 0.0203102" in out
