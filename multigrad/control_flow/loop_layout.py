"""How ``mg.while_loop``'s loop variables map to a traced loop's arrays.

Tensor leaves (and Python numbers, converted) are the loop's carried values. A
TensorArray leaf is not: inside the traced body it is a view that records its write, and
the value written (with its index) becomes an output collected once per iteration; after
the loop the array holds those rows (``tensor_array.py``).
"""

from ..core import nest
from ..core.convert import convert_to_tensor
from ..core.tensor import Tensor
from .tensor_array import TensorArray

__all__ = ["LoopLayout"]


def _tensor(x):
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


class LoopLayout:
    """The loop variables' structure, their Tensors and TensorArrays."""

    def __init__(self, loop_vars):
        self.loop_vars = loop_vars
        self.leaves = nest.flatten(loop_vars)
        self.arrays = [k for k, x in enumerate(self.leaves) if isinstance(x, TensorArray)]
        for k in self.arrays:
            if self.leaves[k]._blocks:
                raise ValueError("mg.while_loop: a TensorArray written by one traced loop "
                                 "cannot be carried by another; stack() it and start a new "
                                 "one")
        self.tensors = [_tensor(x) for k, x in enumerate(self.leaves) if k not in self.arrays]
        self.writers = []         # the TensorArray leaves the body writes, in order

    def pack(self, flat):
        """The structure the user's cond and body take: Tensors and TensorArray views."""
        it = iter(flat)
        leaves = [x._loop_view() if k in self.arrays else next(it)
                  for k, x in enumerate(self.leaves)]
        return nest.pack_like(self.loop_vars, leaves)

    def split(self, out):
        """The body's result as [next Tensors] + [index, value per TensorArray write]."""
        leaves = nest.flatten(out)
        if len(leaves) != len(self.leaves):
            raise ValueError(f"mg.while_loop: body must return the structure of loop_vars "
                             f"({len(self.leaves)} values), got {len(leaves)} values: "
                             f"{out!r:.100}")
        tensors = [_tensor(x) for k, x in enumerate(leaves) if k not in self.arrays]
        accs, writers = [], []
        for k in self.arrays:
            if not isinstance(leaves[k], TensorArray):
                raise TypeError(f"mg.while_loop: body returned {type(leaves[k]).__name__} "
                                f"where loop_vars holds a TensorArray")
            writes = leaves[k]._loop_writes(self.leaves[k], "mg.while_loop")
            if len(writes) > 1:
                raise ValueError("mg.while_loop inside mg.function: a TensorArray takes one "
                                 "write per iteration")
            if writes:
                writers.append(k)
                accs += list(writes[0])
        self.writers = writers
        return tensors + accs

    def starts(self):
        """The first index each written TensorArray's loop writes must use."""
        return [self.leaves[k]._loop_start() for k in self.writers]

    def result(self, finals, rows, count):
        """The loop's result: the final Tensors, each written TensorArray with its rows."""
        it, blocks = iter(finals), dict(zip(self.writers, rows))
        leaves = [(x._after_loop(blocks[k], count) if k in blocks else x)
                  if k in self.arrays else next(it) for k, x in enumerate(self.leaves)]
        return nest.pack_like(self.loop_vars, leaves)
