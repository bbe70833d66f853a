"""mg.function's signature model (issue 18): every argument kind, captured state and replay
compared with eager (or TF's error) on every backend."""

import collections
import dataclasses
import gc
import warnings
import weakref

import numpy as np
import pytest

import multigrad as mg
from multigrad.errors import PerformanceWarning
from multigrad.tracing.program import Retrace


def host(t):
    return np.asarray(t.numpy() if isinstance(t, mg.Tensor) else t)


def same(a, b):
    a, b = host(a), host(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def both(fn):
    """(eager, traced) versions of one Python function."""
    return fn, mg.function(fn)


# --- 1. keyword arguments in any order ----------------------------------------------------

def test_keywords_out_of_order_are_not_swapped(backend):
    eager, traced = both(lambda a, b: a - 2.0 * b)
    x, y = mg.constant([1.0, 2.0]), mg.constant([10.0, 20.0])
    for _ in range(3):
        assert same(traced(b=y, a=x), eager(b=y, a=x))
        assert same(traced(a=x, b=y), eager(a=x, b=y))
        assert same(traced(x, b=y), eager(x, b=y))


def test_loss_called_with_keywords(backend):
    def bce(y_true, y_pred):
        p = mg.clip_by_value(y_pred, 1e-7, 1 - 1e-7)
        return -mg.reduce_mean(y_true * mg.math.log(p) + (1 - y_true) * mg.math.log(1 - p))
    traced = mg.function(bce)
    t, p = mg.constant([1.0, 0.0, 1.0]), mg.constant([0.9, 0.2, 0.6])
    for _ in range(3):
        assert same(traced(y_true=t, y_pred=p), bce(y_true=t, y_pred=p))


# --- 2. NumPy arrays are inputs -------------------------------------------------------------

def test_numpy_buffer_refilled_in_place(backend):
    eager, traced = both(lambda x: mg.reduce_sum(x * x))
    buf = np.zeros(4, dtype=np.float32)
    for i in range(5):
        buf[:] = np.arange(4) + i
        assert same(traced(buf), eager(buf))
    assert traced.experimental_get_tracing_count() == 1


def test_fresh_numpy_arrays_never_get_another_arrays_result(backend):
    eager, traced = both(lambda x: mg.reduce_sum(x))
    for i in range(30):
        a = np.full(3, float(i))
        assert same(traced(a), eager(a))
        del a
    assert traced.experimental_get_tracing_count() == 1


def test_numpy_and_tensor_arguments_share_a_trace(backend):
    traced = mg.function(lambda x: x + 1.0)
    traced(np.ones(2, dtype=np.float32))
    assert same(traced(mg.ones([2])), np.full(2, 2.0, np.float32))
    assert traced.experimental_get_tracing_count() == 1


def test_numpy_training_loop_learns_the_data(backend):
    W, b = mg.Variable(0.0), mg.Variable(0.0)

    @mg.function
    def step(x, y):
        with mg.GradientTape() as tape:
            loss = mg.reduce_mean(mg.square(W * x + b - y))
        dW, db = tape.gradient(loss, [W, b])
        W.assign_sub(0.1 * dW)
        b.assign_sub(0.1 * db)
        return loss
    rng = np.random.default_rng(0)
    xb, yb = np.zeros(16, np.float32), np.zeros(16, np.float32)
    for _ in range(300):
        xb[:] = rng.uniform(-1, 1, 16)
        yb[:] = 3 * xb + 2
        step(xb, yb)
    assert abs(float(W) - 3.0) < 1e-2 and abs(float(b) - 2.0) < 1e-2


# --- 3. other objects ------------------------------------------------------------------------

@dataclasses.dataclass
class Config:
    x: object
    scale: float


@pytest.mark.filterwarnings("ignore:mg.function:multigrad.PerformanceWarning")  # retraces, on purpose
def test_mutable_dataclass_fields_are_read_on_every_call(backend):
    eager, traced = both(lambda c: c.x * c.scale)
    for i in range(6):
        c = Config(mg.constant([1.0, 2.0]) * i, 2.0)
        assert same(traced(c), eager(c))
        c.x = mg.constant([5.0, 6.0])
        assert same(traced(c), eager(c))
        c.scale = 3.0 + i
        assert same(traced(c), eager(c))


class Unhashable:
    __hash__ = None


def test_unhashable_argument_raises_a_clear_type_error(backend):
    traced = mg.function(lambda x, o: x)
    with pytest.raises(TypeError, match="Unhashable is not hashable"):
        traced(mg.ones([1]), Unhashable())
    with pytest.raises(TypeError, match="set is not hashable"):
        traced(mg.ones([1]), {1, 2})


def test_objects_are_keyed_by_themselves_and_kept(backend):
    class Scale:
        def __init__(self, k):
            self.k = k
    eager, traced = both(lambda x, s: x * s.k)
    for k in range(5):                      # new objects, maybe at a freed address
        assert same(traced(mg.ones([2]), Scale(float(k))), eager(mg.ones([2]), Scale(float(k))))


# --- 4. structures by exact type -----------------------------------------------------------

class Pair(tuple):
    """A tuple subclass that is not a namedtuple."""


def test_tuple_subclass_holding_tensors(backend):
    eager, traced = both(lambda p, q: p[0] * 100 + p[1] + q)
    for i in range(3):
        p = Pair([mg.constant(3.0 + i), mg.constant(4.0)])
        q = mg.constant(float(i))
        assert same(traced(p, q), eager(p, q))


def test_defaultdict_argument(backend):
    eager, traced = both(lambda d: d["a"] * 2.0 + d["b"])
    for i in range(3):
        d = collections.defaultdict(int, {"b": mg.constant(1.0), "a": mg.constant(float(i))})
        assert same(traced(d), eager(d))


def test_namedtuple_and_nested_dict(backend):
    P = collections.namedtuple("P", "u v")
    eager, traced = both(lambda s: s["p"].u - s["p"].v * s["k"][0])
    for i in range(3):
        s = {"k": [mg.constant(2.0)], "p": P(mg.constant(float(i)), mg.constant(5.0))}
        assert same(traced(s), eager(s))


# --- 5. state read at trace time -------------------------------------------------------------

def test_learning_rate_changed_after_tracing(backend):
    def run(traced):
        W = mg.Variable([1.0, 2.0])
        opt = mg.optimizers.SGD(0.1)

        def step():
            with mg.GradientTape() as tape:
                loss = mg.reduce_sum(W * W)
            opt.apply_gradients(zip(tape.gradient(loss, [W]), [W]))
        fn = mg.function(step) if traced else step
        out = []
        for i in range(6):
            if i == 3:
                opt.learning_rate = 0.0
            if i == 5:
                opt.learning_rate = 0.05
            fn()
            out.append(W.numpy().copy())
        return out, fn
    (traced, fn), (eager, _) = run(True), run(False)
    for a, b in zip(traced, eager):
        assert same(a, b)
    assert fn.experimental_get_tracing_count() == 2      # an input: no trace per value


@pytest.mark.parametrize("kind", ["normal_mean", "uniform_maxval", "uniform_shape"])
def test_random_with_tensor_arguments(backend, kind):
    def draw(t, n):
        if kind == "normal_mean":
            return mg.random.normal([3], mean=t, seed=5)
        if kind == "uniform_maxval":
            return mg.random.uniform([3], maxval=t, seed=5)
        return mg.random.uniform([n], seed=5)
    traced = mg.function(draw)
    results = {}
    for mode, fn in (("eager", draw), ("traced", traced)):
        mg.random.set_seed(1)
        results[mode] = [fn(mg.constant(10.0 * (i + 1)), mg.constant(i + 1)) for i in range(4)]
    for a, b in zip(results["eager"], results["traced"]):
        assert same(a, b)


def test_closed_over_numpy_array_is_captured_by_value(backend):
    """TF captures a closure's NumPy array as a constant at trace time (documented in
    design.md): later in-place changes are not seen, all of them (never a mix)."""
    data = np.arange(40000, dtype=np.float32)       # large: not folded into the program
    small = np.arange(3, dtype=np.float32)
    raw = np.arange(3, dtype=np.float32)       # an op's NumPy operand selects numpy
    direct = (lambda x: mg.multiply(x, raw)) if backend.name == "numpy" else (lambda x: 0.0)
    traced = mg.function(lambda x: mg.reduce_sum(mg.constant(data) * x) + mg.constant(small)
                         + direct(x))
    first = traced(mg.constant(1.0)).numpy()
    data[:] = 0
    small[:] = 0
    raw[:] = 0
    assert same(traced(mg.constant(1.0)), first)


# --- 6. mg.load into a traced training step ----------------------------------------------------

def test_restore_into_a_traced_training_step(backend, tmp_path):
    def run(traced):
        W = mg.Variable([1.0, -2.0])
        opt = mg.optimizers.Adam(0.1)

        def step():
            with mg.GradientTape() as tape:
                loss = mg.reduce_sum(mg.square(W - 3.0))
            opt.apply_gradients(zip(tape.gradient(loss, [W]), [W]))
            return loss
        fn = mg.function(step) if traced else step
        losses = [fn().numpy() for _ in range(3)]
        path = tmp_path / f"ckpt{traced}.npz"
        mg.save(path, W=W, opt=opt)
        losses += [fn().numpy() for _ in range(3)]
        mg.load(path, W=W, opt=opt)
        losses += [fn().numpy() for _ in range(3)]
        return losses
    eager, traced = run(False), run(True)
    for a, b in zip(eager, traced):
        assert same(a, b)
    assert same(traced[3], traced[6])       # bit-identical resume


# --- 7. exceptions while tracing are control flow -------------------------------------------

def safe_inverse(m):
    try:
        return mg.linalg.inv(m)
    except Exception:
        return mg.zeros_like(m)


def test_try_except_traced_on_a_singular_matrix(backend):
    if backend.name == "dask":
        pytest.skip("dask's inv does not raise on a singular matrix")
    traced = mg.function(safe_inverse)
    singular, regular = mg.constant([[1.0, 2.0], [2.0, 4.0]]), mg.constant([[1.0, 0.0], [0.0, 2.0]])
    for m in (singular, regular, singular, regular):
        assert same(traced(m), safe_inverse(m))


def test_try_except_traced_on_a_regular_matrix_first(backend):
    if backend.name == "dask":
        pytest.skip("dask's inv does not raise on a singular matrix")
    traced = mg.function(safe_inverse)
    singular, regular = mg.constant([[1.0, 2.0], [2.0, 4.0]]), mg.constant([[1.0, 0.0], [0.0, 2.0]])
    for m in (regular, singular, regular, singular):
        assert same(traced(m), safe_inverse(m))


def test_replay_that_raises_keeps_the_earlier_assign(backend):
    if backend.name == "dask":
        pytest.skip("dask's inv does not raise on a singular matrix")
    v = mg.Variable(0.0)

    @mg.function
    def f(m):
        v.assign_add(1.0)
        return mg.linalg.inv(m)
    f(mg.constant([[1.0, 0.0], [0.0, 2.0]]))
    with pytest.raises(Exception):
        f(mg.constant([[1.0, 2.0], [2.0, 4.0]]))
    assert float(v) == 2.0                          # eager: 2 (the assign ran, then inv raised)


# --- 8. signed zeros ---------------------------------------------------------------------------

def test_times_zero_and_times_minus_zero_are_two_steps(backend):
    def f(x):
        return mg.math.atan2(x * 0.0, -1.0 + 0 * x) + 10 * mg.math.atan2(x * -0.0, -1.0 + 0 * x)
    traced = mg.function(f)
    x = mg.constant([1.0, 2.0])
    for _ in range(2):
        assert same(traced(x), f(x))


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")     # 1 / -0.0, on purpose
def test_zero_and_minus_zero_arguments_are_two_keys(backend):
    eager, traced = both(lambda x, c: 1.0 / (x * 0.0 + c))
    x = mg.constant([1.0])
    for c in (0.0, -0.0, 0.0, -0.0):
        assert same(traced(x, c), eager(x, c))
    assert traced.experimental_get_tracing_count() == 2


# --- 9. conversions copy the caller's array ------------------------------------------------

@pytest.mark.parametrize("make", ["constant", "convert_to_tensor", "Variable", "assign"])
def test_conversions_copy_the_callers_numpy_array(backend, make):
    a = np.ones(3, dtype=np.float32)
    if make == "assign":
        t = mg.Variable(np.zeros(3, dtype=np.float32))
        t.assign(a)
    else:
        t = getattr(mg, make)(a)
    a[:] = 9
    assert same(t, np.ones(3, dtype=np.float32))


# --- promises: random streams, tapes, counts ---------------------------------------------------

def test_random_draws_as_eager_when_a_guard_fails(backend):
    def f(x):
        noise = mg.random.normal([2], seed=3)
        if float(mg.reduce_sum(x)) > 0:               # a guard after the draw
            return x + noise
        return x - noise
    traced = mg.function(f)
    xs = [mg.constant([1.0, 1.0]) * s for s in (1, -1, -1, 1, 1, -1, 1)]
    out = {}
    for mode, fn in (("eager", f), ("traced", traced)):
        mg.random.set_seed(7)
        out[mode] = [fn(x) for x in xs]
    for a, b in zip(out["eager"], out["traced"]):
        assert same(a, b)


def test_random_draws_once_per_call_under_a_tape(backend):
    def f(x):
        return x * mg.random.uniform([2], seed=4)
    traced = mg.function(f)
    out = {}
    for mode, fn in (("eager", f), ("traced", traced)):
        mg.random.set_seed(2)
        vals = []
        for _ in range(3):
            x = mg.constant([1.0, 2.0])
            with mg.GradientTape() as tape:
                tape.watch(x)
                y = fn(x)
            vals += [y, tape.gradient(y, x)]
        out[mode] = vals
    for a, b in zip(out["eager"], out["traced"]):
        assert same(a, b)


def test_tracing_count_under_a_tape(backend):
    traced = mg.function(lambda x: x * x)
    for _ in range(3):
        x = mg.constant(2.0)
        with mg.GradientTape() as tape:
            tape.watch(x)
            traced(x)
    assert traced.experimental_get_tracing_count() == 1


def test_methods_do_not_keep_instances_alive(backend):
    class Model:
        def __init__(self, k):
            self.k = k

        @mg.function
        def __call__(self, x):
            return x * self.k
    refs = []
    for k in range(5):
        m = Model(float(k))
        assert same(m(mg.constant(2.0)), mg.constant(2.0 * k))
        refs.append(weakref.ref(m))
        del m
    gc.collect()
    assert all(r() is None for r in refs)


def test_methods_trace_per_instance(backend):
    class Model:
        def __init__(self, k):
            self.k = k

        @mg.function
        def f(self, x):
            return x * self.k
    a, b = Model(2.0), Model(3.0)
    assert same(a.f(mg.constant(1.0)), mg.constant(2.0))
    assert same(b.f(mg.constant(1.0)), mg.constant(3.0))
    assert same(a.f(mg.constant(1.0)), mg.constant(2.0))


def test_retracing_warnings_are_rate_limited(backend):
    traced = mg.function(lambda x: x + 1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in range(1, 40):
            traced(mg.ones([n]))
    found = [w for w in caught if issubclass(w.category, PerformanceWarning)]
    assert 1 <= len(found) <= 2
    assert "shapes of the Tensor arguments changed" in str(found[0].message)


# --- resource traps ------------------------------------------------------------------------

def test_gather_index_check_is_one_guard_not_one_per_batch(backend):
    E = mg.Variable(np.arange(20.0).reshape(10, 2))
    eager = lambda ids: mg.reduce_sum(mg.gather(E, ids)) + mg.reduce_sum(E[ids])  # noqa: E731
    traced = mg.function(eager)
    rng = np.random.default_rng(0)
    for _ in range(12):
        ids = mg.constant(rng.integers(0, 10, 4))
        assert same(traced(ids), eager(ids))
    assert traced.experimental_get_tracing_count() == 1
    with pytest.raises(IndexError, match="index 12 is out of bounds for axis 0 with size 10"):
        traced(mg.constant([0, 12, 1, 2]))


def test_stateless_random_with_a_tensor_seed_traces_once(backend):
    eager = lambda s: mg.random.stateless_normal([3], seed=s)  # noqa: E731
    traced = mg.function(eager)
    for i in range(5):
        s = mg.constant([i, 7])
        assert same(traced(s), eager(s))
    assert traced.experimental_get_tracing_count() == 1


def test_random_draw_keeps_its_backend_after_set_backend(backend):
    traced = mg.function(lambda x: (x, mg.random.normal([2], seed=1)))
    x = mg.constant([0.0, 0.0])
    traced(x)
    other = "numpy" if backend.name != "numpy" else "array_api_strict"
    with mg.use_backend(other):
        _, r = traced(x)
    assert r.backend is backend and isinstance(r._value, backend.array_types)


def test_mask_in_the_backward_half_under_a_tape_traces_once(backend):
    def f(x):
        return mg.reduce_sum(x[x > 0] ** 2)
    traced = mg.function(f)
    for i in range(4):
        x = mg.constant(np.linspace(-1, 1, 5) + i * 0.1)
        grads = []
        for fn in (f, traced):
            with mg.GradientTape() as tape:
                tape.watch(x)
                y = fn(x)
            grads.append((y, tape.gradient(y, x)))
        assert same(grads[0][0], grads[1][0]) and same(grads[0][1], grads[1][1])
    assert traced.experimental_get_tracing_count() == 1


def test_guards_are_dispatched_by_value_not_tried_in_turn(backend):
    def f(x, n):
        s = x
        for _ in range(int(n)):
            s = s + x
        return s
    traced = mg.function(f)
    x = mg.constant(1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerformanceWarning)
        for k in range(30):
            assert same(traced(x, mg.constant(k)), f(x, mg.constant(k)))
    (table,) = traced._cache.values()
    assert len(table.programs) == 30
    assert len(table.after(table.programs[0], Retrace(5))) == 1   # not 29 to try
    for k in (5, 17, 5, 29):
        assert same(traced(x, mg.constant(k)), f(x, mg.constant(k)))
    assert traced.experimental_get_tracing_count() == 30


def test_a_learning_rate_schedule_does_not_trace_per_step(backend):
    def run(traced):
        W = mg.Variable([1.0, 2.0])
        opt = mg.optimizers.SGD(lambda step: 0.1 / (1.0 + step))

        def step():
            with mg.GradientTape() as tape:
                loss = mg.reduce_sum(W * W)
            opt.apply_gradients(zip(tape.gradient(loss, [W]), [W]))
        fn = mg.function(step) if traced else step
        out = []
        for _ in range(10):
            fn()
            out.append(W.numpy().copy())
        return out, fn
    (eager, _), (traced, fn) = run(False), run(True)
    for a, b in zip(eager, traced):
        assert same(a, b)
    assert fn.experimental_get_tracing_count() == 2     # the first creates the counter


def test_replay_with_another_memory_layout_equals_eager(backend):
    def f(x, y):
        return mg.reduce_sum(mg.tanh(x) * 3.0 + y * x)
    traced = mg.function(f)
    rng = np.random.default_rng(0)
    first = rng.standard_normal((64, 129)).astype(np.float32)
    traced(mg.constant(first), mg.constant(first))           # traced on C order
    for i in range(8 if backend.name != "dask" else 2):
        a, b = (rng.standard_normal((64, 129)).astype(np.float32) for _ in range(2))
        x = mg.constant(np.asfortranarray(a))
        y = mg.constant(b if i % 2 else np.asfortranarray(b))
        sliced = mg.constant(np.concatenate([a, a], axis=1))[:, ::2]   # strided
        assert same(traced(x, y), f(x, y))
        assert same(traced(sliced, y), f(sliced, y))


def test_methods_of_instances_without_weak_references(backend):
    class Slotted:
        __slots__ = ("k",)

        def __init__(self, k):
            self.k = k

        @mg.function
        def f(self, x):
            return x * self.k
    for k in (2.0, 3.0):
        assert same(Slotted(k).f(mg.constant(1.0)), mg.constant(k))


def test_variable_arguments_are_state_not_inputs(backend):
    v = mg.Variable([1.0, 2.0])

    @mg.function
    def bump(var, x):
        var.assign_add(x)
        return var * 2.0
    for _ in range(3):
        bump(v, mg.constant([1.0, 1.0]))
    assert same(v, mg.constant([4.0, 5.0]))


def test_residual_folded_into_a_constant_under_a_tape(backend):
    def f(x):
        return mg.reduce_sum(mg.split(x, 2)[0] * mg.split(x, 2)[1])
    traced = mg.function(f)
    for _ in range(2):
        x = mg.constant([1.0, 2.0, 3.0, 4.0])
        results = []
        for fn in (f, traced):
            with mg.GradientTape() as tape:
                tape.watch(x)
                y = fn(x)
            results.append((y, tape.gradient(y, x)))
        assert same(results[0][0], results[1][0]) and same(results[0][1], results[1][1])
