"""The Dask backend plugin for multigrad: chunked, lazy, out-of-core, on a cluster.

Tensors hold ``dask.array.Array`` values. Every op and every VJP rule only adds tasks to
the graph (except that a boolean mask, and the input of ``nonzero``, is computed when it is
used, so that sizes are known); nothing else runs until a value is asked for
(``Tensor.numpy()``, ``float(t)``, or ``mg.compute(*tensors)``, which evaluates several
results that share one graph in a single pass, e.g. ``loss, *grads = mg.compute(loss,
*grads)``). Whatever Dask scheduler
is active runs that pass: the local threaded scheduler by default, a
``dask.distributed.Client`` once one exists.

Importing this module does not import dask: ``load()`` does, when the backend is first
used. Install with ``pip install "multigrad-tape[dask]"`` (from a checkout: ``pip install ".[dask]"``).

Chunks. Data converted to this backend (``mg.constant``, ``mg.Variable``, creation
functions) is cut into chunks of ``chunks`` (Dask's ``chunks=`` argument: ``"auto"``, an
int per axis, a tuple ...), set with ``configure(chunks=...)`` or the environment variable
``MULTIGRAD_DASK_CHUNKS`` (read when the backend loads; ``auto`` or an int). With an int,
``max_chunks`` (``MULTIGRAD_DASK_MAX_CHUNKS``) caps the chunks per axis: a longer axis gets
proportionally longer chunks, so small chunks for testing do not turn a large array into
thousands of tasks. Arrays that are already Dask arrays keep their chunks.

Chunk type. Blocks are NumPy arrays by default. With ``configure(chunk_type="cupy")``
(or ``MULTIGRAD_DASK_CHUNK_TYPE=cupy``) every array the backend creates holds CuPy blocks,
so that Dask arrays of CuPy blocks passed in (``da.from_array(cupy_array)``,
``x.map_blocks(cupy.asarray)``) never meet NumPy blocks in one task; ``.numpy()`` copies
them to the host.
"""

import os

import functools
import importlib.util

import multigrad
from multigrad.errors import install_hint
from multigrad.hookspecs import hookimpl

NAME = "dask"
CHUNKS_ENV = "MULTIGRAD_DASK_CHUNKS"
CHUNK_TYPE_ENV = "MULTIGRAD_DASK_CHUNK_TYPE"
MAX_CHUNKS_ENV = "MULTIGRAD_DASK_MAX_CHUNKS"
INSTALL_HINT = f'dask is not installed: {install_hint("dask")} (dask[array,distributed])'

__all__ = ["NAME", "configure", "distributed_problem", "load", "multigrad_backends"]


def _parse_chunks(text, source):
    text = text.strip()
    if text in ("", "auto"):
        return "auto"
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{source}={text!r}: expected 'auto' or a positive int "
                         f"(elements per axis in each chunk)") from None
    if value < 1:
        raise ValueError(f"{source}={text!r}: the chunk size must be a positive int")
    return value


class _Settings:
    chunks = "auto"
    chunk_type = "numpy"
    max_chunks = None          # chunks per axis at most (with an int ``chunks``)

    def chunks_for(self, shape):
        """Dask's ``chunks=`` for a new array of ``shape``."""
        size, cap = self.chunks, self.max_chunks
        if cap is None or not isinstance(size, int) or isinstance(size, bool):
            return size
        return tuple(max(size, -(-int(n) // cap)) for n in shape)


_settings = _Settings()


def configure(chunks=None, chunk_type=None, max_chunks=None):
    """Set how the dask backend chunks the arrays it creates; returns the settings in effect.

    chunks:      Dask's ``chunks=`` for data converted to this backend: ``"auto"`` (the
                 default), an int (elements per axis), or anything ``dask.array.from_array``
                 accepts.
    chunk_type:  ``"numpy"`` (default) or ``"cupy"``: the array type of the blocks.
    max_chunks:  with an int ``chunks``, at most this many chunks per axis (a positive int;
                 ``0`` removes the cap).
    """
    if max_chunks is not None:
        if isinstance(max_chunks, bool) or not isinstance(max_chunks, int) or max_chunks < 0:
            raise ValueError(f"configure(max_chunks={max_chunks!r}): expected a positive int, "
                             f"or 0 for no cap")
        _settings.max_chunks = max_chunks or None
    if chunks is not None:
        if isinstance(chunks, str):
            chunks = _parse_chunks(chunks, "configure(chunks)")
        elif isinstance(chunks, bool) or (isinstance(chunks, int) and chunks < 1):
            raise ValueError(f"configure(chunks={chunks!r}): expected 'auto', a positive int "
                             f"or a Dask chunks specification")
        _settings.chunks = chunks
    if chunk_type is not None:
        if chunk_type not in ("numpy", "cupy"):
            raise ValueError(f"configure(chunk_type={chunk_type!r}): expected 'numpy' or 'cupy'")
        _settings.chunk_type = chunk_type
    return {"chunks": _settings.chunks, "chunk_type": _settings.chunk_type,
            "max_chunks": _settings.max_chunks}


def _import_dask():
    try:
        import dask
        import dask.array as da
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == "dask":
            raise multigrad.BackendUnavailableError(NAME, INSTALL_HINT) from None
        raise multigrad.BackendUnavailableError(
            NAME, f"dask is installed but dask.array failed to import ({exc}); install the "
                  f'array extra: pip install "dask[array]"') from exc
    except Exception as exc:  # noqa: BLE001 - a broken installation, reported precisely
        raise multigrad.BackendUnavailableError(
            NAME, f"dask is installed but failed to import: {type(exc).__name__}: {exc}") from exc
    return dask, da


def load():
    dask, da = _import_dask()
    from ._namespace import DaskNamespace

    env_chunks = os.environ.get(CHUNKS_ENV)
    if env_chunks is not None and _settings.chunks == "auto":
        _settings.chunks = _parse_chunks(env_chunks, CHUNKS_ENV)
    env_cap = os.environ.get(MAX_CHUNKS_ENV, "").strip()
    if env_cap and _settings.max_chunks is None:
        _settings.max_chunks = _parse_chunks(env_cap, MAX_CHUNKS_ENV)
    env_type = os.environ.get(CHUNK_TYPE_ENV, "").strip()
    if env_type:
        configure(chunk_type=env_type)
    xp = DaskNamespace(da, _settings)
    return multigrad.Backend(
        NAME, xp, (da.Array,),
        version=dask.__version__, device="cpu (dask; the active scheduler runs the graph)",
        to_numpy=xp.to_numpy, from_numpy=xp.from_host,
        extras=xp.extras(), lazy=True, canonical=xp.canonical, fusion="numba_blocks")


@hookimpl
def multigrad_backends():
    return [multigrad.BackendSpec(NAME, load, array_modules=("dask",),
                                  description="Dask arrays: chunked, lazy, out of core, "
                                              "on any Dask scheduler")]


@functools.cache
def distributed_problem():
    """None when ``dask.distributed`` imports, else why not: not installed, or installed but
    broken (a ``distributed`` release that does not match the installed dask fails at import)."""
    if importlib.util.find_spec("distributed") is None:
        return f"dask.distributed is not installed: {install_hint('dask')}"
    try:
        import distributed  # noqa: F401 - the import is the check
    except Exception as exc:  # noqa: BLE001 - any failure makes it unusable; say which
        return (f"dask.distributed is installed but broken ({type(exc).__name__}: {exc}); "
                f"install a matching dask and distributed: {install_hint('dask')}")
    return None


@hookimpl
def multigrad_diagnostics():
    if importlib.util.find_spec("dask") is None:
        return []
    problem = distributed_problem()
    if problem is None:
        import distributed
        return [f"dask.distributed {distributed.__version__}: ok"]
    return [problem]
