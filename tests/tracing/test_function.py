"""mg.function: traced once per signature, replayed bit for bit as eager."""

import threading
import warnings

import numpy as np
import pytest

import multigrad as mg
from multigrad.tracing import TracingError

XS = [1.0, 2.0, 3.0, 4.0]
YS = [2.0, 3.9, 6.1, 8.0]


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def linear_regression(traced, steps=400):
    W = mg.Variable(1.0, dtype="float32")
    b = mg.Variable(1.0, dtype="float32")

    def step(x, y):
        with mg.GradientTape() as t:
            loss = mg.reduce_mean(mg.square(W * x + b - y))
        dW, db = t.gradient(loss, [W, b])
        W.assign_sub(0.01 * dW)
        b.assign_sub(0.01 * db)
        return loss

    fn = mg.function(step) if traced else step
    pairs = [(mg.constant(x, dtype="float32"), mg.constant(y, dtype="float32"))
             for x, y in zip(XS, YS)]
    losses = [fn(*pairs[i % 4]).numpy() for i in range(steps)]
    return W.numpy(), b.numpy(), losses, fn


def test_readme_linear_regression_is_bit_identical(backend):
    steps = 400 if backend.name != "dask" else 40     # the seed's loop; Dask's steps are slow
    W0, b0, l0, _ = linear_regression(False, steps)
    W1, b1, l1, fn = linear_regression(True, steps)
    assert same(W0, W1) and same(b0, b1)
    assert all(same(x, y) for x, y in zip(l0, l1))
    assert fn.experimental_get_tracing_count() == 1


def mlp_training(traced, opt_cls=mg.optimizers.Adam, steps=30, **opt_kwargs):
    rng = np.random.default_rng(0)
    X = mg.constant(rng.normal(size=(16, 4)))
    Y = mg.constant(np.eye(3)[rng.integers(0, 3, 16)])
    params = [mg.Variable(rng.normal(size=s) * 0.5) for s in [(4, 8), (8,), (8, 3), (3,)]]
    opt = opt_cls(learning_rate=0.05, **opt_kwargs)

    def step(X, Y):
        W1, b1, W2, b2 = params
        with mg.GradientTape() as tape:
            h = mg.tanh(mg.matmul(X, W1) + b1)
            logits = mg.matmul(h, W2) + b2
            z = logits - mg.stop_gradient(mg.reduce_max(logits, axis=1, keepdims=True))
            lse = mg.log(mg.reduce_sum(mg.exp(z), axis=1, keepdims=True))
            loss = -mg.reduce_sum(Y * (z - lse)) / 16
        grads = tape.gradient(loss, params)
        opt.apply_gradients(zip(grads, params))
        return loss

    fn = mg.function(step) if traced else step
    losses = [fn(X, Y).numpy() for _ in range(steps)]
    slots = [opt.get_slot(p, name).numpy() for p in params for name in opt._slots[p._id]]
    return [p.numpy() for p in params], losses, slots, opt, fn


@pytest.mark.parametrize("opt_cls,kwargs", [
    (mg.optimizers.Adam, {}), (mg.optimizers.Adam, {"amsgrad": True}),
    (mg.optimizers.SGD, {"momentum": 0.9}), (mg.optimizers.RMSprop, {"centered": True}),
    (mg.optimizers.Adagrad, {}), (mg.optimizers.AdamW, {})])
def test_mlp_with_optimizer_is_bit_identical(backend, opt_cls, kwargs):
    steps = 30 if backend.name == "numpy" else 3        # Dask's eager steps are slow
    p0, l0, s0, opt0, _ = mlp_training(False, opt_cls, steps, **kwargs)
    p1, l1, s1, opt1, fn = mlp_training(True, opt_cls, steps, **kwargs)
    assert all(same(a, b) for a, b in zip(p0, p1))
    assert all(same(a, b) for a, b in zip(l0, l1))
    assert all(same(a, b) for a, b in zip(s0, s1))        # slots advanced as eager
    assert opt0.iterations == opt1.iterations == steps       # and the step count
    # The first trace created the slots (not kept); the second one is replayed.
    assert fn.experimental_get_tracing_count() == 2


def test_retraces_on_each_part_of_the_signature(backend):
    calls = []

    @mg.function
    def f(x, scale, options):
        calls.append(1)
        return x * scale + options["shift"]

    x32 = mg.constant([1.0, 2.0], dtype="float32")
    f(x32, 2.0, {"shift": 1.0})
    f(mg.constant([3.0, 4.0], dtype="float32"), 2.0, {"shift": 1.0})     # same signature
    assert f.experimental_get_tracing_count() == 1
    f(mg.constant([1.0, 2.0, 3.0], dtype="float32"), 2.0, {"shift": 1.0})  # shape
    assert f.experimental_get_tracing_count() == 2
    f(mg.constant([1.0, 2.0], dtype="float64"), 2.0, {"shift": 1.0})       # dtype
    assert f.experimental_get_tracing_count() == 3
    out = f(x32, 3.0, {"shift": 1.0})                                      # Python value
    assert f.experimental_get_tracing_count() == 4
    np.testing.assert_array_equal(out.numpy(), [4.0, 7.0])
    f(x32, 3.0, {"shift": 1.0, "extra": None})                             # structure
    assert f.experimental_get_tracing_count() == 5
    assert len(calls) == 5
    f(x32, 3.0, {"shift": 1.0})
    assert f.experimental_get_tracing_count() == 5


def test_variables_count_by_identity(backend):
    @mg.function
    def read(v):
        return v * 2.0

    a, b = mg.Variable([1.0]), mg.Variable([5.0])
    assert read(a).numpy()[0] == 2.0 and read(b).numpy()[0] == 10.0
    assert read.experimental_get_tracing_count() == 2
    a.assign([3.0])
    assert read(a).numpy()[0] == 6.0           # the Variable's current value, not baked
    assert read.experimental_get_tracing_count() == 2


def test_warns_after_five_retraces_naming_the_argument(backend):
    @mg.function
    def f(x, n):
        return x * n

    x = mg.constant([1.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in range(7):
            f(x, float(n))
    messages = [str(w.message) for w in caught if issubclass(w.category, mg.PerformanceWarning)]
    assert messages and "argument 'n' changed from 5.0 to 6.0" in messages[-1]


def test_guard_on_both_branches_of_an_if(backend):
    @mg.function
    def f(x):
        if mg.reduce_sum(x) > 0:
            return x * 2.0
        return x - 100.0

    pos, neg = mg.constant([1.0, 2.0]), mg.constant([-1.0, -2.0])
    np.testing.assert_array_equal(f(pos).numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(f(neg).numpy(), [-101.0, -102.0])
    assert f.experimental_get_tracing_count() == 2
    for _ in range(3):                      # both outcomes now have a program
        np.testing.assert_array_equal(f(pos).numpy(), [2.0, 4.0])
        np.testing.assert_array_equal(f(neg).numpy(), [-101.0, -102.0])
    assert f.experimental_get_tracing_count() == 2


def test_guard_on_a_while_loops_trip_count(backend):
    @mg.function
    def halve_until_small(x):
        steps = 0
        while float(mg.reduce_max(mg.abs(x))) > 1.0:
            x = x / 2.0
            steps += 1
        return x, steps

    for value, trips in [(8.0, 3), (3.0, 2), (8.0, 3), (0.5, 0), (3.0, 2)]:
        out, steps = halve_until_small(mg.constant([value]))
        assert steps == trips
        assert out.numpy()[0] == value / 2 ** trips
    assert halve_until_small.experimental_get_tracing_count() == 3


def test_variable_assigned_inside_read_outside(backend):
    v = mg.Variable([0.0, 0.0])
    counter = mg.Variable(0, dtype="int64", trainable=False)

    @mg.function
    def accumulate(x):
        v.assign_add(x)
        counter.assign_add(1)

    for i in range(5):
        accumulate(mg.constant([1.0, float(i)]))
        np.testing.assert_array_equal(v.numpy(), [i + 1.0, sum(range(i + 1))])
        assert int(counter) == i + 1
    assert accumulate.experimental_get_tracing_count() == 1
    v.assign([10.0, 10.0])                  # assigned outside: the next replay sees it
    accumulate(mg.constant([1.0, 1.0]))
    np.testing.assert_array_equal(v.numpy(), [11.0, 11.0])


def test_nested_tapes_inside_second_derivative(backend):
    @mg.function
    def second(x):
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as inner:
                inner.watch(x)
                y = mg.reduce_sum(x ** 4)
            g = inner.gradient(y, x)
            s = mg.reduce_sum(g)
        return g, outer.gradient(s, x)

    for values in ([1.0, 2.0], [3.0, -1.0]):
        g, h = second(mg.constant(values))
        x = np.array(values)
        np.testing.assert_allclose(g.numpy(), 4 * x ** 3)
        np.testing.assert_allclose(h.numpy(), 12 * x ** 2)
    assert second.experimental_get_tracing_count() == 1


def test_numpy_inside_raises_a_clear_error(backend):
    @mg.function
    def f(x):
        return x.numpy()

    with pytest.raises(TracingError, match=r"Tensor.numpy\(\) inside an mg.function"):
        f(mg.constant([1.0]))


def test_python_side_effects_happen_at_trace_time_only(backend):
    seen = []

    @mg.function
    def f(x):
        seen.append("traced")
        return x + 1.0

    for _ in range(4):
        f(mg.constant([1.0]))
    assert seen == ["traced"]


def test_threads_call_one_traced_function(backend):
    @mg.function
    def f(x):
        return mg.reduce_sum(mg.tanh(x) * x)

    inputs = [mg.constant(np.linspace(-1, 1, 5) * k) for k in range(1, 9)]
    expected = [float(mg.reduce_sum(mg.tanh(x) * x)) for x in inputs]
    results = [None] * len(inputs)
    errors = []

    def work(i):
        try:
            for _ in range(20):
                results[i] = float(f(inputs[i]))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == expected
    assert f.experimental_get_tracing_count() == 1


def test_eager_ops_in_other_threads_while_tracing(backend):
    started, release = threading.Event(), threading.Event()
    v = mg.Variable([1.0, 2.0])

    @mg.function
    def slow(x):
        started.set()
        release.wait(5)
        return x * 2.0

    out = []
    tracer = threading.Thread(target=lambda: out.append(slow(mg.constant([1.0]))))
    tracer.start()
    started.wait(5)
    eager = (mg.tanh(v) * v).numpy()          # not recorded, not proxies
    release.set()
    tracer.join()
    np.testing.assert_allclose(eager, np.tanh([1.0, 2.0]) * [1.0, 2.0])
    assert out[0].numpy()[0] == 2.0


def test_under_an_outer_tape_it_is_differentiable(backend):
    @mg.function
    def f(x):
        return mg.reduce_sum(mg.sin(x))

    x = mg.constant([0.5, 1.0])
    f(x)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), np.cos([0.5, 1.0]))


def test_outputs_keep_their_structure(backend):
    @mg.function
    def f(x):
        return {"double": x * 2.0, "pair": (x, 3), "none": None}

    for _ in range(2):
        out = f(mg.constant([1.5]))
        assert out["pair"][1] == 3 and out["none"] is None
        assert isinstance(out["double"], mg.Tensor)
        np.testing.assert_array_equal(out["double"].numpy(), [3.0])
        np.testing.assert_array_equal(out["pair"][0].numpy(), [1.5])


def test_program_frees_large_intermediates(backend):
    @mg.function
    def f(x):
        return mg.reduce_sum(mg.tanh(x) * x)

    x = mg.constant(np.linspace(0, 1, 10000))
    f(x)
    source = f.program_source(x)
    if backend.name == "numpy":
        assert "del " in source and "tanh" not in source      # resolved, not looked up


# --- found by running the op tables under mg.function (tests/tracing/test_function_optable.py) ---

def test_dask_linalg_and_fft_calls_are_recorded(backend):
    # Dask's linalg and fft are adapter objects, not modules: their calls went unrecorded,
    # so every replay returned the value computed from the trace-time input.
    def f(a):
        return mg.linalg.det(a) + mg.abs(mg.reduce_sum(mg.fft.rfft(a[0])))

    traced = mg.function(f)
    traced(mg.constant([[2.0, 1.0], [1.0, 3.0]]))
    b = mg.constant([[4.0, 1.0], [0.0, 1.0]])
    assert same(traced(b).numpy(), f(b).numpy())
    assert traced.experimental_get_tracing_count() == 1


def test_second_order_through_irfft(backend):
    # irfft's rule keeps a raw array (the bin weights) in its params; under an outer tape
    # the rule multiplies a Tensor by it, which refused the traced proxy (TypeError).
    def hessian_sum(x):
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as inner:
                inner.watch(x)
                y = mg.reduce_sum(mg.fft.irfft(mg.cast(x, mg.complex128)) ** 2)
            s = mg.reduce_sum(inner.gradient(y, x) * x)
        return outer.gradient(s, x)

    traced = mg.function(hessian_sum)
    traced(mg.constant([1.0, -1.0, 2.0, -2.0], dtype="float64"))
    x = mg.constant([1.0, 2.0, 3.0, -1.0], dtype="float64")
    assert same(traced(x).numpy(), hessian_sum(x).numpy())
    assert traced.experimental_get_tracing_count() == 1


def test_a_raw_mask_in_a_rule_is_not_read_on_the_host(backend):
    # index_update's rule holds the mask as a raw array; under an outer tape the index check
    # took the proxy for foreign data and read it on the host: a guard on every mask value
    # (a new trace for each new mask) and the mask frozen as a constant.
    def second(x):
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as inner:
                inner.watch(x)
                y = mg.reduce_sum(mg.index_update(x, x > 0, 0.0) * x * x)
            s = mg.reduce_sum(inner.gradient(y, x))
        return outer.gradient(s, x)

    traced = mg.function(second)
    for values in ([1.0, -1.0, 2.0, -2.0], [-1.0, 1.0, -2.0, 2.0], [1.0, 1.0, -3.0, 2.0]):
        x = mg.constant(values)
        assert same(traced(x).numpy(), second(x).numpy())
    assert traced.experimental_get_tracing_count() == 1


def test_a_boolean_masks_result_length_is_guarded(backend):
    # x[x > 0] has one entry per positive x; the program bakes that length in (the
    # jacobian's rows), so a replay checks it and traces again when it changed (before: a
    # broadcasting error from the backend on replay).
    def masked(x):
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = x[x > 0]
        return y * 3.0, tape.jacobian(y, x)

    traced = mg.function(masked)
    calls = [([1.0, -1.0, 2.0, -2.0], 1), ([-1.0, 5.0, -2.0, 4.0], 1),   # same length
             ([1.0, 2.0, 3.0, -1.0], 2), ([0.5, -1.0, 2.0, -2.0], 2)]     # new, then old
    for values, traces in calls:
        x = mg.constant(values)
        for got, want in zip(traced(x), masked(x)):
            assert same(got.numpy(), want.numpy())
        assert traced.experimental_get_tracing_count() == traces


@pytest.mark.parametrize("fn,first,second,traces", [
    # How many entries each branch gets is read from data.
    (lambda x: mg.piecewise(x, [x < 0], [lambda t: t * t, mg.sin]),
     ([1.0, -1.0, 2.0, -2.0],), ([1.0, 2.0, 3.0, -1.0],), 2),
    (lambda x, n: mg.repeat(x, n), ([1.0, 2.0], [1, 2]), ([1.0, 2.0], [3, 0]), 2),
    (lambda x, w: mg.pad(x, w), ([1.0, 2.0], [1, 0]), ([1.0, 2.0], [0, 2]), 2),
    (lambda x: mg.constant(x.tolist()) * 2.0, ([1.0, 2.0],), ([3.0, 4.0],), 2),
    # Whether a slice is all NaN (an error) is read from data; both inputs have a number.
    (lambda x: mg.nanargmax(x), ([1.0, float("nan")],), ([float("nan"), 2.0],), 1),
], ids=["piecewise", "repeat-tensor-counts", "pad-tensor-widths", "tolist", "nanargmax"])
def test_ops_that_read_data_on_the_host_guard_it(backend, fn, first, second, traces):
    # These ops read host values with Tensor.numpy(), which refuses inside a trace
    # (TracingError); they now read them as guards: right values, a new trace per value.
    traced = mg.function(fn)
    for args in (first, second, first):
        tensors = [mg.constant(a) for a in args]
        assert same(traced(*tensors).numpy(), fn(*tensors).numpy())
    assert traced.experimental_get_tracing_count() == traces


def test_a_tensor_made_outside_on_the_left_of_an_operator(backend):
    # A closure's constant reaches the ops as a raw array; array_api_strict's operators
    # raise TypeError on a proxy right operand (constant * traced) instead of deferring.
    c = mg.constant([1.0, 2.0, 3.0])
    m = mg.constant(np.eye(3) * 2.0)

    def f(x):
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = mg.reduce_sum(c * x - c / x + mg.matmul(m, x) * c)
        return y, tape.gradient(y, x)

    traced = mg.function(f)
    traced(mg.constant([1.0, -1.0, 2.0]))
    x = mg.constant([0.5, 3.0, -2.0])
    for got, want in zip(traced(x), f(x)):
        assert same(got.numpy(), want.numpy())
    assert traced.experimental_get_tracing_count() == 1


def test_dropping_a_product_with_ones_keeps_the_chunks(backend):
    # On Dask, x * ones takes the chunks of the ones (the seed), and the chunks decide how
    # later sums round: simplifying x * 1 to x changed this gradient in its last bits, and
    # in its cancelling (near-zero) entries in every bit.
    def gradient(a):
        with mg.GradientTape() as tape:
            tape.watch(a)
            s = (a + mg.matrix_transpose(a)) * 0.5e-3 + mg.constant(np.diag([1.0, 1.0, 2.0]))
            y = mg.linalg.eigvalsh(s)
        return tape.gradient(y, a)

    traced = mg.function(gradient)
    rng = np.random.default_rng(0)
    traced(mg.constant(rng.standard_normal((3, 3))))
    a = mg.constant(np.random.default_rng(1).standard_normal((3, 3)))
    assert same(traced(a).numpy(), gradient(a).numpy())
