"""Peak memory of one call, above what is resident before it (Linux /proc, or CuPy's pool).

Host: the process's resident set. ``reset_peak`` writes 5 to /proc/self/clear_refs, which
resets VmHWM to the current VmRSS (Linux >= 4.0); where that is refused, the measurement
still holds as long as nothing earlier in the process peaked higher, which is why every
measurement runs in a fresh subprocess. ru_maxrss cannot be reset, hence /proc.
Device (CuPy): a memory hook counts the bytes handed out by CuPy's pool.
"""

import gc
import os

UNAVAILABLE = "peak memory needs Linux's /proc/self/status (VmRSS, VmHWM)"


def available():
    return os.path.exists("/proc/self/status")


def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def rss_bytes():
    return _status_kib("VmRSS") * 1024


def hwm_bytes():
    return _status_kib("VmHWM") * 1024


def reset_peak():
    """True if the kernel reset the high-water mark to the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def host_peak_above(fn):
    """(result of fn(), peak resident bytes during it above the resident bytes before it)."""
    gc.collect()
    reset = reset_peak()
    before = rss_bytes()
    result = fn()
    peak = hwm_bytes()
    return result, max(0, peak - before), reset


def cupy_peak_above(fn, sync):
    """(result, peak bytes handed out by CuPy's memory pool during fn() above before)."""
    import cupy

    class PeakHook(cupy.cuda.MemoryHook):
        name = "multigrad-bench-peak"

        def __init__(self):
            self.live = 0
            self.peak = 0

        def malloc_postprocess(self, **kw):
            self.live += kw["mem_size"]
            self.peak = max(self.peak, self.live)

        def free_postprocess(self, **kw):
            self.live -= kw["mem_size"]

    gc.collect()
    sync(None)
    hook = PeakHook()
    with hook:
        result = fn()
        sync(result)
    return result, hook.peak, True
