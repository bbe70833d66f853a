"""Each example in examples/ runs (small sizes) on every backend and prints what it promises."""

import os
import re
import subprocess
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def run_example(name, backend, *flags):
    # Dask: chunks of 64 elements per axis (not the matrix's 2): a hundred training steps
    # with 2-element chunks would schedule millions of tasks.
    env = dict(os.environ, MULTIGRAD_DASK_CHUNKS="64")
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), "--backend",
                          backend.name, *flags], capture_output=True, text=True, timeout=120,
                         env=env)
    assert out.returncode == 0, out.stderr
    assert f"backend: {backend.name}" in out.stdout
    return out.stdout


def test_walkthrough(backend):
    out = run_example("walkthrough.py", backend)
    assert "dy_dx = [[0.0], [4.0], [8.0], [12.0]]" in out
    assert "dz_dx = [[0.0], [4.0], [32.0], [108.0]]" in out
    assert "W = 1.8927366, b = 0.3451546, loss = 0.0203102" in out


def test_linear_regression_recovers_the_weights(backend):
    out = run_example("linear_regression.py", backend, "--samples", "100", "--steps", "150")
    error = float(re.search(r"max \|w - true_w\| = ([0-9.e+-]+)", out).group(1))
    assert error < 0.01


def test_mlp_classifier_learns(backend):
    out = run_example("mlp_classifier.py", backend, "--samples", "200", "--hidden", "16",
                      "--epochs", "100")
    first, last = map(float, re.search(r"loss: ([0-9.]+) -> ([0-9.]+)", out).groups())
    assert last < first / 3
    assert float(re.search(r"final accuracy: ([0-9.]+)", out).group(1)) > 0.9
    assert "[##############################] 100/100" in out       # the progress bar


def test_newton_converges_in_a_few_steps(backend):
    out = run_example("newton.py", backend, "--dim", "3")
    steps = int(re.search(r"converged in (\d+) steps", out).group(1))
    assert steps <= 8


def test_distributed_logistic_regression_learns_on_a_local_cluster():
    """The Dask example at a tiny size: 2 worker processes (loopback), 1 GiB limit each."""
    pytest.importorskip("distributed", reason="dask.distributed is not installed "
                                              '(pip install "multigrad[dask]")')
    out = subprocess.run(
        [sys.executable, os.path.join(EXAMPLES, "distributed_logistic_regression.py"),
         "--rows", "4000", "--features", "5", "--chunk-rows", "1000", "--steps", "4",
         "--workers", "2", "--memory-limit", "1GiB"],
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "in 4 chunks of 1000 rows; workers: 2, memory limit 1GiB each" in out.stdout
    first, last = map(float, re.search(r"loss: ([0-9.]+) -> ([0-9.]+)", out.stdout).groups())
    assert abs(first - 0.69315) < 1e-4 and last < first - 0.1    # log 2 at w = 0, then down
    assert float(re.search(r"cosine\(w, true_w\) = ([0-9.-]+)", out.stdout).group(1)) > 0.9
    assert "[##############################] 4/4" in out.stdout
