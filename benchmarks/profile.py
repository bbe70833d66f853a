"""Profile one workload in multigrad: ``python -m benchmarks.profile W1 [--tool pyinstrument]``.

Runs the multigrad column's step (the same code the suite times) under cProfile (default) or
pyinstrument after a warm-up, and prints where the time goes: the functions with the most
own time, then the same grouped by multigrad module. Single-threaded like the suite.
"""

import os

from .config import THREAD_ENV

for _k, _v in THREAD_ENV.items():      # before numpy is imported
    os.environ.setdefault(_k, _v)

import argparse  # noqa: E402
import cProfile  # noqa: E402
import collections  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from . import config, data  # noqa: E402
from .columns import multigrad_  # noqa: E402


def _group(filename):
    if "multigrad" in filename:
        tail = filename.split("multigrad", 1)[1].lstrip("/\\")
        return "multigrad/" + tail
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C: numpy ufuncs, isinstance, ...)"
    if "numpy" in filename:
        return "numpy (Python layer)"
    return "other: " + os.path.basename(filename)


def run(workload, tool, calls, top, backend):
    multigrad_.prepare("eager", backend)
    d = data.inputs(workload, config.SIZES["full"])
    case = multigrad_.build(workload, d, "eager")
    for _ in range(max(3, calls // 10)):
        case.step()
    t0 = time.perf_counter()
    for _ in range(calls):
        case.step()
    per_call = (time.perf_counter() - t0) / calls
    print(f"{workload}: {per_call * 1e6:.1f} µs per step without the profiler "
          f"({calls} steps)")
    if tool == "pyinstrument":
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0001)
        profiler.start()
        for _ in range(calls):
            case.step()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        case.step()
    prof.disable()
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)
    groups = collections.Counter()
    total = 0.0
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        groups[_group(filename)] += tottime
        total += tottime
    print(f"own time by file ({calls} steps; per step under the profiler: "
          f"{total / calls * 1e6:.1f} µs)")
    for name, t in groups.most_common():
        print(f"  {t / total:6.1%}  {t / calls * 1e6:9.1f} µs/step  {name}")


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    p.add_argument("workload", choices=("W1", "W2", "W3", "W4a", "W4b", "W5"))
    p.add_argument("--tool", choices=("cprofile", "pyinstrument"), default="cprofile")
    p.add_argument("--calls", type=int, default=200)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--backend", default="numpy")
    args = p.parse_args(argv)
    run(args.workload, args.tool, args.calls, args.top, args.backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
