"""Table-driven gradient tests: one row per (op, input shapes), checked on every backend.

A row is ``Case(id, fn, shapes, domain)``; ``fn`` takes Tensors and returns a Tensor,
``shapes`` gives each input's shape, ``domain`` maps a standard-normal draw into the
op's domain (e.g. positive for log). Rows run at order 1 and 2 against float64
finite differences via ``mg.testing.check_grads``.
"""

import importlib
import pathlib

import numpy as np

import multigrad as mg
from multigrad.testing import check_grads


class Case:
    def __init__(self, id, fn, shapes, domain=None, order=2):
        self.id = id
        self.fn = fn
        self.shapes = shapes
        self.domain = domain or (lambda a: a)
        self.order = order

    def args(self, backend, seed=0):
        rng = np.random.default_rng(seed)
        return [mg.to_backend(self.domain(rng.standard_normal(s)), backend)
                for s in self.shapes]

    def __repr__(self):
        return self.id


def positive(a):
    return np.abs(a) + 0.5


def away_from_zero(a):
    return np.sign(a) * (np.abs(a) + 0.5) + (a == 0)


def unit_interval(a):
    return np.tanh(a) * 0.9


def distinct(a):
    """Values far apart, so max/min/sort are not near a tie."""
    flat = np.arange(a.size, dtype=np.float64)
    np.random.default_rng(1).shuffle(flat)
    return (flat.reshape(a.shape) - a.size / 2) * 0.7 + 0.1


def ids(cases):
    return [c.id for c in cases]


# --- the three checks every table row goes through (see tests/ops/test_ops_grad.py) -------

def check_finite_differences(case, backend):
    """First (and by default second) order against float64 finite differences."""
    check_grads(case.fn, case.args(backend), order=case.order)


def check_float32_stays_float32(case, backend):
    args = [mg.cast(a, mg.float32) for a in case.args(backend)]
    with mg.GradientTape() as tape:
        tape.watch(args)
        out = case.fn(*args)
    assert out.dtype == mg.float32
    for g in tape.gradient(out, args, unconnected_gradients="zero"):
        assert g.dtype == mg.float32


def check_batched_cotangents(case, backend):
    """tape.jacobian (one pass, batched cotangents) equals one gradient per output element."""
    args = case.args(backend)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(args)
        out = case.fn(*args)
    jacobians = tape.jacobian(out, args, unconnected_gradients="zero")
    all_rows = []
    for k in range(out.size):
        seed = np.zeros(out.size)
        seed[k] = 1.0
        all_rows.append(tape.gradient(out, args, output_gradients=mg.to_backend(
            seed.reshape(out.shape), out.backend), unconnected_gradients="zero"))
    # One pass for every row on a lazy backend (Dask); eager tensors come back as they are.
    flat = mg.compute(*jacobians, *[g for rows in all_rows for g in rows])
    jacobians, flat = flat[:len(args)], flat[len(args):]
    for k in range(out.size):
        rows = flat[k * len(args):(k + 1) * len(args)]
        for j, row, a in zip(jacobians, rows, args):
            assert j.shape == out.shape + a.shape
            got = j.numpy().reshape((out.size,) + a.shape)[k]
            np.testing.assert_allclose(got, row.numpy(), rtol=1e-12, atol=1e-12)


def table_tests(cases):
    """The three checks as parametrized pytest functions over ``cases``; a test module
    binds them to module-level ``test_*`` names so pytest collects them."""
    import pytest
    parametrize = pytest.mark.parametrize("case", cases, ids=ids(cases))

    @parametrize
    def test_gradients_match_finite_differences(backend, case):
        check_finite_differences(case, backend)

    @parametrize
    def test_float32_stays_float32(backend, case):
        check_float32_stays_float32(case, backend)

    @parametrize
    def test_jacobian_batched_pass_matches_row_by_row(backend, case):
        """Every rule handles a batch of cotangents (what makes tape.jacobian one pass)."""
        check_batched_cotangents(case, backend)

    return (test_gradients_match_finite_differences, test_float32_stays_float32,
            test_jacobian_batched_pass_matches_row_by_row)


# The dask column runs every op table in full (test_ops_grad.py and its siblings). Sweeps
# that re-run those tables only to check a backend-independent core path (Variables as
# inputs, NumPy's dispatch, Tensor methods) take every DASK_STRIDE-th row on dask, so the
# CI run stays short; numpy and array_api_strict run every row.
DASK_STRIDE = 4


def core_sweep_row(backend, cases, case):
    """Skip (with the reason) the rows a backend-independent sweep leaves out on dask."""
    if backend.name == "dask" and cases.index(case) % DASK_STRIDE:
        import pytest
        pytest.skip(f"dask: this backend-independent sweep runs every {DASK_STRIDE}th table "
                    f"row (tests/optable.py: core_sweep_row); the op itself runs in full in "
                    f"its own table")


def op_tables():
    """Every op table: the modules of ``tests/ops/`` that build their tests from their
    ``CASES`` with ``table_tests``, in file-name order (a new table joins every sweep)."""
    folder = pathlib.Path(__file__).parent / "ops"
    return [importlib.import_module(f"ops.{path.stem}")
            for path in sorted(folder.glob("test_*.py"))
            if "= table_tests(CASES)" in path.read_text()]


def table_name(table):
    """A table's short name: its file name without ``test_`` (``ops.test_fft`` -> ``fft``)."""
    return table.__name__.rpartition(".")[2][len("test_"):]
