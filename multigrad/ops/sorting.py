"""Index-valued sorting and searching: ``argsort`` and ``nonzero`` (no gradient: their
results are integer positions, so nothing is recorded)."""

from ..args import single_axis
from ..convert import as_tensor
from ..tensor import Tensor
from ._define import defop

__all__ = ["argsort", "nonzero"]

# NumPy's sort kinds: a stable sort is a valid result for each of them.
_KINDS = (None, "stable", "quicksort", "mergesort", "heapsort")


@defop(differentiable=False)
def argsort(x, axis=-1, kind=None, order=None, *, stable=None, name=None):
    """Indices that sort ``x`` along ``axis``, ascending (NumPy's arguments); always
    stable, so ties keep their order. ``axis=None`` sorts the flattened tensor."""
    x = as_tensor(x)
    if kind not in _KINDS:
        raise ValueError(f"mg.argsort: kind must be one of {_KINDS[1:]}, got {kind!r}")
    if order is not None:
        raise TypeError("mg.argsort: order= (field names) applies to structured arrays, "
                        "which multigrad does not have")
    ops, value = x.backend.ops, x._value
    if axis is None or x.ndim == 0:    # NumPy: the flattened tensor (a scalar is 1-D)
        value, axis = ops.reshape(value, (x.size,)), 0 if axis is None else axis
    axis = single_axis(axis, value.ndim, "argsort")
    return Tensor._make(ops.argsort(value, axis=axis, stable=True), x.backend)


@defop(differentiable=False)
def nonzero(x, name=None):
    """A tuple of index tensors, one per axis, of the non-zero elements (NumPy's
    ``nonzero``; C order). A 0-d tensor raises, as in NumPy 2."""
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError("mg.nonzero: a 0-d tensor has no axes to index; use "
                         "mg.nonzero(mg.atleast_1d(x))")
    return tuple(Tensor._make(v, x.backend) for v in x.backend.ops.nonzero(x._value))

