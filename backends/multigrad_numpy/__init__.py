"""The NumPy backend plugin for multigrad (CPU).

NumPy >= 2 follows the Python Array API standard in its main namespace, so the
namespace itself is what the core computes with; only functions outside the
standard (scatter-add, einsum) and the ufuncs ``mg.function``'s replay may write into a
dying temporary with (``out=``) are supplied as extras.
"""

import multigrad
from multigrad.hookspecs import hookimpl

NAME = "numpy"


def _index_add(numpy):
    def index_add(shape, index, values):
        out = numpy.zeros(shape, dtype=values.dtype)
        numpy.add.at(out, index, values)
        return out
    return index_add


def _einsum(numpy):
    def einsum(subscripts, *operands):
        # Contraction order matters from three operands on; two need no search.
        return numpy.einsum(subscripts, *operands, optimize=len(operands) > 2)
    return einsum


def _inplace_ufunc(numpy):
    symbols = {"+": numpy.add, "-": numpy.subtract, "*": numpy.multiply,
               "/": numpy.true_divide, "neg": numpy.negative}

    def inplace_ufunc(op, dtype):
        # Operators on arrays are these ufuncs; any other one-output ufunc takes out= too.
        # Real floating results only: NumPy's complex multiply writing into one of its
        # operands can round differently from the product into a new array (seen on
        # one-element arrays), and a replay must give eager's bits.
        if numpy.dtype(dtype).kind != "f":
            return None
        if isinstance(op, str):
            return symbols.get(op)
        return op if isinstance(op, numpy.ufunc) and op.nout == 1 else None
    return inplace_ufunc


def _asarray(numpy):
    def asarray(obj, dtype=None, device=None, copy=None):
        # 0-d data as a NumPy scalar, the type NumPy's own operators return for 0-d
        # results: arithmetic on scalars is ~10x cheaper than on 0-d arrays, same values.
        out = numpy.asarray(obj, dtype=dtype, copy=copy)
        return out[()] if out.ndim == 0 else out
    return asarray


def load():
    import numpy

    return multigrad.Backend(
        NAME,
        numpy,
        (numpy.ndarray, numpy.generic),
        version=numpy.__version__,
        device="cpu",
        to_numpy=lambda a: numpy.array(a, copy=True),
        from_numpy=numpy.asarray,
        extras={"index_add": _index_add(numpy), "einsum": _einsum(numpy),
                "inplace_ufunc": _inplace_ufunc(numpy), "asarray": _asarray(numpy)},
        host=True,
        fusion="numba",
    )


@hookimpl
def multigrad_backends():
    return [multigrad.BackendSpec(NAME, load, array_modules=("numpy",),
                                  description="NumPy on the CPU")]
