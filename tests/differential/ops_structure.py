"""Shape, joining and indexing ops (basic, integer-array and boolean indexing, updates)."""

import numpy as np
from hypothesis import strategies as st

from .catalogue import MAX_SIZE, one_axis, op, partner
from .domains import gaps_ok
from .program import Reject


def _factor_shape(b, size):
    dims, left = [], size
    for _ in range(b.draw(st.integers(0, 3))):
        d = b.draw(st.sampled_from([1, 2, 3, 4, 0]))
        if d and left % d == 0:
            dims.append(d)
            left //= d
        elif d == 0 and size == 0:
            dims.append(0)
    if size:
        dims.append(left)
    elif 0 not in dims:
        dims.append(0)
    return tuple(b.rng.permutation(dims).tolist()) if dims else ()


@op("reshape", "rc", "shape")
def _reshape(b, x):
    shape = _factor_shape(b, x.ref.size) if x.ref.size != 1 else (1,) * b.draw(
        st.integers(0, 2))
    if shape and x.ref.size and b.rng.random() < 0.3:
        shape = tuple(-1 if i == 0 else d for i, d in enumerate(shape))
    return b.call("reshape", "reshape", x, shape)


@op("transpose", "rc", "shape")
def _transpose(b, x):
    perm = tuple(int(i) for i in b.rng.permutation(x.ndim))
    if b.rng.random() < 0.3:
        return b.call("transpose", "transpose", x)
    return b.call("transpose", "transpose", x, axes=perm)


@op("expand_squeeze", "rc", "shape")
def _expand_squeeze(b, x):
    ones = [i for i, d in enumerate(x.shape) if d == 1]
    if ones and b.draw(st.booleans()):
        return b.call("squeeze", "squeeze", x, axis=ones[0] - x.ndim * b.draw(st.booleans()))
    return b.call("expand_dims", "expand_dims", x, b.draw(st.integers(-x.ndim - 1, x.ndim)))


@op("broadcast_to", "rc", "shape")
def _broadcast_to(b, x):
    shape = tuple(b.draw(st.sampled_from([2, 3])) if d == 1 and b.rng.random() < 0.6 else d
                  for d in x.shape)
    if b.rng.random() < 0.4:
        shape = (2,) + shape
    if int(np.prod(shape)) > 4 * MAX_SIZE:
        raise Reject("too big")
    return b.call("broadcast_to", "broadcast_to", x, shape)


@op("concatenate", "rc", "shape")
def _concatenate(b, x):
    if x.ndim == 0 or b.rng.random() < 0.3:
        ax = b.draw(st.integers(-x.ndim - 1, x.ndim))
        return _join(b, "stack", [x, partner(b, x, x.shape)], ax)
    ax = one_axis(b, x.ndim)
    shape = list(x.shape)
    shape[ax] = b.draw(st.sampled_from([0, 1, 2, 3]))
    y = partner(b, x, tuple(shape))
    return _join(b, "concatenate", [y, x] if b.draw(st.booleans()) else [x, y], ax)


def _join(b, name, vals, ax):
    return b.apply(name, lambda xp, *vs: getattr(xp, name)(list(vs), axis=ax), vals,
                   f"mg.{name}([{{0}}, {{1}}], axis={ax})")


@op("flip_roll", "rc", "shape")
def _flip_roll(b, x):
    ax = None if x.ndim == 0 or b.rng.random() < 0.3 else one_axis(b, x.ndim)
    if b.draw(st.booleans()):
        return b.call("flip", "flip", x, axis=ax)
    return b.call("roll", "roll", x, b.draw(st.integers(-3, 3)), axis=ax)


@op("tile_repeat", "rc", "shape")
def _tile_repeat(b, x):
    if b.draw(st.booleans()):
        reps = tuple(b.draw(st.lists(st.sampled_from([1, 2]), min_size=1, max_size=3)))
        return b.call("tile", "tile", x, reps)
    ax = None if x.ndim == 0 or b.rng.random() < 0.3 else one_axis(b, x.ndim)
    return b.call("repeat", "repeat", x, 2, axis=ax)


@op("array_split", "rc", "shape")
def _array_split(b, x):
    ax = one_axis(b, x.ndim)
    k = b.draw(st.integers(1, 3))
    i = b.draw(st.integers(0, k - 1))
    return b.apply("array_split", lambda xp, a: xp.array_split(a, k, axis=ax)[i], [x],
                   f"mg.array_split({{0}}, {k}, axis={ax})[{i}]")


@op("pad", "rc", "shape")
def _pad(b, x):
    if x.ndim == 0:
        raise Reject("scalar")
    mode = b.draw(st.sampled_from(["constant", "edge", "reflect"]))
    width = []
    for d in x.shape:
        top = 0 if d == 0 and mode != "constant" else (d - 1 if mode == "reflect" else 2)
        width.append((b.draw(st.integers(0, min(top, 2))), b.draw(st.integers(0, min(top, 2)))))
    return b.call("pad", "pad", x, tuple(width), mode=mode)


@op("triangle", "rc", "shape")
def _triangle(b, x):
    if x.ndim < 2:
        raise Reject("needs a matrix")
    name = b.draw(st.sampled_from(["triu", "tril", "diagonal", "matrix_transpose", "trace"]))
    if name in ("triu", "tril"):
        return b.call(name, name, x, k=b.draw(st.integers(-1, 1)))
    if name == "matrix_transpose":
        return b.call(name, name, x)
    a1, a2 = (int(i) for i in b.rng.choice(x.ndim, 2, replace=False))
    return b.call(name, name, x, offset=b.draw(st.integers(-1, 1)), axis1=a1, axis2=a2)


@op("swap_move", "rc", "shape")
def _swap_move(b, x):
    if x.ndim == 0:
        raise Reject("scalar")
    s, d = one_axis(b, x.ndim), one_axis(b, x.ndim)
    name = b.draw(st.sampled_from(["swapaxes", "moveaxis"]))
    return b.call(name, name, x, s, d)


@op("sort", "r", "shape")
def _sort(b, x):
    ax = one_axis(b, x.ndim) if x.ndim else -1
    if x.ndim == 0:
        raise Reject("scalar")
    if not gaps_ok(x.ref, axis=ax):
        x = b.fresh(x.shape, "distinct", real=True)
    return b.call("sort", "sort", x, axis=ax)


# --- indexing ----------------------------------------------------------------------------

def _slice_text(s):
    parts = ["" if v is None else str(v) for v in (s.start, s.stop, s.step)]
    return ":".join(parts[:2]) + (":" + parts[2] if s.step is not None else "")


def _index_text(index):
    def one(i):
        if isinstance(i, slice):
            return _slice_text(i)
        if i is None:
            return "None"
        if i is Ellipsis:
            return "..."
        if isinstance(i, np.ndarray):
            return f"np.array({i.tolist()}, dtype='{i.dtype.name}')"
        return repr(i)
    return ", ".join(one(i) for i in index) if index else "()"


def index_tags(index, shape):
    """"np_index": a NumPy index array; "oob_slice": a slice bound outside the axis."""
    tags, dims = set(), iter(shape)
    for i in index:
        if isinstance(i, np.ndarray):
            tags.add("np_index")
        if i is None or i is Ellipsis:
            continue
        d = next(dims, 0)
        if isinstance(i, slice) and any(v is not None and not -d <= v < d
                                        for v in (i.start, i.stop)):
            tags.add("oob_slice")
    return tags


def _basic_index(b, shape):
    index = []
    for d in shape[:b.draw(st.integers(0, len(shape)))]:
        kind = b.draw(st.sampled_from(["slice", "slice", "int", "none"] if d else ["slice"]))
        if kind == "int":
            index.append(b.draw(st.integers(-d, d - 1)))
        elif kind == "none":
            index.append(None)
            index.append(slice(None))
        else:
            lo, hi = b.draw(st.integers(-d - 2, d + 2)), b.draw(st.integers(-d - 2, d + 2))
            step = b.draw(st.sampled_from([None, 1, 2, -1, -2]))
            index.append(slice(lo if b.rng.random() < 0.7 else None,
                               hi if b.rng.random() < 0.7 else None, step))
    if b.rng.random() < 0.2:
        index.append(Ellipsis)
    return tuple(index)


def _int_array(b, n, count, distinct, oob=False):
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if distinct:
        idx = b.rng.permutation(n)[:count]
    else:
        idx = b.rng.integers(0, n, count)
    idx = np.where(b.rng.random(idx.shape) < 0.3, idx - n, idx).astype(np.int64)
    if oob and idx.size:
        idx[int(b.rng.integers(idx.size))] = n + int(b.rng.integers(0, 3))
    return idx


def _advanced_index(b, shape, distinct=False):
    ax = b.draw(st.integers(0, len(shape) - 1))
    if b.rng.random() < 0.3:
        mask = b.rng.random(shape[:ax + 1]) < 0.5
        return (slice(None),) * 0 + (mask,), "mask"
    oob = not distinct and b.rng.random() < 0.05
    idx = _int_array(b, shape[ax], b.draw(st.integers(0, 4)), distinct, oob)
    return (slice(None),) * ax + (idx,), "oob" if oob else "int"


@op("getitem", "rc", "index")
def _getitem(b, x):
    kind = "basic" if x.ndim == 0 or b.rng.random() < 0.5 else "advanced"
    if kind == "basic":
        index = _basic_index(b, x.shape)
        name = "getitem"
    else:
        index, sub = _advanced_index(b, x.shape)
        name = {"mask": "getitem_mask", "int": "getitem_int", "oob": "getitem_oob"}[sub]
    return b.apply(name, lambda xp, a: a[index], [x], "{0}[" + _index_text(index) + "]",
                   index_tags(index, x.shape))


@op("take", "rc", "index")
def _take(b, x):
    ax = None if x.ndim == 0 or b.rng.random() < 0.3 else b.draw(st.integers(0, x.ndim - 1))
    n = x.ref.size if ax is None else x.shape[ax]
    oob = b.rng.random() < 0.05
    idx = _int_array(b, n, b.draw(st.integers(0, 4)), False, oob)
    if b.rng.random() < 0.3 and x.ndim and ax is not None:
        shape = list(x.shape)
        shape[ax] = b.draw(st.integers(0, 3))
        idx = b.rng.integers(0, max(n, 1), shape) if n else np.zeros(shape, np.int64)
        return b.apply("take_along_axis", lambda xp, a: xp.take_along_axis(a, idx, axis=ax),
                       [x], f"mg.take_along_axis({{0}}, {_index_text((idx,))}, axis={ax})",
                       {"np_index"})
    return b.call("take_oob" if oob and n else "take", "take", x, idx, axis=ax)


@op("index_update", "rc", "index")
def _index_update(b, x):
    if x.ndim == 0:
        raise Reject("scalar")
    if b.draw(st.booleans()):
        index = _basic_index(b, x.shape)
        index = tuple(i for i in index if i is not None)
        index = tuple(slice(i.start, i.stop, None if i.step is None else abs(i.step))
                      if isinstance(i, slice) else i for i in index) or (slice(None),)
    else:
        index, _ = _advanced_index(b, x.shape, distinct=True)
    name = b.draw(st.sampled_from(["index_update", "index_add"]))
    slot = x.ref[index].shape
    values = partner(b, x, slot[1:] if slot and b.rng.random() < 0.3 else slot,
                     real=not x.is_complex)
    return b.apply(name, lambda xp, a, v: getattr(xp, name)(a, index, v), [x, values],
                   f"mg.{name}({{0}}, np.s_[{_index_text(index)}], {{1}})",
                   index_tags(index, x.shape))
