"""The one way to declare a public op.

Every public function is made here, so every one says whether it is differentiable
(``fn.differentiable``) and, when it is a single primitive, which (``fn.primitive``);
``tests/ops/test_ops_doc.py`` checks docs/ops.md against these attributes for every op.

- ``unary`` / ``binary``: elementwise primitives with the per-op fast paths;
- ``nondiff_unary`` / ``nondiff_binary``: elementwise results without a gradient;
- ``reduction``: ``f(x, axis=None, keepdims=False)`` over normalised axes;
- ``defop``: a decorator for hand-written ops: ``@defop(PRIM)`` (it prepares the
  arguments and calls ``apply(PRIM, ...)``), ``@defop()`` (built from other ops, and
  differentiable through them), ``@defop(differentiable=False)`` (no gradient).
"""

from ..core.args import normalize_axis
from ..dtypes import int32, int64, python_data_dtype
from ..core.primitive import Primitive, apply, binary_op, unary_op
from ..core.tensor import Tensor
from ..core.convert import convert_to_tensor

__all__ = ["unary", "binary", "nondiff_unary", "nondiff_binary", "reduction", "defop",
           "declare"]

_EMPTY = {}


def declare(fn, prim=None, differentiable=None, name=None, doc=None):
    """Mark ``fn`` as a public op (what ``defop`` and the factories do)."""
    if name is not None:
        fn.__name__ = fn.__qualname__ = name
    if doc is not None:
        fn.__doc__ = doc
    fn.primitive = prim
    fn.differentiable = prim.differentiable if differentiable is None else bool(differentiable)
    return fn


def defop(prim=None, *, differentiable=None):
    """Decorator: ``fn`` is a public op applying ``prim``, or composed of other ops."""
    if prim is None and differentiable is None:
        differentiable = True
    return lambda fn: declare(fn, prim, differentiable)


def unary(name, forward, vjp, doc=""):
    """An elementwise one-input op: ``forward(ns, x)`` (or a namespace function's name),
    ``vjp(ns, g, ans, x)``."""
    prim = Primitive(name, forward).defvjp(vjp)
    return declare(unary_op(prim), prim, name=name,
                   doc=doc or f"Elementwise {name}, differentiable.")


def binary(name, forward, vjp_x, vjp_y, doc=""):
    """A broadcasting two-input op; each rule returns the broadcast-shaped cotangent."""
    prim = Primitive(name, forward, broadcasting=True).defvjp(vjp_x, vjp_y)
    return declare(binary_op(prim), prim, name=name,
                   doc=doc or f"Elementwise {name} with broadcasting, differentiable.")


def nondiff_unary(name, forward, doc=""):
    prim = Primitive(name, forward, differentiable=False)

    def op(x, name=None):
        return apply(prim, (x,), _EMPTY)
    return declare(op, prim, name=name, doc=doc or f"Elementwise {name} (not differentiable).")


def nondiff_binary(name, forward, doc=""):
    prim = Primitive(name, forward, differentiable=False)

    def op(x, y, name=None):
        return apply(prim, (x, y), _EMPTY)
    return declare(op, prim, name=name,
                   doc=doc or f"Elementwise {name} with broadcasting (not differentiable).")


def reduction(name, forward, vjp, doc):
    """``op(x, axis=None, keepdims=False)``; ``vjp=None``: the result carries no gradient."""
    prim = Primitive(name, forward, differentiable=vjp is not None)
    if vjp is not None:
        prim.defvjp(vjp)

    def op(x, axis=None, keepdims=False, name=None):
        python_int32 = False
        if not isinstance(x, Tensor):
            python_int32 = python_data_dtype(x) is int32
            x = convert_to_tensor(x)
        ax = normalize_axis(axis, x.ndim, prim.name)
        out = apply(prim, (x,), {"axis": ax, "keepdims": bool(keepdims)})
        return _keep_int32(out) if python_int32 else out
    return declare(op, prim, name=name, doc=doc)


def _keep_int32(out):
    """Python ints reduce to int32, as in TensorFlow (``tf.reduce_prod(x.shape)``), where
    NumPy's sum and prod would promote to int64; Tensors keep NumPy's promotion."""
    if out.dtype is not int64:
        return out
    b = out._backend
    return Tensor._make(b.ops.astype(out._value, b.native_dtype(int32)), b)
