"""Backend selection at run time (discovery is ``registry.py``).

Precedence, highest first: the arrays an op receives; ``use_backend`` (context-local);
``set_backend``; the ``MULTIGRAD_BACKEND`` environment variable read at import; "numpy".
Plugins are discovered lazily, on the first lookup, so ``import multigrad`` stays cheap
and a broken plugin never breaks it.
"""

import contextlib
import contextvars
import os

from ..errors import BackendMismatchError, UnknownBackendError
from .registry import BackendRegistry

__all__ = ["get_backend", "set_backend", "use_backend", "list_backends", "load_backend",
           "backend_names", "infer_backend", "register_backend"]

ENV_VAR = "MULTIGRAD_BACKEND"

REGISTRY = BackendRegistry()   # the process's registry (tests build their own)
_traced_type = None   # late-bound slot (multigrad/slots.py): mg.function's proxy type

# The process default: the environment variable read once, at import.
_default_name = os.environ.get(ENV_VAR, "").strip() or "numpy"
_default_from_env = bool(os.environ.get(ENV_VAR, "").strip())
_default = None
_override = contextvars.ContextVar("multigrad_backend", default=None)


def load_backend(name):
    """The Backend object registered under ``name`` (loading it if needed)."""
    if not isinstance(name, str):
        if hasattr(name, "ops") and hasattr(name, "name"):
            return name
        raise TypeError(f"a backend is selected by name (a str), got {type(name).__name__}")
    return REGISTRY.get(name)


def get_backend():
    """The backend used for Python data: ``use_backend`` > ``set_backend`` > env var > numpy."""
    backend = _override.get()
    if backend is not None:
        return backend
    global _default
    if _default is None:
        try:
            _default = REGISTRY.get(_default_name)
        except UnknownBackendError as exc:
            if _default_from_env:
                raise UnknownBackendError(f"{ENV_VAR}={_default_name!r}: {exc}") from None
            raise
    return _default


def set_backend(name):
    """Make ``name`` the process-wide default backend."""
    global _default
    _default = load_backend(name)
    return _default


@contextlib.contextmanager
def use_backend(name):
    """Select a backend inside a ``with`` block (context-local: threads and tasks don't leak)."""
    token = _override.set(load_backend(name))
    try:
        yield _override.get()
    finally:
        _override.reset(token)


def list_backends():
    """Every registered backend: name, available, reason (when not), version, device."""
    return REGISTRY.describe_all()


def register_backend(spec, replace=False):
    """Register a ``BackendSpec`` without a plugin distribution (e.g. in a test or script)."""
    REGISTRY.add(spec, replace=replace)
    return spec


def backend_names():
    return REGISTRY.names()


def infer_backend(obj):
    if type(obj) is _traced_type:
        # A raw array while mg.function traces is its proxy: the backend of the array
        # it stands for (a rule's params, fft's weights, hold such raw arrays).
        obj = obj.real
    return REGISTRY.backend_for_array(obj)


def mismatch_error(opname, first, second):
    return BackendMismatchError(
        f"{opname}: inputs live on different backends ({first.name!r} and {second.name!r}). "
        f"Move one of them first, e.g. mg.to_backend(x, {first.name!r}).")
