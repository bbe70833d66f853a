"""Third-party plugins for real: entry-point discovery, a broken plugin, the matrix plugin.

The plugin is the one in README's "Writing a backend plugin" section, taken from the README
itself, "installed" the way pip leaves a distribution: the module next to a
``toyback-0.1.dist-info`` folder (METADATA, entry_points.txt) in a directory on the path.
"""

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import multigrad as mg

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("array_api_strict", reason="the README's toyback plugin wraps array-api-strict")


def _readme_plugin():
    """The plugin module and its entry points, exactly as the README shows them."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Writing a backend plugin", 1)[1].split("\n## ", 1)[0]
    module = re.search(r"```python\n# toyback/__init__.py\n(.*?)```", section, re.S).group(1)
    toml = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    group = re.search(r'\[project\.entry-points\."([^"]+)"\]', toml).group(1)
    entries = re.findall(r'^(\w+) = "([\w.:]+)"$', toml, re.M)
    return module, group, entries


def _install(site, dist, module_name, module_text, group, entries):
    (site / module_name).mkdir()
    (site / module_name / "__init__.py").write_text(module_text)
    info = site / f"{dist}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in entries))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    module, group, entries = _readme_plugin()
    assert group == "multigrad.backends" and entries == [("toyback", "toyback")]
    _install(site, "toyback", "toyback", module, group, entries)
    _install(site, "brokenback", "brokenback",
             'raise RuntimeError("brokenback needs a driver that is not here")\n',
             group, [("brokenback", "brokenback")])
    return site


def _env(*paths, **extra):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(p) for p in paths] + [str(ROOT), str(ROOT / "backends")]))
    for name in ("MULTIGRAD_BACKEND", "MULTIGRAD_TEST_BACKENDS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
                 "PYTEST_ADDOPTS"):
        env.pop(name, None)
    env.update(extra)
    return env


def _python(code, env, cwd=ROOT):
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def _pytest(args, env, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_entry_point_plugin_is_discovered_and_a_broken_one_is_reported(site):
    out = _python("""
        import json, sys
        import multigrad as mg
        rows = {r["name"]: r for r in mg.list_backends()}
        toy = mg.load_backend("toyback")
        plugin = mg.backend.select.REGISTRY.plugin_manager.get_plugin("toyback")
        try:
            mg.set_backend("brokenback")
        except mg.BackendUnavailableError as exc:
            error = str(exc)
        print(json.dumps({"toy": rows["toyback"], "broken": rows["brokenback"],
                          "file": plugin.__file__, "xp": toy.xp.__name__, "error": error}))
    """, _env(site))
    assert out["toy"]["available"] and out["toy"]["version"] == "0.1"
    assert out["file"].startswith(str(site)) and out["xp"] == "array_api_strict"
    assert out["broken"] == {"name": "brokenback", "available": False, "version": "",
                             "device": "", "description": "",
                             "reason": "plugin import failed: RuntimeError: "
                             "brokenback needs a driver that is not here"}
    assert "backend 'brokenback' is not available here: plugin import failed" in out["error"]


def test_the_matrix_runs_on_the_entry_point_plugin(site):
    proc = _pytest(["--backend", "toyback", "-v", "tests/guides/test_walkthrough.py"], _env(site))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ran = re.findall(r"::(\w+)\[toyback\] PASSED", proc.stdout)
    assert "test_matmul_gradient_walkthrough" in ran and len(ran) == 4


def test_unknown_backend_on_the_command_line_is_a_usage_error():
    proc = _pytest(["--backend", "nosuch", "tests/guides/test_walkthrough.py"], _env())
    assert proc.returncode == 4
    assert "--backend nosuch: unknown backend; registered: numpy, array_api_strict" \
        in proc.stderr


def test_matrix_plugin_without_autoload_skips_with_reasons():
    """The root conftest loads the plugin even when entry points are not scanned."""
    proc = _pytest(["-v", "-rs", "tests/guides/test_walkthrough.py"],
                   _env(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "test_matmul_gradient_walkthrough[numpy] PASSED" in proc.stdout
    assert "test_matmul_gradient_walkthrough[array_api_strict] PASSED" in proc.stdout
    cupy = {r["name"]: r for r in mg.list_backends()}["cupy"]
    if cupy["available"]:
        assert "test_matmul_gradient_walkthrough[cupy] PASSED" in proc.stdout
    else:
        assert f"SKIPPED [4] tests/guides/test_walkthrough.py: cupy: {cupy['reason']}" in proc.stdout


USER_TEST = """
import multigrad as mg

def test_on_every_backend(backend):
    assert mg.get_backend() is backend
    x = mg.constant([1.0, 2.0])
    assert x.backend is backend
"""


def test_users_get_the_matrix_plugin_with_dash_p(tmp_path):
    (tmp_path / "test_user.py").write_text(USER_TEST)
    proc = _pytest(["-p", "multigrad.testing.pytest_plugin", "-v", "--backend",
                    "numpy,array_api_strict"], _env(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "test_on_every_backend[numpy] PASSED" in proc.stdout
    assert "test_on_every_backend[array_api_strict] PASSED" in proc.stdout


def test_the_matrix_plugin_is_opt_in_with_one_conftest_line(tmp_path):
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["multigrad.testing.pytest_plugin"]\n')
    (tmp_path / "test_user.py").write_text(USER_TEST)
    proc = _pytest(["-v", "--backend", "numpy"], _env(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "test_on_every_backend[numpy] PASSED" in proc.stdout


OTHER_PROJECT_TEST = """
import pytest

@pytest.fixture
def backend():
    return "theirs"

def test_own_fixture(backend):
    assert backend == "theirs"
"""


def test_an_unrelated_project_keeps_its_own_backend_fixture(tmp_path):
    """Installing multigrad changes no other project's test run: no pytest11 entry point
    loads the matrix plugin, and no --backend option appears."""
    assert "multigrad.testing.pytest_plugin" not in [
        ep.value for ep in importlib.metadata.entry_points(group="pytest11")]
    (tmp_path / "test_other.py").write_text(OTHER_PROJECT_TEST)
    proc = _pytest(["-v"], _env(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "test_own_fixture PASSED" in proc.stdout and "SKIPPED" not in proc.stdout
    usage = _pytest(["--help"], _env(), cwd=tmp_path).stdout
    assert "--backend" not in usage
