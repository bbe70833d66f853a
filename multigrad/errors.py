"""Exceptions that are part of multigrad's public API, and the install hints they give."""

# The name on the package index ("multigrad" there is an unrelated project); the import
# name and the command stay "multigrad".
DISTRIBUTION = "multigrad-tape"


def install_hint(extra):
    """The pip commands that install one of multigrad's extras, published or from a checkout."""
    return f'pip install "{DISTRIBUTION}[{extra}]" (from a checkout: pip install ".[{extra}]")'


class BackendError(Exception):
    """Base class of every backend-related error."""


class UnknownBackendError(BackendError, ValueError):
    """A backend name that no plugin registers."""


class BackendUnavailableError(BackendError, RuntimeError):
    """A registered backend that cannot run here (library missing, no device, broken plugin)."""

    def __init__(self, name, reason):
        self.name = name
        self.reason = reason
        super().__init__(
            f"backend {name!r} is not available here: {reason}. "
            f"Run 'python -m multigrad backends' to see which backends can run.")


class BackendMismatchError(BackendError, TypeError):
    """Arrays of two different backends met in one operation."""


class TracingError(RuntimeError):
    """Something a traced function (``mg.function``) did cannot be replayed."""


class PerformanceWarning(UserWarning):
    """Code that works but is much slower than it needs to be."""


class AxisError(ValueError, IndexError):
    """An axis out of range for a tensor's rank (NumPy's ``numpy.exceptions.AxisError`` is
    also both a ValueError and an IndexError, so code catching either keeps working)."""
