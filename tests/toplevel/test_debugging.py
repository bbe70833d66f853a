"""mg.debugging: NaN/Inf checks in the forward and backward passes, and the env variable."""

import os
import subprocess
import sys

import numpy as np
import pytest

import multigrad as mg


@pytest.fixture
def check_numerics():
    mg.debugging.enable_check_numerics()
    try:
        yield
    finally:
        mg.debugging.disable_check_numerics()


def on(backend, a, dtype="float64"):
    return mg.to_backend(np.asarray(a, dtype=dtype), backend)


def test_forward_pass_names_the_op_and_the_value(backend, check_numerics):
    x = on(backend, [1.0, 0.0])
    y = mg.exp(x)                                      # fine
    with np.errstate(divide="ignore"), pytest.raises(
            mg.debugging.NumericsError,
            match=r"mg.log produced -inf in its forward pass \(output of shape \(2,\)") as info:
        mg.log(x)
    assert isinstance(info.value, FloatingPointError)
    assert (info.value.op, info.value.pass_, info.value.kind) == ("log", "forward", "-inf")
    with np.errstate(invalid="ignore"), pytest.raises(mg.debugging.NumericsError,
                                                      match="mg.sqrt produced nan"):
        mg.sqrt(-y)


def test_backward_pass_names_the_op_and_the_input(backend, check_numerics):
    x = on(backend, [4.0, 0.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.sum(mg.sqrt(x) * 3.0)                   # finite forward: sqrt(0) = 0
    with np.errstate(divide="ignore"), pytest.raises(
            mg.debugging.NumericsError,
            match=r"the gradient of mg.sqrt with respect to its input 0 contains inf in the "
                  r"backward pass") as info:
        tape.gradient(y, x)
    assert (info.value.op, info.value.pass_, info.value.input_index) == ("sqrt", "backward", 0)


# np.errstate is thread-local: Dask computes in its own threads, where NumPy warns anyway.
@pytest.mark.filterwarnings("ignore:divide by zero encountered:RuntimeWarning")
def test_disabled_lets_nonfinite_values_through(backend):
    assert not mg.debugging.check_numerics_enabled()
    x = on(backend, [0.0])
    with mg.GradientTape() as tape:
        tape.watch(x)
        with np.errstate(divide="ignore"):
            y = mg.log(x)
    with np.errstate(divide="ignore"):
        g = tape.gradient(y, x)
    assert np.isneginf(y.numpy()[0]) and np.isposinf(g.numpy()[0])


def test_integer_ops_are_not_checked(backend, check_numerics):
    n = mg.to_backend(np.array([1, 2], dtype=np.int32), backend)
    assert (n * 2).numpy().tolist() == [2, 4]


def test_environment_variable_enables_checks_at_import():
    code = ("import multigrad as mg, numpy as np\n"
            "np.seterr(all='ignore')\n"
            "assert mg.debugging.check_numerics_enabled()\n"
            "try:\n"
            "    mg.log(mg.constant([0.0]))\n"
            "except mg.debugging.NumericsError as e:\n"
            "    print('caught:', e)\n")
    env = dict(os.environ, MULTIGRAD_CHECK_NUMERICS="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert "caught: mg.log produced -inf in its forward pass" in out
    env["MULTIGRAD_CHECK_NUMERICS"] = "0"
    off = subprocess.run([sys.executable, "-c", "import multigrad as mg; "
                          "print(mg.debugging.check_numerics_enabled())"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert off.strip() == "False"
