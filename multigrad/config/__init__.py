"""``mg.config``: TensorFlow's ``tf.config`` (devices: ``devices.py``; the switch that runs
every ``mg.function`` eagerly lives with the tracer, ``tracing/eager_switch.py``)."""

from ..tracing.eager_switch import functions_run_eagerly, run_functions_eagerly
from . import experimental
from .devices import (LogicalDevice, PhysicalDevice, get_soft_device_placement,
                      get_visible_devices, list_logical_devices, list_physical_devices,
                      set_soft_device_placement, set_visible_devices)

__all__ = ["experimental", "LogicalDevice", "PhysicalDevice", "get_soft_device_placement",
           "get_visible_devices", "list_logical_devices", "list_physical_devices",
           "set_soft_device_placement", "set_visible_devices", "run_functions_eagerly",
           "functions_run_eagerly"]
