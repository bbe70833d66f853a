"""``BackendRegistry``: every known backend, found through pluggy, loaded on first use.

Built-in plugins are registered with the plugin manager like third-party ones (which come
from the ``multigrad.backends`` entry-point group). Specs are collected by calling each
plugin's ``multigrad_backends`` hook implementation, one at a time, in registration
order with ``tryfirst``/``trylast`` honoured (``specname=`` works too; the first plugin to
claim a backend name keeps it): a plugin that fails to
import, raises, or returns something other than specs is recorded as broken with its
reason, and never stops the others. ``multigrad.backend.REGISTRY`` is the process's
registry; tests build a fresh one.

A third-party plugin's import and hook run with a time limit (``MULTIGRAD_PLUGIN_TIMEOUT``
seconds, default 10; 0: none): one that hangs is recorded as broken, saying so, and
discovery goes on (``time_limit.py`` says why that leaves the process usable).
"""

import importlib
import sys
import threading

from .time_limit import TIMEOUT_ENV, TimedOut, call_with_limit, plugin_timeout
from .spec import Backend, BackendSpec
from ..errors import BackendUnavailableError, UnknownBackendError, install_hint

__all__ = ["BackendRegistry", "BUILTIN_PLUGINS", "ENTRY_POINT_GROUP"]

ENTRY_POINT_GROUP = "multigrad.backends"
BUILTIN_PLUGINS = ("multigrad_numpy", "multigrad_array_api_strict", "multigrad_cupy",
                   "multigrad_dask")
# Built-in backends whose library comes with a multigrad extra (errors.install_hint).
_EXTRAS = {"cupy": "cupy", "dask": "dask", "array_api_strict": "array-api"}


class BackendRegistry:
    """Specs from plugins, loaded backends, and the reasons of failed ones."""

    def __init__(self, builtin_plugins=BUILTIN_PLUGINS, entry_point_group=ENTRY_POINT_GROUP,
                 plugin_timeout=None):
        self._builtin_plugins = tuple(builtin_plugins)
        self._group = entry_point_group
        self._timeout = plugin_timeout      # None: MULTIGRAD_PLUGIN_TIMEOUT, else 10 s
        self._lock = threading.RLock()
        self._manager = None
        self._specs = {}        # name -> BackendSpec
        self._loaded = {}       # name -> Backend
        self._failed = {}       # name -> reason (load failed)
        self._broken = {}       # plugin name -> reason (plugin import or hook failed)
        self._plugin_of = {}    # backend name -> the plugin that provided it
        self._collected = set()  # plugins whose hook has been called
        self._entry_points_done = False
        self._by_type = {}      # array type -> Backend (inference cache)

    @property
    def plugin_manager(self):
        self._ensure_builtins()
        return self._manager

    # --- discovery -------------------------------------------------------------------

    def _ensure_builtins(self):
        if self._manager is not None:
            return
        with self._lock:
            if self._manager is not None:
                return
            import pluggy    # only when a backend is first looked up: import stays light
            from .. import hookspecs
            manager = pluggy.PluginManager(hookspecs.PROJECT)
            manager.add_hookspecs(hookspecs)
            for name in self._builtin_plugins:
                self._register(manager, name, lambda m=name: importlib.import_module(m),
                               builtin=True)
            self._collect(manager)
            self._manager = manager

    def _ensure_all(self):
        self._ensure_builtins()
        if self._entry_points_done:
            return
        with self._lock:
            if self._entry_points_done:
                return
            from importlib.metadata import entry_points   # stdlib, but not cheap to import
            seconds = plugin_timeout(self._timeout)
            for ep in entry_points(group=self._group):
                if ep.name in self._broken:
                    continue
                if self._manager.get_plugin(ep.name) is not None:
                    self._broken[ep.name] = (
                        f"a plugin named {ep.name!r} is already registered (a built-in one): "
                        f"rename the entry point in the {self._group!r} group")
                    continue
                self._register(self._manager, ep.name, _limited_load(ep, seconds),
                               builtin=False)
            self._collect(self._manager, seconds)
            self._entry_points_done = True

    def _register(self, manager, plugin_name, import_plugin, builtin):
        """Import one plugin and register it; a failure is recorded, never raised."""
        try:
            plugin = import_plugin()
            manager.register(plugin, name=plugin_name)
        except TimedOut as exc:
            self._broken[plugin_name] = f"plugin import {exc}{_TIMEOUT_ADVICE}"
        except ModuleNotFoundError as exc:
            if builtin and exc.name == plugin_name:   # an optional built-in not shipped
                return
            self._broken[plugin_name] = f"plugin import failed: {type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - a plugin must never break multigrad
            self._broken[plugin_name] = f"plugin import failed: {type(exc).__name__}: {exc}"

    def _collect(self, manager, seconds=0):
        """Call every hook implementation not yet called; collect the specs it returns
        (a third-party hook within ``seconds``)."""
        impls = manager.hook.multigrad_backends.get_hookimpls()
        # tryfirst, then registration order (built-ins before entry points), then trylast
        for impl in sorted(impls, key=lambda i: 0 if i.tryfirst else 2 if i.trylast else 1):
            if impl.plugin_name in self._collected:
                continue
            self._collected.add(impl.plugin_name)
            limit = 0 if impl.plugin_name in self._builtin_plugins else seconds
            try:
                specs = _checked_specs(impl.plugin_name, call_with_limit(
                    impl.function, limit, f"multigrad plugin hook: {impl.plugin_name}"))
            except TimedOut as exc:
                self._broken[impl.plugin_name] = f"plugin hook {exc}{_TIMEOUT_ADVICE}"
                continue
            except Exception as exc:  # noqa: BLE001
                self._broken[impl.plugin_name] = f"plugin hook failed: {type(exc).__name__}: {exc}"
                continue
            for spec in specs:
                if spec.name in self._specs:
                    self._broken[impl.plugin_name] = (
                        f"plugin hook failed: backend name {spec.name!r} is already provided by "
                        f"{self._plugin_of.get(spec.name) or 'mg.register_backend'}")
                    continue
                self._specs[spec.name] = spec
                self._plugin_of[spec.name] = impl.plugin_name

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
            self._plugin_of[spec.name] = None
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
                f"Third-party backends register through the {self._group!r} entry point.")
        if name in self._failed:
            raise BackendUnavailableError(name, self._failed[name])
        with self._lock:
            if name in self._loaded:
                return self._loaded[name]
            backend = self._load(spec)
            self._loaded[name] = backend
            for array_type in backend.array_types:
                self._by_type.setdefault(array_type, backend)
            return backend

    def _load(self, spec):
        name = spec.name
        try:
            backend = spec.load()
        except BackendUnavailableError as exc:
            self._failed[name] = exc.reason
            raise
        except ImportError as exc:
            builtin = self._plugin_of.get(name) in self._builtin_plugins
            extra = _EXTRAS.get(name) if builtin else None
            advice = (f"install it: {install_hint(extra)}" if extra
                      else "install the library this backend needs")
            reason = f"{exc} ({advice})"
            self._failed[name] = reason
            raise BackendUnavailableError(name, reason) from exc
        except Exception as exc:  # noqa: BLE001 - report any plugin failure precisely
            reason = f"loading failed: {type(exc).__name__}: {exc}"
            self._failed[name] = reason
            raise BackendUnavailableError(name, reason) from exc
        if not isinstance(backend, Backend):
            reason = (f"loading failed: BackendSpec.load() returned {type(backend).__name__}, "
                      f"expected a mg.Backend")
            self._failed[name] = reason
            raise BackendUnavailableError(name, reason)
        return backend

    def describe_all(self):
        rows = []
        for name in self.names():
            description = self._specs[name].description
            try:
                rows.append({**self.get(name).describe(), "description": description})
            except BackendUnavailableError as exc:
                rows.append({"name": name, "available": False, "reason": exc.reason,
                             "version": "", "device": "", "description": description})
        for plugin, reason in self._broken.items():
            rows.append({"name": plugin, "available": False, "reason": reason,
                         "version": "", "device": "", "description": ""})
        return rows

    def backend_for_array(self, obj):
        """The backend owning a raw array, or None for Python data."""
        backend = self._by_type.get(type(obj))
        if backend is not None:
            return backend
        if not hasattr(obj, "shape") and not hasattr(obj, "dtype"):
            return None
        # The backends known so far first (the built-ins, registered ones): a NumPy scalar
        # or array never waits on third-party plugins' imports (one may hang). Entry
        # points are discovered only for an array none of those owns.
        self._ensure_builtins()
        backend = self._owner(obj)
        if backend is None and not self._entry_points_done:
            self._ensure_all()
            backend = self._owner(obj)
        return backend

    def _owner(self, obj):
        for spec in list(self._specs.values()):
            if spec.owns(obj):
                backend = self.get(spec.name)
                if isinstance(obj, backend.array_types):
                    self._by_type[type(obj)] = backend
                    return backend
        return None


_TIMEOUT_ADVICE = (f" (it may hang); set {TIMEOUT_ENV}=<seconds> to wait longer, or 0 for "
                   f"no limit")


def _limited_load(ep, seconds):
    """``ep.load`` within ``seconds``, unless its module (or a package above it) is already
    in sys.modules: then nothing fresh is imported, and a worker thread would wait on the
    import lock of a package this thread may be importing right now (a plugin that selects
    a backend while it is imported)."""
    module = getattr(ep, "module", None) or str(getattr(ep, "value", "")).partition(":")[0]
    parts = module.split(".") if module else []
    if module in sys.modules or any(_initializing(".".join(parts[:k]))
                                    for k in range(1, len(parts))):
        return ep.load
    return lambda: call_with_limit(ep.load, seconds, f"multigrad plugin import: {ep.name}")


def _initializing(module_name):
    spec = getattr(sys.modules.get(module_name), "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


def _checked_specs(plugin_name, specs):
    """The hook's result as a list of specs, or a TypeError that says what came back."""
    if specs is None or isinstance(specs, (str, bytes, BackendSpec)):
        raise TypeError(f"multigrad_backends() returned {specs!r:.60}; it must return a list "
                        f"of mg.BackendSpec")
    try:
        specs = list(specs)
    except TypeError:
        raise TypeError(f"multigrad_backends() returned {type(specs).__name__}; it must return "
                        f"a list of mg.BackendSpec") from None
    bad = [s for s in specs if not isinstance(s, BackendSpec)]
    if bad:
        raise TypeError(f"multigrad_backends() returned {bad[0]!r:.60} among its specs; every "
                        f"entry must be a mg.BackendSpec")
    return specs
