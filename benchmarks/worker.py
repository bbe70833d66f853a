"""One column in one fresh process: ``python -m benchmarks.worker --column NAME ...``.

The parent (``benchmarks.runner``) starts it with every thread pool pinned to one thread
(``config.THREAD_ENV``) and reads the JSON it writes to ``--out``. For each workload:
build the case, run it once, compare its outputs with the floor's (a mismatch is reported
as "wrong gradient" and never timed), then time it. ``--mode memory`` measures W5's peak
memory instead, in its own process.
"""

import argparse
import gc
import importlib
import json
import sys
import traceback

import numpy as np

from . import config, data, memory, timing
from .columns import floor


# Columns whose first call traces (eagerly) and whose later calls replay a program.
TRACED_VARIANTS = ("function", "jit")


def compare(workload, out, ref):
    """None when ``out`` matches the floor's outputs ``ref``, else a short reason."""
    rtol, atol = data.TOLERANCE[workload]
    for name in floor.COMPARED[workload]:
        if name not in out:
            return f"{name}: missing"
        got, want = np.asarray(out[name]), np.asarray(ref[name])
        if got.shape != want.shape:
            return f"{name}: shape {got.shape}, floor {want.shape}"
        if not np.all(np.isfinite(got)):
            return f"{name}: not finite"
        if not np.allclose(got.astype(np.float64), want.astype(np.float64), rtol=rtol, atol=atol):
            err = np.max(np.abs(got.astype(np.float64) - want))
            return f"{name}: max abs error {err:.3g} (rtol {rtol:g}, atol {atol:g})"
    return None


def check(module, workload, d, case):
    """Run the case once; None if its outputs are right, else the reason."""
    result = case.step()
    case.sync(result)
    return check_outputs(workload, d, case.to_numpy(result), module)


def run_timing(module, variant, workloads, size, clock="wall"):
    sizes, knobs = config.SIZES[size], dict(config.TIMING[size], clock=clock)
    results = {}
    for w in workloads:
        if w not in getattr(module, "BUILDERS", {w: None}):   # a peer without W7, say
            results[w] = {"status": "unsupported", "detail": f"no {w} in this column"}
            continue
        try:
            d = data.inputs(w, sizes)
            case = module.build(w, d, variant)
            reason = check(module, w, d, case)
            if reason:
                results[w] = {"status": "wrong gradient", "detail": reason}
                continue
            median, samples, loops = timing.measure(case.step, case.sync, **knobs)
            results[w] = {"status": "ok", "time_s": median, "samples": samples, "loops": loops}
            if w == "W1":
                results[w]["ops"] = data.w1_op_count(d["blocks"])
        except NotImplementedError as exc:
            results[w] = {"status": "unsupported", "detail": str(exc)}
        except Exception as exc:  # noqa: BLE001 - one failing cell must not lose the column
            results[w] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}",
                          "traceback": traceback.format_exc(limit=6)}
        gc.collect()
    return results


def run_memory(module, variant, size, backend):
    """W5's peak memory above the input, in this (fresh) process."""
    if backend != "cupy" and not memory.available():
        return {"W5mem": {"status": "unsupported", "detail": memory.UNAVAILABLE}}
    sizes = dict(config.SIZES[size])
    small = dict(sizes, W5_n=1000)
    case = module.build("W5", data.inputs("W5", small), variant)   # initialise the library
    case.sync(case.step())
    d = data.inputs("W5", sizes)
    case = module.build("W5", d, variant)
    if variant in TRACED_VARIANTS:
        # mg.function's first full-size call traces, running the step eagerly: the
        # measured call is a replay (what every later call costs).
        case.sync(case.step())
    input_bytes = d["x"].nbytes
    # No warm-up at full size: a library that keeps freed blocks (TensorFlow's allocator)
    # would then seem to need nothing. The measured call of jax.jit and tf.function
    # therefore includes compiling (tracing) for the full shape.
    if backend == "cupy":
        measure = lambda fn: memory.cupy_peak_above(fn, case.sync)  # noqa: E731
    else:
        measure = memory.host_peak_above

    def once():
        result = case.step()
        case.sync(result)
        return result

    result, peak, reset = measure(once)
    out = case.to_numpy(result)
    del result
    reason = check_outputs("W5", d, out, module)
    if reason:
        return {"W5mem": {"status": "wrong gradient", "detail": reason}}
    return {"W5mem": {"status": "ok", "peak_bytes": peak, "input_bytes": input_bytes,
                      "hwm_reset": reset}}


def check_outputs(workload, d, out, module):
    """None if ``out`` is right (the floor: its self-check), else the reason."""
    if module is floor:
        reason = floor.selfcheck(workload, d, out)
        if reason:
            return "floor self-check failed: " + reason
    return compare(workload, out, floor.reference(workload, d))


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    p.add_argument("--column", required=True)
    p.add_argument("--module", required=True)
    p.add_argument("--variant", default="eager")
    p.add_argument("--backend", default="numpy")
    p.add_argument("--size", default="full", choices=sorted(config.SIZES))
    p.add_argument("--workloads", default="W1,W2,W3,W4a,W4b,W5")
    p.add_argument("--mode", default="time", choices=("time", "memory"))
    p.add_argument("--clock", default="wall", choices=("wall", "cpu"))
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)

    report = {"column": args.column, "mode": args.mode}
    try:
        module = importlib.import_module(f".columns.{args.module}", __package__)
        report["info"] = module.prepare(args.variant, args.backend)
    except ImportError as exc:
        report["missing"] = f"not installed ({exc.name or exc})"
    except Exception as exc:  # noqa: BLE001
        report["missing"] = f"cannot start: {type(exc).__name__}: {exc}"
    if "missing" not in report:
        if args.mode == "memory":
            try:
                report["results"] = run_memory(module, args.variant, args.size, args.backend)
            except Exception as exc:  # noqa: BLE001
                report["results"] = {"W5mem": {"status": "error",
                                               "detail": f"{type(exc).__name__}: {exc}",
                                               "traceback": traceback.format_exc(limit=6)}}
        else:
            report["results"] = run_timing(module, args.variant,
                                           args.workloads.split(","), args.size, args.clock)
    with open(args.out, "w") as f:
        json.dump(report, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
