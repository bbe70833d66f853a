"""@mg.custom_gradient and mg.recompute_grad: TF's contract, higher order, what is recorded."""

import numpy as np
import pytest

import multigrad as mg


def on(backend, a, dtype="float64"):
    return mg.to_backend(np.asarray(a, dtype=dtype), backend)


@mg.custom_gradient
def log1pexp(x):
    e = mg.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))
    return mg.log(1 + e), grad


@mg.custom_gradient
def clip_gradient_norm(x):
    def grad(upstream):
        norm = mg.sqrt(mg.sum(upstream * upstream))
        return upstream * mg.minimum(1.0, 2.0 / norm)
    return mg.identity(x), grad


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# np.errstate is thread-local: Dask computes in its own threads, where NumPy warns anyway.
@pytest.mark.filterwarnings("ignore:overflow encountered in exp:RuntimeWarning")
def test_log1pexp_is_stable_where_the_plain_formula_is_not(backend):
    x = mg.to_backend(np.array([0.0, 100.0], dtype=np.float32), backend)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with np.errstate(over="ignore", invalid="ignore"):   # exp(100) overflows float32
            custom = log1pexp(x)
            plain = mg.log(1 + mg.exp(x))
    with np.errstate(over="ignore", invalid="ignore"):
        plain_grad = tape.gradient(plain, x).numpy()
    assert np.isnan(plain_grad[1])
    g = tape.gradient(custom, x)
    assert g.dtype == mg.float32
    np.testing.assert_array_equal(g.numpy(), [0.5, 1.0])


def test_ops_inside_are_not_recorded_only_one_entry(backend):
    x = on(backend, [0.3, -0.2])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert len(tape._entries) == 1
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), sigmoid(np.array([0.3, -0.2])))


def test_second_order_through_custom_gradient(backend):
    xs = np.array([-2.0, 0.0, 3.0])
    x = on(backend, xs)
    with mg.GradientTape() as outer:
        outer.watch(x)
        with mg.GradientTape() as inner:
            inner.watch(x)
            y = log1pexp(x)
        g = inner.gradient(y, x)
    np.testing.assert_allclose(g.numpy(), sigmoid(xs), rtol=1e-12)
    s = sigmoid(xs)
    np.testing.assert_allclose(outer.gradient(g, x).numpy(), s * (1 - s), rtol=1e-12)
    h = mg.hessian(lambda v: mg.sum(log1pexp(v)))(x)
    np.testing.assert_allclose(h.numpy(), np.diag(s * (1 - s)), rtol=1e-12)


def test_clip_gradient_norm(backend):
    c = np.array([3.0, 4.0])                       # norm 5 > 2: scaled to norm 2
    x = on(backend, [1.0, 1.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.sum(clip_gradient_norm(x) * on(backend, c))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), c * 2 / 5, rtol=1e-13)
    small = np.array([0.3, 0.4])                   # norm 0.5 < 2: unchanged
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.sum(clip_gradient_norm(x) * on(backend, small))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), small, rtol=1e-13)


def test_jacobian_through_custom_gradient(backend):
    xs = np.array([-1.0, 0.5])
    x = on(backend, xs)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), np.diag(sigmoid(xs)), rtol=1e-12)


def test_variables_read_inside_get_gradients_from_grad_fn(backend):
    w = mg.Variable(on(backend, [2.0, -1.0]), name="w")

    @mg.custom_gradient
    def scaled(x):
        def grad(upstream, variables=None):
            assert len(variables) == 1 and variables[0] is w
            return upstream * w * 10.0, [upstream * x]     # dx scaled by 10 to tell apart
        return x * w, grad

    x = on(backend, [3.0, 4.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.sum(scaled(x))
    gx, gw = tape.gradient(y, [x, w])
    np.testing.assert_allclose(gx.numpy(), [20.0, -10.0])
    np.testing.assert_allclose(gw.numpy(), [3.0, 4.0])


def test_grad_fn_without_variables_keyword_is_an_error(backend):
    w = mg.Variable(on(backend, [2.0]))

    @mg.custom_gradient
    def bad(x):
        return x * w, lambda upstream: upstream * w

    with mg.GradientTape() as tape:
        with pytest.raises(TypeError, match="reads trainable Variables, so its grad_fn must "
                                            "accept a keyword argument 'variables'"):
            bad(on(backend, [1.0]))


def test_wrong_number_or_shape_of_gradients(backend):
    @mg.custom_gradient
    def two_inputs(x, y):
        return x * y, lambda upstream: upstream        # one gradient for two inputs

    @mg.custom_gradient
    def wrong_shape(x):
        return mg.sum(x), lambda upstream: upstream    # scalar for a (2,) input

    x = on(backend, [1.0, 2.0])
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = two_inputs(x, x)
        b = wrong_shape(x)
    with pytest.raises(ValueError, match=r"returned 1 gradient\(s\) but the function takes 2"):
        tape.gradient(a, x)
    with pytest.raises(ValueError, match=r"has shape \(\) but its input has shape \(2,\)"):
        tape.gradient(b, x)
    with pytest.raises(TypeError, match="must return a pair \\(y, grad_fn\\)"):
        mg.custom_gradient(lambda x: x)(x)


def test_multiple_outputs_and_no_tape(backend):
    @mg.custom_gradient
    def both(x):
        def grad(g1, g2):
            return g1 * 2.0 + g2 * 3.0
        return (x * 2.0, x * 3.0), grad

    x = on(backend, [1.0])
    y1, y2 = both(x)                                   # no tape: just the values
    assert float(y1) == 2.0 and float(y2) == 3.0
    with mg.GradientTape() as tape:
        tape.watch(x)
        y1, y2 = both(x)
        total = y1 * 5.0 + y2
    np.testing.assert_allclose(tape.gradient(total, x).numpy(), [13.0])


# --- recompute_grad ------------------------------------------------------------------

def test_recompute_grad_matches_plain_gradient_and_saves_nothing(backend):
    rng = np.random.default_rng(0)
    W = mg.Variable(on(backend, rng.standard_normal((3, 4))), name="W")

    def block(x):
        return mg.tanh(mg.matmul(mg.sin(x), W))

    checkpointed = mg.recompute_grad(block)
    x = on(backend, rng.standard_normal((2, 3)))
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = checkpointed(x)
    assert len(tape._entries) == 1
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = checkpointed(x)
        loss = mg.sum(y * y)
    gx, gw = tape.gradient(loss, [x, W])
    with mg.GradientTape() as tape:
        tape.watch(x)
        loss_plain = mg.sum(block(x) * block(x))
    px, pw = tape.gradient(loss_plain, [x, W])
    np.testing.assert_allclose(float(loss), float(loss_plain), rtol=1e-14)
    np.testing.assert_allclose(gx.numpy(), px.numpy(), rtol=1e-12)
    np.testing.assert_allclose(gw.numpy(), pw.numpy(), rtol=1e-12)


def test_recompute_grad_second_order(backend):
    f = mg.recompute_grad(lambda x: mg.sin(x) * x)
    x = on(backend, [0.4, 1.5])
    h = mg.hessian(lambda v: mg.sum(f(v)))(x)
    xs = np.array([0.4, 1.5])
    np.testing.assert_allclose(h.numpy(), np.diag(2 * np.cos(xs) - xs * np.sin(xs)), rtol=1e-12)


def test_forward_mode_through_custom_gradient_and_recompute_grad(backend):
    xs, vs = np.array([0.3, -1.2]), np.array([1.0, 0.5])
    x, v = on(backend, xs), on(backend, vs)
    _, jv = mg.jvp(log1pexp, (x,), (v,))
    np.testing.assert_allclose(jv.numpy(), sigmoid(xs) * vs, rtol=1e-12)
    _, jv = mg.jvp(mg.recompute_grad(lambda t: mg.sin(t) * t), (x,), (v,))
    np.testing.assert_allclose(jv.numpy(), (np.cos(xs) * xs + np.sin(xs)) * vs, rtol=1e-12)


def test_a_trainable_variable_argument_is_an_input_not_a_captured_variable(backend):
    # TF excludes the function's own inputs from the captured variables: grad_fn without
    # 'variables' is fine, and the argument gets grad_fn's input gradient (only once).
    v = mg.Variable(on(backend, [0.5, -1.0]))
    with mg.GradientTape(persistent=True) as tape:
        y = mg.sum(log1pexp(v))
        z = mg.sum(log1pexp(v * 2.0)) + mg.sum(log1pexp(v))
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), sigmoid(np.array([0.5, -1.0])),
                               rtol=1e-12)
    xs = np.array([0.5, -1.0])
    np.testing.assert_allclose(tape.gradient(z, v).numpy(), 2 * sigmoid(2 * xs) + sigmoid(xs),
                               rtol=1e-12)


def test_variable_argument_next_to_a_captured_variable_with_second_order(backend):
    w = mg.Variable(on(backend, 1.5), name="w")

    @mg.custom_gradient
    def scaled_cube(x):
        def grad(upstream, variables=None):
            assert [var.name for var in variables] == ["w:0"]      # x is not among them
            return upstream * 3 * w * x * x, [mg.sum(upstream * x ** 3)]
        return w * x ** 3, grad

    v = mg.Variable(on(backend, [0.5, -2.0]), name="v")
    with mg.GradientTape() as outer:
        with mg.GradientTape() as inner:
            y = mg.sum(scaled_cube(v))
        gv, gw = inner.gradient(y, [v, w])
    xs = np.array([0.5, -2.0])
    np.testing.assert_allclose(gv.numpy(), 3 * 1.5 * xs ** 2, rtol=1e-12)
    np.testing.assert_allclose(float(gw), np.sum(xs ** 3), rtol=1e-12)
    np.testing.assert_allclose(outer.gradient(gv, v).numpy(), 6 * 1.5 * xs, rtol=1e-12)


def test_recompute_grad_with_variable_argument_and_captured_variable(backend):
    w = mg.Variable(on(backend, [2.0, -1.0]))
    v = mg.Variable(on(backend, [0.3, 0.7]))
    f = lambda x: mg.sum(mg.sin(x * w) * x)          # noqa: E731
    grads = []
    for fn in (mg.recompute_grad(f), f):
        with mg.GradientTape() as tape:
            y = fn(v)
        grads.append([g.numpy() for g in tape.gradient(y, [v, w])])
    for got, plain in zip(*grads):
        np.testing.assert_allclose(got, plain, rtol=1e-13)


def test_public_names_stay_functions_after_every_submodule_loads():
    # A fresh interpreter: importing a submodule binds its name on the package, which
    # shadowed the lazily loaded function of the same name (mg.custom_gradient, mg.compute).
    import subprocess
    import sys
    code = ("import importlib, pkgutil, types, multigrad as mg\n"
            "mg.recompute_grad\n"
            "for m in pkgutil.walk_packages(mg.__path__, 'multigrad.'):\n"
            "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
            "lazy = [n for n in mg._LAZY_ATTRIBUTES]\n"
            "print([n for n in lazy if isinstance(getattr(mg, n), types.ModuleType)])\n"
            "print(callable(mg.custom_gradient), callable(mg.compute))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True True"]
