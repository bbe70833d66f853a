"""Backend selection: environment variable, set_backend, use_backend, inference, errors."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import multigrad as mg


def run_python(code, **env):
    full_env = dict(os.environ, **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full_env, timeout=120)


def test_environment_variable_is_read_at_import():
    out = run_python("import multigrad as mg; print(mg.get_backend().name)",
                     MULTIGRAD_BACKEND="numpy")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "numpy"


def test_unknown_backend_in_environment_is_a_clear_error_at_first_use():
    out = run_python("import multigrad as mg\n"
                     "try:\n    mg.constant(1.0)\n"
                     "except mg.UnknownBackendError as e:\n    print('ERR', e)",
                     MULTIGRAD_BACKEND="nosuch")
    assert out.returncode == 0, out.stderr       # import itself never fails
    assert "ERR MULTIGRAD_BACKEND='nosuch': unknown backend 'nosuch'; known backends:" \
        in out.stdout
    assert "numpy" in out.stdout


def test_unknown_backend_name_lists_known_ones():
    with pytest.raises(mg.UnknownBackendError, match=r"unknown backend 'tensorflow'; known "
                                                     r"backends: .*numpy"):
        mg.set_backend("tensorflow")
    with pytest.raises(mg.UnknownBackendError):
        with mg.use_backend("tensorflow"):
            pass
    assert issubclass(mg.UnknownBackendError, mg.BackendError)


def test_backend_must_be_named_by_a_string():
    with pytest.raises(TypeError, match="a backend is selected by name"):
        mg.set_backend(3)


def test_set_backend_changes_the_process_default():
    out = run_python("import multigrad as mg\n"
                     "b = mg.set_backend('numpy')\n"
                     "print(b.name, mg.get_backend() is b, mg.constant(1.0).backend is b)")
    assert out.stdout.split() == ["numpy", "True", "True"], out.stderr


def test_use_backend_is_context_local_across_threads(backend):
    seen = {}
    barrier = threading.Barrier(2)

    def worker(name):
        barrier.wait()
        seen[name] = mg.get_backend().name

    with mg.use_backend(backend.name):
        other = threading.Thread(target=worker, args=("thread",))
        other.start()
        barrier.wait()
        other.join()
        seen["main"] = mg.get_backend().name
    # A fresh thread starts from the process default, not from this thread's override.
    assert seen["main"] == backend.name
    assert seen["thread"] == mg.backend.select._default_name


def test_arrays_select_their_backend(backend):
    t = mg.sin(np.array([0.0, 1.0]))
    assert t.backend.name == "numpy"
    assert t.dtype == mg.float64          # NumPy arrays keep their dtype


def test_list_backends_reports_numpy(backend):
    rows = {r["name"]: r for r in mg.list_backends()}
    assert rows["numpy"]["available"] is True
    assert rows["numpy"]["version"] == np.__version__
    assert set(rows["numpy"]) >= {"name", "available", "reason", "version", "device"}


def test_command_line_backends_table():
    out = subprocess.run([sys.executable, "-m", "multigrad", "backends"], capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines()[0].split() == ["backend", "version", "device", "description", "status"]
    assert any(line.startswith("numpy") and "available" in line for line in out.splitlines())


def test_import_is_light():
    out = run_python("import sys, multigrad\n"
                     "heavy = [m for m in ('numpy', 'cupy', 'pluggy', 'torch', 'jax', "
                     "'tensorflow') if m in sys.modules]\nprint(heavy)")
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
