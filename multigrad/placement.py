"""``mg.device(name)``: TensorFlow's ``tf.device`` context, choosing the backend that holds
the device.

``with mg.device("/GPU:0"):`` selects the GPU backend (``cupy``) on device 0 for the block,
so tensors made there from Python or NumPy data (``mg.constant``, ``mg.zeros``, a
``Variable``) live on that GPU; ``"CPU:0"`` keeps the selected backend if it computes on
the CPU (numpy, dask, array_api_strict), else selects numpy. Tensors that already exist
stay where they are (an op follows its inputs: move them with ``mg.to_backend``).
Names as TF writes them: ``"GPU:0"``, ``"/gpu:0"``, ``"/device:GPU:0"``,
``"/job:localhost/replica:0/task:0/device:GPU:0"``; ``None`` or ``""`` change nothing.
A device that is not there runs on the CPU under soft placement (TF's default), else
raises ``mg.errors.InvalidArgumentError`` (``mg.config.set_soft_device_placement(False)``).
"""

import contextlib
import re

from .backend.select import get_backend, load_backend, use_backend
from .config.devices import get_soft_device_placement, get_visible_devices, gpu_backend
from .errors import InvalidArgumentError

__all__ = ["device", "parse_device"]

_LOCAL = {"job": "localhost", "replica": "0", "task": "0"}
_PART = re.compile(r"(job|replica|task):([^/]+)$")
_DEVICE = re.compile(r"(?:device:)?([A-Za-z_]+)(?::(\d+|\*))?$")


def parse_device(name):
    """(device type in capitals or None, index or None) of a TF device name; ValueError
    for what TF's DeviceSpec cannot read or a machine other than this one."""
    kind = index = None
    for part in (p for p in name.strip().split("/") if p):
        where = _PART.match(part)
        if where:
            if where.group(2) != _LOCAL[where.group(1)]:
                raise ValueError(f"mg.device({name!r}): only this process's devices exist "
                                 f"(/job:localhost/replica:0/task:0), not {part!r}")
            continue
        found = _DEVICE.match(part)
        if not found or kind is not None:
            raise ValueError(f"mg.device: cannot read the device name {name!r}; write it "
                             f"as TensorFlow does, e.g. 'CPU:0', '/GPU:0' or "
                             f"'/job:localhost/replica:0/task:0/device:GPU:0'")
        kind = found.group(1).upper()
        index = None if found.group(2) in (None, "*") else int(found.group(2))
    return kind, index


def _place(kind, index):
    """(backend, device index) for a parsed device, or None when it is not here."""
    visible = {d.name for d in get_visible_devices()}
    if kind == "GPU":
        gpu = gpu_backend()
        index = 0 if index is None else index
        if gpu is not None and f"/physical_device:GPU:{index}" in visible:
            return gpu, index
        return None
    if kind == "CPU" and index in (None, 0):
        current = get_backend()
        return (current if current.device_type == "CPU" else load_backend("numpy")), 0
    return None


@contextlib.contextmanager
def device(device_name):
    """Place new tensors on ``device_name`` inside the block (``tf.device``)."""
    if callable(device_name):
        raise RuntimeError("mg.device does not take a device function (TF 1 graphs); pass "
                           "a device name such as '/GPU:0'")
    if not device_name:
        yield
        return
    kind, index = parse_device(str(device_name))
    placed = _place(kind, index) if kind is not None else (get_backend(), 0)
    if placed is None:
        if not get_soft_device_placement():
            names = [d.name.replace("/physical_device:", "/job:localhost/replica:0/task:0/"
                                    "device:") for d in get_visible_devices()]
            raise InvalidArgumentError(
                f"Could not satisfy device specification {device_name!r}: there is no "
                f"{kind}:{0 if index is None else index} here (soft device placement is off). "
                f"Available devices: {names}")
        placed = _place("CPU", 0)           # soft placement: TF runs it on the CPU
    backend, index = placed
    with use_backend(backend), backend.device_scope(index):
        yield
