"""``mg.config.experimental``: the TF functions that live there (memory growth is a no-op)."""

from .devices import (get_memory_growth, get_visible_devices, list_logical_devices,
                      list_physical_devices, set_memory_growth, set_visible_devices)

__all__ = ["get_memory_growth", "set_memory_growth", "list_physical_devices",
           "list_logical_devices", "get_visible_devices", "set_visible_devices"]
