"""Install multigrad the way a user does and use it from outside the checkout.

Run by ``.ci/run`` (any Python >= 3.10 with pip and venv; network to the package index):

1. build the wheel (``pip wheel --no-deps .``) and check that it holds every module of the
   source tree (``multigrad/`` and ``backends/multigrad_*/``): a package left out of the
   wheel turns CI red here;
2. install it into a fresh virtual environment, and from a folder outside the checkout import
   every submodule, run ``multigrad backends``, ``python -m multigrad demo`` and
   ``demo --function``, and check that an unavailable backend is a one-line error (exit 2);
3. install the README's third-party plugin (``toyback``) as a real distribution and compute
   a gradient on it;
4. run an unrelated project's tests that define their own ``backend`` fixture: installing
   multigrad must not change them (the matrix plugin is opt-in), and the one documented line
   opts in.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sh(*cmd, cwd=None, env=None, check=True):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, text=True,
                          capture_output=True)
    if check and done.returncode != 0:
        sys.exit(f"FAILED ({done.returncode}): {' '.join(map(str, cmd))}\n"
                 f"{done.stdout}\n{done.stderr}")
    return done


def source_modules():
    """Every module the wheel must hold, as paths inside the wheel."""
    found = {p.relative_to(ROOT).as_posix() for p in (ROOT / "multigrad").rglob("*.py")}
    for plugin in (ROOT / "backends").glob("multigrad_*"):
        found |= {p.relative_to(ROOT / "backends").as_posix() for p in plugin.rglob("*.py")}
    return found


def build_wheel(out):
    # From a copy without build outputs: setuptools' build/ folder would carry modules that
    # pyproject.toml no longer includes into the wheel, hiding the very mistake checked here.
    source = Path(out, "source")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", ".venv*", "__pycache__", ".pytest_cache"))
    sh(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", out, source)
    wheel, = Path(out).glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(source_modules() - names)
    if missing:
        sys.exit("the wheel lacks modules of the source tree (is a package excluded in "
                 "pyproject.toml?):\n  " + "\n  ".join(missing))
    if not any(n.endswith("/licenses/LICENSE") for n in names):
        sys.exit("the wheel carries no LICENSE file")
    print(f"wheel {wheel.name}: {len(names)} files, every source module present")
    return wheel


IMPORT_ALL = """
import importlib, pkgutil, multigrad, multigrad_numpy
assert 'site-packages' in multigrad.__file__, multigrad.__file__
names = [m.name for m in pkgutil.walk_packages(multigrad.__path__, 'multigrad.')]
for name in names:
    importlib.import_module(name)
import multigrad as mg
for attr in ('function', 'random', 'Module', 'TracingError', 'GradientTape'):
    getattr(mg, attr)
print(len(names), 'submodules imported')
"""


def check_cli(py, outside):
    sh(py, "-c", IMPORT_ALL, cwd=outside)
    sh(py, "-m", "multigrad", "backends", cwd=outside)
    for extra in ([], ["--function"]):
        out = sh(py, "-m", "multigrad", "demo", *extra, cwd=outside).stdout
        if "loss" not in out:
            sys.exit(f"demo {extra} printed no walkthrough:\n{out}")
    bad = sh(py, "-m", "multigrad", "demo", "--backend", "cupy", cwd=outside, check=False)
    lines = bad.stderr.strip().splitlines()
    if bad.returncode != 2 or len(lines) != 1 or "Traceback" in bad.stderr:
        sys.exit(f"an unavailable backend must be a one-line error with exit code 2, got "
                 f"{bad.returncode}:\n{bad.stderr}")


def readme_plugin():
    section = (ROOT / "README.md").read_text().split("## Writing a backend plugin", 1)[1]
    module = re.search(r"```python\n# toyback/__init__.py\n(.*?)```", section, re.S).group(1)
    toml = re.search(r"```toml\n# its pyproject.toml\n(.*?)```", section, re.S).group(1)
    return module, toml


def check_plugin(py, work, outside):
    module, entry_points = readme_plugin()
    project = Path(work, "toyback")
    (project / "toyback").mkdir(parents=True)
    (project / "toyback" / "__init__.py").write_text(module)
    (project / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["setuptools>=77"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "toyback"
        version = "0.1"
        dependencies = ["array-api-strict>=2.3"]
        """) + entry_points)
    sh(py, "-m", "pip", "install", "--quiet", project)
    sh(py, "-c", textwrap.dedent("""\
        import multigrad as mg
        assert any(r['name'] == 'toyback' and r['available'] for r in mg.list_backends())
        with mg.use_backend('toyback'):
            x = mg.Variable([1.0, 2.0])
            with mg.GradientTape() as tape:
                y = mg.reduce_sum(x * x)
            g = tape.gradient(y, x)
        assert g.backend.name == 'toyback' and g.numpy().tolist() == [2.0, 4.0], g
        print('toyback plugin: gradient', g.numpy())
        """), cwd=outside)


OTHER_PROJECT_TEST = """
import pytest

@pytest.fixture
def backend():
    return "theirs"

def test_own_fixture(backend):
    assert backend == "theirs"
"""


def check_pytest_isolation(py, work):
    project = Path(work, "other_project")
    project.mkdir()
    (project / "test_other.py").write_text(OTHER_PROJECT_TEST)
    out = sh(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project).stdout
    if "1 passed" not in out or "skipped" in out:
        sys.exit(f"an unrelated project's backend fixture was changed by multigrad:\n{out}")
    if "--backend" in sh(py, "-m", "pytest", "--help", cwd=project).stdout:
        sys.exit("installing multigrad added --backend to every pytest run")
    # The documented opt-in line turns the matrix on.
    (project / "conftest.py").write_text('pytest_plugins = ["multigrad.testing.pytest_plugin"]\n')
    (project / "test_other.py").write_text(
        "def test_matrix(backend):\n    assert backend.name == 'numpy'\n")
    out = sh(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--backend", "numpy",
             cwd=project).stdout
    if "1 passed" not in out:
        sys.exit(f"the opt-in matrix plugin did not run:\n{out}")
    print("pytest: an unrelated project keeps its own fixture; the opt-in line works")


def main():
    with tempfile.TemporaryDirectory(prefix="multigrad-install-") as work:
        wheel = build_wheel(Path(work, "dist"))
        env_dir = Path(work, "venv")
        venv.EnvBuilder(with_pip=True).create(env_dir)
        py = env_dir / "bin" / "python"
        sh(py, "-m", "pip", "install", "--quiet", wheel, "pytest")
        outside = Path(work, "elsewhere")
        outside.mkdir()
        check_cli(py, outside)
        check_plugin(py, work, outside)
        check_pytest_isolation(py, work)
    print("install check: ok")


if __name__ == "__main__":
    os.environ.pop("PYTHONPATH", None)
    main()
