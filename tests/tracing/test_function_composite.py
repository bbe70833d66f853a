"""A traced function called under a recording tape: one op, its VJP a compiled program.

Every result is compared with the same code run eagerly, bit for bit, on every backend.
"""

import numpy as np
import pytest

import multigrad as mg


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def on(backend, *arrays):
    return [mg.to_backend(np.asarray(a, dtype=np.float64), backend) for a in arrays]


def dense(W, b):
    def layer(x):
        return mg.tanh(mg.matmul(W, x) + b) ** 2
    return layer


def gradients(fn, x, sources):
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = mg.reduce_sum(fn(x) * 3.0)
    return [y] + tape.gradient(y, [x, *sources])


def test_first_order_replays_and_matches_eager(backend):
    W = mg.Variable(on(backend, [[1.0, -2.0, 0.5], [0.3, 0.8, -1.1]])[0])
    b = mg.Variable(on(backend, [0.1, -0.2])[0])
    eager = dense(W, b)
    traced = mg.function(eager)
    for seed in range(3):
        x, = on(backend, np.random.default_rng(seed).standard_normal(3))
        for got, want in zip(gradients(traced, x, [W, b]), gradients(eager, x, [W, b])):
            assert same(got.numpy(), want.numpy())
    assert traced.experimental_get_tracing_count() == 1
    assert "_backward" in traced._joint[next(iter(traced._joint))][0].source


def test_one_op_on_the_outer_tape(backend):
    traced = mg.function(lambda x: mg.exp(mg.sin(x) * x + 1.0))
    x, = on(backend, [0.2, 0.7])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = traced(x)
    assert len(tape._entries) == 1
    want = np.exp(np.sin([0.2, 0.7]) * [0.2, 0.7] + 1.0) * \
        (np.cos([0.2, 0.7]) * [0.2, 0.7] + np.sin([0.2, 0.7]))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), want, rtol=1e-14)


def test_second_order_through_a_traced_call(backend):
    W = mg.Variable(on(backend, [[1.0, 2.0], [3.0, 4.0]])[0])
    eager = dense(W, mg.constant(0.0, dtype=mg.float64))
    traced = mg.function(eager)
    results = []
    for fn in (traced, eager):
        x, = on(backend, [0.5, -0.3])
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as inner:
                inner.watch(x)
                y = mg.reduce_sum(fn(x))
            g = inner.gradient(y, x)
            s = mg.reduce_sum(g * g)
        results.append([g.numpy(), *[t.numpy() for t in outer.gradient(s, [x, W])]])
    for got, want in zip(*results):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_jacobian_through_a_traced_call(backend):
    traced = mg.function(lambda x: mg.sin(x) * mg.reduce_sum(x * x))
    x, = on(backend, [0.3, -0.4, 1.2])
    jacobians = []
    for fn in (traced, traced.python_function):
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        jacobians.append(tape.jacobian(y, x).numpy())
    np.testing.assert_allclose(*jacobians, rtol=1e-14)


def test_variables_written_inside_are_written_once_per_call(backend):
    count = mg.Variable(mg.to_backend(np.float64(0.0), backend))
    w = mg.Variable(on(backend, [1.0, 2.0])[0])

    @mg.function
    def f(x):
        count.assign_add(1.0)
        return mg.reduce_sum(w * x)

    grads = []
    for _ in range(3):
        x, = on(backend, [3.0, 4.0])
        with mg.GradientTape() as tape:
            y = f(x)
        grads.append(tape.gradient(y, w).numpy())
    assert float(count.numpy()) == 3.0
    for g in grads:
        np.testing.assert_array_equal(g, [3.0, 4.0])


def test_integer_outputs_and_unconnected_arguments(backend):
    @mg.function
    def f(x, n, unused):
        return mg.reduce_sum(x * x), mg.cast(mg.reduce_sum(n), mg.int64), n * 2

    x, unused = on(backend, [1.0, 2.0], [5.0])
    n = mg.to_backend(np.array([1, 2]), backend)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch([x, unused])
        s, total, doubled = f(x, n, unused)
    assert int(total.numpy()) == 3 and doubled.numpy().tolist() == [2, 4]
    np.testing.assert_array_equal(tape.gradient(s, x).numpy(), [2.0, 4.0])
    assert tape.gradient(s, unused) is None


def test_a_trace_that_creates_variables_runs_eagerly_under_the_tape(backend):
    opt = mg.optimizers.Adam(0.1)
    w = mg.Variable(on(backend, [1.0, -1.0])[0])

    @mg.function
    def step(x):
        with mg.GradientTape() as inner:
            loss = mg.reduce_sum((w * x) ** 2)
        opt.apply_gradients(zip(inner.gradient(loss, [w]), [w]))
        return loss

    x, = on(backend, [0.5, 2.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        loss = step(x)
    assert int(opt.iterations) == 1
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), [1.0, 4.0])   # 2 w^2 x


@pytest.mark.parametrize("persistent", [True, False])
def test_gradient_twice_from_a_persistent_tape_reuses_the_residuals(backend, persistent):
    traced = mg.function(lambda x: mg.exp(x) * x)
    x, = on(backend, [0.1, 0.2])
    with mg.GradientTape(persistent=persistent) as tape:
        tape.watch(x)
        y = traced(x)
    first = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(first, np.exp([0.1, 0.2]) * (1 + np.array([0.1, 0.2])),
                               rtol=1e-14)
    if persistent:
        assert same(tape.gradient(y, x).numpy(), first)
