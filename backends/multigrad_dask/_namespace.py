"""``dask.array`` seen through the Array API names the core uses (imported by ``load()``).

dask.array follows NumPy's API rather than the Array API standard: this adapter renames
(``concat``, ``permute_dims``, ``acos`` ...), adapts signatures (``var(correction=)``,
``count_nonzero(keepdims=)``, ``cumulative_sum``, ``device=`` keywords), chunks the arrays
it creates, and supplies the extras the core needs (``compute``, ``known_shape`` ...; the
indexing ones are in ``_indexing.py``). Everything else is looked up on ``dask.array`` itself.
Nothing here computes a value, except where dask would leave sizes unknown: a boolean mask
(computed alone, to the host), ``nonzero``'s input, a raw array of unknown sizes passed in.
"""

import math
import numpy

from multigrad.backend.einsum_parse import parse as parse_einsum

from ._indexing import DaskIndexing, unknown as _unknown
from ._linalg_fft import DaskFFT, DaskLinalg, apply_gufunc

_RENAMED = {
    "acos": "arccos", "acosh": "arccosh", "asin": "arcsin", "asinh": "arcsinh",
    "atan": "arctan", "atanh": "arctanh", "atan2": "arctan2", "pow": "power",
    "bitwise_left_shift": "left_shift", "bitwise_right_shift": "right_shift",
    "bitwise_invert": "invert",
}
_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64", "complex64", "complex128")


class DaskNamespace(DaskIndexing):
    """An Array-API-shaped namespace over ``dask.array`` (lazy, chunked)."""

    def __init__(self, da, settings):
        self._da = da
        self._settings = settings
        for name in _DTYPES:
            setattr(self, name, getattr(numpy, name if name != "bool" else "bool_"))
        self.finfo = numpy.finfo
        self.iinfo = numpy.iinfo
        self.result_type = numpy.result_type
        self.can_cast = numpy.can_cast
        self.isdtype = numpy.isdtype
        self.e, self.pi, self.inf, self.nan = numpy.e, numpy.pi, numpy.inf, numpy.nan
        self.newaxis = None
        self.__name__ = "dask.array (multigrad adapter)"
        self.__version__ = getattr(__import__("dask"), "__version__", "")
        self.linalg = DaskLinalg(da)
        self.fft = DaskFFT(da)

    def __getattr__(self, name):
        if name.startswith("__") or name == "_da":   # unpickling: no _da yet (no recursion)
            raise AttributeError(name)
        fn = getattr(self._da, _RENAMED.get(name, name))
        setattr(self, name, fn)
        return fn

    # --- creating and converting ----------------------------------------------------

    def _blocks(self, array):
        """Blocks of the configured type (CuPy blocks when ``chunk_type="cupy"``)."""
        if self._settings.chunk_type == "cupy" and not _has_cupy_meta(array):
            import cupy
            array = array.map_blocks(cupy.asarray, dtype=array.dtype,
                                     meta=cupy.empty((0,) * array.ndim, dtype=array.dtype))
        return array

    def from_host(self, obj, dtype=None):
        """A Dask array cut into the configured chunks from host (or CuPy) data."""
        if type(obj).__module__.partition(".")[0] != "cupy":
            obj = numpy.asarray(obj, dtype=dtype)
        elif dtype is not None:
            obj = obj.astype(dtype)
        return self._blocks(self._da.from_array(obj, chunks=self._settings.chunks_for(obj.shape)))

    def asarray(self, obj, dtype=None, device=None, copy=None):
        if isinstance(obj, self._da.Array):
            if _unknown(obj.shape):     # a user's array after a mask: sizes worked out on a
                obj = obj.copy()        # copy (the caller's array is left as it is)
                obj.compute_chunk_sizes()
            return obj if dtype is None or obj.dtype == dtype else obj.astype(dtype)
        return self.from_host(obj, dtype)

    def to_numpy(self, array):
        """Computes ``array`` with the active scheduler; a host NumPy copy."""
        value = array.compute() if isinstance(array, self._da.Array) else array
        if type(value).__module__.partition(".")[0] == "cupy":
            value = value.get()
        return numpy.array(value, copy=True)

    def _created(self, fn, shape, *args, **kwargs):
        """``fn(*args)``, a new array of ``shape`` in the configured chunks."""
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return self._blocks(fn(*args, chunks=self._settings.chunks_for(shape), **kwargs))

    def zeros(self, shape, dtype=None, device=None):
        return self._created(self._da.zeros, shape, shape, dtype=dtype or numpy.float64)

    def ones(self, shape, dtype=None, device=None):
        return self._created(self._da.ones, shape, shape, dtype=dtype or numpy.float64)

    def empty(self, shape, dtype=None, device=None):
        return self.zeros(shape, dtype)

    def full(self, shape, fill_value, dtype=None, device=None):
        if dtype is None:
            dtype = numpy.result_type(fill_value)
        return self._created(self._da.full, shape, shape, fill_value, dtype=dtype)

    def zeros_like(self, x, dtype=None, device=None):
        return self._da.zeros_like(x, dtype=dtype)

    def ones_like(self, x, dtype=None, device=None):
        return self._da.ones_like(x, dtype=dtype)

    def full_like(self, x, fill_value, dtype=None, device=None):
        return self._da.full_like(x, fill_value, dtype=dtype)

    def empty_like(self, x, dtype=None, device=None):
        return self.zeros_like(x, dtype)

    def arange(self, start, stop=None, step=1, dtype=None, device=None):
        if stop is None:
            start, stop = 0, start
        n = max(0, math.ceil((stop - start) / step))
        return self._created(self._da.arange, n, start, stop, step, dtype=dtype)

    def linspace(self, start, stop, num, dtype=None, device=None, endpoint=True):
        return self._created(self._da.linspace, num, start, stop, num, dtype=dtype,
                             endpoint=endpoint)

    def eye(self, n_rows, n_cols=None, k=0, dtype=None, device=None):
        chunks = self._settings.chunks_for((n_rows, n_rows if n_cols is None else n_cols))
        chunks = chunks if isinstance(chunks, tuple) else (chunks, chunks)
        dtype = dtype or numpy.float64
        if (n_cols is None or n_cols == n_rows) and k == 0:
            return self._blocks(self._da.eye(n_rows, chunks=chunks[0], dtype=dtype))
        # dask's eye loses blocks for rectangular shapes or offsets smaller than a chunk
        # (a missing-dependency error at compute): compare row and column indices.
        rows = self._da.arange(n_rows, chunks=chunks[0])[:, None] + k
        cols = self._da.arange(n_rows if n_cols is None else n_cols, chunks=chunks[1])[None, :]
        return self._blocks((rows == cols).astype(dtype))

    def astype(self, x, dtype, copy=True, device=None):
        return x.astype(dtype)

    # --- renamed or re-signed functions ---------------------------------------------

    def concat(self, arrays, axis=0):
        arrays = self._fresh_empties(arrays)
        if axis is None:
            return self._da.concatenate([self.reshape(a, (-1,)) for a in arrays], axis=0)
        return self._da.concatenate(arrays, axis=axis)

    def stack(self, arrays, axis=0):
        return self._da.stack(self._fresh_empties(arrays), axis=axis)

    def canonical(self, x):
        """``x`` cut in a way dask combines correctly. Dask mis-combines a 0-length chunk
        on a non-empty axis (``x[mask]`` cuts (1, 0) where a block selects nothing) and an
        empty axis in several chunks ((0, 0) after a roll) or in none: it adds such empty
        arrays into a wrong shape ((1, 0) + (1, 0) computing to (2, 0)), or fails ("Empty
        tuples are not allowed in chunks", "Chunks do not add up"). An empty array is
        replaced by new zeros of its shape (it holds no data); a non-empty one loses its
        0-length chunks (a rechunk that moves no data)."""
        shape = getattr(x, "shape", ())
        if not isinstance(x, self._da.Array) or _unknown(shape):
            return x
        chunks = x.chunks
        if all((c == (0,)) if n == 0 else (0 not in c) for n, c in zip(shape, chunks)):
            return x
        if 0 in shape:
            return self.zeros(tuple(shape), dtype=x.dtype)
        return x.rechunk(tuple(tuple(c for c in axis if c) for axis in chunks))

    def _fresh_empties(self, arrays):
        """``arrays`` with each empty one replaced by new zeros of its shape: it holds no
        data, and dask mis-builds the graph joining empty arrays cut differently (an empty
        axis in (0, 0) chunks after a roll, next to one in (0,))."""
        return [self.zeros(tuple(a.shape), dtype=a.dtype) if 0 in tuple(a.shape) else a
                for a in arrays]

    def tril(self, x, k=0):
        return self._triangle(x, k, lower=True)

    def triu(self, x, k=0):
        return self._triangle(x, k, lower=False)

    def _triangle(self, x, k, lower):
        # dask's tril/triu build their mask with arange(like=x), which warns (and casts)
        # for complex x: the mask here is from integer indices, the values untouched.
        n, m = x.shape[-2:]
        rows = self._da.arange(n, chunks=x.chunks[-2])[:, None]
        cols = self._da.arange(m, chunks=x.chunks[-1])[None, :]
        keep = (cols - rows <= k) if lower else (cols - rows >= k)
        return self._da.where(keep, x, self._da.zeros((), dtype=x.dtype))

    def permute_dims(self, x, axes):
        return self._da.transpose(x, tuple(axes))

    def matrix_transpose(self, x):
        return self._da.swapaxes(x, -1, -2)

    def var(self, x, axis=None, correction=0.0, keepdims=False):
        return self._da.var(x, axis=axis, ddof=correction, keepdims=keepdims)

    def std(self, x, axis=None, correction=0.0, keepdims=False):
        return self._da.std(x, axis=axis, ddof=correction, keepdims=keepdims)

    def mean(self, x, axis=None, keepdims=False):
        if x.dtype == numpy.float16:    # NumPy sums float16 in float32; dask's own mean
            return self._da.mean(x, axis=axis, keepdims=keepdims,      # overflows at 65504
                                 dtype=numpy.float32).astype(numpy.float16)
        return self._da.mean(x, axis=axis, keepdims=keepdims)

    def count_nonzero(self, x, axis=None, keepdims=False):
        return self._da.sum(x != 0, axis=axis, keepdims=keepdims, dtype=numpy.int64)

    def _cumulative(self, fn, x, axis, dtype, include_initial, initial):
        if axis is None:
            if x.ndim > 1:
                raise ValueError("cumulative_sum/prod need an axis for arrays with ndim > 1")
            axis = 0
        out = fn(x, axis=axis, dtype=dtype)
        if include_initial:
            shape = list(out.shape)
            shape[axis] = 1
            first = self._da.full(tuple(shape), initial, dtype=out.dtype)
            out = self._da.concatenate([first, out], axis=axis)
        return out

    def cumulative_sum(self, x, axis=None, dtype=None, include_initial=False):
        return self._cumulative(self._da.cumsum, x, axis, dtype, include_initial, 0)

    def cumulative_prod(self, x, axis=None, dtype=None, include_initial=False):
        return self._cumulative(self._da.cumprod, x, axis, dtype, include_initial, 1)

    def clip(self, x, min=None, max=None):  # noqa: A002 - the standard's keyword names
        if min is not None:
            x = self._da.maximum(x, min)
        if max is not None:
            x = self._da.minimum(x, max)
        return x

    def broadcast_to(self, x, shape):
        shape = tuple(shape)
        if _unknown(shape):
            raise ValueError(
                f"the dask backend cannot broadcast to shape {shape}: its sizes are unknown "
                f"(NaN). multigrad works sizes out after masks and for arrays passed in; an "
                f"array built by dask.array itself can lack them: call compute_chunk_sizes() "
                f"on it first")
        return self._da.broadcast_to(x, shape)

    def broadcast_like(self, x, shape, like):
        """``broadcast_to`` in the chunks of ``like`` (a reduction's input), so the cotangent
        lines up block for block with the data instead of starting as one huge chunk that
        dask must split and, under distributed, ship between workers."""
        shape = tuple(shape)
        extra = len(shape) - like.ndim
        if not hasattr(like, "chunks") or not hasattr(x, "chunks") or x.ndim != len(shape) \
                or _unknown(shape) or _unknown(like.shape) or extra < 0 \
                or shape[extra:] != tuple(like.shape) or 0 in shape:
            return self.broadcast_to(x, shape)      # (dask mis-chunks empty broadcasts)
        # Axes x already spans keep its chunks (dask requires it); broadcast axes take the
        # data's chunks.
        chunks = tuple(x.chunks[i] if x.shape[i] == n else
                       (like.chunks[i - extra] if i >= extra else (n,))
                       for i, n in enumerate(shape))
        return self._da.broadcast_to(x, shape, chunks=chunks)

    def reshape(self, x, shape, copy=None):
        shape = tuple(shape)
        if len(shape) == x.ndim and all(a == b or (a != a and b != b)
                                        for a, b in zip(x.shape, shape)):
            return x      # the same shape, unknown (NaN) sizes included: nothing to do
        if 0 in tuple(x.shape):       # nothing to move (dask's reshape of empties fails);
            # NumPy resolves a -1 (or refuses the shape) on an empty host array, for free
            shape = numpy.empty(tuple(x.shape), dtype=numpy.bool_).reshape(shape).shape
            return self.zeros(shape, dtype=x.dtype)
        try:
            return self._da.reshape(x, shape)
        except NotImplementedError:
            # dask reshapes only by merging or splitting axes evenly ((2, 3) -> (3, 2) is
            # neither): merge every axis into one, then split that into the new shape.
            flat = self._da.reshape(x, (math.prod(x.shape),))
            return self._da.reshape(flat, shape)

    # --- the extras --------------------------------------------------------------------

    def _reduce(self, name, x, axis=None, keepdims=False, **kwargs):
        """dask's reduction, except of an empty array: its result is a constant (zeros, or
        an empty array, or NumPy's error for max/min), which NumPy works out on an empty host
        array for free. (dask builds chunks of the wrong shape when the result is empty,
        and its tree reduction of several empty blocks fails at compute.)"""
        if 0 in tuple(x.shape) and not _unknown(x.shape):
            host = getattr(numpy, name)(numpy.zeros(tuple(x.shape), dtype=x.dtype), axis=axis,
                                        keepdims=keepdims, **kwargs)
            return self.from_host(host)
        return getattr(self._da, name)(x, axis=axis, keepdims=keepdims, **kwargs)

    def max(self, x, axis=None, keepdims=False):  # noqa: A003 - the standard's names
        return self._reduce("max", x, axis, keepdims)

    def min(self, x, axis=None, keepdims=False):  # noqa: A003
        return self._reduce("min", x, axis, keepdims)

    def sum(self, x, axis=None, keepdims=False, dtype=None):  # noqa: A003
        return self._reduce("sum", x, axis, keepdims, dtype=dtype)

    def prod(self, x, axis=None, keepdims=False, dtype=None):
        return self._reduce("prod", x, axis, keepdims, dtype=dtype)

    def any(self, x, axis=None, keepdims=False):  # noqa: A003
        return self._reduce("any", x, axis, keepdims)

    def all(self, x, axis=None, keepdims=False):  # noqa: A003
        return self._reduce("all", x, axis, keepdims)

    def einsum(self, subscripts, *operands):
        if any(0 in tuple(x.shape) for x in operands):
            # dask's einsum fails on empty operands; every output element is then an empty
            # sum (or the output itself is empty): zeros of the output's shape.
            _, out, sizes = parse_einsum(subscripts, [tuple(x.shape) for x in operands])
            dtype = self._da.result_type(*operands)
            return self.zeros(tuple(sizes[c] for c in out), dtype=dtype)
        return self._da.einsum(subscripts, *operands)

    def argsort(self, x, axis=-1, descending=False, stable=True):
        """Array API argsort: each line along ``axis`` sorted in one block (NumPy's)."""
        da = self._da
        if 0 in tuple(x.shape):     # nothing to order (dask's gufunc divides by a 0 chunk)
            return self.zeros(tuple(x.shape), dtype=numpy.int64)
        moved = da.moveaxis(x, axis, -1)
        kind = "stable" if stable or descending else None
        if descending:      # stable descending order: sort the reversed line, map back
            flipped = da.flip(moved, axis=-1)
            order = apply_gufunc(da, lambda v: numpy.argsort(v, axis=-1, kind=kind), "(n)->(n)",
                                 flipped, output_dtypes=numpy.int64, allow_rechunk=True)
            order = da.flip(moved.shape[-1] - 1 - order, axis=-1)
        else:
            order = apply_gufunc(da, lambda v: numpy.argsort(v, axis=-1, kind=kind), "(n)->(n)",
                                 moved, output_dtypes=numpy.int64, allow_rechunk=True)
        return da.moveaxis(order, -1, axis)

    def known_shape(self, x):
        """Sizes left unknown by a boolean mask, computed (``compute_chunk_sizes``)."""
        if _unknown(x.shape):
            x.compute_chunk_sizes()
        return x

    def compute(self, *arrays):
        """One pass of the active scheduler over the graphs of ``arrays`` (shared tasks run
        once); the results stay Dask arrays (``dask.persist``): in memory here under the
        local schedulers, on the workers under ``dask.distributed``."""
        import dask
        return dask.persist(*arrays)

    def extras(self):
        return {"getitem": self.getitem, "index_add": self.index_add, "compute": self.compute,
                "known_shape": self.known_shape, "index_mask": self.index_mask,
                "index_update": self.index_update, "broadcast_like": self.broadcast_like}


def _has_cupy_meta(array):
    meta = getattr(array, "_meta", None)
    return type(meta).__module__.partition(".")[0] == "cupy"
