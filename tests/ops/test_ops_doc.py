"""docs/ops.md and the implementation stay in sync (issue: the op list is part of the API)."""

import pathlib
import re

import multigrad as mg
import multigrad.ops as ops_package

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "ops.md"
NAMESPACES = {"mg.nn": mg.nn, "mg.linalg": mg.linalg, "mg.fft": mg.fft, "mg.math": mg.math}
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def documented_rows():
    """(namespace, names, aliases, differentiable text) for every table row of docs/ops.md."""
    namespace, columns, rows = mg, None, []
    for line in DOC.read_text().splitlines():
        if line.startswith("## "):
            namespace = NAMESPACES.get(line[3:].strip(), mg)
            columns = None
        elif line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if cells[0] == "op":
                columns = cells
                continue
            row = dict(zip(columns, cells))
            names = [_name(n) for n in re.sub(r"\(.*?\)", "", row["op"]).split(",")]
            aliases = [_name(a) for a in row.get("aliases", "").replace(";", ",").split(",")]
            rows.append((namespace, [n for n in names if n], [a for a in aliases if a],
                         row["differentiable"]))
    return rows


def _name(text):
    text = text.strip().strip("`").strip()
    return text if IDENTIFIER.match(text) and text != "operators" else None


def test_every_documented_op_exists():
    missing = [f"{ns.__name__}.{n}" for ns, names, aliases, _ in documented_rows()
               for n in names + aliases if not callable(getattr(ns, n, None))]
    assert not missing, f"documented in docs/ops.md but not implemented: {missing}"


def test_every_public_op_is_documented():
    documented = {(ns.__name__, n) for ns, names, aliases, _ in documented_rows()
                  for n in names + aliases}
    from multigrad.ops import creation
    not_ops = set(creation.__all__)        # creation and conversion: README, not the op list
    missing = [n for n in ops_package.__all__
               if n not in not_ops and ("multigrad", n) not in documented]
    for ns in NAMESPACES.values():
        missing += [f"{ns.__name__}.{n}" for n in getattr(ns, "__all__", [])
                    if (ns.__name__, n) not in documented]
    assert not missing, f"public ops missing from docs/ops.md: {missing}"


def _public_ops():
    yield from ((mg, n) for n in ops_package.__all__)
    for ns in NAMESPACES.values():
        yield from ((ns, n) for n in ns.__all__)


def test_every_public_op_declares_whether_it_is_differentiable():
    # ops/_define is the one way to make a public op: it always sets these attributes.
    undeclared = [f"{ns.__name__}.{n}" for ns, n in _public_ops()
                  if not isinstance(getattr(getattr(ns, n), "differentiable", None), bool)]
    assert not undeclared, f"public ops not made through multigrad.ops.define: {undeclared}"


def test_differentiable_column_matches_the_primitives():
    wrong = []
    for ns, names, aliases, text in documented_rows():
        for n in names + aliases:
            fn = getattr(ns, n)
            if fn.differentiable != (not text.startswith("no")):
                wrong.append(f"{n}: doc says {text!r}, the op says {fn.differentiable}")
            if fn.primitive is not None and fn.primitive.differentiable != fn.differentiable:
                wrong.append(f"{n}: its primitive disagrees with the op")
    assert not wrong, wrong


def test_aliases_are_the_same_functions():
    from multigrad.ops.aliases import ALIASES
    assert all(getattr(mg, alias) is getattr(mg, name) for alias, name in ALIASES.items())
    assert all(getattr(ops_package.tensor_ops, alias) is getattr(mg, name)
               for alias, name in ALIASES.items())


def _extras_in_table(path, heading):
    """The backticked names in the first column of the table under ``heading``."""
    text = path.read_text()
    table = text[text.index(heading):].split("\n\n")[1]
    return [re.match(r"\| `(\w+)", row).group(1) for row in table.splitlines()[2:]]


def test_the_extras_tables_list_exactly_the_extras():
    from multigrad.backend.spec import EXTRAS
    root = DOC.parent.parent
    assert sorted(_extras_in_table(root / "docs" / "design.md", "The list is")) == sorted(EXTRAS)
    assert sorted(_extras_in_table(root / "README.md", "**Extras**")) == sorted(EXTRAS)


def test_every_numpy_name_maps_to_a_documented_op():
    # np.f(t) runs the op numpy_dispatch's table names: it must be one docs/ops.md lists.
    from multigrad.ops.numpy_dispatch import numpy_table
    documented = {id(getattr(ns, n)) for ns, names, aliases, _ in documented_rows()
                  for n in names + aliases}
    undocumented = [f"np.{key} -> {op.__module__}.{op.__name__}"
                    for key, op in numpy_table().items() if id(op) not in documented]
    assert not undocumented, f"NumPy names dispatched to undocumented ops: {undocumented}"
