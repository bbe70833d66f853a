"""``mg.config``'s devices, ``mg.device`` and ``Tensor.device`` (TensorFlow's names).

GPUs come from the backend whose ``device_type`` is "GPU" (cupy). Without a GPU here, a
stand-in GPU backend (NumPy arrays, two "devices") checks what ``mg.device`` does with one."""

import contextlib
import contextvars

import numpy as np
import pytest

import multigrad as mg
from multigrad import placement
from multigrad.config import devices

CPU = mg.config.PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")
CPU_NAME = "/job:localhost/replica:0/task:0/device:CPU:0"


@pytest.fixture(autouse=True)
def fresh_device_settings():
    saved = dict(devices._state, hidden=set(devices._state["hidden"]),
                 memory_growth=dict(devices._state["memory_growth"]))
    yield
    devices._state.clear()
    devices._state.update(saved)


def _stand_in_gpu():
    """A backend computing with NumPy that calls itself a GPU backend with two devices."""
    current = contextvars.ContextVar("fake_gpu_index", default=0)

    @contextlib.contextmanager
    def scope(index):
        token = current.set(index)
        try:
            yield
        finally:
            current.reset(token)
    return mg.Backend("fakegpu", np, (np.ndarray,), device_type="GPU",
                      device_count=lambda: 2, device_index=lambda array: current.get(),
                      device_scope=scope)


@pytest.fixture
def fake_gpu(monkeypatch):
    gpu = _stand_in_gpu()
    real = devices.load_backend
    monkeypatch.setattr(devices, "load_backend",
                        lambda name: gpu if name == devices.GPU_BACKEND else real(name))
    return gpu


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(devices, "gpu_backend", lambda: None)
    monkeypatch.setattr(placement, "gpu_backend", lambda: None)


# --- listing ---------------------------------------------------------------------------------

def test_one_cpu_and_the_gpu_backends_gpus(backend):
    found = mg.config.list_physical_devices()
    assert found[0] == CPU and found[0].name == "/physical_device:CPU:0"
    assert mg.config.list_physical_devices("CPU") == [CPU]
    gpus = mg.config.list_physical_devices("GPU")
    assert found == [CPU] + gpus
    assert all(d.device_type == "GPU" for d in gpus)
    assert mg.config.list_physical_devices("gpu") == []      # TF compares the type exactly


def test_without_a_gpu_none_is_listed(no_gpu):
    assert mg.config.list_physical_devices() == [CPU]
    assert mg.config.list_physical_devices("GPU") == []
    assert mg.config.list_logical_devices() == [
        mg.config.LogicalDevice(name="/device:CPU:0", device_type="CPU")]


def test_a_gpu_backends_devices_are_listed(fake_gpu):
    assert mg.config.list_physical_devices("GPU") == [
        mg.config.PhysicalDevice("/physical_device:GPU:0", "GPU"),
        mg.config.PhysicalDevice("/physical_device:GPU:1", "GPU")]
    assert [d.name for d in mg.config.list_logical_devices("GPU")] == [
        "/device:GPU:0", "/device:GPU:1"]


def test_visible_devices(fake_gpu):
    gpu0, gpu1 = mg.config.list_physical_devices("GPU")
    assert mg.config.get_visible_devices() == [CPU, gpu0, gpu1]
    mg.config.set_visible_devices([gpu1], "GPU")
    assert mg.config.get_visible_devices() == [CPU, gpu1]
    assert mg.config.experimental.get_visible_devices("GPU") == [gpu1]
    with mg.device("GPU:0"):                     # hidden: soft placement runs on the CPU
        assert mg.constant(1.0).device == CPU_NAME
    with pytest.raises(ValueError, match="Unrecognized device"):
        mg.config.set_visible_devices([mg.config.PhysicalDevice("/physical_device:GPU:7",
                                                                "GPU")])


def test_memory_growth_is_accepted_and_recorded():
    assert mg.config.experimental.get_memory_growth(CPU) is False
    mg.config.experimental.set_memory_growth(CPU, True)
    assert mg.config.experimental.get_memory_growth(CPU) is True
    with pytest.raises(ValueError, match="Unrecognized device"):
        mg.config.experimental.set_memory_growth("GPU:0", True)


# --- Tensor.device ----------------------------------------------------------------------------

def test_tensor_device_is_tensorflows_full_name(backend):
    x = mg.constant([1.0, 2.0])
    kind = backend.device_type
    assert x.device == f"/job:localhost/replica:0/task:0/device:{kind}:0"
    assert x.backing_device == x.device
    assert mg.Variable(1.0).device == x.device and (x * 2).device == x.device


# --- mg.device --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["CPU:0", "/CPU:0", "/cpu:0", "cpu", "/device:CPU:0",
                                  CPU_NAME, "/job:localhost/device:CPU:0", "/CPU:*"])
def test_cpu_keeps_a_cpu_backend(backend, name):
    with mg.device(name):
        x = mg.constant([1.0])
        if backend.device_type == "CPU":
            assert x.backend is backend      # dask and array_api_strict stay themselves
        else:
            assert x.backend.name == "numpy"
        assert x.device == CPU_NAME


def test_gpu_selects_the_gpu_backend_and_device(fake_gpu):
    with mg.device("/job:localhost/replica:0/task:0/device:GPU:1"):
        x = mg.constant([1.0, 2.0])
        v = mg.Variable(mg.zeros((2,)))
        assert x.backend is fake_gpu and v.backend is fake_gpu
        assert x.device == "/job:localhost/replica:0/task:0/device:GPU:1"
    with mg.device("GPU:0"):
        assert mg.ones(3).device.endswith("device:GPU:0")
    assert mg.constant(1.0).backend is not fake_gpu      # only inside the block


def test_existing_tensors_stay_where_they_are(fake_gpu):
    x = mg.constant([1.0, 2.0])
    with mg.device("GPU:0"):
        y = x + 1.0
    assert y.backend is x.backend and y.device == CPU_NAME


def test_soft_placement_runs_on_the_cpu(no_gpu):
    assert mg.config.get_soft_device_placement() is True        # TF's default
    with mg.device("/GPU:0"):
        assert mg.constant(1.0).device == CPU_NAME
    with mg.device("TPU:0"):
        assert mg.constant(1.0).device == CPU_NAME


def test_without_soft_placement_a_missing_device_raises(no_gpu):
    mg.config.set_soft_device_placement(False)
    with pytest.raises(mg.errors.InvalidArgumentError,
                       match=r"Could not satisfy device specification '/GPU:0': there is no "
                             r"GPU:0 here.*device:CPU:0"):
        with mg.device("/GPU:0"):
            pass
    with pytest.raises(ValueError, match="no CPU:1 here"):
        with mg.device("CPU:1"):
            pass


def test_bad_device_names():
    with pytest.raises(ValueError, match="cannot read the device name 'GPU:0:1'"):
        with mg.device("GPU:0:1"):
            pass
    with pytest.raises(ValueError, match="only this process's devices exist"):
        with mg.device("/job:worker/replica:0/task:0/device:CPU:0"):
            pass
    with pytest.raises(RuntimeError, match="does not take a device function"):
        with mg.device(lambda op: "/CPU:0"):
            pass


def test_no_device_changes_nothing(backend):
    for name in (None, ""):
        with mg.device(name):
            assert mg.constant(1.0).backend is backend
