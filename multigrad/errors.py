"""Exceptions that are part of multigrad's public API."""


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


class PerformanceWarning(UserWarning):
    """Code that works but is much slower than it needs to be."""


class AxisError(ValueError, IndexError):
    """An axis out of range for a tensor's rank (NumPy's ``numpy.exceptions.AxisError`` is
    also both a ValueError and an IndexError, so code catching either keeps working)."""
