"""Products: matmul, dot, inner, outer, vdot, tensordot, einsum, kron, cross, trace.

Only ``matmul`` and ``einsum`` are primitives; the others are compositions of
differentiable ops (transpose, reshape, matmul, getitem ...), so their gradients, at
every order and for batched cotangents, come from those ops' rules.
"""

import math

from ..backend import einsum_parse
from ..backend.conj import maybe_conj
from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from ..core.tape_entry import batch_ndim, unbroadcast
from .define import defop
from .elementwise import multiply
from .layout import moveaxis
from .ufuncs import conj
from .matrices import diagonal
from .reductions import sum as _sum
from .shape import reshape, stack, transpose

__all__ = ["matmul", "dot", "inner", "outer", "vdot", "tensordot", "einsum", "kron", "cross",
           "trace"]


def _matmul_vjp(ns, g, a, b, batch, which):
    """Cotangent of ``a`` (which=0) or ``b`` (which=1) of matmul, 1-D operands included."""
    a, b = maybe_conj(ns, a), maybe_conj(ns, b)          # TensorFlow's complex convention
    if a.ndim == 1 and b.ndim == 1:                      # inner product: g is batch-shaped
        return ns.expand_dims(g, axis=-1) * (b if which == 0 else a)
    if b.ndim == 1 and a.ndim == 2:                      # matrix @ vector: one plain matmul
        if which == 1:                                   # (..., m) @ (m, k) -> (..., k)
            return ns.matmul(g, a)
        return ns.expand_dims(g, axis=-1) * b            # outer products, one per cotangent
    a2, b2 = a, b
    if a.ndim == 1:                                      # (k,) acts as (1, k)
        a2 = ns.reshape(a, (1,) + tuple(a.shape))
        g = ns.expand_dims(g, axis=-2)
    if b.ndim == 1:                                      # (k,) acts as (k, 1)
        b2 = ns.reshape(b, tuple(b.shape) + (1,))
        g = ns.expand_dims(g, axis=-1)
    lead = tuple(g.shape[:batch])
    if which == 0:
        out = unbroadcast(ns, ns.matmul(g, ns.matrix_transpose(b2)), tuple(a2.shape), batch)
        return ns.reshape(out, lead + tuple(a.shape))
    out = unbroadcast(ns, ns.matmul(ns.matrix_transpose(a2), g), tuple(b2.shape), batch)
    return ns.reshape(out, lead + tuple(b.shape))


_MATMUL = Primitive("matmul", lambda ns, a, b: ns.matmul(a, b))
_MATMUL.defvjp(lambda ns, g, ans, a, b: _matmul_vjp(ns, g, a, b, batch_ndim(g, ans), 0),
               lambda ns, g, ans, a, b: _matmul_vjp(ns, g, a, b, batch_ndim(g, ans), 1))


@defop(_MATMUL)
def matmul(a, b, name=None):
    """Matrix product with NumPy's rules (1-D operands, broadcast batch dimensions)."""
    return apply(_MATMUL, (a, b))


# --- tensordot and what reduces to it ---------------------------------------------------


def _axes_list(axes, ndim, which):
    axes = [axes] if isinstance(axes, int) else list(axes)
    out = []
    for a in axes:
        if not -ndim <= int(a) < ndim:
            raise ValueError(f"mg.tensordot: axis {a} is out of bounds for {which} of rank {ndim}")
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"mg.tensordot: repeated axis in {axes!r} for {which}")
    return out


@defop()
def tensordot(a, b, axes=2, name=None):
    """Sum products over ``axes``: an int n (last n of a with first n of b) or a pair of lists."""
    a, b = as_tensor(a), as_tensor(b)
    if isinstance(axes, int):
        if not 0 <= axes <= min(a.ndim, b.ndim):
            raise ValueError(f"mg.tensordot: axes={axes} needs 0 <= axes <= min of the ranks "
                             f"({a.ndim}, {b.ndim})")
        ax_a, ax_b = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        try:
            first, second = axes
        except (TypeError, ValueError):
            raise ValueError(f"mg.tensordot: axes must be an int or a pair (axes_a, axes_b), "
                             f"got {axes!r}") from None
        ax_a, ax_b = _axes_list(first, a.ndim, "a"), _axes_list(second, b.ndim, "b")
        if len(ax_a) != len(ax_b):
            raise ValueError(f"mg.tensordot: {len(ax_a)} axes of a but {len(ax_b)} of b; "
                             f"give as many of each")
    for i, j in zip(ax_a, ax_b):
        if a.shape[i] != b.shape[j]:
            raise ValueError(f"mg.tensordot: axis {i} of a (shape {a.shape}) has size "
                             f"{a.shape[i]} but axis {j} of b (shape {b.shape}) has size "
                             f"{b.shape[j]}; contracted axes must match")
    free_a = [i for i in range(a.ndim) if i not in ax_a]
    free_b = [j for j in range(b.ndim) if j not in ax_b]
    k = math.prod(a.shape[i] for i in ax_a)
    a2 = reshape(transpose(a, free_a + ax_a), (math.prod(a.shape[i] for i in free_a), k))
    b2 = reshape(transpose(b, ax_b + free_b), (k, math.prod(b.shape[j] for j in free_b)))
    shape = tuple(a.shape[i] for i in free_a) + tuple(b.shape[j] for j in free_b)
    return reshape(matmul(a2, b2), shape)


@defop()
def dot(a, b, name=None):
    """NumPy's dot: products of scalars, matmul up to 2-D, else last axis of a with b's second-to-last."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    if b.ndim <= 2:
        if a.shape[-1] != b.shape[0]:
            raise ValueError(f"mg.dot: shapes {a.shape} and {b.shape} are not aligned: "
                             f"{a.shape[-1]} (last axis of a) != {b.shape[0]} (first axis of b)")
        return matmul(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 2]))


@defop()
def inner(a, b, name=None):
    """Sum of products over the last axes of ``a`` and ``b`` (scalars multiply)."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


@defop()
def outer(a, b, name=None):
    """Outer product of the flattened inputs: shape (a.size, b.size)."""
    a, b = as_tensor(a), as_tensor(b)
    return reshape(a, (a.size, 1)) * reshape(b, (1, b.size))


@defop()
def vdot(a, b, name=None):
    """Dot product of the flattened inputs, conjugating ``a`` (NumPy's vdot)."""
    a, b = as_tensor(a), as_tensor(b)
    if a.size != b.size:
        raise ValueError(f"mg.vdot: inputs of {a.size} and {b.size} elements; vdot needs "
                         f"equal sizes")
    if a.dtype.is_complex:
        a = conj(a)
    return matmul(reshape(a, (a.size,)), reshape(b, (b.size,)))


@defop()
def kron(a, b, name=None):
    """Kronecker product (blocks ``a[i, j] * b``), for any ranks."""
    a, b = as_tensor(a), as_tensor(b)
    nd = max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + a.shape
    sb = (1,) * (nd - b.ndim) + b.shape
    # Interleave axes: a as (a0, 1, a1, 1, ...), b as (1, b0, 1, b1, ...); the product
    # broadcasts to (a0, b0, a1, b1, ...), which merges into (a0*b0, a1*b1, ...).
    a2 = reshape(a, tuple(d for n in sa for d in (n, 1)))
    b2 = reshape(b, tuple(d for n in sb for d in (1, n)))
    return reshape(a2 * b2, tuple(m * n for m, n in zip(sa, sb)))


def _cross_operand(x, axis, which):
    if x.ndim == 0 or not -x.ndim <= axis < x.ndim or x.shape[axis] not in (2, 3):
        raise ValueError(f"mg.cross: {which} (shape {x.shape}) must have size 2 or 3 along "
                         f"axis {axis}")
    x = moveaxis(x, axis, -1)
    zero = x[..., 0] * 0
    return [x[..., 0], x[..., 1], x[..., 2] if x.shape[-1] == 3 else zero], x.shape[-1]


@defop()
def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None, name=None):
    """Cross product of 2- or 3-vectors along ``axisa``/``axisb`` (``axis`` sets all three),
    other axes broadcast, the result's vectors along ``axisc``. Two 2-vectors give the
    z component only (a scalar per pair), as NumPy."""
    a, b = as_tensor(a), as_tensor(b)
    if axis is not None:
        axisa = axisb = axisc = axis
    (a0, a1, a2), na = _cross_operand(a, axisa, "a")
    (b0, b1, b2), nb = _cross_operand(b, axisb, "b")
    if na == 2 and nb == 2:
        return a0 * b1 - a1 * b0
    out = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    if not -out.ndim <= axisc < out.ndim:
        raise ValueError(f"mg.cross: axisc {axisc} is out of bounds for a result of rank "
                         f"{out.ndim}")
    return moveaxis(out, -1, axisc)


@defop()
def trace(x, offset=0, axis1=0, axis2=1, name=None):
    """Sum along a diagonal (NumPy's axes: the first two by default)."""
    return _sum(diagonal(x, offset=offset, axis1=axis1, axis2=axis2), axis=-1)


# --- einsum ----------------------------------------------------------------------------------

def _dedupe(term):
    return "".join(c for i, c in enumerate(term) if c not in term[:i])


def _einsum_operand_vjp(ns, g, i, xs, terms, out, sizes, eyes):
    term, x = terms[i], xs[i]
    others = [t for j, t in enumerate(terms) if j != i]
    other_xs = [maybe_conj(ns, xj) for j, xj in enumerate(xs) if j != i]
    available = set(out).union(*others)
    own = {c: x.shape[term.index(c)] for c in term}
    uniq = _dedupe(term)
    # A letter only this operand has was summed out: its cotangent broadcasts along it.
    # A size-1 letter that broadcast against a larger one sums back to size 1.
    keep = "".join(c for c in uniq if c in available and own[c] == sizes[c])
    h = ns.einsum(",".join(["..." + out] + others) + "->..." + keep, g, *other_xs)
    lead = tuple(h.shape[:h.ndim - len(keep)])
    shape = lead + tuple(own[c] if c in keep else 1 for c in uniq)
    if tuple(h.shape) != shape:
        h = ns.reshape(h, shape)
    full = lead + tuple(own[c] for c in uniq)
    if shape != full:
        h = ns.broadcast_to(h, full)
    if len(uniq) < len(term):
        # A repeated letter read a diagonal: put the cotangent back on it (times identity).
        fresh = [c for c in einsum_parse.LETTERS if c not in sizes]
        new, pairs = "", []
        for p, c in enumerate(term):
            if c in term[:p]:
                f = fresh.pop(0)
                new += f
                pairs.append(c + f)
            else:
                new += c
        h = ns.einsum(",".join(["..." + uniq] + pairs) + "->..." + new, h,
                      *[eyes[pair[0]] for pair in pairs])
    return h


def _einsum_vjp(ns, g, ans, *xs, subscripts, terms, out, sizes, eyes):
    return [_einsum_operand_vjp(ns, g, i, xs, terms, out, sizes, eyes) for i in range(len(xs))]


_EINSUM = Primitive("einsum", lambda ns, *xs, subscripts, terms, out, sizes, eyes:
                    ns.einsum(subscripts, *xs))
_EINSUM.defvjp_all(_einsum_vjp)


@defop(_EINSUM)
def einsum(subscripts, *operands, optimize=False, name=None):
    """Einstein summation with NumPy's subscripts (``'ij,jk->ik'``, ``'...ii->...i'``), or
    NumPy's interleaved form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``. ``optimize`` is
    accepted (the backend's einsum chooses the contraction order)."""
    if not isinstance(subscripts, str):
        subscripts, operands = einsum_parse.from_interleaved((subscripts,) + operands)
    xs = tuple(as_tensor(x) for x in operands)
    if not xs:
        raise ValueError("mg.einsum needs at least one operand")
    terms, out, sizes = einsum_parse.parse(subscripts, [x.shape for x in xs])
    eyes = {}
    for term, x in zip(terms, xs):
        for p, c in enumerate(term):
            if c in term[:p] and c not in eyes:
                b = x.backend
                eyes[c] = b.ops.eye(sizes[c], dtype=b.native_dtype(x.dtype))
    explicit = ",".join(terms) + "->" + out
    return apply(_EINSUM, xs, {"subscripts": explicit, "terms": tuple(terms), "out": out,
                               "sizes": sizes, "eyes": eyes})
