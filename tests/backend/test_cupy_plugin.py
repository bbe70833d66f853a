"""The CuPy plugin without a GPU: every availability case, through fake ``cupy`` modules.

Each case runs in a fresh interpreter (the registry remembers why a backend failed), with
a fake ``cupy``/``cupyx`` package on PYTHONPATH that computes with NumPy and answers the
CUDA queries the way a real installation would in that situation.
"""

import functools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_CUPY = {
    "cupy/__init__.py": """
        import os
        if os.environ.get("FAKE_CUPY_MODE") == "broken-import":
            raise ImportError("libcudart.so.12: cannot open shared object file: "
                              "No such file or directory")
        import numpy as _np
        from numpy import *  # noqa: F401,F403 - the fake computes on the host
        from numpy import ndarray
        from . import cuda
        __version__ = "13.0.0-fake"

        def asnumpy(a):
            return _np.array(a, copy=True)
    """,
    "cupy/cuda/__init__.py": """
        from . import runtime

        class Device:
            id = 0
            mem_info = (15 * 2**30, 16 * 2**30)

            def __init__(self, id=0):
                self.id = id

            def __enter__(self):         # mg.device("/GPU:0") makes the device current
                return self

            def __exit__(self, *exc):
                return False

            def synchronize(self):
                pass

        class _Stream:
            def synchronize(self):
                pass

        def get_current_stream():
            return _Stream()
    """,
    "cupy/cuda/runtime.py": """
        import os

        class CUDARuntimeError(RuntimeError):
            pass

        def getDeviceCount():
            mode = os.environ.get("FAKE_CUPY_MODE")
            if mode == "no-driver":
                raise CUDARuntimeError("cudaErrorInsufficientDriver: CUDA driver version is "
                                       "insufficient for CUDA runtime version")
            return 0 if mode == "no-device" else 1

        def getDeviceProperties(i):
            return {"name": b"Fake GPU 9000"}
    """,
    "cupyx/__init__.py": """
        import numpy

        def scatter_add(a, index, values):
            numpy.add.at(a, index, values)
    """,
}

SCRIPT = """
import json, sys
if sys.argv[1] == "hide-cupy":
    sys.modules["cupy"] = None          # cupy not installed, even where it is
import multigrad as mg
out = {"imported_after_import": "cupy" in sys.modules}
x = mg.Variable([1.0, 2.0])
with mg.GradientTape() as t:
    y = mg.reduce_sum(x[mg.constant([0, 0, 1])] ** 2)
t.gradient(y, x)
mg.backend_names()
out["imported_after_numpy_use"] = "cupy" in sys.modules
out["row"] = {r["name"]: r for r in mg.list_backends()}["cupy"]
try:
    mg.set_backend("cupy")
except mg.BackendUnavailableError as exc:
    out["error"] = [exc.name, exc.reason, str(exc)]
else:
    x = mg.Variable([1.0, 2.0])
    with mg.GradientTape() as t:
        y = mg.reduce_sum(x[mg.constant([0, 0, 1])] ** 2)
    g = t.gradient(y, x)
    mg.get_backend().synchronize()
    out["grad"] = [g.backend.name, g.numpy().tolist()]
print(json.dumps(out))
"""


DEVICES_SCRIPT = """
import json
import multigrad as mg
out = {"gpus": [list(d) for d in mg.config.list_physical_devices("GPU")]}
with mg.device("/GPU:0"):
    out["placed_on"] = mg.constant([1.0]).backend.name
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def fake_cupy(tmp_path_factory):
    root = tmp_path_factory.mktemp("fake_cupy")
    for rel, text in FAKE_CUPY.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@functools.lru_cache(maxsize=None)
def _run(fake_root, mode, hide=False, script=SCRIPT):
    env = dict(os.environ, FAKE_CUPY_MODE=mode, PYTHONPATH=os.pathsep.join(
        [str(fake_root), str(ROOT), str(ROOT / "backends")]))
    env.pop("MULTIGRAD_BACKEND", None)
    proc = subprocess.run([sys.executable, "-c", script, "hide-cupy" if hide else "-"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_import_multigrad_never_imports_cupy(fake_cupy):
    out = _run(fake_cupy, "ok")      # an importable cupy is on the path
    assert out["imported_after_import"] is False
    assert out["imported_after_numpy_use"] is False
    assert out["row"]["available"] is True      # list_backends loads it: then it is imported


def test_cupy_not_installed(fake_cupy):
    out = _run(fake_cupy, "ok", hide=True)
    name, reason, message = out["error"]
    assert name == "cupy"
    assert reason.startswith("cupy is not installed")
    assert 'pip install "multigrad-tape[cupy]"' in reason and "cupy-cuda12x" in reason
    assert 'pip install ".[cupy-cuda13]"' in reason
    assert "cupy-cuda13x" in reason
    assert out["row"] == {"name": "cupy", "available": False, "reason": reason,
                          "version": "", "device": "",
                          "description": "CuPy on an NVIDIA GPU (CUDA)"}
    assert "backend 'cupy' is not available here" in message


def test_cupy_installed_but_driver_unusable_reports_cupys_error(fake_cupy):
    out = _run(fake_cupy, "no-driver")
    reason = out["error"][1]
    assert reason == ("cupy 13.0.0-fake is installed but no CUDA device is usable: "
                      "CUDARuntimeError: cudaErrorInsufficientDriver: CUDA driver version is "
                      "insufficient for CUDA runtime version")
    assert out["row"]["reason"] == reason and not out["row"]["available"]


def test_cupy_installed_but_no_device(fake_cupy):
    reason = _run(fake_cupy, "no-device")["error"][1]
    assert reason == ("cupy 13.0.0-fake is installed but no CUDA device was found "
                      "(cupy.cuda.runtime.getDeviceCount() returned 0)")


def test_cupy_installed_but_fails_to_import(fake_cupy):
    reason = _run(fake_cupy, "broken-import")["error"][1]
    assert reason == ("cupy is installed but failed to import: ImportError: libcudart.so.12: "
                      "cannot open shared object file: No such file or directory")


def test_cupy_available_shows_device_and_runs_the_tape(fake_cupy):
    out = _run(fake_cupy, "ok")
    row = out["row"]
    assert row["available"] and row["version"] == "13.0.0-fake"
    assert row["device"] == "cuda:0 Fake GPU 9000, 16.0 GiB (15.0 GiB free)"
    # index_add goes through the plugin's cupyx.scatter_add extra: repeats accumulate
    assert out["grad"] == ["cupy", [4.0, 4.0]]


def test_cupys_gpus_are_listed_and_placed_on(fake_cupy):
    out = _run(fake_cupy, "ok", script=DEVICES_SCRIPT)
    assert out == {"gpus": [["/physical_device:GPU:0", "GPU"]], "placed_on": "cupy"}


def test_without_a_device_no_gpu_is_listed_and_soft_placement_uses_the_cpu(fake_cupy):
    out = _run(fake_cupy, "no-device", script=DEVICES_SCRIPT)
    assert out == {"gpus": [], "placed_on": "numpy"}
