"""docs/ops.md and the implementation stay in sync (issue: the op list is part of the API)."""

import pathlib
import re

import multigrad as mg
import multigrad.ops as ops_package

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "ops.md"
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


def test_differentiable_column_matches_the_primitives():
    wrong = []
    for ns, names, _, text in documented_rows():
        for n in names:
            prim = getattr(getattr(ns, n), "primitive", None)
            if prim is not None and prim.differentiable != (not text.startswith("no")):
                wrong.append(f"{n}: doc says {text!r}")
    assert not wrong, wrong
