"""Elementwise math with VJP rules, comparisons and logical ops.

Rules use Python operators for arithmetic (raw arrays and Tensors both support them)
and ``ns`` for functions, so one rule serves raw arrays and recorded Tensors alike.
"""

import cmath as _cmath
import math as _math

from ..backend.conj import is_complex, maybe_conj
from ..core.convert import as_tensor
from ..core.primitive import Primitive, apply
from .define import binary, defop, nondiff_binary, nondiff_unary, unary

# Complex inputs follow TensorFlow's convention (docs/design.md): a holomorphic op's
# rule is g * conj(f'(z)); ``conj`` costs nothing on real data.

__all__ = ["add", "subtract", "multiply", "divide", "power", "negative", "square", "sqrt", "exp",
           "log", "sin", "cos", "tanh", "abs", "sign", "maximum", "minimum", "where", "clip",
           "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and",
           "logical_or", "logical_xor", "logical_not", "isnan", "isinf", "isfinite", "floor",
           "floor_divide", "remainder", "stop_gradient", "identity"]

# --- arithmetic ----------------------------------------------------------------------

add = binary("add", lambda ns, x, y: x + y,   # the Array API operator
             lambda ns, g, ans, x, y: g,
             lambda ns, g, ans, x, y: g)
subtract = binary("subtract", lambda ns, x, y: x - y,   # the Array API operator
                  lambda ns, g, ans, x, y: g,
                  lambda ns, g, ans, x, y: -g)
def _times(ns, g, other):
    """``g * conj(other)``, without the multiply when ``g`` is a broadcast of ones (what a
    sum's rule hands back, e.g. in ``sum(f(x) * y)``): then ``conj(other)`` already is the
    product, and a full pass and a full-size array are saved (benchmarks/NOTES.md, W5)."""
    strides = getattr(g, "strides", None)     # raw NumPy/CuPy arrays; Tensors have none
    if strides and not any(strides) and g.size >= _ONES_SHORTCUT_MIN_SIZE \
            and getattr(other, "shape", None) == g.shape and g[(0,) * g.ndim] == 1:
        return maybe_conj(ns, other)
    return g * maybe_conj(ns, other)


# Below this size the check costs more than the multiply it saves.
_ONES_SHORTCUT_MIN_SIZE = 4096

multiply = binary("multiply", lambda ns, x, y: x * y,   # the Array API operator
                  lambda ns, g, ans, x, y: _times(ns, g, y),
                  lambda ns, g, ans, x, y: _times(ns, g, x))
divide = binary("divide", lambda ns, x, y: x / y,   # the Array API operator
                lambda ns, g, ans, x, y: g / maybe_conj(ns, y),
                lambda ns, g, ans, x, y: -g * maybe_conj(ns, ans / y))


def _pow_vjp_x(ns, g, ans, x, y):
    # d/dx x**y = y * x**(y-1); y == 0 gives 0 even at x == 0.
    return ns.where(y == 0, 0.0, g * maybe_conj(ns, y * x ** (y - 1))) if hasattr(y, "shape") \
        else (g * 0.0 if y == 0 else g * maybe_conj(ns, y * x ** (y - 1)))


def _pow_vjp_y(ns, g, ans, x, y):
    # d/dy x**y = log(x) * x**y, taken as 0 where x <= 0 (as TensorFlow does);
    # complex x uses the principal log, 0 at x == 0.
    if not hasattr(x, "shape"):     # a Python number base: no array to mask
        if isinstance(x, complex):
            return g * maybe_conj(ns, ans * _cmath.log(x)) if x != 0 else g * 0.0
        return g * maybe_conj(ns, ans) * _math.log(x) if x > 0 else g * 0.0
    if is_complex(x):
        nonzero = x != 0
        safe_x = ns.where(nonzero, x, 1.0)
        return ns.where(nonzero, g * maybe_conj(ns, ans * ns.log(safe_x)), 0.0)
    positive = x > 0
    safe_x = ns.where(positive, x, 1.0)
    # a real base with a complex exponent: ans is complex, and the rule is g * conj(f'(y))
    return ns.where(positive, g * maybe_conj(ns, ans) * ns.log(safe_x), 0.0)


power = binary("power", "pow", _pow_vjp_x, _pow_vjp_y)
negative = unary("negative", "negative", lambda ns, g, ans, x: -g)

# --- elementwise functions -------------------------------------------------------------

square = unary("square", "square",
               lambda ns, g, ans, x: g * maybe_conj(ns, x * 2))
sqrt = unary("sqrt", "sqrt", lambda ns, g, ans, x: g / maybe_conj(ns, ans * 2))
exp = unary("exp", "exp", lambda ns, g, ans, x: g * maybe_conj(ns, ans))
log = unary("log", "log", lambda ns, g, ans, x: g / maybe_conj(ns, x))
sin = unary("sin", "sin", lambda ns, g, ans, x: g * maybe_conj(ns, ns.cos(x)))
cos = unary("cos", "cos", lambda ns, g, ans, x: -g * maybe_conj(ns, ns.sin(x)))
# Written so every intermediate is a temporary NumPy can reuse in place (1 - t*t would
# allocate twice): one full-size array per call instead of two (benchmarks/NOTES.md, W5).
tanh = unary("tanh", "tanh",
             lambda ns, g, ans, x: maybe_conj(ns, ans * -ans + 1) * g)


def _abs_vjp(ns, g, ans, x):
    if is_complex(x):       # d|z| = Re(conj(z/|z|) dz): the gradient is g * z / |z|, 0 at 0
        nonzero = ans != 0
        return ns.where(nonzero, g * x / ns.where(nonzero, ans, 1.0), 0.0)
    return g * ns.sign(x)


def _zero_vjp(ns, g, ans, *inputs, **params):
    return ns.zeros_like(g)


abs = unary("abs", "abs", _abs_vjp)  # noqa: A001
# Piecewise-constant ops are differentiable with a zero gradient (a tape gives zeros,
# not None), as NumPy-based autodiff libraries and tf.sign do.
sign = unary("sign", "sign", _zero_vjp,
             "Elementwise sign; its gradient is zero (taken as zero at 0 too).")


def _tie_split(ns, g, x, y):
    """The share of g for x in maximum(x, y): all where x wins, half on ties."""
    return ns.where(x > y, g, ns.where(x == y, g * 0.5, 0.0))


maximum = binary("maximum", "maximum",
                 lambda ns, g, ans, x, y: _tie_split(ns, g, x, y),
                 lambda ns, g, ans, x, y: _tie_split(ns, g, y, x),
                 "Elementwise maximum; on ties the gradient is split evenly.")
minimum = binary("minimum", "minimum",
                 lambda ns, g, ans, x, y: _tie_split(ns, g, y, x),
                 lambda ns, g, ans, x, y: _tie_split(ns, g, x, y),
                 "Elementwise minimum; on ties the gradient is split evenly.")

# --- where and clip --------------------------------------------------------------------

_WHERE = Primitive("where", lambda ns, c, x, y: ns.where(c, x, y), broadcasting=True)
_WHERE.defvjp(None,
              lambda ns, g, ans, c, x, y: ns.where(c, g, 0.0),
              lambda ns, g, ans, c, x, y: ns.where(c, 0.0, g))


@defop(_WHERE)
def where(condition, x=None, y=None, name=None):
    """Elements of ``x`` where ``condition`` holds, else of ``y`` (with broadcasting)."""
    if x is None or y is None:
        raise ValueError("mg.where needs both x and y; use mg.nonzero for the one-argument form")
    condition = as_tensor(condition)
    if not condition.dtype.is_bool:
        condition = condition != 0
    return apply(_WHERE, (condition, x, y))


def _clip_forward(ns, x, lo, hi):
    return ns.clip(x, min=lo, max=hi)


_CLIP = Primitive("clip", _clip_forward, broadcasting=True)
_CLIP.defvjp(
    lambda ns, g, ans, x, lo, hi: ns.where((x >= lo) & (x <= hi), g, 0.0),
    lambda ns, g, ans, x, lo, hi: ns.where(x < lo, g, 0.0),
    lambda ns, g, ans, x, lo, hi: ns.where(x > hi, g, 0.0))
# One-sided clips (NumPy's np.clip(x, lo, None)): the missing bound is not an input.
_CLIP_BELOW = Primitive("clip", lambda ns, x, lo: ns.clip(x, min=lo), broadcasting=True)
_CLIP_BELOW.defvjp(lambda ns, g, ans, x, lo: ns.where(x >= lo, g, 0.0),
                   lambda ns, g, ans, x, lo: ns.where(x < lo, g, 0.0))
_CLIP_ABOVE = Primitive("clip", lambda ns, x, hi: ns.clip(x, max=hi), broadcasting=True)
_CLIP_ABOVE.defvjp(lambda ns, g, ans, x, hi: ns.where(x <= hi, g, 0.0),
                   lambda ns, g, ans, x, hi: ns.where(x > hi, g, 0.0))


@defop(_CLIP)
def clip(x, clip_value_min=None, clip_value_max=None, name=None, *, a_min=None, a_max=None):
    """Limit values to [min, max] (``np.clip`` / ``tf.clip_by_value``); either bound may be
    None (a one-sided clip; NumPy's ``a_min=``/``a_max=`` spellings work too). The gradient
    passes where the input lies inside the bounds (inclusive), and to a tensor bound where
    it is active."""
    lo = a_min if clip_value_min is None else clip_value_min
    hi = a_max if clip_value_max is None else clip_value_max
    if lo is None and hi is None:
        raise ValueError("mg.clip needs at least one of clip_value_min and clip_value_max")
    if hi is None:
        return apply(_CLIP_BELOW, (x, lo))
    if lo is None:
        return apply(_CLIP_ABOVE, (x, hi))
    return apply(_CLIP, (x, lo, hi))


# --- comparisons and logic (never differentiable) ------------------------------------

equal = nondiff_binary("equal", lambda ns, x, y: ns.equal(x, y))
not_equal = nondiff_binary("not_equal", lambda ns, x, y: ns.not_equal(x, y))
less = nondiff_binary("less", lambda ns, x, y: ns.less(x, y))
less_equal = nondiff_binary("less_equal", lambda ns, x, y: ns.less_equal(x, y))
greater = nondiff_binary("greater", lambda ns, x, y: ns.greater(x, y))
greater_equal = nondiff_binary("greater_equal", lambda ns, x, y: ns.greater_equal(x, y))
logical_and = nondiff_binary("logical_and", lambda ns, x, y: ns.logical_and(x, y))
logical_or = nondiff_binary("logical_or", lambda ns, x, y: ns.logical_or(x, y))
logical_xor = nondiff_binary("logical_xor", lambda ns, x, y: ns.logical_xor(x, y))
logical_not = nondiff_unary("logical_not", lambda ns, x: ns.logical_not(x))
isnan = nondiff_unary("isnan", lambda ns, x: ns.isnan(x))
isinf = nondiff_unary("isinf", lambda ns, x: ns.isinf(x))
isfinite = nondiff_unary("isfinite", lambda ns, x: ns.isfinite(x))
floor = unary("floor", "floor", _zero_vjp,
              "Elementwise floor; its gradient is zero (also at the jumps).")
floor_divide = binary("floor_divide", "floor_divide",
                      _zero_vjp, _zero_vjp,
                      "Elementwise floor division; its gradient is zero (also at the jumps).")
remainder = binary("remainder", "remainder",
                   lambda ns, g, ans, x, y: g,
                   lambda ns, g, ans, x, y: -g * ns.floor(x / y))

# --- gradient control ----------------------------------------------------------------

_STOP = Primitive("stop_gradient", lambda ns, x: x, differentiable=False)
_IDENTITY = Primitive("identity", lambda ns, x: x).defvjp(lambda ns, g, ans, x: g)


@defop(_STOP)
def stop_gradient(x, name=None):
    """``x`` as a constant: no gradient flows back through it."""
    return apply(_STOP, (x,))


@defop(_IDENTITY)
def identity(x, name=None):
    """A new Tensor with the value of ``x`` (differentiable; reads a Variable)."""
    return apply(_IDENTITY, (x,))
