"""The op catalogue: every op the generator can draw, with the dtypes it accepts.

An op's ``plan(b, x)`` applies it to the value ``x`` through the ``Builder`` ``b``
(drawing its parameters and any further arguments) and returns the output ``Val``, or
raises ``Reject`` when it cannot apply here.
"""

import numpy as np
from hypothesis import strategies as st

from .program import MAX_SIZE, Reject

OPS = {}


class Op:
    def __init__(self, name, kinds, plan, family):
        self.name, self.kinds, self.plan, self.family = name, kinds, plan, family

    def accepts(self, x):
        return ("c" in self.kinds) if x.is_complex else ("r" in self.kinds)

    def __repr__(self):
        return self.name


def op(name, kinds="rc", family="misc"):
    def register(plan):
        OPS[name] = Op(name, kinds, plan, family)
        return plan
    return register


def register(name, kinds, plan, family):
    OPS[name] = Op(name, kinds, plan, family)


# --- shared draws --------------------------------------------------------------------

def shapes(max_ndim=3, min_ndim=0, max_size=MAX_SIZE):
    dims = st.sampled_from([1, 2, 3, 2, 3, 4, 1, 0])
    return st.lists(dims, min_size=min_ndim, max_size=max_ndim).map(tuple).filter(
        lambda s: int(np.prod(s)) <= max_size)


def axis(b, ndim, allow_none=True):
    """None, an int (maybe negative) or a tuple of distinct axes."""
    choices = ["none"] * allow_none + (["int", "tuple"] if ndim else [])
    if not choices:
        return None
    kind = b.draw(st.sampled_from(choices))
    if kind == "none":
        return None
    if kind == "int":
        return b.draw(st.integers(-ndim, ndim - 1))
    picked = b.draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
    return tuple(a - ndim if b.rng.random() < 0.3 else a for a in picked)


def one_axis(b, ndim):
    if ndim == 0:
        raise Reject("needs an axis")
    return b.draw(st.integers(-ndim, ndim - 1))


def broadcast_partner(b, shape):
    """A shape that broadcasts with ``shape`` (size-1 axes, fewer or more axes)."""
    dims = [1 if b.rng.random() < 0.25 else d for d in shape]
    drop = b.draw(st.integers(0, len(dims))) if b.rng.random() < 0.3 else 0
    dims = dims[drop:]
    if not drop and b.rng.random() < 0.15 and len(dims) < 4:
        dims = [b.draw(st.sampled_from([1, 2]))] + dims
    try:
        out = np.broadcast_shapes(tuple(dims), shape)
    except ValueError:
        return shape
    if int(np.prod(dims)) > MAX_SIZE or int(np.prod(out)) > 4 * MAX_SIZE:
        return shape
    return tuple(dims)


def partner(b, x, shape, domain="normal", real=False):
    """A second argument of ``shape``: a pool value when one fits, else a fresh input."""
    from .domains import inside
    fits = [v for v in b.pool if v is not x and v.shape == shape and inside(v.ref, domain)
            and (not real or not v.is_complex) and (v.is_complex <= (b.dtype == "complex128"))]
    if fits and b.rng.random() < 0.4:
        return fits[int(b.rng.integers(len(fits)))]
    return b.fresh(shape, domain, real=real)
