"""Matrix structure: diagonal, diag, triu, tril."""

from ..core.args import normalize_axis
from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from .define import defop
from .shape import index_add_into_zeros, reshape, transpose

__all__ = ["diagonal", "diag", "triu", "tril"]


def _diagonal_slice(n, m, offset):
    """Where diagonal ``offset`` of an (n, m) matrix lies in its flattening: a strided slice."""
    if offset >= 0:
        count, start = max(0, min(n, m - offset)), offset
    else:
        count, start = max(0, min(n + offset, m)), -offset * m
    if count == 0:
        return slice(0, 0), 0
    return slice(start, start + (count - 1) * (m + 1) + 1, m + 1), count


@defop()
def diagonal(x, offset=0, axis1=0, axis2=1, name=None):
    """The ``offset`` diagonal of the (axis1, axis2) planes, as a new last axis (NumPy's).

    Built from transpose, reshape and a strided slice, so it is a view-like composition
    whose gradient is a strided scatter.
    """
    x = as_tensor(x)
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


@defop()
def diag(v, k=0, name=None):
    """A 1-D ``v`` placed on diagonal ``k`` of a square matrix; a 2-D ``v``'s ``k`` diagonal."""
    v = as_tensor(v)
    if v.ndim == 2:
        return diagonal(v, offset=k)
    if v.ndim != 1:
        raise ValueError(f"mg.diag expects a 1-D or 2-D tensor, got shape {v.shape}")
    size = v.shape[0] + abs(int(k))
    where, _ = _diagonal_slice(size, size, int(k))
    if size == 0:
        return reshape(v, (0, 0))
    return reshape(index_add_into_zeros((size * size,), where, v), (size, size))


def _triangle(prim, x, k):
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"mg.{prim.name} needs at least 2 dimensions, got shape {x.shape}")
    return apply(prim, (x,), {"k": int(k)})


# The rules act on the last two axes only, so a batch of cotangents in front is fine.
_TRIU = Primitive("triu", lambda ns, x, k: ns.triu(x, k=k))
_TRIU.defvjp(lambda ns, g, ans, x, k: ns.triu(g, k=k))
_TRIL = Primitive("tril", lambda ns, x, k: ns.tril(x, k=k))
_TRIL.defvjp(lambda ns, g, ans, x, k: ns.tril(g, k=k))


@defop(_TRIU)
def triu(x, k=0, name=None):
    """Zero the elements below diagonal ``k`` of the last two axes."""
    return _triangle(_TRIU, x, k)


@defop(_TRIL)
def tril(x, k=0, name=None):
    """Zero the elements above diagonal ``k`` of the last two axes."""
    return _triangle(_TRIL, x, k)
