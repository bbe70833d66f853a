"""What may fuse (``mg.function(jit_compile=True)``): the steps a fused kernel computes as
scalar math, one element at a time, and the form each takes in Python (Numba) and in C
(CuPy). docs/design.md ("Fused kernels") states the rules; this module is them.

A step can fuse when it is:

- an elementwise operator or function of ``SCALAR_OPS`` with no keyword arguments, whose
  result has at least one dimension, a known size of at least one element, and a real
  floating dtype (float32 or float64), or is a boolean comparison of such values;
- every array it reads has that same floating dtype (or is boolean: a ``where``
  condition), and a shape that broadcasts to the result's (NumPy's rules, right-aligned);
- every other operand is a Python bool, int or float (cast to the group's dtype, as NumPy 2
  treats Python scalars: they never widen an array's dtype);
- or a reduction of ``REDUCTIONS`` over all axes (``axis=None``) of such a value: it ends
  the group's loop, and nothing in the group may read its result;
- on Dask: every array operand has the result's shape and chunks (the group is
  blockwise), and no reduction fuses.

Integer and complex dtypes never fuse: Numba's integer overflow and division by zero, and
its complex division and branch cuts, are not NumPy's.
"""

from .. import dtypes as _dt
from .trace import Ref

__all__ = ["SCALAR_OPS", "REDUCTIONS", "classify", "FLOAT_DTYPES"]

FLOAT_DTYPES = ("float32", "float64")

# name -> (number of operands, Python (Numba) template, C (CuPy) template). Operands are
# names of scalar locals, so a template may use one twice. NaN propagates as NumPy's does.
_BINARY = {"+": ("({0} + {1})", "({0} + {1})"), "-": ("({0} - {1})", "({0} - {1})"),
           "*": ("({0} * {1})", "({0} * {1})"), "/": ("({0} / {1})", "({0} / {1})"),
           "**": ("({0} ** {1})", "pow({0}, {1})")}
_COMPARE = {">": "greater", ">=": "greater_equal", "<": "less", "<=": "less_equal",
            "==": "equal", "!=": "not_equal"}
_FUNCTIONS = {  # Array API name -> NumPy's (Numba's) name, C name
    "exp": ("exp", "exp"), "expm1": ("expm1", "expm1"), "log": ("log", "log"),
    "log1p": ("log1p", "log1p"), "log2": ("log2", "log2"), "log10": ("log10", "log10"),
    "sqrt": ("sqrt", "sqrt"), "sin": ("sin", "sin"), "cos": ("cos", "cos"),
    "tan": ("tan", "tan"), "sinh": ("sinh", "sinh"), "cosh": ("cosh", "cosh"),
    "tanh": ("tanh", "tanh"), "asin": ("arcsin", "asin"), "acos": ("arccos", "acos"),
    "atan": ("arctan", "atan"), "asinh": ("arcsinh", "asinh"),
    "acosh": ("arccosh", "acosh"), "atanh": ("arctanh", "atanh"),
}

SCALAR_OPS = {
    "neg": (1, "(-{0})", "(-{0})"), "pos": (1, "{0}", "{0}"),
    "abs": (1, "abs({0})", "fabs({0})"), "square": (1, "({0} * {0})", "({0} * {0})"),
    # sign: +0.0 for either zero and NaN for NaN (x - x), as NumPy's.
    "sign": (1, "(1.0 if {0} > 0 else (-1.0 if {0} < 0 else {0} - {0}))",
             "({0} > 0 ? 1.0 : ({0} < 0 ? -1.0 : {0} - {0}))"),
    # NumPy's maximum/minimum: NaN if either is NaN; on a tie (-0.0 vs 0.0) the second.
    "maximum": (2, "({0} if ({0} > {1} or {0} != {0}) else {1})",
                "(({0} > {1} || {0} != {0}) ? {0} : {1})"),
    "minimum": (2, "({0} if ({0} < {1} or {0} != {0}) else {1})",
                "(({0} < {1} || {0} != {0}) ? {0} : {1})"),
    "where": (3, "({1} if {0} else {2})", "({0} ? {1} : {2})"),
}
for _name, (_py, _c) in _BINARY.items():
    SCALAR_OPS[_name] = (2, _py, _c)
for _symbol, _name in _COMPARE.items():
    SCALAR_OPS[_name] = (2, "({0} %s {1})" % _symbol, "({0} %s {1})" % _symbol)
for _name, (_np, _c) in _FUNCTIONS.items():
    SCALAR_OPS[_name] = (1, "np.%s({0})" % _np, "%s({0})" % _c)

# Backend call names (``Node.extra``) that are one of the ops above.
_CALLS = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "pow": "**",
          "negative": "neg", "positive": "pos", **{n: n for n in SCALAR_OPS}}
_OPERATORS = {"+": "+", "-": "-", "*": "*", "/": "/", "**": "**", "abs": "abs", **{
    s: n for s, n in _COMPARE.items()}}
_UNARY_OPERATORS = {"-": "neg", "+": "pos", "abs": "abs"}

# Reductions over all axes a group may end with: name -> (accumulator start, update).
REDUCTIONS = {
    "sum": ("0.0", "{acc} += {v}"),
    "max": ("-np.inf", "if {acc} == {acc} and not ({v} <= {acc}): {acc} = {v}"),
    "min": ("np.inf", "if {acc} == {acc} and not ({v} >= {acc}): {acc} = {v}"),
}


def _dtype_name(native):
    try:
        return _dt.as_dtype(native).name
    except TypeError:
        return None


def _broadcasts(shape, to):
    if len(shape) > len(to):
        return False
    return all(a == b or a == 1 for a, b in zip(shape[::-1], to[::-1]))


def _known(shape):
    return bool(shape) and all(type(d) is int and d > 0 for d in shape)


def _operands_fit(trace, args, shape, dtype, chunks):
    """Every operand: a Python scalar, or an array of ``dtype`` (or bool) broadcasting
    to ``shape``; chunked (Dask) operands: of the result's shape and chunks (blockwise)."""
    for a in args:
        if type(a) is Ref:
            meta = trace.meta.get(a.id)
            if meta is None or _dtype_name(meta.dtype) not in (dtype, "bool") \
                    or not _broadcasts(meta.shape, shape) or meta.chunks != chunks \
                    or (chunks is not None and tuple(meta.shape) != tuple(shape)):
                return False
        elif type(a) not in (bool, int, float):
            return False
    return True


def _elementwise_name(node):
    if node.kwargs:
        return None
    if node.kind == "op":
        table = _UNARY_OPERATORS if len(node.args) == 1 else _OPERATORS
        return table.get(node.extra)
    if node.kind == "call" and type(node.extra) is str:
        return _CALLS.get(node.extra)
    return None


def _float_operand_dtype(trace, args):
    names = {_dtype_name(trace.meta[a.id].dtype) for a in args
             if type(a) is Ref and a.id in trace.meta}
    names.discard("bool")
    return names.pop() if len(names) == 1 else None


def classify(trace, node):
    """("elementwise", op name, (shape, dtype)) or ("reduction", name, (shape, dtype)) for
    a step that can fuse (the pair is its group's key: loop shape and float dtype); else
    None."""
    meta = trace.meta.get(node.out) if node.out is not None else None
    if meta is None:
        return None
    name = _elementwise_name(node)
    if name is not None and SCALAR_OPS[name][0] == len(node.args):
        out = _dtype_name(meta.dtype)
        dtype = out if out in FLOAT_DTYPES else _float_operand_dtype(trace, node.args)
        if (out == dtype or out == "bool") and dtype in FLOAT_DTYPES and _known(meta.shape) \
                and _operands_fit(trace, node.args, meta.shape, dtype, meta.chunks):
            key = (tuple(meta.shape), dtype)
            return ("elementwise", name, key + ((meta.chunks,) if meta.chunks else ()))
        return None
    if meta.chunks is not None:           # Dask: reductions are not blockwise
        return None
    if node.kind == "call" and node.extra in REDUCTIONS and len(node.args) == 1 \
            and node.kwargs is not None and node.kwargs.get("axis", 0) is None \
            and set(node.kwargs) <= {"axis", "keepdims"} and type(node.args[0]) is Ref:
        source = trace.meta.get(node.args[0].id)
        dtype = _dtype_name(meta.dtype)
        if source is not None and dtype in FLOAT_DTYPES and \
                _dtype_name(source.dtype) == dtype and _known(source.shape) \
                and source.chunks is None:
            return ("reduction", node.extra, (tuple(source.shape), dtype))
    return None
