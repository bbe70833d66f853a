"""What a backend plugin hands to the core.

``BackendSpec`` is the cheap description a plugin returns from its hook (a name,
which array modules it owns, and a ``load`` callable). ``load()`` returns a
``Backend``: the array namespace plus the few things the Array API standard does
not cover. The core's per-op path is an attribute lookup on ``Backend.ops``.
"""

import contextlib

from .. import dtypes as _dt
from .fallbacks import (einsum_fallback, generic_getitem, generic_index_add,
                        generic_index_update)

__all__ = ["Backend", "BackendSpec", "ArrayOps", "EXTRAS"]

# The functions outside the Array API standard a backend may supply as ``extras``; each
# has a generic version on ``ArrayOps`` (docs/design.md and the README list exactly these).
EXTRAS = ("index_add", "getitem", "einsum", "index_update", "broadcast_like", "known_shape",
          "index_mask", "compute", "inplace_ufunc")


class BackendSpec:
    """A registered backend before it is loaded.

    name:           the name users select it by ("numpy", "cupy", ...).
    load:           callable returning a ``Backend``; raise ``BackendUnavailableError``
                    (or ImportError) with a precise reason when it cannot run here.
    array_modules:  top-level module names whose array types this backend owns, used to
                    infer the backend from raw arrays without importing the library.
    """

    def __init__(self, name, load, array_modules=(), description=""):
        self.name = name
        self.load = load
        self.array_modules = tuple(array_modules)
        self.description = description

    def owns(self, obj):
        module = type(obj).__module__ or ""
        return module.partition(".")[0] in self.array_modules

    def __repr__(self):
        return f"BackendSpec({self.name!r})"


class ArrayOps:
    """The array vocabulary that forward functions and VJP rules use on raw arrays.

    Names follow the Python Array API standard. Anything not defined here is looked
    up on the namespace itself (and cached), so a standard-conforming namespace needs
    no adapter; ``extras`` lets a backend supply faster or missing functions.
    The Tensor-level twin of this object is ``multigrad.ops.tensor_ops``.
    """

    def __init__(self, backend, namespace, extras=None):
        self._backend = backend
        self._xp = namespace
        for name, fn in (extras or {}).items():
            setattr(self, name, fn)

    def __getattr__(self, name):
        if name.startswith("__") or name in ("_xp", "_backend"):
            # copy/pickle probe dunders on an instance whose __init__ has not run; looking
            # them up on self._xp would call __getattr__("_xp") again, forever.
            raise AttributeError(name)
        try:
            fn = getattr(self._xp, name)
        except AttributeError:
            raise AttributeError(
                f"backend {self._backend.name!r} provides no array function {name!r}; "
                f"a backend plugin can supply it through Backend(..., extras={{{name!r}: ...}})"
            ) from None
        setattr(self, name, fn)  # cache: the next lookup is a plain attribute read
        return fn

    # --- functions whose standard spelling needs adapting --------------------------

    def getitem(self, x, index):
        try:
            return x[index]
        except IndexError:
            # NumPy-style indices the standard leaves out (x[0] on a matrix, integer
            # arrays mixed with slices, masks next to other indices): rewritten in
            # standard terms. Never reached on NumPy and CuPy, which accept them natively.
            return generic_getitem(self._xp, x, index)

    def broadcast_like(self, x, shape, like):
        """``broadcast_to(x, shape)``; chunked backends also lay it out like ``like``."""
        return self._xp.broadcast_to(x, tuple(shape))

    def transpose(self, x, axes=None):
        if axes is None:
            axes = tuple(range(x.ndim - 1, -1, -1))
        return self._xp.permute_dims(x, tuple(axes))

    def zeros(self, shape, dtype):
        return self._xp.zeros(shape, dtype=self._backend.native_dtype(dtype))

    def full(self, shape, value, dtype):
        return self._xp.full(shape, value, dtype=self._backend.native_dtype(dtype))

    def full_like(self, x, value, dtype):
        return self._xp.full_like(x, value, dtype=self._backend.native_dtype(dtype))

    def known_shape(self, x):
        """``x`` with every dimension known. Eager arrays always are; a lazy backend whose
        shapes can be unknown until computed (Dask after a boolean mask) supplies an extra
        that works them out. Called only where a size is unavoidable (jacobians)."""
        return x

    def index_mask(self, mask):
        """A boolean index (ndim >= 1) as this backend indexes with it, called once per
        indexing op (``prepare_index``), so the forward pass and its VJPs share the result.
        Eager backends: the mask itself. Dask computes it to the host (the mask's graph,
        never the indexed data): a lazy mask leaves the selection's sizes unknown."""
        return mask

    def astype(self, x, dtype):
        return self._xp.astype(x, self._backend.native_dtype(dtype))

    def compute(self, *arrays):
        """Evaluate lazy arrays in one pass (``mg.compute``); eager backends: unchanged.

        A lazy backend (Dask) passes ``extras={"compute": ...}`` returning computed arrays
        of its own type, one per input, in order.
        """
        return arrays

    def inplace_ufunc(self, op, dtype):
        """For ``mg.function``'s replay: a function computing the elementwise ``op`` (an
        operator symbol "+", "-", "*", "/", "neg", or a namespace function) on a result of
        ``dtype`` that accepts ``out=`` an array of the result's shape and dtype and gives
        the same bits as without ``out=``; or None (the default: results are never written
        into a dying temporary). NumPy supplies its ufuncs, for real floating dtypes."""
        return None

    def index_add(self, shape, index, values):
        """zeros(shape) with ``values`` added at ``index`` (repeated indices accumulate).

        The generic Array-API fallback (see ``generic_index_add``); a plugin with a native
        scatter-add (``numpy.add.at``, ``cupyx.scatter_add``) passes it as an extra.
        """
        return generic_index_add(self._xp, shape, index, values)

    def index_update(self, x, index, values):
        """A copy of ``x`` with ``x[index] = values`` (``__setitem__`` on a copy, else the
        generic fallback, see ``generic_index_update``)."""
        out = self._xp.asarray(x, copy=True)
        try:
            out[index] = values
        except (IndexError, TypeError, ValueError, NotImplementedError):
            return generic_index_update(self._xp, x, index, values)
        return out

    def einsum(self, subscripts, *operands):
        """NumPy's einsum; extras={'einsum': ...} supplies it, else the namespace's own, else
        a broadcast-multiply-and-sum fallback (correct, but it materialises the full product)."""
        native = getattr(self._xp, "einsum", None)
        if native is not None:
            return native(subscripts, *operands)
        return einsum_fallback(self._xp, subscripts, *operands)


class Backend:
    """A loaded backend: the namespace the core computes with, and its host bridges.

    namespace:    an Array-API-conforming module or object (numpy >= 2, cupy, ...), kept as
                  ``xp`` for plugins and users; the core computes only through ``ops``.
    array_types:  the concrete array types this backend owns (for inference/mismatch).
    to_numpy:     array -> host numpy.ndarray (default: ``numpy.asarray``).
    from_numpy:   host numpy.ndarray -> backend array (default: ``namespace.asarray``).
    synchronize:  wait for queued device work (benchmarks call it before reading clocks).
    extras:       functions outside the Array API standard, see ``ArrayOps``.
    host:         its arrays are host memory that ``mg.constant``/``convert_to_tensor``
                  treat as data for the selected backend (True only for NumPy).
    lazy:         ops build a graph that ``extras["compute"]`` evaluates (Dask); a
                  ``Variable.assign*`` then evaluates the new value, so state never
                  carries the graph of every past update.
    device_type:  TensorFlow's name of the kind of device holding the arrays: "CPU" (the
                  default) or "GPU" (``mg.config.list_physical_devices``, ``mg.device``).
    device_count: a callable giving how many such devices there are (default: one).
    device_index: a callable giving the index of the device holding an array (default 0).
    device_scope: a callable taking an index and returning a context manager inside which
                  new arrays go to that device (CuPy: ``cupy.cuda.Device``; default none).
    canonical:    array -> an equal array the backend combines safely, applied to every op's
                  output and every first-order cotangent (None: arrays kept as they are).
                  Dask uses it to re-cut empty arrays, which it mis-combines otherwise.
    fusion:       how ``mg.function(jit_compile=True)`` can fuse this backend's elementwise
                  steps (``tracing/fusion_targets.py``): "numba" (host NumPy-like arrays:
                  Numba loops), "numba_blocks" (chunked arrays: the Numba loop per block),
                  "cupy" (CuPy's elementwise kernels), or None (replays unfused).
    """

    def __init__(self, name, namespace, array_types, *, version="", device="cpu",
                 to_numpy=None, from_numpy=None, synchronize=None, extras=None, host=False,
                 lazy=False, device_type="CPU", device_count=None, device_index=None,
                 device_scope=None, canonical=None, fusion=None):
        self.name = name
        self.device_type = device_type
        self._device_count = device_count
        self._device_index = device_index
        self._device_scope = device_scope
        self.host = host
        self.lazy = lazy
        self.canonical = canonical
        self.fusion = fusion
        self.xp = namespace
        self.array_types = tuple(array_types)
        self.version = version
        self.device = device
        self._to_numpy = to_numpy
        self._from_numpy = from_numpy
        self._synchronize = synchronize
        self._native = {}
        self._dtype_of = {}
        for dt in _dt.ALL_DTYPES:
            native = getattr(namespace, dt.name, None)
            if native is not None:
                self._native[dt] = native
                self._dtype_of[native] = dt
        if canonical is not None:
            # Also an array function, so mg.function records it as a step and replays it.
            extras = dict(extras or {}, canonical=canonical)
        self.ops = ArrayOps(self, namespace, extras)

    # --- dtypes --------------------------------------------------------------------

    def native_dtype(self, dtype):
        """The backend's own dtype object for a DType (or name)."""
        dt = _dt.as_dtype(dtype)
        try:
            return self._native[dt]
        except KeyError:
            raise TypeError(f"backend {self.name!r} has no dtype {dt.name}") from None

    def dtype_of(self, array):
        """The DType of a backend array."""
        native = array.dtype
        found = self._dtype_of.get(native)
        if found is None:
            found = _dt.as_dtype(native)
            self._dtype_of[native] = found
        return found

    # --- conversion ----------------------------------------------------------------

    def asarray(self, obj, dtype=None):
        """A backend array from Python data, a host array or one of ours."""
        native = None if dtype is None else self.native_dtype(dtype)
        if not isinstance(obj, self.array_types) and hasattr(obj, "__array__") \
                and self._from_numpy is not None:
            obj = self._from_numpy(obj)
        return self.ops.asarray(obj, dtype=native)

    def to_numpy(self, array):
        if self._to_numpy is not None:
            return self._to_numpy(array)
        import numpy  # host conversion only; never used for math
        return numpy.asarray(array)

    def synchronize(self):
        if self._synchronize is not None:
            self._synchronize()

    # --- devices (TensorFlow's names for them) --------------------------------------

    def device_count(self):
        return 1 if self._device_count is None else int(self._device_count())

    def device_name(self, array):
        """TF's full name of the device holding ``array``:
        ``/job:localhost/replica:0/task:0/device:CPU:0``."""
        index = 0 if self._device_index is None else self._device_index(array)
        return f"/job:localhost/replica:0/task:0/device:{self.device_type}:{index}"

    def device_scope(self, index):
        """A context manager placing new arrays on device ``index`` of this backend."""
        if self._device_scope is None:
            return contextlib.nullcontext()
        return self._device_scope(index)

    def describe(self):
        return {"name": self.name, "available": True, "reason": "",
                "version": self.version, "device": self.device}

    def __repr__(self):
        return f"<mg.Backend {self.name!r} ({self.device})>"
