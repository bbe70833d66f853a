"""Root conftest: the whole suite runs through multigrad's backend matrix plugin."""

import collections
import os

# The dask backend cuts data into chunks of 2 elements per axis in the test matrix, so that
# every op and rule crosses chunk boundaries (set before the backend loads; examples run in
# subprocesses inherit it).
os.environ.setdefault("MULTIGRAD_DASK_CHUNKS", "2")
# ... but at most 8 chunks per axis: a long axis gets longer chunks, so a test on a few
# thousand elements still crosses chunk boundaries without becoming thousands of tasks.
os.environ.setdefault("MULTIGRAD_DASK_MAX_CHUNKS", "8")

pytest_plugins = ["multigrad.testing.pytest_plugin"]


def pytest_addoption(parser):
    parser.addoption("--fuzz", type=int, default=0, metavar="N",
                     help="tests/tracing/test_differential.py: run N random programs per backend "
                          "(fresh ones each run) instead of the seeded CI budget")


def pytest_terminal_summary(terminalreporter):
    """Each skip reason once, with its count (pytest's -rs lists one line per test file,
    and the matrix's unavailable-backend reason is the same in every file)."""
    counts = collections.Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        counts[reason.removeprefix("Skipped: ")] += 1
    if counts:
        terminalreporter.write_sep("-", "skips by reason")
        for reason, n in counts.most_common():
            terminalreporter.write_line(f"{n:6d}  {reason}")
