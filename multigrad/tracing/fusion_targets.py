"""Which kernel generator a trace's backend fuses with, and the one warning when none can.

Each backend says how it fuses (``Backend(fusion=...)``). NumPy arrays fuse into Numba
loops (``fused_numba.py``, ``fused_tiles.py``; needs the ``jit`` extra), CuPy arrays into CuPy kernels (``fused_cupy.py``), Dask arrays into the
Numba loop per block (``fused_dask.py``). Any other backend, or NumPy or Dask without
Numba, replays unfused: ``jit_compile=True`` then warns once per reason and process.
"""

import importlib
import importlib.util
import warnings

from ..errors import PerformanceWarning, install_hint

__all__ = ["target_for", "INSTALL_HINT"]

INSTALL_HINT = install_hint("jit")

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


def _generator(name):
    """A kernel generator module, imported when a function first fuses: they import NumPy,
    which ``mg.function`` without ``jit_compile=True`` never needs."""
    return importlib.import_module(f"{__package__}.{name}")


def _cpu_build(fused):
    """Large groups in tiles of NumPy calls and Numba segments; small ones one Numba loop."""
    tiles = _generator("fused_tiles")
    return tiles.build(fused) if tiles.worth_tiling(fused) else \
        _generator("fused_numba").build(fused)


# A backend's ``fusion`` (``Backend(fusion=...)``) -> (kernel builder, needs Numba).
_BUILDERS = {
    "numba": (_cpu_build, True),
    "numba_blocks": (lambda fused: _generator("fused_dask").build(fused), True),
    "cupy": (lambda fused: _generator("fused_cupy").build(fused), False),
}


def target_for(trace, array_type):
    """``build(FusedGroup) -> kernel or None`` for the backend of ``array_type``, or None
    (warned). The backend says how it fuses (``Backend.fusion``); the core never asks
    which library it is."""
    backends = [backend for backend in trace.backends.values()
                if issubclass(array_type, tuple(backend.array_types))]
    if not backends:                         # not a backend's array (a Python value)
        return None
    kinds = {backend.fusion for backend in backends}
    names = ", ".join(sorted(backend.name for backend in backends))
    found = _BUILDERS.get(kinds.pop()) if len(kinds) == 1 else None
    if found is None:
        _warn_once(f"the {names} backend cannot fuse kernels (it declares no "
                   f"Backend(fusion=...); NumPy and Dask fuse with Numba, CuPy with its own "
                   f"kernels)")
        return None
    build, needs_numba = found
    if needs_numba and not numba_available():
        _warn_once(f"fusing on {names} needs Numba, which is not installed: {INSTALL_HINT}")
        return None
    return build
