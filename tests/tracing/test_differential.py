"""Randomized differential test: random programs of 1-5 ops, on every backend.

Each program (tests/differential/) is checked against NumPy and float64 finite
differences: forward values and dtypes, reverse gradients and their dtypes, Hessian-vector
products, mg.jvp and mg.ForwardAccumulator, and tape.jacobian against stacked gradients.
CI runs a seeded, derandomized budget (CI_EXAMPLES); ``python -m pytest --fuzz N
tests/tracing/test_differential.py`` runs N fresh programs per backend. Known, unfixed failure
classes are skipped through ``differential/known.py: KNOWN_FAILURES``. On a failure
hypothesis prints the program as a few lines of mg code.
"""

import warnings

import pytest

# The test extra installs hypothesis (CI always has it); a machine without it (the lent GPU
# machine has only numpy, pluggy, pytest and CuPy) skips this module and says why.
pytest.importorskip("hypothesis", reason="the differential tester needs hypothesis: "
                    'pip install -e ".[test]"')

from hypothesis import HealthCheck, Phase, given, note, settings  # noqa: E402

from differential.generate import empty_programs, programs  # noqa: E402
from differential.runner import run_program  # noqa: E402

# Programs per backend in the seeded CI run (Dask's chunked graphs are the slowest).
CI_EXAMPLES = {"numpy": 250, "array_api_strict": 150, "dask": 10}
DEFAULT_EXAMPLES = 50


def test_random_programs_match_numpy_and_finite_differences(backend, request):
    _run_programs(backend, request, programs(), CI_EXAMPLES)


# Issue 22's generators, each with its own seeded budget: the spectral family on real and
# complex matrices, and programs with an empty axis (on Dask also cut unevenly). Every
# program also goes through the repeated-argument check and, where JAX is installed, the
# JAX oracle (skipped, with the reason, where it is not).
SPECTRAL_EXAMPLES = {"numpy": 60, "array_api_strict": 30, "dask": 4}
EMPTY_EXAMPLES = {"numpy": 40, "array_api_strict": 20, "dask": 8}


def test_spectral_family_on_real_and_complex_matrices(backend, request):
    _run_programs(backend, request, programs(dtypes=("float64", "complex128"),
                                             ops=["spectral"], max_ops=2), SPECTRAL_EXAMPLES)


def test_programs_with_empty_axes(backend, request):
    _run_programs(backend, request, empty_programs(), EMPTY_EXAMPLES)


def _run_programs(backend, request, strategy, budget):
    fuzz = request.config.getoption("fuzz", 0)
    examples, derandomize = (fuzz, False) if fuzz else (
        budget.get(backend.name, DEFAULT_EXAMPLES), True)

    # Shrinking a failing Dask program takes minutes: report it as generated.
    phases = [p for p in Phase if p is not Phase.shrink or backend.name != "dask"]

    @settings(max_examples=examples, derandomize=derandomize, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), print_blob=not derandomize,
              phases=phases)
    @given(strategy)
    def check(program):
        note(f"backend {backend.name}; program:\n{program.repro()}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = run_program(program, backend.name)
        failed = {k: v for k, v in results.items() if isinstance(v, Exception)}
        if failed:
            raise AssertionError("; ".join(f"{k}: {type(v).__name__}: {v}"
                                           for k, v in failed.items()))

    check()
