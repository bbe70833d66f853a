"""``GradientTape.jacobian``'s memory guard and chunked mode.

One backward pass with a batch of one-hot cotangents holds, for every value on the way, a
cotangent per target element: at least ``target size x (target size + source sizes) x
itemsize`` bytes (the seed and the results). Above ``MEMORY_LIMIT_BYTES`` the jacobian is
refused with that estimate unless a chunk size is given (``parallel_iterations=K``: K rows
of the one-hot seed per backward pass), which bounds each pass's batch to K.
"""

from .. import ops as _ops
from ..errors import ResourceExhaustedError
from ..core.tensor import Tensor

__all__ = ["MEMORY_LIMIT_BYTES", "check_jacobian_size", "chunk_size", "seed_rows",
           "chunked_backward", "JacobianMemoryError"]

MEMORY_LIMIT_BYTES = 4 * 2 ** 30      # what one unchunked jacobian pass may need (estimate)


def _gib(n):
    return f"{n / 2 ** 30:.3g} GiB"


def chunk_size(parallel_iterations):
    """The chunk size asked for (None: one pass), checked."""
    if parallel_iterations is None:
        return None
    if isinstance(parallel_iterations, bool) or not hasattr(parallel_iterations, "__index__") \
            or parallel_iterations.__index__() < 1:
        raise ValueError(f"GradientTape.jacobian: parallel_iterations (the rows of the one-hot "
                         f"seed per backward pass) must be a positive int or None, got "
                         f"{parallel_iterations!r}")
    return parallel_iterations.__index__()


def check_jacobian_size(target, sources, size, chunk):
    """Raise a ValueError (also a MemoryError) explaining the estimate when one pass would
    need more than ``MEMORY_LIMIT_BYTES``, unless chunking was requested."""
    itemsize = target.dtype.itemsize
    differentiable = [s for s in sources if s.dtype.is_differentiable]
    source_elements = sum(s.size for s in differentiable)
    per_row = size * itemsize + sum(s.size * s.dtype.itemsize for s in differentiable)
    need = size * per_row
    if chunk is not None or need <= MEMORY_LIMIT_BYTES:
        return
    rows = max(1, MEMORY_LIMIT_BYTES // per_row)
    raise JacobianMemoryError(
        f"GradientTape.jacobian: one backward pass would need at least {_gib(need)}: target "
        f"size {size} x (target size {size} + source sizes {source_elements}) x itemsize "
        f"{itemsize} B ({target.dtype.name}; a source's own itemsize for its part), above the {_gib(MEMORY_LIMIT_BYTES)} limit "
        f"(multigrad.jacobian_chunks.MEMORY_LIMIT_BYTES). Compute it in pieces with "
        f"parallel_iterations={rows} (rows of the one-hot seed per backward pass), or"
        f" differentiate a reduction "
        f"(tape.gradient) if the full matrix is not needed")


class JacobianMemoryError(ResourceExhaustedError, ValueError):
    """The jacobian asked for would need more memory than the limit in one pass."""


def seed_rows(target, start, stop, size):
    """Rows ``start:stop`` of the one-hot seed, shaped ``(stop - start,) + target.shape``."""
    b = target._backend
    rows = b.ops.eye(stop - start, size, k=start, dtype=b.native_dtype(target.dtype))
    return _ops.reshape(Tensor._make(rows, b), (stop - start,) + target.shape)


def chunked_backward(tape, target, sources, size, chunk):
    """The sources' cotangents for the whole one-hot seed, ``chunk`` rows per backward pass
    (the tape keeps its entries until the last pass)."""
    pieces = []
    for start in range(0, size, chunk):
        stop = min(size, start + chunk)
        pieces.append(tape._backward([target], [seed_rows(target, start, stop, size)],
                                     sources, keep=stop < size))
    return [_join(parts, target._backend) for parts in zip(*pieces)]


def _join(parts, backend):
    """One source's chunks joined along the seed axis (raw arrays or Tensors; None stays)."""
    if any(p is None for p in parts):
        return None
    if isinstance(parts[0], Tensor):
        return _ops.concatenate(list(parts), axis=0)
    return backend.ops.concat(list(parts), axis=0)
