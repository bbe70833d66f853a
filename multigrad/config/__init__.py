"""``mg.config``: TensorFlow's ``tf.config`` (devices: ``devices.py``)."""

from . import experimental
from .devices import (LogicalDevice, PhysicalDevice, get_soft_device_placement,
                      get_visible_devices, list_logical_devices, list_physical_devices,
                      set_soft_device_placement, set_visible_devices)

__all__ = ["experimental", "LogicalDevice", "PhysicalDevice", "get_soft_device_placement",
           "get_visible_devices", "list_logical_devices", "list_physical_devices",
           "set_soft_device_placement", "set_visible_devices"]
