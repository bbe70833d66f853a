"""Axis arguments, checked once for every op that takes them."""

from .args import axis_items, check_axis

__all__ = ["normalize_axis"]


def normalize_axis(axis, ndim, opname):
    """``axis`` as a sorted tuple of non-negative ints (None stays None)."""
    if axis is None:
        return None
    out = [check_axis(a, ndim, opname) for a in axis_items(axis, opname)]
    if len(set(out)) != len(out):
        raise ValueError(f"mg.{opname}: repeated axis in {axis!r}")
    return tuple(sorted(out))
