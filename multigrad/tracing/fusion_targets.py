"""Which kernel generator a trace's backend fuses with, and the one warning when none can.

NumPy arrays fuse into Numba loops (``fused_numba.py``, ``fused_tiles.py``; needs the
``jit`` extra), CuPy arrays into CuPy kernels (``fused_cupy.py``), Dask arrays into the
Numba loop per block (``fused_dask.py``). Any other backend, or NumPy or Dask without
Numba, replays unfused: ``jit_compile=True`` then warns once per reason and process.
"""

import importlib.util
import warnings

from ..errors import PerformanceWarning
from . import fused_cupy, fused_dask, fused_numba, fused_tiles

__all__ = ["target_for", "INSTALL_HINT"]

INSTALL_HINT = ('pip install "multigrad-tape[jit]" (from a checkout: pip install ".[jit]")')

_warned = set()


def _warn_once(reason):
    if reason in _warned:
        return
    _warned.add(reason)
    warnings.warn(f"mg.function(jit_compile=True): {reason}; this function replays "
                  f"unfused (the same results as jit_compile=None).", PerformanceWarning,
                  stacklevel=2)


def numba_available():
    return importlib.util.find_spec("numba") is not None


def _cpu_build(fused):
    """Large groups in tiles of NumPy calls and Numba segments; small ones one Numba loop."""
    if fused_tiles.worth_tiling(fused):
        return fused_tiles.build(fused)
    return fused_numba.build(fused)


def target_for(trace, array_type):
    """``build(FusedGroup) -> kernel or None`` for the backend of ``array_type``, or None
    (warned)."""
    names = {backend.name for backend in trace.backends.values()
             if issubclass(array_type, tuple(backend.array_types))}
    if not names:                            # not a backend's array (a Python value)
        return None
    if names == {"numpy"}:
        if numba_available():
            return _cpu_build
        _warn_once(f"fusing on NumPy needs Numba, which is not installed: {INSTALL_HINT}")
        return None
    if names == {"cupy"}:
        return fused_cupy.build
    if names == {"dask"}:
        if numba_available():
            return fused_dask.build
        _warn_once(f"fusing on Dask needs Numba, which is not installed: {INSTALL_HINT}")
        return None
    _warn_once(f"the {', '.join(sorted(names))} backend cannot fuse kernels "
               f"(NumPy and Dask fuse with Numba, CuPy with its own kernels)")
    return None
