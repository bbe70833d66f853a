"""The cross-backend test matrix as a pytest plugin (entry point ``pytest11``).

Any test that takes the ``backend`` fixture runs once per registered backend, with
that backend selected (``mg.use_backend``) for its duration. Unavailable backends
appear as skips that state their reason. Narrow the matrix with ``--backend NAME``
(repeatable or comma-separated) or the ``MULTIGRAD_TEST_BACKENDS`` environment variable.
"""

import os

import pytest

ENV_VAR = "MULTIGRAD_TEST_BACKENDS"


def pytest_addoption(parser):
    group = parser.getgroup("multigrad", "multigrad backend matrix")
    group.addoption("--backend", action="append", default=[], metavar="NAME",
                    help="run the backend matrix only on NAME (repeatable, or comma-separated; "
                         f"default: every registered backend, or ${ENV_VAR})")


def pytest_configure(config):
    if _selected(config):       # a misspelt --backend fails at once, as a usage error
        _matrix(config)


def _selected(config):
    names = []
    for item in config.getoption("backend") or [os.environ.get(ENV_VAR, "")]:
        names.extend(n.strip() for n in item.split(",") if n.strip())
    return names


def _matrix(config):
    import multigrad as mg
    cached = getattr(config, "_multigrad_matrix", None)
    if cached is not None:
        return cached
    rows = {row["name"]: row for row in mg.list_backends()}
    wanted = _selected(config) or list(rows)
    params = []
    for name in wanted:
        row = rows.get(name)
        if row is None:
            raise pytest.UsageError(
                f"--backend {name}: unknown backend; registered: {', '.join(rows)}")
        marks = () if row["available"] else (
            pytest.mark.skip(reason=f"{name}: {row['reason']}"),)
        params.append(pytest.param(name, marks=marks, id=name))
    config._multigrad_matrix = params
    return params


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", _matrix(metafunc.config), indirect=True)


@pytest.fixture
def backend(request):
    """The Backend under test, selected for the duration of the test."""
    import multigrad as mg
    with mg.use_backend(request.param) as selected:
        yield selected
