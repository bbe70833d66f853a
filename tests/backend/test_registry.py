"""Plugin discovery through pluggy: hook markers honoured, every failure isolated and reported.

Each test builds its own ``BackendRegistry`` over fake plugin modules, so nothing leaks
into the process's registry.
"""

import sys
import threading
import time
import types

import numpy as np

import pytest

import multigrad as mg
from multigrad.hookspecs import hookimpl
from multigrad.backend.registry import BackendRegistry


def _toy_backend(name):
    np = pytest.importorskip("numpy")
    return mg.Backend(name, np, (np.ndarray,))


def _plugin(monkeypatch, module_name, **attrs):
    module = types.ModuleType(module_name)
    for key, value in attrs.items():
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, module_name, module)
    return module_name


def _rows(registry):
    return {r["name"]: r for r in registry.describe_all()}


def test_hookimpl_markers_are_honoured(monkeypatch):
    # specname= lets a function of another name implement the hook; tryfirst orders it.
    @hookimpl(specname="multigrad_backends")
    def provide():
        return [mg.BackendSpec("toy_a", lambda: _toy_backend("toy_a"), description="first")]

    @hookimpl(tryfirst=True)
    def multigrad_backends():
        return [mg.BackendSpec("toy_b", lambda: _toy_backend("toy_b"))]

    a = _plugin(monkeypatch, "fake_plugin_a", provide=provide)
    b = _plugin(monkeypatch, "fake_plugin_b", multigrad_backends=multigrad_backends)
    registry = BackendRegistry(builtin_plugins=(a, b))
    assert registry.names()[:2] == ["toy_b", "toy_a"]
    assert registry.get("toy_a").name == "toy_a"
    assert _rows(registry)["toy_a"]["description"] == "first"


@pytest.mark.parametrize("returned, message", [
    (["not a spec", 42], "returned 'not a spec' among its specs"),
    (None, "returned None"),
    (42, "returned int"),
])
def test_a_hook_returning_something_else_is_a_broken_plugin(monkeypatch, returned, message):
    bad = _plugin(monkeypatch, "fake_bad_hook",
                  multigrad_backends=hookimpl(lambda: returned))
    good = _plugin(monkeypatch, "fake_good_hook", multigrad_backends=hookimpl(
        lambda: [mg.BackendSpec("fine", lambda: _toy_backend("fine"))]))
    registry = BackendRegistry(builtin_plugins=(bad, good))
    rows = _rows(registry)
    assert rows["fine"]["available"]                  # the others still load
    assert not rows["fake_bad_hook"]["available"]
    assert message in rows["fake_bad_hook"]["reason"]
    assert "must" in rows["fake_bad_hook"]["reason"] and "mg.BackendSpec" in rows[
        "fake_bad_hook"]["reason"]


def test_a_hook_that_raises_is_a_broken_plugin(monkeypatch):
    def boom():
        raise RuntimeError("no driver")
    name = _plugin(monkeypatch, "fake_raising_hook", multigrad_backends=hookimpl(boom))
    rows = _rows(BackendRegistry(builtin_plugins=(name,)))
    assert rows[name]["reason"] == "plugin hook failed: RuntimeError: no driver"


def test_load_returning_something_else_is_unavailable_with_reason(monkeypatch):
    name = _plugin(monkeypatch, "fake_load_42", multigrad_backends=hookimpl(
        lambda: [mg.BackendSpec("forty_two", lambda: 42)]))
    registry = BackendRegistry(builtin_plugins=(name,))
    with pytest.raises(mg.BackendUnavailableError, match="load\\(\\) returned int, expected a "
                                                          "mg.Backend"):
        registry.get("forty_two")
    assert not _rows(registry)["forty_two"]["available"]


def test_a_third_party_import_error_does_not_advise_a_missing_extra(monkeypatch):
    def load():
        raise ImportError("No module named 'toylib'")
    name = _plugin(monkeypatch, "fake_needs_lib", multigrad_backends=hookimpl(
        lambda: [mg.BackendSpec("toylib", load)]))
    registry = BackendRegistry(builtin_plugins=(name,))
    with pytest.raises(mg.BackendUnavailableError) as info:
        registry.get("toylib")
    assert "multigrad[" not in str(info.value)
    assert "install the library this backend needs" in str(info.value)


def test_two_plugins_claiming_one_backend_name(monkeypatch):
    first = _plugin(monkeypatch, "fake_first", multigrad_backends=hookimpl(
        lambda: [mg.BackendSpec("same", lambda: _toy_backend("same"))]))
    second = _plugin(monkeypatch, "fake_second", multigrad_backends=hookimpl(
        lambda: [mg.BackendSpec("same", lambda: _toy_backend("same"))]))
    rows = _rows(BackendRegistry(builtin_plugins=(first, second)))
    # registration order: the first plugin keeps the name, the second is refused
    assert rows["same"]["available"]
    assert "backend name 'same' is already provided by fake_first" in rows[second]["reason"]


def test_the_process_registry_is_built_from_the_builtin_plugins():
    manager = mg.backend.select.REGISTRY.plugin_manager
    assert manager.get_plugin("multigrad_numpy") is not None
    assert "numpy" in mg.backend_names()


# --- a plugin that hangs: time-limited discovery ------------------------------------------

class _EntryPoint:
    """What discovery reads from an importlib.metadata entry point."""

    def __init__(self, name, load, module):
        self.name, self.load, self.module = name, load, module


def _entry_points(monkeypatch, *eps):
    import importlib.metadata
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group=None: list(eps) if group == "fake.group" else [])


def _hook_module(module_name, backend_name, hook=None):
    module = types.ModuleType(module_name)
    module.multigrad_backends = hookimpl(hook or (lambda: [
        mg.BackendSpec(backend_name, lambda: _toy_backend(backend_name))]))
    return module


def test_a_plugin_whose_import_hangs_is_broken_and_discovery_goes_on(monkeypatch):
    release = threading.Event()
    late = _hook_module("fake_hanging", "late")

    def hanging_import():
        release.wait(60)
        return late                      # comes after the limit: never registered
    good = _hook_module("fake_quick", "quick")
    _entry_points(monkeypatch, _EntryPoint("hangs", hanging_import, "fake_hanging"),
                  _EntryPoint("quick", lambda: good, "fake_quick"))
    registry = BackendRegistry(builtin_plugins=(), entry_point_group="fake.group",
                               plugin_timeout=0.2)
    try:
        start = time.monotonic()
        rows = _rows(registry)
        assert time.monotonic() - start < 5
        assert rows["quick"]["available"]                  # the others still load
        assert rows["hangs"]["reason"] == (
            "plugin import did not finish within 0.2 s (it may hang); set "
            "MULTIGRAD_PLUGIN_TIMEOUT=<seconds> to wait longer, or 0 for no limit")
        assert not rows["hangs"]["available"]
    finally:
        release.set()
    time.sleep(0.05)
    assert "late" not in registry.names()                  # a late import is dropped
    with pytest.raises(mg.UnknownBackendError):
        registry.get("late")


def test_a_plugin_hook_that_hangs_is_broken(monkeypatch):
    release = threading.Event()
    slow = _hook_module("fake_slow_hook", "slow",
                        hook=lambda: release.wait(60) and [])
    _entry_points(monkeypatch, _EntryPoint("slow", lambda: slow, "fake_slow_hook"))
    registry = BackendRegistry(builtin_plugins=(), entry_point_group="fake.group",
                               plugin_timeout=0.2)
    try:
        reason = _rows(registry)["slow"]["reason"]
    finally:
        release.set()
    assert reason.startswith("plugin hook did not finish within 0.2 s (it may hang); set "
                             "MULTIGRAD_PLUGIN_TIMEOUT=")


def test_plugin_errors_still_come_back_from_the_worker_thread(monkeypatch):
    def broken_import():
        raise RuntimeError("no driver")
    _entry_points(monkeypatch, _EntryPoint("broken", broken_import, "fake_broken_import"))
    registry = BackendRegistry(builtin_plugins=(), entry_point_group="fake.group",
                               plugin_timeout=5)
    assert _rows(registry)["broken"]["reason"] == "plugin import failed: RuntimeError: no driver"


def test_plugin_timeout_comes_from_the_environment(monkeypatch):
    from multigrad.backend.time_limit import plugin_timeout
    monkeypatch.delenv("MULTIGRAD_PLUGIN_TIMEOUT", raising=False)
    assert plugin_timeout() == 10.0
    monkeypatch.setenv("MULTIGRAD_PLUGIN_TIMEOUT", "2.5")
    assert plugin_timeout() == 2.5
    monkeypatch.setenv("MULTIGRAD_PLUGIN_TIMEOUT", "0")
    assert plugin_timeout() == 0.0                         # no limit: loaded inline
    for bad in ("ten", "-1", "nan", "inf"):
        monkeypatch.setenv("MULTIGRAD_PLUGIN_TIMEOUT", bad)
        with pytest.raises(ValueError, match=rf"MULTIGRAD_PLUGIN_TIMEOUT='{bad}': expected a "
                                             rf"number of seconds >= 0 \(e.g. 10\), or 0 for "
                                             rf"no limit"):
            plugin_timeout()


def test_a_plugin_already_imported_loads_in_this_thread(monkeypatch):
    # e.g. a plugin that selects a backend while it is being imported: a worker thread would
    # wait on that import's lock; its module is in sys.modules, so it loads right here.
    module = _hook_module("fake_imported", "imported")
    monkeypatch.setitem(sys.modules, "fake_imported", module)
    threads = []
    _entry_points(monkeypatch, _EntryPoint(
        "imported", lambda: threads.append(threading.current_thread()) or module,
        "fake_imported"))
    registry = BackendRegistry(builtin_plugins=(), entry_point_group="fake.group",
                               plugin_timeout=0.2)
    assert _rows(registry)["imported"]["available"]
    assert threads == [threading.current_thread()]


def test_a_numpy_scalar_never_imports_third_party_plugins(monkeypatch):
    # issue 22, item 9: an uncached array type (a NumPy scalar) made the first op import
    # every entry point, so a plugin that hangs at import hung mg.sin(np.float32(1)).
    imported = []

    def plugin_import():
        imported.append("hangs")
        return _hook_module("fake_never", "never")
    _entry_points(monkeypatch, _EntryPoint("hangs", plugin_import, "fake_never"))
    registry = BackendRegistry(entry_point_group="fake.group", plugin_timeout=5)
    for obj in (np.float32(1), np.array([1.0]), np.int64(3), np.bool_(True)):
        assert registry.backend_for_array(obj).name == "numpy"
    assert imported == []
    assert registry.backend_for_array(object()) is None     # no shape, no dtype: no lookup
    assert imported == []
    registry.names()                                        # listing does discover them
    assert imported == ["hangs"]
