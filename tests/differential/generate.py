"""The hypothesis strategy: random programs of 1-5 ops drawn from the catalogue."""

import numpy as np
from hypothesis import strategies as st

from . import ops_algebra, ops_elementwise, ops_spectral, ops_structure  # noqa: F401
# (importing them registers their ops)
REGISTERING = (ops_algebra, ops_elementwise, ops_spectral, ops_structure)
from .catalogue import OPS, shapes
from .program import DTYPES, Builder, ExpectedError, Program, Reject


def _prune(b, out):
    """Drop the nodes and inputs the output does not depend on."""
    live, nodes = {out}, []
    for node in reversed(b.nodes):
        if node.name in live:
            live.update(a for a in node.args if isinstance(a, str))
            nodes.append(node)
    inputs = [(n, a) for n, a in b.inputs if n in live]
    program = Program(b.dtype, inputs, nodes[::-1], out, b.expect_error)
    program.empty = any(v.ref.size == 0 for v in b.pool if v.name in live)
    return program


def _pick_op(draw, x, allowed):
    """A family first (so the many unary ops do not crowd out the rest), then an op."""
    names = [n for n, o in OPS.items() if o.accepts(x) and (allowed is None or n in allowed)]
    if not names:
        return None
    families = sorted({OPS[n].family for n in names})
    family = draw(st.sampled_from(families))
    return OPS[draw(st.sampled_from(sorted(n for n in names if OPS[n].family == family)))]


@st.composite
def programs(draw, dtypes=DTYPES, ops=None, max_ops=5):
    """A ``Program`` whose dtype is drawn from ``dtypes``, using only ``ops`` (all: None)."""
    dtype = draw(st.sampled_from(dtypes))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    b = Builder(draw, rng, dtype)
    current = b.fresh(draw(shapes()))
    weights = np.arange(1, max_ops + 1, dtype=float) ** 0.5
    for _ in range(int(rng.choice(np.arange(1, max_ops + 1), p=weights / weights.sum()))):
        x = current if rng.random() < 0.9 else b.pool[int(rng.integers(len(b.pool)))]
        for _attempt in range(3):
            chosen = _pick_op(draw, x, ops)
            if chosen is None:
                break
            b.real_only = "c" not in chosen.kinds
            try:
                current = chosen.plan(b, x)
                break
            except Reject:
                continue
            except ExpectedError:
                return _prune(b, b.nodes[-1].name)
    if not b.nodes:
        current = b.call("negative", "negative", current)
    return _prune(b, current.name)


def empty_programs(**kwargs):
    """Programs with an empty value somewhere (a 0-length axis): on Dask, their inputs are
    also run cut unevenly (the ``uneven_chunks`` check)."""
    return programs(**kwargs).filter(lambda p: p.has_empty())
