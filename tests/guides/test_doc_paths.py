"""Every repository path and every ``multigrad.`` module path that README.md and docs/*.md
name exists: a file moved or renamed without its documentation fails here."""

import importlib
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FILES = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
         if ".git" not in p.parts and "__pycache__" not in p.parts]

# A path in backticks: folders and files of the repository (``multigrad/core/tensor.py``,
# ``tests/optable.py::core_sweep_row``, ``examples/``), or a bare file name (``tape.py``).
_PATH = re.compile(r"^(?:[\w.-]+/)*[\w.-]+(?:\.(?:py|md|toml|txt|json)|/)(?:::\w+)?$")
_MODULE = re.compile(r"^multigrad(?:\.\w+)+")
NOT_MODULES = {"multigrad.backends"}      # the plugins' entry-point group


def _spans(path):
    return re.findall(r"`([^`\n]+)`", path.read_text())


def named_paths():
    for doc in DOCS:
        for span in _spans(doc):
            if _PATH.match(span) and not span.startswith(("../", "http")):
                yield doc.name, span.split("::")[0]


def named_modules():
    for doc in DOCS:
        for span in _spans(doc):
            m = _MODULE.match(span)
            if m and m.group(0) not in NOT_MODULES:
                yield doc.name, m.group(0)


def exists(path):
    """A path from the repository root or from ``multigrad/``, or a bare name (``tape.py``,
    ``ops/define.py``) that ends some path of the repository."""
    if (ROOT / path).exists() or (ROOT / "multigrad" / path).exists():
        return True
    suffix = "/" + path.rstrip("/")
    return any(f.endswith(suffix) for f in FILES)


def resolves(dotted):
    """``multigrad.a.b.c``: the longest importable module prefix, then attributes."""
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:n]))
        except ImportError:
            continue
        for name in parts[n:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_docs_name_paths_at_all():
    assert len(list(named_paths())) > 20 and len(list(named_modules())) > 3


@pytest.mark.parametrize("doc,path", sorted(set(named_paths())))
def test_named_path_exists(doc, path):
    assert exists(path), f"{doc} names {path!r}, which is not in the repository"


@pytest.mark.parametrize("doc,dotted", sorted(set(named_modules())))
def test_named_module_path_resolves(doc, dotted):
    assert resolves(dotted), f"{doc} names {dotted!r}, which does not resolve"
