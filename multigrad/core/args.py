"""Argument checks shared by the ops: axes, shapes, sizes and fill values.

``int()`` on an argument accepts what it should refuse (``2.7`` truncates, ``"0"`` parses,
``True`` is 1): these helpers take only integers (anything with ``__index__`` except a
bool: Python and NumPy ints, 0-d integer tensors) and raise a TypeError naming the op and
the argument otherwise; axes out of range raise ``mg.AxisError`` (NumPy's message).
"""

import numbers
import operator

from ..errors import AxisError

__all__ = ["integer_arg", "axis_items", "check_axis", "shape_arg", "number_arg", "single_axis",
           "normalize_axis"]


def integer_arg(value, opname, what):
    """``value`` as a Python int; a TypeError for floats, strings, bools, None ..."""
    if isinstance(value, bool) or not hasattr(type(value), "__index__"):
        raise TypeError(f"mg.{opname}: {what} must be an integer, got {value!r:.60} "
                        f"({type(value).__name__})")
    return operator.index(value)


def _scalar_integer(value):
    return not isinstance(value, bool) and hasattr(type(value), "__index__") \
        and getattr(value, "ndim", 0) == 0


def axis_items(axis, opname, what="axis"):
    """``axis`` (an integer, or a sequence of them) as a tuple of Python ints."""
    if _scalar_integer(axis):
        return (operator.index(axis),)
    if isinstance(axis, (str, bytes, bool)) or not hasattr(axis, "__iter__"):
        raise TypeError(f"mg.{opname}: {what} must be an integer or a tuple of integers, "
                        f"got {axis!r:.60} ({type(axis).__name__})")
    return tuple(integer_arg(a, opname, what) for a in axis)


def check_axis(axis, ndim, opname):
    """``axis`` counted from the front; ``mg.AxisError`` unless ``-ndim <= axis < ndim``."""
    if not -ndim <= axis < ndim:
        raise AxisError(f"mg.{opname}: axis {axis} is out of bounds for array of dimension "
                        f"{ndim}")
    return axis % ndim


def shape_arg(shape, opname, what="shape", allow_negative=False):
    """A shape (an integer or a sequence of integers) as a tuple of Python ints; negative
    sizes are a ValueError unless ``allow_negative`` (reshape's -1 is checked there)."""
    if isinstance(shape, (str, bytes)) or shape is None:
        raise TypeError(f"mg.{opname}: {what} must be an integer or a sequence of integers, "
                        f"got {shape!r:.60} ({type(shape).__name__})")
    if _scalar_integer(shape):
        shape = (shape,)
    try:
        items = list(shape)
    except TypeError:
        raise TypeError(f"mg.{opname}: {what} must be an integer or a sequence of integers, "
                        f"got {shape!r:.60} ({type(shape).__name__})") from None
    dims = tuple(integer_arg(d, opname, f"every entry of {what}") for d in items)
    if not allow_negative and any(d < 0 for d in dims):
        raise ValueError(f"mg.{opname}: negative dimensions are not allowed, got {what} "
                         f"{dims}")
    return dims


def number_arg(value, opname, what):
    """``value`` as a Python number (NumPy scalars converted; 0-d arrays pass), else a
    TypeError."""
    if isinstance(value, (bool, int, float, complex)):
        return value
    for kind, python in ((numbers.Integral, int), (numbers.Real, float),
                         (numbers.Complex, complex)):
        if isinstance(value, kind):
            return python(value)
    if hasattr(value, "shape") and hasattr(value, "dtype") and tuple(value.shape) == ():
        return value
    raise TypeError(f"mg.{opname}: {what} must be a number, got {value!r:.60} "
                    f"({type(value).__name__})")


def single_axis(axis, ndim, opname):
    """One axis counted from the front, for ops that take exactly one (None and tuples are
    a TypeError; ops where None flattens handle it before calling this)."""
    if axis is None or isinstance(axis, (tuple, list)):
        raise TypeError(f"mg.{opname}: axis must be an integer, got {axis!r:.60}")
    return check_axis(integer_arg(axis, opname, "axis"), ndim, opname)


def normalize_axis(axis, ndim, opname):
    """``axis`` as a sorted tuple of non-negative ints (None stays None)."""
    if axis is None:
        return None
    out = [check_axis(a, ndim, opname) for a in axis_items(axis, opname)]
    if len(set(out)) != len(out):
        raise ValueError(f"mg.{opname}: repeated axis in {axis!r}")
    return tuple(sorted(out))
