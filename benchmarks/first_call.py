"""First-call cost of ``mg.function``: tracing (+ compiling, with jit_compile=True).

``python -m benchmarks.first_call [--workloads W1,W5,W7]``: for each workload and column,
a fresh process (one thread) builds the step and times its first two calls (the first
traces; with jit_compile=True the second is where Numba compiles, or loads its cache) and
then one steady call. jit_compile=True runs twice: "cold" with an empty kernel cache
(``MULTIGRAD_JIT_CACHE`` pointed at a new folder) and "warm" with the cache the cold run
left. Prints a Markdown table; nothing is asserted.
"""

import argparse
import json
import subprocess
import sys
import tempfile

from . import config
from .report import fmt_time

_CHILD = """
import json, sys, time
from benchmarks import config, data
from benchmarks.columns import multigrad_ as M
M.prepare("function")
w, variant = sys.argv[1], sys.argv[2]
d = data.inputs(w, config.SIZES["full"])
case = M.build(w, d, variant)
times = []
for _ in range(3):
    t = time.perf_counter()
    case.sync(case.step())
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""


def _run(workload, variant, cache):
    env = config.worker_env()
    env["MULTIGRAD_JIT_CACHE"] = cache
    out = subprocess.run([sys.executable, "-c", _CHILD, workload, variant], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.first_call")
    p.add_argument("--workloads", default="W1,W5,W7")
    args = p.parse_args(argv)
    print("| workload | column | first call (trace) | second call | steady call |")
    print("|---|---|---|---|---|")
    for w in args.workloads.split(","):
        with tempfile.TemporaryDirectory() as cache:
            runs = [("mg.function", "function"), ("jit_compile=True, cold cache", "jit"),
                    ("jit_compile=True, warm cache", "jit")]
            for name, variant in runs:
                first, second, steady = _run(w, variant, cache)
                print(f"| {w} | {name} | {fmt_time(first)} | {fmt_time(second)} | {fmt_time(steady)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
