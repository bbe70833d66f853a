"""The package's folders are its layers (docs/design.md, "The map"): no import runs back up.

Bottom to top: the leaves (errors, dtypes, hookspecs, slots), ``backend/``, ``core/``,
``ops/``, ``autodiff/``, ``tracing/``, and the modules around them. A module imports from
its own layer or below; calls into a higher layer go through ``multigrad/slots.py``.
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]

LAYERS = [
    ("multigrad.errors", "multigrad.dtypes", "multigrad.hookspecs", "multigrad.slots"),
    ("multigrad.backend",),
    ("multigrad.core",),
    ("multigrad.ops",),
    ("multigrad.autodiff",),
    ("multigrad.tracing",),
    ("multigrad.optimizers", "multigrad.random", "multigrad.module", "multigrad.checkpoint",
     "multigrad.debugging", "multigrad.testing", "multigrad.demo", "multigrad.__main__",
     "multigrad.config", "multigrad.placement", "multigrad.data", "multigrad.losses",
     "multigrad.keras", "multigrad.keras_settings", "multigrad.control_flow",
     "multigrad.effects"),
]


def layer_of(module):
    if module == "multigrad":
        return len(LAYERS)                  # the package itself re-exports everything
    for level, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return level
    raise AssertionError(f"{module} is in no layer: add it to tests/test_layers.py LAYERS "
                         f"and to docs/design.md's map")


def _imports(path, module):
    """The multigrad modules ``path`` imports (relative imports resolved)."""
    is_package = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = module.split(".") if is_package else module.split(".")[:-1]
            if node.level:
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            out.add(target)
            out.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in out if m.split(".")[0] == "multigrad"}


def import_graph():
    modules = {}
    for path in sorted((ROOT / "multigrad").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return {name: {m for m in _imports(path, name) if m in modules and m != name}
            for name, path in modules.items()}


def arrows_up(graph):
    """(importer, imported) pairs where the imported module sits in a higher layer. An
    ancestor package named only as the place to import from does not count."""
    return sorted((src, dst) for src, dsts in graph.items() for dst in dsts
                  if layer_of(dst) > layer_of(src) and not src.startswith(dst + "."))


def test_no_import_runs_back_up_the_layers():
    assert arrows_up(import_graph()) == []


def test_every_module_is_in_a_layer():
    for module in import_graph():
        layer_of(module)


def test_an_arrow_up_is_caught():
    graph = {"multigrad.backend.select": {"multigrad.core.tensor"},
             "multigrad.core.tensor": {"multigrad.dtypes"}}
    assert arrows_up(graph) == [("multigrad.backend.select", "multigrad.core.tensor")]
