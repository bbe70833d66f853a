"""Dataset elements: nested tuples, namedtuples and dicts of Tensors, as ``tf.data`` sees them.

As in ``tf.data``, a tuple or dict is structure and a list is data (``[1, 2]`` is one
tensor), so ``from_tensor_slices(([1, 2], [3, 4]))`` has two components.
"""

from ..core import nest
from ..tracing.spec import TensorSpec   # one TensorSpec: tf.data's is tf.function's
from ..ops import convert_to_tensor, stack
from ..core.tensor import Tensor

__all__ = ["flatten", "pack_like", "map_structure", "to_tensors", "TensorSpec", "spec_of",
           "call_with_element"]


def _is_structure(x):
    return isinstance(x, (tuple, dict))


def flatten(element):
    """The leaves of ``element`` (dicts in sorted key order, as tf.nest; lists are leaves)."""
    return nest.flatten(element, sequences=(tuple,))


def pack_like(structure, leaves):
    """``structure`` rebuilt with ``leaves`` (in ``flatten`` order) in place of its own."""
    return nest.pack_like(structure, leaves, sequences=(tuple,))


def map_structure(f, element):
    return pack_like(element, [f(leaf) for leaf in flatten(element)])


def to_tensors(element, where):
    """Every leaf of ``element`` as a Tensor (Python data with TensorFlow's defaults)."""
    def convert(leaf):
        if isinstance(leaf, Tensor):
            return convert_to_tensor(leaf)             # a Variable: its current value
        if leaf is None:
            raise TypeError(f"mg.data.Dataset.{where}: an element component is None; every "
                            f"component must be a tensor, array or Python number")
        return convert_to_tensor(leaf)
    return map_structure(convert, element)


def stack_elements(elements):
    """One element whose leaves stack the leaves of ``elements`` along a new axis 0."""
    columns = zip(*(flatten(e) for e in elements))
    return pack_like(elements[0], [stack(list(column)) for column in columns])


def call_with_element(f, element):
    """``f`` applied as tf.data applies it: a tuple's components as separate arguments."""
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return f(*element)
    return f(element)


def spec_of(element):
    return map_structure(lambda t: TensorSpec(t.shape, t.dtype), element)
