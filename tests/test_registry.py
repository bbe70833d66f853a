"""Plugin discovery through pluggy: hook markers honoured, every failure isolated and reported.

Each test builds its own ``BackendRegistry`` over fake plugin modules, so nothing leaks
into the process's registry.
"""

import sys
import types

import pytest

import multigrad as mg
from multigrad.hookspecs import hookimpl
from multigrad.registry import BackendRegistry


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
    manager = mg.backend.REGISTRY.plugin_manager
    assert manager.get_plugin("multigrad_numpy") is not None
    assert "numpy" in mg.backend_names()
