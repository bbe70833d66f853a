"""The CuPy backend plugin for multigrad (NVIDIA GPUs through CUDA).

Importing this module does not import cupy: the hook only describes the backend, and
``load()`` imports cupy when the backend is first selected or a CuPy array meets an op.
When it cannot run, ``load()`` raises ``BackendUnavailableError`` with the precise reason:
cupy not installed (and which wheel to install), cupy installed but unusable (CuPy's own
error text, e.g. ``cudaErrorInsufficientDriver`` or ``cudaErrorNoDevice``), or no device.

Memory: arrays are allocated from CuPy's default memory pool
(``cupy.get_default_memory_pool()``), which keeps freed blocks for reuse instead of
returning them to the driver; call ``free_all_blocks()`` on it to release them.
"""

import multigrad
from multigrad.errors import install_hint
from multigrad.hookspecs import hookimpl

NAME = "cupy"
INSTALL_HINT = (f'cupy is not installed: for CUDA 12.x {install_hint("cupy")} (the '
                f'cupy-cuda12x wheel); for CUDA 13.x {install_hint("cupy-cuda13")} '
                f'(cupy-cuda13x); pick the one matching the CUDA version nvidia-smi reports')


def _unavailable(reason):
    return multigrad.BackendUnavailableError(NAME, reason)


def _import_cupy():
    try:
        import cupy
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == "cupy":
            raise _unavailable(INSTALL_HINT) from None
        raise _unavailable(f"cupy is installed but failed to import: "
                           f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - e.g. missing CUDA libraries
        raise _unavailable(f"cupy is installed but failed to import: "
                           f"{type(exc).__name__}: {exc}") from exc
    return cupy


def _device_description(cupy):
    """'cuda:0 <name>, <total> GiB (<free> GiB free)', or raise with CuPy's own error."""
    version = getattr(cupy, "__version__", "?")
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # noqa: BLE001 - CUDARuntimeError and friends
        raise _unavailable(f"cupy {version} is installed but no CUDA device is usable: "
                           f"{type(exc).__name__}: {exc}") from exc
    if count < 1:
        raise _unavailable(f"cupy {version} is installed but no CUDA device was found "
                           f"(cupy.cuda.runtime.getDeviceCount() returned {count})")
    try:
        device = cupy.cuda.Device()
        props = cupy.cuda.runtime.getDeviceProperties(device.id)
        name = props.get("name", b"CUDA device")
        if isinstance(name, bytes):
            name = name.decode(errors="replace")
        free, total = device.mem_info
    except Exception as exc:  # noqa: BLE001
        raise _unavailable(f"cupy {version} is installed but the CUDA device cannot be "
                           f"queried: {type(exc).__name__}: {exc}") from exc
    return f"cuda:{device.id} {name}, {total / 2**30:.1f} GiB ({free / 2**30:.1f} GiB free)"


def _namespace(cupy):
    """CuPy's main namespace, with the Array API spellings it may lack filled in."""
    extras = {}

    def clip(x, min=None, max=None):  # noqa: A002 - the standard's keyword names
        if min is not None:
            x = cupy.maximum(x, min)
        if max is not None:
            x = cupy.minimum(x, max)
        return x
    extras["clip"] = clip
    fallbacks = {
        "permute_dims": lambda x, axes: cupy.transpose(x, axes),
        "concat": lambda xs, axis=0: cupy.concatenate(xs, axis=axis),
        "pow": cupy.power,
        "matrix_transpose": lambda x: cupy.swapaxes(x, -1, -2),
        "astype": lambda x, dtype, copy=True: x.astype(dtype, copy=copy),
    }
    for name, fn in fallbacks.items():
        if not hasattr(cupy, name):
            extras[name] = fn
    return extras


def load():
    cupy = _import_cupy()
    device = _device_description(cupy)
    try:
        cupy.asarray([1.0, 2.0]).sum().item()   # a first kernel: catches missing NVRTC etc.
    except Exception as exc:  # noqa: BLE001
        raise _unavailable(f"cupy {cupy.__version__} found {device} but a first computation "
                           f"failed: {type(exc).__name__}: {exc}") from exc
    import cupyx

    def index_add(shape, index, values):
        out = cupy.zeros(shape, dtype=values.dtype)
        cupyx.scatter_add(out, index, values)
        return out

    def synchronize():
        cupy.cuda.get_current_stream().synchronize()
        cupy.cuda.Device().synchronize()

    extras = _namespace(cupy)
    extras["index_add"] = index_add
    return multigrad.Backend(
        NAME, cupy, (cupy.ndarray,),
        version=cupy.__version__, device=device,
        to_numpy=cupy.asnumpy, from_numpy=cupy.asarray,
        synchronize=synchronize, extras=extras, device_type="GPU",
        device_count=cupy.cuda.runtime.getDeviceCount,
        device_index=lambda array: array.device.id, device_scope=cupy.cuda.Device,
        fusion="cupy")


@hookimpl
def multigrad_backends():
    return [multigrad.BackendSpec(NAME, load, array_modules=("cupy",),
                                  description="CuPy on an NVIDIA GPU (CUDA)")]
