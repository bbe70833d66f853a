"""``mg.foldl``, ``mg.foldr``, ``mg.scan`` (TF's higher-order functions), built on
``mg.while_loop`` and ``mg.TensorArray``: plain Python eagerly, one traced loop inside
``mg.function``, differentiable either way. ``elems`` is a Tensor or a nested structure
of Tensors sharing their first dimension; the accumulator a Tensor or a structure."""

from ..core import nest
from .structured import while_loop
from ..core.convert import convert_to_tensor
from ..dtypes import int32
from ..ops import flip
from ..core.tensor import Tensor
from .tensor_array import TensorArray

__all__ = ["foldl", "foldr", "scan"]


def _elements(elems, what):
    leaves = [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in nest.flatten(elems)]
    if not leaves or any(len(x.shape) == 0 for x in leaves):
        raise ValueError(f"{what}: elems must be a tensor (or a structure of tensors) with "
                         f"at least one dimension")
    n = leaves[0].shape[0]
    if any(x.shape[0] != n for x in leaves):
        raise ValueError(f"{what}: the tensors in elems must share their first dimension, "
                         f"got {[x.shape[0] for x in leaves]}")
    return leaves, n


def _run(fn, elems, initializer, reverse, keep, what):
    leaves, n = _elements(elems, what)

    def element(i):
        return nest.pack_like(elems, [x[i] for x in leaves])
    order = (lambda i: n - 1 - i) if reverse else (lambda i: i)
    if initializer is None:
        if n == 0:
            raise ValueError(f"{what}: elems is empty and there is no initializer")
        acc, first = element(order(0)), 1
    else:
        acc, first = initializer, 0
    acc_leaves = nest.flatten(acc)
    arrays = [TensorArray(x.dtype if isinstance(x, Tensor) else convert_to_tensor(x).dtype,
                          size=0, dynamic_size=True) for x in acc_leaves] if keep else []
    if keep and first:
        arrays = [ta.write(0, x) for ta, x in zip(arrays, acc_leaves)]

    def body(i, acc, arrays):
        acc = fn(acc, element(order(i)))
        return i + 1, acc, [ta.write(i, x) for ta, x in zip(arrays, nest.flatten(acc))]
    _, acc, arrays = while_loop(lambda i, acc, arrays: i < n, body,
                                (convert_to_tensor(first, dtype=int32), acc, arrays))
    if not keep:
        return acc
    stacked = [ta.stack() for ta in arrays]
    if reverse:
        stacked = [flip(x, axis=0) for x in stacked]
    return nest.pack_like(acc, stacked)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``fn(...fn(fn(initializer, elems[0]), elems[1])..., elems[n-1])`` (``tf.foldl``);
    without ``initializer`` the first element starts."""
    return _run(fn, elems, initializer, False, False, "mg.foldl")


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``tf.foldr``: ``foldl`` from the last element to the first."""
    return _run(fn, elems, initializer, True, False, "mg.foldr")


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """``tf.scan``: every accumulator of ``foldl`` (of ``foldr`` with ``reverse``), stacked
    along a new first axis in the order of ``elems``."""
    return _run(fn, elems, initializer, reverse, True, "mg.scan")
