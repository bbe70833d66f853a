"""The NumPy backend plugin for multigrad (CPU).

NumPy >= 2 follows the Python Array API standard in its main namespace, so the
namespace itself is what the core computes with; only functions outside the
standard (scatter-add, einsum) are supplied as extras.
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
        extras={"index_add": _index_add(numpy), "einsum": _einsum(numpy)},
        host=True,
    )


@hookimpl
def multigrad_backends():
    return [multigrad.BackendSpec(NAME, load, array_modules=("numpy",),
                                  description="NumPy on the CPU")]
