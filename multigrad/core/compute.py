"""``mg.compute``: evaluate several lazy results in one pass (backend-agnostic).

Eager backends (NumPy, CuPy, Array API namespaces) compute every op as it runs, so
``compute`` hands their tensors back unchanged. A lazy backend (Dask) builds a task graph
instead; its ``Backend.ops.compute(*arrays)`` extra runs the graphs of all the given arrays
together, so that work they share (the forward pass under a loss and its gradients) runs
once: ``loss, *grads = mg.compute(loss, *grads)``.
"""

from .tensor import Tensor

__all__ = ["compute"]


def compute(*tensors):
    """The given tensors, evaluated in one pass per backend; a tuple, in the same order.

    On an eager backend the tensors themselves come back. On a lazy one each result is a
    Tensor on the same backend holding a computed value (for Dask, a Dask array whose chunks
    are in memory: in this process under the local schedulers, on the workers under
    ``dask.distributed``), and a Variable gives a Tensor of its current value. Items that
    are not Tensors (``None`` gradients, numbers) are passed through.
    """
    out = list(tensors)
    groups = {}
    for i, t in enumerate(tensors):
        if isinstance(t, Tensor) and t._backend.lazy:     # eager tensors: unchanged
            groups.setdefault(id(t._backend), (t._backend, []))[1].append(i)
        elif isinstance(t, (list, dict, set)):
            raise TypeError(
                f"mg.compute takes tensors as separate arguments, got a {type(t).__name__}; "
                f"unpack it: mg.compute(*tensors)")
    for backend, positions in groups.values():
        values = backend.ops.compute(*(tensors[i]._value for i in positions))
        if len(values) != len(positions):
            raise RuntimeError(f"backend {backend.name!r}: compute returned {len(values)} "
                               f"arrays for {len(positions)} inputs")
        for i, value in zip(positions, values):
            out[i] = Tensor._make(value, backend)
    return tuple(out)
