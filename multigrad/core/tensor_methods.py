"""ndarray's methods and attributes on Tensor, with NumPy's signatures.

``install(Tensor, ops)`` (called by ``multigrad.ops`` with ``tensor_ops``) binds them, so
tensor.py stays the class itself. Each method is the op of the same name (recorded and
differentiable where the op is); NumPy arguments with no meaning for an immutable tensor
(``out=``, ``where=``, ``initial=``, ``order=`` other than "C") raise instead of being
silently ignored.
"""

from ..dtypes import as_dtype

__all__ = ["install"]

_NO = object()        # "not given": NumPy's own sentinel is private


def _unsupported(method, **given):
    """TypeError for NumPy arguments a Tensor method cannot honour."""
    for key, value in given.items():
        if value is _NO or value is None or (key == "where" and value is True):
            continue
        why = {"out": "mg.Tensor is immutable; use the returned tensor",
               "order": "a Tensor's memory layout belongs to its backend"}.get(
                   key, "multigrad does not implement it")
        raise TypeError(f"Tensor.{method}: {key}= is not supported ({why})")


def _cast(x, dtype, ops):
    # NumPy's dtype= on a reduction is the accumulation dtype: casting first is the same.
    return x if dtype is None or as_dtype(dtype) == x.dtype else ops.cast(x, dtype)


def _shape_args(args):
    """``f(2, 3)`` and ``f((2, 3))`` alike, as ndarray.reshape / transpose take both."""
    if len(args) == 1 and (args[0] is None or isinstance(args[0], (tuple, list))):
        return None if args[0] is None else tuple(args[0])
    return tuple(args) if args else None


def _reductions(ops):
    """sum, prod, mean (dtype= casts first), std, var (ddof), max, min, all, any."""
    def make(name, with_dtype):
        op = getattr(ops, name)

        if with_dtype:
            def method(self, axis=None, dtype=None, out=None, keepdims=False, initial=_NO,
                       where=_NO):
                _unsupported(name, out=out, initial=initial, where=where)
                return op(_cast(self, dtype, ops), axis=axis, keepdims=keepdims)
        else:
            def method(self, axis=None, out=None, keepdims=False, initial=_NO, where=_NO):
                _unsupported(name, out=out, initial=initial, where=where)
                return op(self, axis=axis, keepdims=keepdims)
        method.__name__ = name
        method.__doc__ = f"``ndarray.{name}``: ``mg.{name}`` of this tensor."
        return method

    def spread(name):
        op = getattr(ops, name)

        def method(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
                   where=_NO):
            _unsupported(name, out=out, where=where)
            return op(_cast(self, dtype, ops), axis=axis, keepdims=keepdims, ddof=ddof)
        method.__name__ = name
        method.__doc__ = f"``ndarray.{name}`` (``ddof``): ``mg.{name}`` of this tensor."
        return method

    methods = {n: make(n, True) for n in ("sum", "prod", "mean")}
    methods.update({n: make(n, False) for n in ("max", "min", "all", "any")})
    methods.update({n: spread(n) for n in ("std", "var")})
    return methods


def _indices_and_scans(ops):
    def argmax(self, axis=None, out=None, *, keepdims=False):
        _unsupported("argmax", out=out)
        return ops.argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis=None, out=None, *, keepdims=False):
        _unsupported("argmin", out=out)
        return ops.argmin(self, axis=axis, keepdims=keepdims)

    def cumsum(self, axis=None, dtype=None, out=None):
        _unsupported("cumsum", out=out)
        return ops.cumsum(_cast(self, dtype, ops), axis=axis)

    def cumprod(self, axis=None, dtype=None, out=None):
        _unsupported("cumprod", out=out)
        return ops.cumprod(_cast(self, dtype, ops), axis=axis)

    def argsort(self, axis=-1, kind=None, order=None, *, stable=None):
        return ops.argsort(self, axis=axis, kind=kind, order=order, stable=stable)

    def nonzero(self):
        return ops.nonzero(self)

    def take(self, indices, axis=None, out=None, mode="raise"):
        _unsupported("take", out=out, mode=None if mode == "raise" else mode)
        return ops.take(self, indices, axis=axis)

    return _named(argmax, argmin, cumsum, cumprod, argsort, nonzero, take)


def _shapes(ops):
    def reshape(self, *shape, order="C", copy=None):
        if not shape:
            raise TypeError("Tensor.reshape: the new shape is missing (t.reshape(2, 3) or "
                            "t.reshape((2, 3)))")
        _unsupported("reshape", order=None if order == "C" else order)
        return ops.reshape(self, _shape_args(shape))

    def transpose(self, *axes):
        return ops.transpose(self, _shape_args(axes))

    def squeeze(self, axis=None):
        return ops.squeeze(self, axis=axis)

    def ravel(self, order="C"):
        _unsupported("ravel", order=None if order == "C" else order)
        return ops.ravel(self)

    def flatten(self, order="C"):
        _unsupported("flatten", order=None if order == "C" else order)
        return ops.flatten(self)

    def swapaxes(self, axis1, axis2):
        return ops.swapaxes(self, axis1, axis2)

    def repeat(self, repeats, axis=None):
        return ops.repeat(self, repeats, axis=axis)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return ops.diagonal(self, offset=offset, axis1=axis1, axis2=axis2)

    def trace(self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
        _unsupported("trace", out=out)
        return ops.trace(_cast(self, dtype, ops), offset=offset, axis1=axis1, axis2=axis2)

    return _named(reshape, transpose, squeeze, ravel, flatten, swapaxes, repeat, diagonal,
                  trace)


def _math(ops):
    def clip(self, min=None, max=None, out=None, **kwargs):   # noqa: A002 - NumPy's names
        _unsupported("clip", out=out)
        return ops.clip(self, kwargs.pop("a_min", min), kwargs.pop("a_max", max), **kwargs)

    def dot(self, b, out=None):
        _unsupported("dot", out=out)
        return ops.dot(self, b)

    def round(self, decimals=0, out=None):  # noqa: A001 - NumPy's name
        _unsupported("round", out=out)
        return ops.round(self, decimals)

    def conj(self):
        return ops.conj(self)

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        _unsupported("astype", casting=None if casting == "unsafe" else casting)
        return ops.cast(self, dtype)

    return {**_named(clip, dot, round, conj, astype), "conjugate": conj}


def _attributes(ops):
    def item(self, *args):
        # One element as a Python number; NumPy's flat or per-axis index (host read).
        if not args:
            return self._scalar("number")
        return self._host_data().item(*args)

    def tolist(self):
        return self._host_data().tolist()

    return {
        "item": item, "tolist": tolist,
        "real": property(ops.real, doc="``ndarray.real``: ``mg.real`` (differentiable)."),
        "imag": property(ops.imag, doc="``ndarray.imag``: ``mg.imag`` (differentiable)."),
        "mT": property(ops.matrix_transpose, doc="``ndarray.mT``: the last two axes swapped."),
        "itemsize": property(lambda self: self.dtype.itemsize,
                             doc="Bytes per element."),
        "nbytes": property(lambda self: self.size * self.dtype.itemsize,
                           doc="Bytes of the elements (``size * itemsize``)."),
    }


def _named(*functions):
    return {f.__name__: f for f in functions}


def install(tensor_type, ops):
    """Bind every method above onto ``tensor_type``, calling the ops in ``ops``."""
    for group in (_reductions, _indices_and_scans, _shapes, _math, _attributes):
        for name, member in group(ops).items():
            setattr(tensor_type, name, member)
