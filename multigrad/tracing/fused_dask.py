"""A fused group on Dask arrays: the group's Numba loop (``fused_numba.py``), written for
any block shape, run block by block with ``dask.array.map_blocks``.

Only blockwise groups reach here (``fusion_rules``: every array operand has the result's
shape and chunks; no reduction fuses on Dask). A group with several outputs of one dtype
computes them once per block, stacked along a new first axis that the replay slices
apart; outputs of mixed dtypes (a comparison read outside the group) are not fused.
"""

import numpy

from . import fused_numba

__all__ = ["build"]


def build(fused):
    """A callable ``(*dask arrays) -> result or tuple of results``, or None."""
    kinds = {out: name for out, name, _ in fused.steps}
    dtypes = {"bool" if kinds[o] in fused_numba.COMPARISONS else fused.dtype
              for o in fused.outputs}
    if fused.reductions or not fused.inputs or len(dtypes) != 1:
        return None
    import dask.array   # the Dask backend is in use: already loaded
    dtype = numpy.dtype(dtypes.pop())
    source = fused_numba.kernel_source(fused, any_shape=True)
    kernel = fused_numba.load(source)
    n_out, ndim = len(fused.outputs), len(fused.shape)

    def block(*blocks):
        found = kernel(*blocks)
        return found if n_out == 1 else numpy.stack(found)

    def run(*arrays):
        empty = numpy.empty((0,) * (ndim + (n_out > 1)), dtype)
        if n_out == 1:
            return dask.array.map_blocks(block, *arrays, dtype=dtype, meta=empty)
        stacked = dask.array.map_blocks(block, *arrays, dtype=dtype, meta=empty, new_axis=0,
                                        chunks=((n_out,),) + arrays[0].chunks)
        return tuple(stacked[k] for k in range(n_out))
    run.fused_source = "# dask.array.map_blocks, block by block:\n" + source
    return run
