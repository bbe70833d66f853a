"""``global_norm`` (``tf.linalg.global_norm``): shared by ``mg.linalg`` and the TF functions."""

from ...core.convert import as_tensor
from .. import constant, sqrt, sum
from ..define import defop
from ...core.tensor import Tensor

__all__ = ["global_norm"]


def tensor_list(t_list, opname):
    """A list of tensors (None entries kept), or a TypeError naming the op."""
    if isinstance(t_list, Tensor) or not isinstance(t_list, (list, tuple)):
        raise TypeError(f"mg.{opname}: t_list must be a list or tuple of tensors, got "
                        f"{type(t_list).__name__}; wrap a single tensor as [t]")
    return [None if t is None else as_tensor(t) for t in t_list]


@defop()
def global_norm(t_list, name=None):
    """sqrt(sum over the tensors of sum(t**2)) (``tf.linalg.global_norm``); None entries
    are ignored."""
    tensors = [t for t in tensor_list(t_list, "global_norm") if t is not None]
    if not tensors:
        return constant(0.0)
    total = sum(tensors[0] * tensors[0])
    for t in tensors[1:]:
        total = total + sum(t * t)
    return sqrt(total)
