"""W6: the time ``import multigrad`` takes on top of ``import numpy``, in fresh processes,
and which modules it drags in (it must import neither cupy nor any peer library)."""

import json
import statistics
import subprocess
import sys

from . import config

# Modules ``import multigrad`` must not load.
FORBIDDEN = ("cupy", "torch", "jax", "jaxlib", "tensorflow", "autograd", "array_api_strict")

_PROBE = """
import json, sys, time
import numpy
t0 = time.perf_counter()
import {module}
t1 = time.perf_counter()
print(json.dumps({{"seconds": t1 - t0,
                  "loaded": sorted(m for m in {forbidden!r}
                                   if m in sys.modules and m != {module!r})}}))
"""

_NUMPY_PROBE = """
import json, time
t0 = time.perf_counter()
import numpy
print(json.dumps({"seconds": time.perf_counter() - t0, "loaded": []}))
"""


def _probe(code, env):
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        raise RuntimeError(tail)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _byte_compile(module):
    """Compile the module's sources to bytecode first, as a pip install does.

    Without it an editable checkout under PYTHONDONTWRITEBYTECODE=1 (as on these machines)
    compiles every module on every import, and W6 would time the compiler (~45 ms for
    multigrad) rather than the import (~6 ms).
    """
    import compileall
    import importlib.util
    spec = importlib.util.find_spec(module)
    for location in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(location, quiet=1)


def measure(module, repeat, env=None):
    """Median seconds to import ``module`` after numpy (fresh process each time)."""
    env = env or config.worker_env()
    if module != "numpy":
        _byte_compile(module)
    code = (_NUMPY_PROBE if module == "numpy"
            else _PROBE.format(module=module, forbidden=FORBIDDEN))
    runs = [_probe(code, env) for _ in range(repeat)]
    loaded = sorted({m for r in runs for m in r["loaded"]})
    return {"status": "ok", "time_s": statistics.median(r["seconds"] for r in runs),
            "samples": [r["seconds"] for r in runs], "loaded": loaded}
