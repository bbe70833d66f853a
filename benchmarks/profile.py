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
    norm = filename.replace("\\", "/")
    if "/benchmarks/" in norm:
        return "benchmarks/" + norm.split("/benchmarks/", 1)[1] + " (the user's code)"
    if "/multigrad/" in norm:
        return "multigrad/" + norm.rsplit("/multigrad/", 1)[1]
    if filename.startswith("~") or filename.startswith("<"):
        return "C functions cProfile sees (isinstance, len, dict/set methods, ...)"
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


def _best_of(fn, calls, repeat=7):
    """Median over ``repeat`` runs of the seconds per call of ``fn``."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        runs.append((time.perf_counter() - t0) / calls)
    return sorted(runs)[len(runs) // 2]


def split_w1(calls):
    """W1 per op, phase by phase: forward without a tape, forward recording, gradient."""
    import numpy as np
    from .columns import floor
    multigrad_.prepare("eager", "numpy")
    mg = multigrad_.mg
    d = data.inputs("W1", config.SIZES["full"])
    ops = data.w1_op_count(d["blocks"])
    x = mg.constant(d["x"])

    def forward():
        a = x
        for _ in range(d["blocks"]):
            a = multigrad_._block(a, x)
        return mg.reduce_sum(a)

    def recorded():
        with mg.GradientTape() as tape:
            tape.watch(x)
            value = forward()
        return tape, value

    def full():
        tape, value = recorded()
        return tape.gradient(value, x)

    xs = d["x"]
    saved = floor.w1_forward(np, xs, d["blocks"])[1]
    for fn in (forward, recorded, full):
        fn()
    rows = [("floor forward", _best_of(lambda: floor.w1_forward(np, xs, d["blocks"]), calls)),
            ("floor backward", _best_of(lambda: floor.w1_backward(np, xs, saved), calls)),
            ("multigrad forward, no tape", _best_of(forward, calls)),
            ("multigrad forward, recording", _best_of(recorded, calls)),
            ("multigrad forward + gradient", _best_of(full, calls))]
    print(f"W1 phases, per op ({ops} ops per step, median of 7 x {calls} steps):")
    for name, t in rows:
        print(f"  {t / ops * 1e6:7.2f} µs  {name}")
    t = dict(rows)
    print(f"  => recording adds {(t['multigrad forward, recording'] - t['multigrad forward, no tape']) / ops * 1e6:.2f} µs/op, "
          f"the gradient call {(t['multigrad forward + gradient'] - t['multigrad forward, recording']) / ops * 1e6:.2f} µs/op")


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    p.add_argument("workload", choices=("W1", "W2", "W3", "W4a", "W4b", "W5", "W1-split"),
                   help="W1-split: W1 per op, phase by phase (no profiler)")
    p.add_argument("--tool", choices=("cprofile", "pyinstrument"), default="cprofile")
    p.add_argument("--calls", type=int, default=200)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--backend", default="numpy")
    args = p.parse_args(argv)
    if args.workload == "W1-split":
        split_w1(args.calls)
        return 0
    run(args.workload, args.tool, args.calls, args.top, args.backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
