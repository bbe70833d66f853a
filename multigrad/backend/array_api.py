"""Any Python Array API namespace as a multigrad backend, in one call.

``array_api_spec`` builds the ``BackendSpec`` for a standard-conforming namespace (a module,
or its import name so that it is imported only when the backend is first used);
``register_array_api_backend`` registers one at run time. The built-in
``array_api_strict`` plugin is one ``array_api_spec`` call. ``move_array`` moves raw arrays
between backends (DLPack when both sides support it, else through host NumPy).
"""

import importlib

from .spec import Backend, BackendSpec
from .select import register_backend

__all__ = ["array_api_spec", "array_api_backend", "register_array_api_backend", "move_array"]

# What a DLPack exchange raises when the two sides cannot share memory (another device,
# a dtype DLPack lacks, a namespace without from_dlpack ...): then we go through the host.
_DLPACK_ERRORS = (BufferError, TypeError, ValueError, RuntimeError, AttributeError,
                  NotImplementedError)


def _namespace(namespace):
    if isinstance(namespace, str):
        return importlib.import_module(namespace)
    if callable(namespace) and not hasattr(namespace, "asarray"):
        return namespace()
    return namespace


def _default_device(xp):
    """A short description of where the namespace computes ("cpu" for host memory)."""
    try:
        if xp.asarray(0.0).__dlpack_device__()[0] == 1:    # kDLCPU
            return "cpu"
    except Exception:  # noqa: BLE001 - only used for display
        pass
    info = getattr(xp, "__array_namespace_info__", None)
    if info is not None:
        try:
            return str(info().default_device())
        except Exception:  # noqa: BLE001
            pass
    return "unknown"


def _host_copy(array):
    import numpy  # host conversion only; never used for math
    try:
        return numpy.array(numpy.from_dlpack(array), copy=True)
    except _DLPACK_ERRORS:
        return numpy.array(array, copy=True)


def array_api_backend(name, namespace, array_types=None, *, version=None, device=None,
                      to_numpy=None, from_numpy=None, synchronize=None, extras=None):
    """A loaded ``Backend`` computing with a standard-conforming ``namespace``.

    Defaults: ``array_types`` is the type of ``namespace.asarray(0.0)``; ``to_numpy``
    goes through DLPack (``numpy.from_dlpack``, a copy), falling back to
    ``numpy.asarray``; ``from_numpy`` is ``namespace.asarray``. ``extras`` supplies faster
    versions of the functions outside the standard (``index_add``); without them the
    generic Array-API fallbacks in ``multigrad.array_backend`` are used.
    """
    xp = _namespace(namespace)
    if array_types is None:
        array_types = (type(xp.asarray(0.0)),)
    elif isinstance(array_types, type):
        array_types = (array_types,)
    return Backend(
        name, xp, array_types,
        version=getattr(xp, "__version__", "") if version is None else version,
        device=_default_device(xp) if device is None else device,
        to_numpy=_host_copy if to_numpy is None else to_numpy,
        from_numpy=xp.asarray if from_numpy is None else from_numpy,
        synchronize=synchronize, extras=extras)


def array_api_spec(name, namespace, array_types=None, *, array_modules=None, description="",
                   **backend_options):
    """The ``BackendSpec`` of an Array API namespace (what a plugin's hook returns).

    ``namespace`` is the namespace itself or its import name (a str, imported lazily, on
    first use). ``array_modules`` names the top-level modules whose arrays this backend
    owns, for inferring the backend from a raw array; by default the namespace's own
    top-level module (or that of the given array types).
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"a backend name must be a non-empty str, got {name!r}")
    if not (isinstance(namespace, str) or hasattr(namespace, "asarray") or callable(namespace)):
        raise TypeError(
            f"register {name!r}: namespace must be an Array API namespace (a module or object "
            f"with asarray, zeros, ...), its import name, or a callable returning it; got "
            f"{type(namespace).__name__}")
    if array_modules is None:
        if array_types is not None:
            types = (array_types,) if isinstance(array_types, type) else tuple(array_types)
            array_modules = tuple({t.__module__.partition(".")[0] for t in types})
        elif isinstance(namespace, str):
            array_modules = (namespace.partition(".")[0],)
        else:
            array_modules = ((getattr(namespace, "__name__", "") or "").partition(".")[0],)
    elif isinstance(array_modules, str):
        array_modules = (array_modules,)

    def load():
        return array_api_backend(name, namespace, array_types, **backend_options)
    return BackendSpec(name, load, array_modules=array_modules,
                       description=description or f"Array API namespace {_label(namespace)}")


def _label(namespace):
    return namespace if isinstance(namespace, str) else getattr(namespace, "__name__",
                                                                type(namespace).__name__)


def register_array_api_backend(name, namespace, array_types=None, *, replace=False, **options):
    """Register any Python Array API namespace as backend ``name``; returns its spec.

    ``mg.register_array_api_backend("strict", "array_api_strict")`` and then
    ``mg.use_backend("strict")``: the whole tape, every op and rule, runs on it.
    Options are those of ``array_api_spec``/``array_api_backend`` (``array_modules``,
    ``version``, ``device``, ``to_numpy``, ``from_numpy``, ``synchronize``, ``extras``).
    """
    spec = array_api_spec(name, namespace, array_types, **options)
    register_backend(spec, replace=replace)
    return spec


def move_array(value, source, target):
    """A raw array of backend ``source`` as an array of backend ``target``.

    DLPack (zero-copy where possible) when both sides support it, else a copy through
    host NumPy (``source.to_numpy`` then ``target.asarray``).
    """
    from_dlpack = getattr(target.ops, "from_dlpack", None)
    if from_dlpack is not None and hasattr(value, "__dlpack__"):
        try:
            moved = from_dlpack(value)
        except _DLPACK_ERRORS:
            moved = None
        if moved is not None and isinstance(moved, target.array_types):
            return moved
    return target.asarray(source.to_numpy(value))
