"""Matrix structure: diagonal, diag, triu, tril."""

from ..primitive import Primitive, apply
from ..tensor import Tensor
from .reductions import normalize_axis

__all__ = ["diagonal", "diag", "triu", "tril"]


def _tensor(x):
    if isinstance(x, Tensor):
        return x
    from .creation import convert_to_tensor
    return convert_to_tensor(x)


def _diagonal_slice(n, m, offset):
    """Where diagonal ``offset`` of an (n, m) matrix lies in its flattening: a strided slice."""
    if offset >= 0:
        count, start = max(0, min(n, m - offset)), offset
    else:
        count, start = max(0, min(n + offset, m)), -offset * m
    if count == 0:
        return slice(0, 0), 0
    return slice(start, start + (count - 1) * (m + 1) + 1, m + 1), count


def diagonal(x, offset=0, axis1=0, axis2=1, name=None):
    """The ``offset`` diagonal of the (axis1, axis2) planes, as a new last axis (NumPy's).

    Built from transpose, reshape and a strided slice, so it is a view-like composition
    whose gradient is a strided scatter.
    """
    from .shape import reshape, transpose
    x = _tensor(x)
    if x.ndim < 2:
        raise ValueError(f"mg.diagonal needs at least 2 dimensions, got shape {x.shape}")
    a1, a2 = normalize_axis(axis1, x.ndim, "diagonal")[0], normalize_axis(axis2, x.ndim,
                                                                            "diagonal")[0]
    if a1 == a2:
        raise ValueError(f"mg.diagonal: axis1 and axis2 are the same axis ({axis1}, {axis2})")
    rest = [i for i in range(x.ndim) if i not in (a1, a2)]
    n, m = x.shape[a1], x.shape[a2]
    lead = tuple(x.shape[i] for i in rest)
    flat = reshape(transpose(x, rest + [a1, a2]), lead + (n * m,))
    where, count = _diagonal_slice(n, m, int(offset))
    if count == 0:
        return reshape(flat[..., 0:0], lead + (0,))
    return flat[..., where]


def diag(v, k=0, name=None):
    """A 1-D ``v`` placed on diagonal ``k`` of a square matrix; a 2-D ``v``'s ``k`` diagonal."""
    from .shape import index_add_into_zeros, reshape
    v = _tensor(v)
    if v.ndim == 2:
        return diagonal(v, offset=k)
    if v.ndim != 1:
        raise ValueError(f"mg.diag expects a 1-D or 2-D tensor, got shape {v.shape}")
    size = v.shape[0] + abs(int(k))
    where, _ = _diagonal_slice(size, size, int(k))
    if size == 0:
        return reshape(v, (0, 0))
    return reshape(index_add_into_zeros((size * size,), where, v), (size, size))


def _triangle(name, keep):
    prim = Primitive(name, lambda ns, x, k: keep(ns, x, k))
    prim.defvjp(lambda ns, g, ans, x, k: keep(ns, g, k))   # last two axes: batch-safe

    def op(x, k=0, name=None):
        x = _tensor(x)
        if x.ndim < 2:
            raise ValueError(f"mg.{prim.name} needs at least 2 dimensions, got shape {x.shape}")
        return apply(prim, (x,), {"k": int(k)})
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Zero the elements {'below' if name == 'triu' else 'above'} diagonal ``k`` " \
                 f"of the last two axes."
    op.primitive = prim
    return op


triu = _triangle("triu", lambda ns, x, k: ns.triu(x, k=k))
tril = _triangle("tril", lambda ns, x, k: ns.tril(x, k=k))
