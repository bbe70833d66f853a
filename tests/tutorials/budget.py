"""How long the tutorial programs train: their full schedules on eager backends; one epoch
on a lazy backend (Dask evaluates each step's graph in small test chunks: slow, and the
programs only need to run and learn there)."""


def epochs(backend, full):
    return 1 if backend.lazy else full


def converged(backend, start, end, target):
    """The loss reached ``target`` (eager backends), or at least fell (lazy ones)."""
    return end < start if backend.lazy else end < target
