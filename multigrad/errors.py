"""Exceptions that are part of multigrad's public API; ``mg.errors`` is also ``tf.errors``.

TensorFlow's error classes (``mg.errors.InvalidArgumentError`` ...) subclass both
``OpError`` and the built-in exception multigrad raised before them, so code catching
either keeps working: an op given invalid arguments raises ``InvalidArgumentError``, a
``ValueError``; an index out of range ``InvalidIndexError``, both ``InvalidArgumentError``
(as TF) and ``IndexError`` (as NumPy).
"""


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


class LeakedTensorError(TracingError, AttributeError, TypeError):
    """A tensor made while tracing was used after its trace ended. It is also an
    AttributeError and a TypeError, what TensorFlow raises for a graph tensor used
    eagerly (``.numpy()``, an op), so code written for TF catches it."""


class PerformanceWarning(UserWarning):
    """Code that works but is much slower than it needs to be."""


class AxisError(ValueError, IndexError):
    """An axis out of range for a tensor's rank (NumPy's ``numpy.exceptions.AxisError`` is
    also both a ValueError and an IndexError, so code catching either keeps working)."""


# --- TensorFlow's error classes (tf.errors) --------------------------------------------------

# TF's canonical error codes (tf.errors.OK ...), the values of ``OpError.error_code``.
OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND = 0, 1, 2, 3, 4, 5
ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION = 6, 7, 8, 9
ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS = 10, 11, 12, 13, 14, 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """TF's base class of errors raised by operations.

    Built as TF's, ``OpError(node_def, op, message)`` (or ``InvalidArgumentError(None, None,
    "message")``), or with the message alone. ``str(e)`` is the message.
    """

    error_code = UNKNOWN

    def __init__(self, *args, error_code=None, **kwargs):
        if len(args) >= 3:
            node_def, op, message = args[:3]
        else:
            node_def, op = kwargs.pop("node_def", None), kwargs.pop("op", None)
            message = args[0] if args else kwargs.pop("message", "")
        super().__init__(message)
        self.node_def, self.op, self.message = node_def, op, message
        if error_code is not None:
            self.error_code = error_code

    def experimental_payloads(self):
        return {}

    def __str__(self):
        return str(getattr(self, "message", super().__str__()))

    def __reduce__(self):
        return type(self), (self.node_def, self.op, self.message)


def _error(name, code, doc, *builtins):
    return type(name, (OpError, *builtins), {"__doc__": doc, "error_code": code,
                                             "__module__": __name__})


CancelledError = _error("CancelledError", CANCELLED, "An operation was cancelled.")
UnknownError = _error("UnknownError", UNKNOWN, "An error of no other kind.", RuntimeError)
InvalidArgumentError = _error(
    "InvalidArgumentError", INVALID_ARGUMENT,
    "An op received an invalid argument (shapes that do not match, a bad size ...); also a "
    "ValueError.", ValueError)
DeadlineExceededError = _error("DeadlineExceededError", DEADLINE_EXCEEDED,
                               "A deadline expired before the operation completed.")
NotFoundError = _error("NotFoundError", NOT_FOUND, "A requested entity (a file) was not "
                       "found.", LookupError)
AlreadyExistsError = _error("AlreadyExistsError", ALREADY_EXISTS,
                            "An entity that we attempted to create already exists.")
PermissionDeniedError = _error("PermissionDeniedError", PERMISSION_DENIED,
                               "The caller may not run the operation.")
UnauthenticatedError = _error("UnauthenticatedError", UNAUTHENTICATED,
                              "The request lacks valid credentials.")
ResourceExhaustedError = _error("ResourceExhaustedError", RESOURCE_EXHAUSTED,
                                "Some resource (memory) is exhausted; also a MemoryError.",
                                MemoryError)
FailedPreconditionError = _error("FailedPreconditionError", FAILED_PRECONDITION,
                                 "The system is not in a state to run the operation.",
                                 RuntimeError)
AbortedError = _error("AbortedError", ABORTED, "The operation was aborted.")
OutOfRangeError = _error("OutOfRangeError", OUT_OF_RANGE,
                         "An operation iterated past the valid input range.")
UnimplementedError = _error("UnimplementedError", UNIMPLEMENTED,
                            "The operation is not implemented or supported; also a "
                            "NotImplementedError.", NotImplementedError)
InternalError = _error("InternalError", INTERNAL, "An internal invariant was broken.",
                       RuntimeError)
UnavailableError = _error("UnavailableError", UNAVAILABLE, "The runtime is unavailable.")
DataLossError = _error("DataLossError", DATA_LOSS, "Unrecoverable data loss or corruption.")


class InvalidIndexError(InvalidArgumentError, IndexError):
    """An index out of range or of the wrong kind: TF's InvalidArgumentError, NumPy's
    IndexError (multigrad's own class; ``except IndexError`` keeps working)."""


_BY_CODE = {cls.error_code: cls for cls in (
    CancelledError, UnknownError, InvalidArgumentError, DeadlineExceededError, NotFoundError,
    AlreadyExistsError, PermissionDeniedError, UnauthenticatedError, ResourceExhaustedError,
    FailedPreconditionError, AbortedError, OutOfRangeError, UnimplementedError, InternalError,
    UnavailableError, DataLossError)}


def exception_type_from_error_code(error_code):
    """The OpError subclass of a TF error code (KeyError for an unknown one)."""
    return _BY_CODE[error_code]


def error_code_from_exception_type(cls):
    """The TF error code of an OpError subclass (UNKNOWN for other classes)."""
    return getattr(cls, "error_code", UNKNOWN) if isinstance(cls, type) \
        and issubclass(cls, OpError) else UNKNOWN
