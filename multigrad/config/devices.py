"""TensorFlow's device listing (``tf.config.list_physical_devices`` ...), from the backends.

There is always one CPU, ``/physical_device:CPU:0``: every CPU backend (numpy, dask,
array_api_strict) computes there. GPUs are those of a backend whose ``device_type`` is
"GPU": the selected backend if it is one, else ``cupy`` when it can run here (asking loads
it; when it cannot, no GPU is listed). Soft placement (on by default, as in TF) decides
what ``mg.device`` does with a device that is not there: run on the CPU instead, or raise.
Memory growth is recorded and has no effect: CuPy's memory pool already grows on demand.
"""

import collections

from ..backend.select import get_backend, load_backend
from ..errors import BackendError

__all__ = ["PhysicalDevice", "LogicalDevice", "list_physical_devices", "list_logical_devices",
           "get_visible_devices", "set_visible_devices", "set_soft_device_placement",
           "get_soft_device_placement", "set_memory_growth", "get_memory_growth",
           "gpu_backend"]

GPU_BACKEND = "cupy"      # the built-in backend that holds GPUs

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])

_CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")
_state = {"soft_placement": True, "hidden": set(), "memory_growth": {}}


def gpu_backend():
    """The backend holding GPUs here, or None."""
    current = get_backend()
    if current.device_type == "GPU":
        return current
    try:
        backend = load_backend(GPU_BACKEND)
    except BackendError:              # not registered, not installed, or no device
        return None
    return backend if backend.device_type == "GPU" else None


def _all_physical():
    gpu = gpu_backend()
    count = 0 if gpu is None else gpu.device_count()
    return [_CPU] + [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU") for i in range(count)]


def list_physical_devices(device_type=None):
    """The devices this process can use: ``[PhysicalDevice(name='/physical_device:CPU:0',
    device_type='CPU'), ...]``, only those of ``device_type`` ("CPU", "GPU") if given."""
    return [d for d in _all_physical() if device_type is None or d.device_type == device_type]


def get_visible_devices(device_type=None):
    """The physical devices ops may run on (all of them unless ``set_visible_devices``)."""
    return [d for d in list_physical_devices(device_type) if d.name not in _state["hidden"]]


def set_visible_devices(devices, device_type=None):
    """Restrict the devices ops may run on to ``devices`` (of ``device_type`` if given; the
    others of that type are hidden). The CPU always stays visible."""
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    known = list_physical_devices()
    for d in devices:
        if d not in known:
            raise ValueError(f"Unrecognized device: {d!r}; the devices here are "
                             f"{[k.name for k in known]} (mg.config.list_physical_devices())")
    names = {d.name for d in devices}
    _state["hidden"] = {d.name for d in known if d.name not in names and d.name != _CPU.name
                        and (device_type is None or d.device_type == device_type)}


def list_logical_devices(device_type=None):
    """The visible devices under TF's logical names: ``LogicalDevice(name='/device:CPU:0',
    device_type='CPU')``."""
    return [LogicalDevice(d.name.replace("/physical_device:", "/device:"), d.device_type)
            for d in get_visible_devices(device_type)]


def set_soft_device_placement(enabled):
    """With soft placement (the default, as TF) ``mg.device`` of a device that is not
    there runs on the CPU; without, it raises ``mg.errors.InvalidArgumentError``."""
    _state["soft_placement"] = bool(enabled)


def get_soft_device_placement():
    return _state["soft_placement"]


def _check_physical(device, where):
    if not isinstance(device, PhysicalDevice) or device not in list_physical_devices():
        raise ValueError(f"{where}: Unrecognized device: {device!r}; pass one of "
                         f"mg.config.list_physical_devices()")


def set_memory_growth(device, enable):
    """Accepted for TF code and recorded; no effect: CuPy's memory pool grows on demand
    and the CPU backends allocate per array."""
    _check_physical(device, "set_memory_growth")
    _state["memory_growth"][device.name] = bool(enable)


def get_memory_growth(device):
    _check_physical(device, "get_memory_growth")
    return _state["memory_growth"].get(device.name, False)
