"""What a tape records for one operation, and how its rules turn into cotangents.

Every recorded op is one ``TapeEntry`` (a NamedTuple: tuple speed, named fields), whether
it came through the one- and two-input fast paths or the general ``apply``. The backward
pass (``autodiff/tape.py``) and forward-mode helpers read entries only by these names, and
``entry_cotangents`` is the one place that applies an entry's VJP rules: it undoes
broadcasting and casts every cotangent to its input's dtype, on every path.
"""

from typing import Any, NamedTuple

from ..backend.conj import is_complex

__all__ = ["TapeEntry", "new_entry", "entry_cotangents", "multi_output_cotangent", "batch_ndim",
           "unbroadcast"]


class TapeEntry(NamedTuple):
    prim: Any       # the Primitive
    params: Any     # its keyword parameters (a dict), or None
    raws: tuple     # raw input values: a first-order backward pass runs rules on these
    inputs: tuple   # the input Tensors (Variables as snapshots): a recorded pass uses these
    ids: tuple      # per input, its tape id if the tape tracks it, else None
    result: Any     # the output Tensor, or a tuple of them for multi-output primitives


# Building through tuple.__new__ skips NamedTuple's Python-level __new__ (the fast paths
# record one entry per op, so this is on the per-op path).
_tuple_new = tuple.__new__


def new_entry(prim, params, raws, inputs, ids, result, _entry=TapeEntry):
    return _tuple_new(_entry, (prim, params, raws, inputs, ids, result))


def multi_output_cotangent(result, pop, wanted, found, higher, ns):
    """(g, ans) for a multi-output entry's outputs, taken out of the pending cotangents
    ``pop``; (None, None) when none received one (the entry is skipped). Outputs among
    ``wanted`` (sources that are also recorded outputs) are remembered in ``found``."""
    gs = [pop(o._id, None) for o in result]
    if all(g is None for g in gs):
        return None, None
    for o, g in zip(result, gs):
        if g is not None and o._id in wanted:
            found[o._id] = g
    ans = result if higher else tuple(o._value for o in result)
    # Outputs that got no cotangent get zeros (rules combine all outputs' cotangents).
    return tuple(ns.zeros_like(a) if g is None else g for g, a in zip(gs, ans)), ans


def entry_cotangents(entry, ns, g, ans, vals, relevant, check_numerics=None):
    """[(input id, cotangent)] for the inputs of ``entry`` that lead to a source.

    ``vals`` are the entry's raw inputs (first order) or its input Tensors (recorded
    pass). Each cotangent comes back in its input's shape and dtype. One-input entries
    (most of them) take a short path; both paths finish through ``_input_form``.
    """
    prim, params, ids = entry.prim, entry.params, entry.ids
    if len(ids) == 1 and prim.vjp_all is None:
        x_id = ids[0]
        if x_id is None or x_id not in relevant:
            return ()
        x = vals[0]
        gx = prim.vjps[0](ns, g, ans, x, **params) if params else prim.vjps[0](ns, g, ans, x)
        if gx is None:
            return ()
        if prim.broadcasting or gx.dtype != x.dtype or check_numerics is not None:
            gx = _input_form(prim, ns, gx, x, g, ans, 0, check_numerics)
        return ((x_id, gx),)
    every = None
    if prim.vjp_all is not None:
        every = prim.vjp_all(ns, g, ans, *vals, **params) if params else \
            prim.vjp_all(ns, g, ans, *vals)
    out = []
    for pos, x_id in enumerate(ids):
        if x_id is None or x_id not in relevant:
            continue
        if every is not None:
            gx = every[pos]
        else:
            rule = prim.vjps[pos]
            gx = rule(ns, g, ans, *vals, **params) if params else rule(ns, g, ans, *vals)
        if gx is not None:
            out.append((x_id, _input_form(prim, ns, gx, vals[pos], g, ans, pos,
                                          check_numerics)))
    return out


def _input_form(prim, ns, gx, x, g, ans, pos, check_numerics):
    """A cotangent summed back to its input's shape (broadcasting) and cast to its dtype."""
    if prim.broadcasting and tuple(gx.shape) != tuple(x.shape):
        gx = unbroadcast(ns, gx, tuple(x.shape), batch_ndim(g, ans))
    if gx.dtype != x.dtype:
        gx = _cast_like(ns, gx, x)
    if check_numerics is not None:      # mg.debugging.enable_check_numerics()
        check_numerics(prim, gx, ns, pos)
    return gx


def _cast_like(ns, gx, x):
    """A cotangent in its input's dtype; a real input gets the real part (dL/dx)."""
    if is_complex(gx) and not is_complex(x):
        gx = ns.real(gx)
    return ns.astype(gx, x.dtype)


def batch_ndim(g, ans):
    """How many leading batch axes a cotangent carries (0 except for jacobians).

    A rule receives ``g`` of shape ``batch + ans.shape`` and returns ``batch + x.shape``;
    elementwise rules need nothing for this (broadcasting aligns trailing axes), rules
    that name axes or shapes offset them by this count.
    """
    if isinstance(g, tuple):
        g, ans = g[0], ans[0]
    return len(g.shape) - len(ans.shape)


def unbroadcast(ns, g, shape, batch=0):
    """Sum a cotangent back to ``shape`` (undo broadcasting), keeping ``batch`` lead axes."""
    gshape = tuple(g.shape)
    target = gshape[:batch] + tuple(shape)
    if gshape == target:
        return g
    lead = len(gshape) - len(target)
    axes = tuple(range(batch, batch + lead)) + tuple(
        batch + lead + i for i, n in enumerate(shape) if n == 1 and gshape[batch + lead + i] != 1)
    if axes:
        g = ns.sum(g, axis=axes, keepdims=False)
    if tuple(g.shape) != target:
        g = ns.reshape(g, target)
    return g
