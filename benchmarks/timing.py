"""Timing: warm up, calibrate a loop count, take the median of repeated samples.

Two clocks: "wall" (``perf_counter``, the default) and "cpu" (``process_time``: CPU seconds
of every thread of the process). On a machine shared with other busy processes, the CPU
clock leaves out the time the process waited for a core; it cannot see device (GPU) time.
"""

import gc
import statistics
import time

CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def _run(step, sync, loops, clock):
    """Seconds for ``loops`` calls of ``step``, device work included."""
    result = step()            # outside the clock: makes sure a pending result is settled
    sync(result)
    t0 = clock()
    for _ in range(loops):
        result = step()
    sync(result)               # async libraries: wait before reading the clock
    return clock() - t0


def measure(step, sync, warmup_s=0.2, warmup_min=3, sample_s=0.05, repeat=9, clock="wall"):
    """Median seconds per call of ``step`` and the per-call time of every sample.

    Warm-up runs at least ``warmup_min`` calls and ``warmup_s`` seconds (JIT compilation,
    caches, lazy imports). A sample runs enough calls to last ``sample_s`` (so the clock's
    resolution and the loop's own cost do not matter); the garbage collector stays on, as
    in real use, but is emptied before each sample.
    """
    read = CLOCKS[clock]
    t0, durations = time.perf_counter(), []
    while len(durations) < warmup_min or time.perf_counter() - t0 < warmup_s:
        t1 = time.perf_counter()
        sync(step())
        durations.append(time.perf_counter() - t1)
    # The later half of the warm-up: the first calls trace or compile (mg.function,
    # jax.jit, Numba), and counting them made the loop too short (one call per sample).
    per_call = statistics.median(durations[len(durations) // 2:])
    loops = max(1, int(sample_s / per_call)) if per_call > 0 else 1
    samples = []
    for _ in range(repeat):
        gc.collect()
        samples.append(_run(step, sync, loops, read) / loops)
    return statistics.median(samples), samples, loops
