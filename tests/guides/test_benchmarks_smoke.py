"""The benchmark suite runs end to end at smoke sizes, and every gradient it times is right.

No timing is asserted: benchmarks measure, tests do not judge speed. Peer libraries are
optional (CI has none): a missing one is a missing column, never a failure.
"""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMED = ("W1", "W2", "W3", "W4a", "W4b", "W5", "W5mem")

pytestmark = pytest.mark.skipif(not os.path.isdir(os.path.join(ROOT, "benchmarks")),
                                reason="the benchmarks/ folder is not in this checkout")


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    raw = tmp_path_factory.mktemp("bench") / "results.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [ROOT, os.path.join(ROOT, "backends")] + [p for p in [env.get("PYTHONPATH")] if p])
    env.pop("MULTIGRAD_BACKEND", None)
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--json", str(raw)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout, json.loads(raw.read_text())


def test_smoke_run_prints_every_workload(smoke):
    table, _ = smoke
    for w in TIMED + ("W6",):
        assert f"| {w} |" in table, table
    assert "| floor | multigrad | target |" in table


def test_smoke_gradients_were_verified(smoke):
    table, results = smoke
    assert "wrong gradient" not in table
    for column in ("floor", "multigrad"):
        cells = results["columns"][column]["results"]
        for w in TIMED:
            ok = ("ok", "unsupported") if w == "W5mem" else ("ok",)   # W5mem: Linux only
            assert cells[w]["status"] in ok, (column, w, cells[w])


def test_import_does_not_load_cupy_or_peers(smoke):
    _, results = smoke
    cell = results["W6"]["multigrad"]
    assert cell["status"] == "ok" and cell["loaded"] == []


def test_missing_peer_is_a_missing_column_not_an_error():
    sys.path.insert(0, ROOT)
    try:
        from benchmarks import report
    finally:
        sys.path.remove(ROOT)
    results = {"columns": {
        "floor": {"info": {"version": "x"}, "results": {"W1": {"status": "ok", "time_s": 1e-4,
                                                                "ops": 61}}},
        "multigrad": {"info": {"version": "y"}, "results": {"W1": {"status": "ok",
                                                                    "time_s": 2e-4, "ops": 61}}},
        "torch": {"missing": "not installed (torch)"}}}
    text = report.markdown(results, ["W1"], ["floor", "multigrad", "torch"], command="test",
                           date="today", backend="numpy", size="smoke")
    assert "Missing columns: torch (not installed (torch))" in text
    assert "| id | workload | floor | multigrad | target |" in text
    assert "(2.00x)" in text
