"""Backend discovery (pluggy) and run-time selection.

Precedence, highest first: the arrays an op receives; ``use_backend`` (context-local);
``set_backend``; the ``MULTIGRAD_BACKEND`` environment variable read at import; "numpy".
Plugins are discovered lazily, on the first lookup, so ``import multigrad`` stays cheap
and a broken plugin never breaks it.
"""

import contextlib
import contextvars
import importlib
import os
import threading

from .errors import BackendMismatchError, BackendUnavailableError, UnknownBackendError
from .array_backend import BackendSpec

__all__ = ["get_backend", "set_backend", "use_backend", "list_backends", "load_backend",
           "backend_names", "infer_backend", "register_backend"]

ENV_VAR = "MULTIGRAD_BACKEND"
ENTRY_POINT_GROUP = "multigrad.backends"
# Built-in plugins, registered directly like pytest registers its own.
BUILTIN_PLUGINS = ("multigrad_numpy", "multigrad_array_api_strict", "multigrad_cupy",
                   "multigrad_dask")


class _Registry:
    """Every known backend: specs from plugins, loaded backends, and broken plugins."""

    def __init__(self):
        self._lock = threading.RLock()
        self._manager = None
        self._specs = {}        # name -> BackendSpec
        self._loaded = {}       # name -> Backend
        self._failed = {}       # name -> reason (load failed)
        self._broken = {}       # plugin name -> reason (plugin import or hook failed)
        self._entry_points_done = False
        self._by_type = {}      # array type -> Backend (inference cache)

    # --- discovery -------------------------------------------------------------------

    def _ensure_builtins(self):
        if self._manager is not None:
            return
        with self._lock:
            if self._manager is not None:
                return
            import pluggy    # only when a backend is first looked up: import stays light
            from . import hookspecs
            manager = pluggy.PluginManager(hookspecs.PROJECT)
            manager.add_hookspecs(hookspecs)
            for module_name in BUILTIN_PLUGINS:
                self._register(manager, module_name, lambda m=module_name: importlib.import_module(m))
            self._manager = manager

    def _ensure_all(self):
        self._ensure_builtins()
        if self._entry_points_done:
            return
        with self._lock:
            if self._entry_points_done:
                return
            from importlib.metadata import entry_points
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if self._manager.get_plugin(ep.name) is None and ep.name not in self._broken:
                    self._register(self._manager, ep.name, ep.load)
            self._entry_points_done = True

    def _register(self, manager, plugin_name, import_plugin):
        """Import one plugin and collect its specs; a failure is recorded, never raised."""
        try:
            plugin = import_plugin()
        except ModuleNotFoundError as exc:
            if exc.name == plugin_name:   # an optional built-in that is not shipped
                return
            self._broken[plugin_name] = f"plugin import failed: {type(exc).__name__}: {exc}"
            return
        except Exception as exc:  # noqa: BLE001 - a plugin must never break multigrad
            self._broken[plugin_name] = f"plugin import failed: {type(exc).__name__}: {exc}"
            return
        try:
            manager.register(plugin, name=plugin_name)
            specs = getattr(plugin, "multigrad_backends")()
        except Exception as exc:  # noqa: BLE001
            self._broken[plugin_name] = f"plugin hook failed: {type(exc).__name__}: {exc}"
            return
        for spec in specs:
            self._specs.setdefault(spec.name, spec)

    def add(self, spec, replace=False):
        """Register a spec at run time (``mg.register_backend``)."""
        if not isinstance(spec, BackendSpec):
            raise TypeError(f"mg.register_backend expects a mg.BackendSpec, got "
                            f"{type(spec).__name__}")
        self._ensure_builtins()
        with self._lock:
            if spec.name in self._specs and not replace:
                raise ValueError(
                    f"a backend named {spec.name!r} is already registered; choose another "
                    f"name or pass replace=True")
            self._specs[spec.name] = spec
            self._failed.pop(spec.name, None)
            old = self._loaded.pop(spec.name, None)
            if old is not None:
                self._by_type = {t: b for t, b in self._by_type.items() if b is not old}

    # --- lookup ----------------------------------------------------------------------

    def names(self):
        self._ensure_all()
        return list(self._specs)

    def get(self, name):
        backend = self._loaded.get(name)
        if backend is not None:
            return backend
        self._ensure_builtins()
        if name not in self._specs:
            self._ensure_all()
        spec = self._specs.get(name)
        if spec is None:
            if name in self._broken:
                raise BackendUnavailableError(name, self._broken[name])
            known = ", ".join(sorted(self._specs)) or "none"
            raise UnknownBackendError(
                f"unknown backend {name!r}; known backends: {known}. "
                f"Third-party backends register through the {ENTRY_POINT_GROUP!r} entry point.")
        if name in self._failed:
            raise BackendUnavailableError(name, self._failed[name])
        with self._lock:
            if name in self._loaded:
                return self._loaded[name]
            try:
                backend = spec.load()
            except BackendUnavailableError as exc:
                self._failed[name] = exc.reason
                raise
            except ImportError as exc:
                reason = f"{exc} (install it, e.g. 'pip install multigrad[{name}]')"
                self._failed[name] = reason
                raise BackendUnavailableError(name, reason) from exc
            except Exception as exc:  # noqa: BLE001 - report any plugin failure precisely
                reason = f"loading failed: {type(exc).__name__}: {exc}"
                self._failed[name] = reason
                raise BackendUnavailableError(name, reason) from exc
            self._loaded[name] = backend
            for array_type in backend.array_types:
                self._by_type.setdefault(array_type, backend)
            return backend

    def describe_all(self):
        rows = []
        for name in self.names():
            try:
                rows.append(self.get(name).describe())
            except BackendUnavailableError as exc:
                rows.append({"name": name, "available": False, "reason": exc.reason,
                             "version": "", "device": ""})
        for plugin, reason in self._broken.items():
            rows.append({"name": plugin, "available": False, "reason": reason,
                         "version": "", "device": ""})
        return rows

    def backend_for_array(self, obj):
        """The backend owning a raw array, or None for Python data."""
        backend = self._by_type.get(type(obj))
        if backend is not None:
            return backend
        if not hasattr(obj, "shape") and not hasattr(obj, "dtype"):
            return None
        self._ensure_all()
        for spec in list(self._specs.values()):
            if spec.owns(obj):
                backend = self.get(spec.name)
                if isinstance(obj, backend.array_types):
                    self._by_type[type(obj)] = backend
                    return backend
        return None


REGISTRY = _Registry()

# The process default: the environment variable read once, at import.
_default_name = os.environ.get(ENV_VAR, "").strip() or "numpy"
_default_from_env = bool(os.environ.get(ENV_VAR, "").strip())
_default = None
_override = contextvars.ContextVar("multigrad_backend", default=None)


def load_backend(name):
    """The Backend object registered under ``name`` (loading it if needed)."""
    if not isinstance(name, str):
        if hasattr(name, "ops") and hasattr(name, "name"):
            return name
        raise TypeError(f"a backend is selected by name (a str), got {type(name).__name__}")
    return REGISTRY.get(name)


def get_backend():
    """The backend used for Python data: ``use_backend`` > ``set_backend`` > env var > numpy."""
    backend = _override.get()
    if backend is not None:
        return backend
    global _default
    if _default is None:
        try:
            _default = REGISTRY.get(_default_name)
        except UnknownBackendError as exc:
            if _default_from_env:
                raise UnknownBackendError(f"{ENV_VAR}={_default_name!r}: {exc}") from None
            raise
    return _default


def set_backend(name):
    """Make ``name`` the process-wide default backend."""
    global _default
    _default = load_backend(name)
    return _default


@contextlib.contextmanager
def use_backend(name):
    """Select a backend inside a ``with`` block (context-local: threads and tasks don't leak)."""
    token = _override.set(load_backend(name))
    try:
        yield _override.get()
    finally:
        _override.reset(token)


def list_backends():
    """Every registered backend: name, available, reason (when not), version, device."""
    return REGISTRY.describe_all()


def register_backend(spec, replace=False):
    """Register a ``BackendSpec`` without a plugin distribution (e.g. in a test or script)."""
    REGISTRY.add(spec, replace=replace)
    return spec


def backend_names():
    return REGISTRY.names()


def infer_backend(obj):
    return REGISTRY.backend_for_array(obj)


def mismatch_error(opname, first, second):
    return BackendMismatchError(
        f"{opname}: inputs live on different backends ({first.name!r} and {second.name!r}). "
        f"Move one of them first, e.g. mg.to_backend(x, {first.name!r}).")
