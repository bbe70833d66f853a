"""mg.function(jit_compile=True): fused kernels (tracing/fuse.py, fused_numba.py).

On NumPy with Numba, runs of elementwise steps become one compiled loop each; results are
compared with eager within the tolerance docs/design.md ("Fused kernels") states:
``FUSED_ULPS`` ulp of the largest magnitude of the result for elementwise values, and for a
fused sum of n terms the bound n * eps * sum(|terms|). Backends that cannot fuse (and
NumPy without Numba) replay unfused, bit for bit, after one warning.
"""

import importlib.util
import re
import warnings

import numpy as np
import pytest

import multigrad as mg
from multigrad.errors import PerformanceWarning
from multigrad.tracing import fused_cupy, fusion_targets
from multigrad.tracing.fuse import FusedGroup
from multigrad.tracing.trace import Meta
from optable import core_sweep_row

from .test_function_optable import CASES, IDS, RETRACE_ON_NEW_INPUTS, ROW, _host, derivatives

HAS_NUMBA = importlib.util.find_spec("numba") is not None
FUSED_ULPS = 8


def fuses(backend):
    """Skip unless this backend fuses here (NumPy with Numba)."""
    if backend.name != "numpy":
        pytest.skip("fuses on numpy (Numba) and cupy only")
    if not HAS_NUMBA:
        pytest.skip("needs numba: pip install .[jit]")


def kernels(traced, *args):
    return (traced.program_source(*args) or "").count("fused kernel")


def assert_close_fused(got, want, what, terms=None):
    """Equal non-finite entries; finite ones within FUSED_ULPS ulp of the result's largest
    magnitude, or for a fused sum the bound n * eps * sum(|terms|)."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, what
    finite = np.isfinite(want)
    np.testing.assert_array_equal(got[~finite], want[~finite], err_msg=what)
    if not finite.any():
        return
    eps = np.finfo(want.dtype).eps
    bound = FUSED_ULPS * eps * np.abs(want[finite]).max()
    if terms is not None:
        terms = np.abs(np.asarray(terms, dtype=np.float64))
        bound = max(bound, terms.size * eps * terms.sum())
    err = np.abs(got[finite].astype(np.float64) - want[finite]).max()
    assert err <= bound, f"{what}: fused differs from eager by {err:.3g} > {bound:.3g}"


def on(backend, *arrays):
    return [mg.to_backend(np.asarray(a), backend) for a in arrays]


def value_and_grad(f):
    def vg(*xs):
        with mg.GradientTape() as tape:
            tape.watch(xs)
            y = f(*xs)
        return (y, *tape.gradient(y, xs))
    return vg


def check_fused(backend, fn, args_a, args_b, expect_kernels=1, terms=None):
    """Trace on ``args_a``, replay on ``args_b``: close to eager, with the kernels fused."""
    traced = mg.function(fn, jit_compile=True)
    traced(*args_a)
    got, want = traced(*args_b), fn(*args_b)
    for k, (g, w) in enumerate(zip(mg.core.nest.flatten(got), mg.core.nest.flatten(want))):
        assert_close_fused(g.numpy(), w.numpy(), f"output {k}",
                           terms if g.shape == () else None)
    assert traced.experimental_get_tracing_count() == 1
    found = kernels(traced, *args_b)
    assert found >= 1 if expect_kernels is None else found == expect_kernels, \
        traced.program_source(*args_b)
    return traced


def gelu_layernorm(x, b):
    h = x + b
    t = mg.tanh(0.79788 * (h + 0.044715 * h * h * h))
    g = 0.5 * h * (1.0 + t)
    d = g - mg.reduce_mean(g, axis=-1, keepdims=True)
    return mg.reduce_sum(d * mg.math.rsqrt(mg.reduce_mean(d * d, axis=-1, keepdims=True) + 1e-5))


# --- what fuses, checked against eager -------------------------------------------------------


def test_w5_is_one_loop_with_its_sum_and_gradient(backend):
    fuses(backend)
    rng = np.random.default_rng(0)
    xa, xb = rng.uniform(-2, 2, 5000), rng.uniform(-2, 2, 5000)
    fn = value_and_grad(lambda x: mg.reduce_sum(mg.tanh(x) * x))
    traced = check_fused(backend, fn, on(backend, xa), on(backend, xb),
                         terms=np.tanh(xb) * xb)
    source = traced.program_source(*on(backend, xb))
    assert "np.tanh(a0)" in source and "r0 += " in source
    # only the gradient is written out: tanh(x) and the product never exist as arrays
    assert source.count("np.empty(") == 1


def test_large_groups_run_in_tiles_of_numpy_calls(backend):
    """From TILED_FROM elements with a transcendental step: tiles of eager's own ufuncs, so
    elementwise values are eager's bits; reductions add up tile by tile."""
    fuses(backend)
    rng = np.random.default_rng(6)
    x, b = rng.standard_normal((300, 130)), rng.standard_normal(130)

    def fn(x, b):
        h = x + b
        t = mg.tanh(0.79 * (h + 0.044 * h * h * h))
        g = mg.where(h > 0.5, 0.5 * h * (1.0 + t), mg.exp(h) - 1.0)
        return g, h > 0.0, mg.reduce_sum(g * t), mg.reduce_max(g), mg.reduce_min(t)
    traced = mg.function(fn, jit_compile=True)
    traced(*on(backend, x, b))
    args = on(backend, x[::-1].copy(), b * 2)
    got, want = traced(*args), fn(*args)
    source = traced.program_source(*args)
    assert kernels(traced, *args) == 1 and "def fused_tiles(" in source, source
    for k, (g, w) in enumerate(zip(got, want)):
        if k == 2:
            assert_close_fused(g.numpy(), w.numpy(), "sum", terms=np.full(x.size, 10.0))
        else:
            np.testing.assert_array_equal(g.numpy(), w.numpy(), err_msg=f"output {k}")


def test_broadcasting_constants_and_a_row_vector(backend):
    fuses(backend)
    rng = np.random.default_rng(1)
    x, b = rng.standard_normal((8, 5)), rng.standard_normal(5)
    column = mg.to_backend(rng.standard_normal((8, 1)), backend)

    def fn(x, b):
        return (mg.exp(-mg.abs(x * column + b)) - 0.5) / (1 + mg.square(b))
    check_fused(backend, fn, on(backend, x, b), on(backend, x * 2, b - 1), expect_kernels=2)


def test_each_fusable_function_first_and_second_order(backend):
    fuses(backend)
    rng = np.random.default_rng(2)
    unary = [mg.exp, mg.math.expm1, mg.math.log1p, mg.sqrt, mg.sin, mg.cos, mg.tan, mg.sinh,
             mg.cosh, mg.tanh, mg.math.asin, mg.math.atan, mg.math.asinh, mg.math.atanh,
             mg.math.log, mg.square, mg.abs, mg.negative, mg.sign]
    for op in unary:
        def f(x):
            with mg.GradientTape() as outer:
                outer.watch(x)
                with mg.GradientTape() as inner:
                    inner.watch(x)
                    y = mg.reduce_sum(op(x * 0.5 + 0.1) * x)
                g = inner.gradient(y, x)
                gg = mg.reduce_sum(g * g)
            return y, g, outer.gradient(gg, x)
        a, b = rng.uniform(0.1, 0.9, 16), rng.uniform(0.1, 0.9, 16)
        traced = mg.function(f, jit_compile=True)
        traced(*on(backend, a))
        got, want = traced(*on(backend, b)), f(*on(backend, b))
        for k, (g, w) in enumerate(zip(got, want)):
            assert_close_fused(g.numpy(), w.numpy(), f"{op.__name__} output {k}",
                               terms=np.full(16, np.abs(w.numpy()).max() + 1))
        assert kernels(traced, *on(backend, b)) >= 1, op.__name__


def test_where_maximum_minimum_pow_and_comparisons(backend):
    fuses(backend)
    rng = np.random.default_rng(3)

    def fn(x, y):
        z = mg.where(x > y, x * y, x - y) + mg.maximum(x, 0.2) * mg.minimum(y, -0.1)
        return mg.reduce_sum(z ** 2 + mg.pow(mg.abs(z), 1.5) + mg.cast(x <= 0.0, mg.float64))
    args = [on(backend, rng.standard_normal(12), rng.standard_normal(12)) for _ in range(2)]
    traced = mg.function(value_and_grad(fn), jit_compile=True)
    traced(*args[0])
    for g, w in zip(traced(*args[1]), value_and_grad(fn)(*args[1])):
        assert_close_fused(g.numpy(), w.numpy(), "where/max/min",
                           terms=np.full(12, 100.0))
    assert kernels(traced, *args[1]) >= 1


def test_nan_inf_and_division_by_zero_as_numpy(backend):
    fuses(backend)
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -2.0, 3.0, -0.0, 0.0, 2.0])
    y = np.array([1.0, 0.0, 2.0, 0.0, np.nan, -np.inf, 0.5, 0.0, 0.0, -0.0, np.nan])

    def fn(x, y):
        return (mg.maximum(x, y), mg.minimum(x, y), x / y, mg.sign(x) * mg.sqrt(y),
                mg.math.log(y) + mg.exp(x), mg.where(x > y, x, y) * 2.0,
                mg.reduce_max(x * 2.0), mg.reduce_min(y + 1.0), mg.reduce_sum(y * 1.0))
    with np.errstate(all="ignore"):
        traced = mg.function(fn, jit_compile=True)
        traced(*on(backend, x, y))
        got, want = traced(*on(backend, x, y)), fn(*on(backend, x, y))
    for k, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_array_equal(g.numpy(), w.numpy(), err_msg=f"output {k}")
        # signed zeros too: sign(-0.0) is 0.0, a tie in maximum/minimum gives the second
        number = ~np.isnan(w.numpy())          # a NaN's sign bit means nothing
        assert np.array_equal(np.signbit(g.numpy())[number], np.signbit(w.numpy())[number]), k
    assert kernels(traced, *on(backend, x, y)) >= 1


def test_float32_stays_float32(backend):
    fuses(backend)
    x = np.random.default_rng(4).standard_normal(64).astype(np.float32)
    fn = value_and_grad(lambda x: mg.reduce_sum(mg.tanh(x * 1.5 + 0.25) * x))
    traced = check_fused(backend, fn, on(backend, x), on(backend, x[::-1].copy()),
                         terms=np.full(64, 4.0))
    assert "np.float32(" in traced.program_source(*on(backend, x))
    assert traced(*on(backend, x))[1].dtype == mg.float32


def test_mlp_chain_gelu_and_layernorm_under_an_outer_tape(backend):
    """Called while a tape records: the forward and the backward program both fuse."""
    fuses(backend)
    rng = np.random.default_rng(5)
    x, b = rng.standard_normal((16, 8)), rng.standard_normal(8)
    traced = mg.function(gelu_layernorm, jit_compile=True)
    for xs in (x, x + 1):
        X, B = on(backend, xs, b)
        with mg.GradientTape() as tape:
            tape.watch([X, B])
            y = traced(X, B)
        got = [y, *tape.gradient(y, [X, B])]
        with mg.GradientTape() as tape:
            tape.watch([X, B])
            y = gelu_layernorm(X, B)
        want = [y, *tape.gradient(y, [X, B])]
        for k, (g, w) in enumerate(zip(got, want)):
            assert_close_fused(g.numpy(), w.numpy(), f"output {k}", terms=np.full(128, 10.0))
    source = traced._joint[next(iter(traced._joint))][0].source
    assert source.count("fused kernel") >= 3, source


def test_integer_and_complex_steps_do_not_fuse(backend):
    fuses(backend)
    i = np.arange(6)
    c = np.linspace(0, 1, 6) * (1 + 2j)

    def fn(i, c):
        return (i * 3 + 1) * 2, mg.exp(c * 2.0) * c
    traced = mg.function(fn, jit_compile=True)
    traced(*on(backend, i, c))
    assert kernels(traced, *on(backend, i, c)) == 0


def test_zero_dimensional_values_do_not_fuse(backend):
    fuses(backend)
    fn = value_and_grad(lambda x: mg.tanh(x * 2.0) * x + 1.0)
    traced = mg.function(fn, jit_compile=True)
    traced(*on(backend, 0.5))
    assert kernels(traced, *on(backend, 0.5)) == 0


def test_default_replay_is_unchanged(backend):
    fn = value_and_grad(lambda x: mg.reduce_sum(mg.tanh(x) * x))
    traced = mg.function(fn)
    x = on(backend, np.linspace(-1, 1, 10))
    traced(*x)
    assert "fused" not in traced.program_source(*x)


def test_kernels_are_cached_on_disk(backend, tmp_path, monkeypatch):
    fuses(backend)
    monkeypatch.setenv("MULTIGRAD_JIT_CACHE", str(tmp_path))
    fn = value_and_grad(lambda x: mg.reduce_sum(mg.cos(x) * x * 0.123456789))
    traced = mg.function(fn, jit_compile=True)
    traced(*on(backend, np.linspace(-1, 1, 7)))      # traces: the kernel is written
    assert list(tmp_path.glob("mg_fused_*.py"))
    traced(*on(backend, np.linspace(-1, 1, 7)))      # replays: Numba compiles and caches
    assert list(tmp_path.glob("__pycache__/mg_fused_*.nbi")), "Numba's cache index is missing"


def test_on_dask_a_blockwise_group_runs_per_block(backend):
    if backend.name != "dask":
        pytest.skip("dask only")
    if not HAS_NUMBA:
        pytest.skip("needs numba: pip install .[jit]")
    rng = np.random.default_rng(8)
    x, y = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))

    def fn(x, y):
        a = mg.where(x > y, x * y, x - y) * 0.5
        b = mg.tanh(a) + mg.maximum(a, 0.1)
        return a * b, b - 1.0, mg.reduce_sum(b)
    traced = mg.function(fn, jit_compile=True)
    traced(*on(backend, x, y))
    args = on(backend, x + 1, y)
    for k, (g, w) in enumerate(zip(traced(*args), fn(*args))):
        assert_close_fused(g.numpy(), w.numpy(), f"output {k}", terms=np.full(20, 3.0))
    source = traced.program_source(*args)
    assert "map_blocks" in source and "x0.shape[1]" in source, source


# --- every op table row, fused -----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_op_table_rows_fused_match_eager(backend, case):
    """Value, first and second order, jacobian of every row under jit_compile=True, within
    the tolerance (backends that cannot fuse replay unfused: equal)."""
    if backend.name == "numpy" and not HAS_NUMBA:
        pytest.skip("needs numba: pip install .[jit]")
    core_sweep_row(backend, CASES, case)
    row, fn = ROW[id(case)], derivatives(case)
    inputs = case.args(backend, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerformanceWarning)
        traced = mg.function(fn, jit_compile=True)
        traced(*case.args(backend, seed=0))
        result = traced(*inputs)
        if row in RETRACE_ON_NEW_INPUTS:
            result = traced(*inputs)
    for (name, got), (_, want) in zip(_host(result), _host(fn(*inputs))):
        if got.dtype.kind in "fc":
            for part in (np.real, np.imag) if got.dtype.kind == "c" else (np.asarray,):
                assert_close_fused(part(got), part(want), f"{row}: {name}")
        else:
            np.testing.assert_array_equal(got, want, err_msg=f"{row}: {name}")


# --- where fusion is not available: one warning, the unfused replay ---------------------------


def test_without_a_fusing_target_it_warns_once_and_replays_unfused(backend, monkeypatch):
    monkeypatch.setattr(fusion_targets, "numba_available", lambda: False)
    monkeypatch.setattr(fusion_targets, "_warned", set())
    fn = value_and_grad(lambda x: mg.reduce_sum(mg.tanh(x) * x))
    x = on(backend, np.linspace(-1, 1, 10))
    numba_targets = ("numpy", "dask")
    expected = "needs Numba" if backend.name in numba_targets else "cannot fuse"
    with pytest.warns(PerformanceWarning, match=expected) as record:
        traced = mg.function(fn, jit_compile=True)
        got = traced(*x)
        mg.function(fn, jit_compile=True)(*x)             # a second function: no warning
    assert len(record) == 1
    if backend.name in numba_targets:
        assert 'pip install "multigrad-tape[jit]"' in str(record[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = traced(*x)
    plain = mg.function(fn)
    plain(*x)
    for g, w, p in zip(got, again, plain(*x)):
        assert g.numpy().tobytes() == w.numpy().tobytes() == p.numpy().tobytes()
    assert "fused" not in traced.program_source(*x)


def test_jit_compile_must_be_a_bool_or_none():
    with pytest.raises(TypeError, match="jit_compile must be None, True or False, not 'yes'"):
        mg.function(lambda x: x, jit_compile="yes")


# --- the CuPy kernel, generated without a GPU --------------------------------------------------


def test_cupy_kernel_source_from_the_same_group():
    group = FusedGroup((4, 3), "float64")
    group.inputs = [(1, Meta((4, 3), np.dtype("float64"), 96, np.ndarray)),
                    (2, Meta((4, 3), np.dtype("bool"), 12, np.ndarray))]
    group.steps = [(5, "tanh", [("in", 0)]), (6, "*", [("v", 5), ("const", 2)]),
                   (7, "where", [("in", 1), ("v", 6), ("const", float("nan"))]),
                   (8, "greater", [("v", 7), ("const", 0.5)])]
    group.outputs = [7, 8]
    group.reductions = [(9, "sum", ("v", 6), Meta((), np.dtype("float64"), 8, np.float64))]
    ins, outs, body = fused_cupy.kernel_parts(group)
    assert ins == "float64 x0, bool x1"
    assert outs == "float64 y0, bool y1, float64 z0"
    assert body.splitlines() == [
        "double v5 = tanh(x0);", "double v6 = (v5 * ((double)2.0));",
        "double v7 = (x1 ? v6 : ((double)__longlong_as_double(0x7ff8000000000000LL)));", "bool v8 = (v7 > ((double)0.5));",
        "y0 = v7;", "y1 = v8;", "z0 = v6;"]


def test_on_cupy_the_group_is_one_elementwise_kernel(backend):
    """Runs where a GPU is (.ci/gpu-check); skips elsewhere."""
    if backend.name != "cupy":
        pytest.skip("cupy only")
    rng = np.random.default_rng(7)
    x, b = rng.standard_normal((64, 33)), rng.standard_normal(33)

    def fn(x, b):
        with mg.GradientTape() as tape:
            tape.watch(x)
            h = mg.where(x > 0.0, x * b, mg.exp(x) - 1.0)
            y = mg.reduce_sum(mg.tanh(h) * h)
        return y, tape.gradient(y, x)
    traced = check_fused(backend, fn, on(backend, x, b), on(backend, x + 1, b),
                         expect_kernels=None, terms=np.full(x.size, 10.0))
    assert "cupy.ElementwiseKernel" in traced.program_source(*on(backend, x, b))


@pytest.mark.parametrize("name", sorted(fused_cupy.SCALAR_OPS))
def test_every_scalar_op_has_a_c_form(name):
    arity, _, c_form = fused_cupy.SCALAR_OPS[name]
    assert re.fullmatch(r"[^{}]*(\{[0-2]\}[^{}]*)+", c_form)
    assert c_form.format(*["a"] * arity)
