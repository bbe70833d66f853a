"""Choosing between values by conditions: select, piecewise (NumPy's). Compositions of
where and masked updates."""

from ..core.convert import as_tensor
from ..core.tensor import Tensor
from .define import defop
from ..dtypes import int64
from .creation import arange, cast, zeros_like
from .differences import like
from .elementwise import where
from .indexing import index_update, sort, take
from .reductions import sum as _sum
from .shape import broadcast_to, reshape

__all__ = ["select", "piecewise"]


def _same_length(condlist, choicelist):
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise TypeError("mg.select: condlist and choicelist must be lists of tensors")
    if len(condlist) != len(choicelist):
        raise ValueError(f"mg.select: condlist has {len(condlist)} entries but choicelist has "
                         f"{len(choicelist)}; they must be the same length")


@defop()
def select(condlist, choicelist, default=0, name=None):
    """``choicelist[i]`` where ``condlist[i]`` is the first true condition, else ``default``.

    Differentiable in the choices and the default (the conditions get none).
    """
    _same_length(condlist, choicelist)
    if not condlist:
        raise ValueError("mg.select: condlist must not be empty")
    conds = [as_tensor(c) for c in condlist]
    for c in conds:
        if not c.dtype.is_bool:
            raise TypeError(f"mg.select: every condition must be boolean, got {c.dtype.name}")
    choices = [as_tensor(c) if isinstance(c, Tensor) or not isinstance(c, (int, float))
               else c for c in choicelist]
    template = next((c for c in choices if isinstance(c, Tensor)), None)
    out = like(default, template) if template is not None else as_tensor(default)
    for cond, choice in zip(reversed(conds), reversed(choices)):
        out = where(cond, choice, out)
    return out


def _piecewise_conditions(x, condlist):
    if isinstance(condlist, Tensor) or hasattr(condlist, "ndim") or isinstance(condlist, bool):
        condlist = [condlist]
    conds = [as_tensor(c) for c in condlist]
    for c in conds:
        if not c.dtype.is_bool:
            raise TypeError(f"mg.piecewise: every condition must be boolean, got {c.dtype.name}")
    return [broadcast_to(c, x.shape) if c.shape != x.shape else c for c in conds]


@defop()
def piecewise(x, condlist, funclist, *args, **kw):
    """NumPy's ``piecewise``: ``funclist[i]`` (a function of ``x[cond]``, or a constant)
    where ``condlist[i]`` holds, a later condition winning; one extra function gives the
    value where no condition holds (else 0). Each function sees only its own elements (a
    1-D gather of them), so a function undefined elsewhere leaves no NaN in the gradient.
    """
    x = as_tensor(x)
    conds = _piecewise_conditions(x, condlist)
    funcs = list(funclist)
    if len(funcs) not in (len(conds), len(conds) + 1):
        raise ValueError(f"mg.piecewise: {len(conds)} conditions need {len(conds)} or "
                         f"{len(conds) + 1} functions, got {len(funcs)}")
    if len(funcs) == len(conds) + 1:
        none = conds[0]
        for c in conds[1:]:
            none = none | c
        conds, funcs = [~none] + conds, [funcs[-1]] + funcs[:-1]
    flat, out = reshape(x, (-1,)), zeros_like(reshape(x, (-1,)))
    for cond, f in zip(conds, funcs):
        cond = reshape(cond, (-1,))
        if callable(f):
            # Integer positions of the true entries (sizes stay known, Dask included).
            where_true = _positions(cond, x.backend)
            out = index_update(out, where_true, f(take(flat, where_true), *args, **kw))
        else:
            out = where(cond, like(f, x), out)
    return reshape(out, x.shape)


def _positions(flat_mask, backend):
    n = flat_mask.shape[0]
    count = int(_sum(cast(flat_mask, int64)))
    return sort(where(flat_mask, arange(n, backend=backend), n))[:count]
