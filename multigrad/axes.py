"""Axis arguments, checked once for every op that takes them."""

__all__ = ["normalize_axis"]


def normalize_axis(axis, ndim, opname):
    """``axis`` as a sorted tuple of non-negative ints (None stays None)."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, int) or hasattr(axis, "__index__") else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < ndim:
            raise ValueError(f"mg.{opname}: axis {a} is out of bounds for a tensor of rank {ndim}")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"mg.{opname}: repeated axis in {axis!r}")
    return tuple(sorted(out))
