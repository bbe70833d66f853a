"""What a backend plugin hands to the core.

``BackendSpec`` is the cheap description a plugin returns from its hook (a name,
which array modules it owns, and a ``load`` callable). ``load()`` returns a
``Backend``: the array namespace plus the few things the Array API standard does
not cover. The core's per-op path is an attribute lookup on ``Backend.ops``.
"""

from . import dtypes as _dt
from .errors import BackendUnavailableError

__all__ = ["Backend", "BackendSpec", "ArrayOps"]


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
    no adapter; ``overrides`` lets a backend supply faster or missing functions.
    The Tensor-level twin of this object is ``multigrad.ops.tensor_ops``.
    """

    def __init__(self, backend, namespace, overrides=None):
        self._backend = backend
        self._xp = namespace
        for name, fn in (overrides or {}).items():
            setattr(self, name, fn)

    def __getattr__(self, name):
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

    def squeeze(self, x, axis):
        return self._xp.squeeze(x, axis=axis)

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

    def astype(self, x, dtype):
        return self._xp.astype(x, self._backend.native_dtype(dtype))

    def compute(self, *arrays):
        """Evaluate lazy arrays in one pass (``mg.compute``); eager backends: unchanged.

        A lazy backend (Dask) passes ``extras={"compute": ...}`` returning computed arrays
        of its own type, one per input, in order.
        """
        return arrays

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
        from .ops._einsum import einsum_fallback
        return einsum_fallback(self._xp, subscripts, *operands)


def _is_full_slice(item):
    return isinstance(item, slice) and item == slice(None)


def _is_basic(index):
    """Only ints, slices and Ellipsis: plain ``out[index] = values`` is a scatter-add."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, slice)) or i is Ellipsis for i in items)


def _is_array(item):
    return hasattr(item, "shape") and hasattr(item, "dtype")


def _is_bool_array(item):
    return _is_array(item) and str(item.dtype).rsplit(".", 1)[-1] == "bool"


def _has_ellipsis(items):
    return any(i is Ellipsis for i in items)


def generic_getitem(xp, x, index):
    """``x[index]`` with NumPy's semantics, using only indexing the standard specifies.

    Missing trailing axes get an Ellipsis; boolean masks become integer arrays
    (``nonzero``); integer arrays (and ints between them) on adjacent axes become one
    ``take`` along a flattened axis. Integer arrays on non-adjacent axes, or next to a
    ``None``, are not supported here (NumPy moves axes around for those).
    """
    items = []
    for item in (index if isinstance(index, tuple) else (index,)):
        if _is_bool_array(item) and item.ndim > 0:
            items.extend(xp.nonzero(item))
        else:
            items.append(item)
    explicit = sum(1 for i in items if i is not None and i is not Ellipsis)
    if not _has_ellipsis(items) and explicit < x.ndim:
        items.append(Ellipsis)
    if not any(_is_array(i) and i.ndim > 0 for i in items):
        return x[tuple(items)]
    if any(i is None for i in items):
        raise IndexError("integer-array indices combined with None (newaxis) are not "
                         "supported on this backend; index in two steps")
    # Expand the Ellipsis to full slices: one entry per axis.
    at = next(k for k, i in enumerate(items) if i is Ellipsis) if _has_ellipsis(items) else None
    if at is not None:
        items = items[:at] + [slice(None)] * (x.ndim - explicit) + items[at + 1:]
    advanced = [k for k, i in enumerate(items) if not isinstance(i, slice)]
    start, stop = advanced[0], advanced[-1] + 1
    if stop - start != len(advanced):
        raise IndexError(
            "integer-array indices separated by slices are not supported on this backend "
            "(NumPy would move their axes to the front); index in two steps")
    basic = tuple(slice(None) if k in advanced else i for k, i in enumerate(items))
    y = x if all(i == slice(None) for i in basic) else x[basic]
    dims = tuple(y.shape[start:stop])
    arrays = xp.broadcast_arrays(*[i if _is_array(i) else xp.asarray(i) for i in items[start:stop]])
    flat = None
    for arr, d in zip(arrays, dims):
        arr = xp.where(arr < 0, arr + d, arr)
        flat = arr if flat is None else flat * d + arr
    size = 1
    for d in dims:
        size *= d
    head, tail = tuple(y.shape[:start]), tuple(y.shape[stop:])
    taken = xp.take(xp.reshape(y, head + (size,) + tail), xp.reshape(flat, (-1,)), axis=start)
    return xp.reshape(taken, head + tuple(arrays[0].shape) + tail)


def _getitem(xp, x, index):
    try:
        return x[index]
    except (IndexError, NotImplementedError, AssertionError):   # dask's, for nd indices
        return generic_getitem(xp, x, index)


def generic_index_add(xp, shape, index, values):
    """Scatter-add with only Array-API functions (no extras needed for correctness).

    Basic indices (ints, slices, ...) select each position at most once, so it is a
    plain ``__setitem__``. Otherwise the index is applied to an array of flat positions,
    which tells where each element of ``values`` goes, and every output position sums the
    values aimed at it through a one-hot mask (``where``, so a NaN or inf in one entry
    stays in its own position). Leading full slices (the batch axes of a jacobian) are
    kept as a batch, so the mask is (entries x positions) of the indexed axes only. Memory
    is O(entries x positions): correct everywhere, fast enough for small and medium index
    sets; backends with a native scatter-add should supply ``extras={"index_add": ...}``.
    """
    shape = tuple(shape)
    device = getattr(values, "device", None)
    zero = xp.zeros((), dtype=values.dtype, device=device)
    if _is_basic(index):
        items = index if isinstance(index, tuple) else (index,)
        out = xp.zeros(shape, dtype=values.dtype, device=device)
        out[items if _has_ellipsis(items) else items + (Ellipsis,)] = values
        return out
    items = index if isinstance(index, tuple) else (index,)
    k = 0
    while k < len(items) and _is_full_slice(items[k]) and k < len(shape):
        k += 1
    lead, rest = shape[:k], shape[k:]
    rest_index = items[k:]
    rest_index = rest_index[0] if len(rest_index) == 1 else rest_index
    n = 1
    for d in rest:
        n *= d
    b = 1
    for d in lead:
        b *= d
    flat = xp.arange(n, dtype=xp.int64, device=device)
    target = xp.reshape(_getitem(xp, xp.reshape(flat, rest), rest_index), (1, -1, 1))  # (1, M, 1)
    mask = target == xp.reshape(flat, (1, 1, n))                          # (1, M, N)
    vals = xp.reshape(values, (b, -1, 1))                                 # (B, M, 1)
    out = xp.sum(xp.where(mask, vals, zero), axis=1)                      # (B, N)
    return xp.reshape(out, shape)


def generic_index_update(xp, x, index, values):
    """``x`` with ``values`` written at ``index``, for indices ``__setitem__`` refuses.

    Built on ``generic_index_add``: positions written once take their value; positions
    written several times (repeated indices, where NumPy keeps the last write and
    TensorFlow leaves the order undefined) take the mean of their writes.
    """
    selected = tuple(_getitem(xp, x, index).shape)
    values = xp.broadcast_to(xp.asarray(values, dtype=x.dtype), selected)
    placed = generic_index_add(xp, x.shape, index, values)
    count = generic_index_add(xp, x.shape, index, xp.ones(selected, dtype=x.dtype))
    written = count > 0
    return xp.where(written, placed / xp.where(written, count, 1), x)


class Backend:
    """A loaded backend: the namespace the core computes with, and its host bridges.

    namespace:    an Array-API-conforming module or object (numpy >= 2, cupy, ...).
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
    """

    def __init__(self, name, namespace, array_types, *, version="", device="cpu",
                 to_numpy=None, from_numpy=None, synchronize=None, extras=None, host=False,
                 lazy=False):
        self.name = name
        self.host = host
        self.lazy = lazy
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

    def owns(self, obj):
        return isinstance(obj, self.array_types)

    def asarray(self, obj, dtype=None):
        """A backend array from Python data, a host array or one of ours."""
        native = None if dtype is None else self.native_dtype(dtype)
        if not isinstance(obj, self.array_types) and hasattr(obj, "__array__") \
                and self._from_numpy is not None:
            obj = self._from_numpy(obj)
        return self.xp.asarray(obj, dtype=native)

    def to_numpy(self, array):
        if self._to_numpy is not None:
            return self._to_numpy(array)
        import numpy  # host conversion only; never used for math
        return numpy.asarray(array)

    def synchronize(self):
        if self._synchronize is not None:
            self._synchronize()

    def describe(self):
        return {"name": self.name, "available": True, "reason": "",
                "version": self.version, "device": self.device}

    def __repr__(self):
        return f"<mg.Backend {self.name!r} ({self.device})>"


def unavailable(name, reason):
    """Helper for plugins: the error ``BackendSpec.load`` raises when it cannot run."""
    return BackendUnavailableError(name, reason)
