"""``linalg`` and ``fft`` for the dask adapter namespace.

``dask.array.linalg`` lacks most of what the rules call (det, slogdet, eigh, pinv ...) and
expects particular chunkings; ``dask.array.fft`` wants one chunk along each transformed
axis. Both are expressed here as generalized ufuncs over the batch axes: each block holds
whole matrices (or whole transformed axes), computed lazily by NumPy's functions (which
dispatch to CuPy on CuPy blocks).
"""

import numpy

from ._quiet import quiet_meta


def apply_gufunc(da, fn, signature, *arrays, **kwargs):
    """``dask.array.apply_gufunc`` without dask's meta-cast warning (``_quiet.py``)."""
    with quiet_meta():
        return da.apply_gufunc(fn, signature, *arrays, **kwargs)


def _real(dtype):
    return numpy.finfo(dtype).dtype if numpy.dtype(dtype).kind == "c" else numpy.dtype(dtype)


class DaskLinalg:
    """The Array API ``linalg`` extension on dask arrays, batched over leading axes."""

    def __init__(self, da):
        self._da = da

    def _gufunc(self, fn, signature, dtypes, *arrays, **kwargs):
        # Output dtypes are given: dask's inference would call fn on a (singular) dummy.
        return apply_gufunc(self._da, fn, signature, *arrays, allow_rechunk=True,
                            output_dtypes=dtypes, **kwargs)

    def inv(self, a):
        return self._gufunc(numpy.linalg.inv, "(m,m)->(m,m)", a.dtype, a)

    def det(self, a):
        return self._gufunc(numpy.linalg.det, "(m,m)->()", a.dtype, a)

    def slogdet(self, a):
        return self._gufunc(lambda x: tuple(numpy.linalg.slogdet(x)), "(m,m)->(),()",
                            (a.dtype, _real(a.dtype)), a)

    def solve(self, a, b):
        signature = "(m,m),(m)->(m)" if b.ndim == 1 else "(m,m),(m,k)->(m,k)"
        return self._gufunc(numpy.linalg.solve, signature, numpy.result_type(a, b), a, b)

    def cholesky(self, a, upper=False):
        lower = self._gufunc(numpy.linalg.cholesky, "(m,m)->(m,m)", a.dtype, a)
        return self._da.swapaxes(lower, -1, -2).conj() if upper else lower

    def eigh(self, a):
        return self._gufunc(lambda x: tuple(numpy.linalg.eigh(x)), "(m,m)->(m),(m,m)",
                            (_real(a.dtype), a.dtype), a)

    def eig(self, a):
        # Complex results always: NumPy's are real when every eigenvalue is, which would
        # contradict the dtype declared for the lazy result.
        target = numpy.result_type(a.dtype, numpy.complex64)
        return self._gufunc(lambda x: tuple(r.astype(target) for r in numpy.linalg.eig(x)),
                            "(m,m)->(m),(m,m)", (target, target), a)

    def svd(self, a, full_matrices=True):
        if full_matrices:
            raise ValueError("the dask backend computes reduced SVDs only "
                             "(full_matrices=False)")
        k = min(a.shape[-2], a.shape[-1])
        return self._gufunc(lambda x: tuple(numpy.linalg.svd(x, full_matrices=False)),
                            "(m,n)->(m,k),(k),(k,n)", (a.dtype, _real(a.dtype), a.dtype), a,
                            output_sizes={"k": k})

    def qr(self, a, mode="reduced"):
        k = min(a.shape[-2], a.shape[-1])
        return self._gufunc(lambda x: tuple(numpy.linalg.qr(x, mode=mode)),
                            "(m,n)->(m,k),(k,n)", (a.dtype, a.dtype), a, output_sizes={"k": k})

    def pinv(self, a):
        return self._gufunc(numpy.linalg.pinv, "(m,n)->(n,m)", a.dtype, a)

    def matrix_transpose(self, a):
        return self._da.swapaxes(a, -1, -2)

    def __getattr__(self, name):
        if name.startswith("__") or name == "_da":   # unpickling: no _da yet (no recursion)
            raise AttributeError(name)
        return getattr(self._da.linalg, name)


class DaskFFT:
    """The Array API ``fft`` extension on dask arrays: transformed axes in one chunk."""

    def __init__(self, da):
        self._da = da

    def _whole(self, x, axes):
        axes = range(x.ndim) if axes is None else axes
        return x.rechunk({a % x.ndim: -1 for a in axes})

    def _call(self, name, x, s=None, axes=None, norm="backward"):
        if axes is None and s is not None:
            axes = tuple(range(x.ndim - len(s), x.ndim))
        return getattr(self._da.fft, name)(self._whole(x, axes), s=s, axes=axes, norm=norm)

    def fftn(self, x, s=None, axes=None, norm="backward"):
        return self._call("fftn", x, s, axes, norm)

    def ifftn(self, x, s=None, axes=None, norm="backward"):
        return self._call("ifftn", x, s, axes, norm)

    def rfftn(self, x, s=None, axes=None, norm="backward"):
        return self._call("rfftn", x, s, axes, norm)

    def irfftn(self, x, s=None, axes=None, norm="backward"):
        return self._call("irfftn", x, s, axes, norm)

    def __getattr__(self, name):
        if name.startswith("__") or name == "_da":   # unpickling: no _da yet (no recursion)
            raise AttributeError(name)
        return getattr(self._da.fft, name)
