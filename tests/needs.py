"""Skips for optional libraries that may be installed but unusable (imported by tests)."""

import pytest


def require_distributed():
    """``dask.distributed``, or a skip saying why it cannot be used: missing, or installed
    but broken (e.g. a release that does not match the installed dask)."""
    import multigrad_dask
    problem = multigrad_dask.distributed_problem()
    if problem is not None:
        pytest.skip(problem)
    import distributed
    return distributed
