"""Each example in examples/ runs (small sizes) on every backend and prints what it promises."""

import os
import re
import subprocess
import sys

import pytest
from needs import require_distributed

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "examples")


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


def run_eager_and_traced(name, backend, *flags, step, traces):
    """The example's output, after checking that ``--function`` prints the same lines (the
    same values, bit for bit as printed) and then how often the step was traced."""
    eager = run_example(name, backend, *flags)
    *lines, last = run_example(name, backend, *flags, "--function").splitlines()
    assert lines == eager.splitlines(), f"{name} --function printed other values"
    assert last == f"mg.function: {step} traced {traces} time{'' if traces == 1 else 's'}"
    return eager


def small_on_dask(backend, flags, dask_flags):
    """Dask builds and runs a graph per step: its column runs the examples at smaller sizes
    (there the check is eager == --function, and progress); the others run the sizes whose
    results the assertions pin."""
    return dask_flags if backend.name == "dask" else flags


def test_walkthrough(backend):
    epochs = small_on_dask(backend, "100", "10")
    out = run_eager_and_traced("walkthrough.py", backend, "--epochs", epochs,
                               step="train_step", traces=1)
    assert "dy_dx = [[0.0], [4.0], [8.0], [12.0]]" in out
    assert "dz_dx = [[0.0], [4.0], [32.0], [108.0]]" in out
    if epochs == "100":
        assert "W = 1.8927366, b = 0.3451546, loss = 0.0203102" in out


def test_linear_regression_recovers_the_weights(backend):
    flags = small_on_dask(backend, ("--samples", "100", "--steps", "150"),
                          ("--samples", "40", "--steps", "20"))
    # Two traces: the first step creates SGD's momentum slots (a trace that creates
    # Variables is not kept, as in tf.function).
    out = run_eager_and_traced("linear_regression.py", backend, *flags, step="train_step",
                               traces=2)
    first, last = map(float, re.search(r"loss: ([0-9.]+) -> ([0-9.]+)", out).groups())
    assert last < first / 2
    if backend.name != "dask":
        error = float(re.search(r"max \|w - true_w\| = ([0-9.e+-]+)", out).group(1))
        assert error < 0.01


def test_mlp_classifier_learns(backend):
    epochs = small_on_dask(backend, "100", "20")
    flags = small_on_dask(backend, ("--samples", "200", "--hidden", "16"),
                          ("--samples", "60", "--hidden", "8"))
    out = run_eager_and_traced("mlp_classifier.py", backend, *flags, "--epochs", epochs,
                               step="train_step", traces=2)    # Adam's slots: see above
    first, last = map(float, re.search(r"loss: ([0-9.]+) -> ([0-9.]+)", out).groups())
    assert f"[##############################] {epochs}/{epochs}" in out   # the progress bar
    if backend.name == "dask":
        assert last < first
    else:
        assert last < first / 3
        assert float(re.search(r"final accuracy: ([0-9.]+)", out).group(1)) > 0.9


def test_newton_converges_in_a_few_steps(backend):
    out = run_eager_and_traced("newton.py", backend, "--dim", "3", step="newton_step",
                               traces=1)
    steps = int(re.search(r"converged in (\d+) steps", out).group(1))
    assert steps <= 8


def test_demo_command_takes_function(capsys):
    """``python -m multigrad demo --function`` (in process): the walkthrough's values."""
    from multigrad.__main__ import main
    assert main(["demo", "--function"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == ["W = 1.8927366, b = 0.3451546, loss = 0.0203102",
                        "mg.function: train_step traced 1 time"]


def test_demo_on_an_unavailable_backend_is_one_line_and_exit_code_2(capsys):
    from multigrad.__main__ import main
    assert main(["demo", "--backend", "no_such_backend"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("multigrad demo: error: unknown backend "
                                               "'no_such_backend'; known backends: ")


@pytest.mark.parametrize("name", ["walkthrough.py", "linear_regression.py", "mlp_classifier.py",
                                  "newton.py", "distributed_logistic_regression.py"])
def test_examples_help_is_whole_and_shows_defaults(name):
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), "--help"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    description = out.split("\n\n")[1]
    assert description.rstrip().endswith("."), description       # not cut mid-sentence
    options = out.split("options:", 1)[1]
    assert "(default: " in options and "(default: None)" not in options


def test_an_example_on_an_unavailable_backend_is_one_line_and_exit_code_2():
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, "newton.py"), "--backend",
                          "no_such_backend"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [out.stderr.strip()]
    assert out.stderr.startswith("newton.py: error: unknown backend 'no_such_backend'")


def test_distributed_logistic_regression_learns_on_a_local_cluster():
    """The Dask example at a tiny size: 2 worker processes (loopback), 1 GiB limit each."""
    require_distributed()
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


def test_distributed_logistic_regression_with_function_prints_the_same():
    """--function on the Dask example: the same losses and weights as the eager run (the
    workers as threads of one process, to keep it short); only the timings differ."""
    require_distributed()
    runs = []
    for extra in ([], ["--function"]):
        out = subprocess.run(
            [sys.executable, os.path.join(EXAMPLES, "distributed_logistic_regression.py"),
             "--rows", "2000", "--features", "4", "--chunk-rows", "500", "--steps", "3",
             "--threads-only", *extra], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        runs.append(re.sub(r"[0-9.]+ s\b", "<time>", out.stdout).splitlines())
    eager, (*traced, last) = runs
    assert traced == eager
    assert last == "mg.function: train_step traced 2 times"     # SGD's step counter
