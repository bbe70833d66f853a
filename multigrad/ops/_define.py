"""Small factories that turn a forward function and its VJP rules into public ops."""

from ..primitive import Primitive, apply, binary_op, unary_op

__all__ = ["unary", "binary", "nondiff_unary", "nondiff_binary"]

_EMPTY = {}


def _public(prim, fn, doc):
    fn.__name__ = fn.__qualname__ = prim.name
    fn.__doc__ = doc
    fn.primitive = prim
    return fn


def unary(name, forward, vjp, doc=""):
    """An elementwise one-input op: ``forward(ns, x)`` (or a namespace function's name),
    ``vjp(ns, g, ans, x)``."""
    prim = Primitive(name, forward).defvjp(vjp)
    return _public(prim, unary_op(prim), doc or f"Elementwise {name}, differentiable.")


def binary(name, forward, vjp_x, vjp_y, doc=""):
    """A broadcasting two-input op; each rule returns the broadcast-shaped cotangent."""
    prim = Primitive(name, forward, broadcasting=True).defvjp(vjp_x, vjp_y)
    return _public(prim, binary_op(prim),
                   doc or f"Elementwise {name} with broadcasting, differentiable.")


def nondiff_unary(name, forward, doc=""):
    prim = Primitive(name, forward, differentiable=False)

    def op(x, name=None):
        return apply(prim, (x,), _EMPTY)
    return _public(prim, op, doc or f"Elementwise {name} (not differentiable).")


def nondiff_binary(name, forward, doc=""):
    prim = Primitive(name, forward, differentiable=False)

    def op(x, y, name=None):
        return apply(prim, (x, y), _EMPTY)
    return _public(prim, op, doc or f"Elementwise {name} with broadcasting (not differentiable).")
