"""A large fused group on NumPy, run tile by tile with NumPy's own ufuncs.

Numba computes transcendental functions (tanh, exp, ...) one element at a time through the
C library, several times slower than NumPy's vectorised loops; on a large group that
costs more than fusion saves. So a group of at least ``TILED_FROM`` elements that calls
one of them runs here instead: its loop shape is cut along the first axis into tiles of
about ``TILE`` elements, and each step runs as the same NumPy ufunc eager calls, writing
into a small buffer reused from tile to tile (it stays in the CPU cache) or straight into
the slice of an output. The group's intermediates never exist as whole arrays, each
element gets eager's bits, and a reduction adds its tiles' partial results (a different
summation order: the bound of docs/design.md, "Fused kernels").
"""

import numpy

from .fusion_rules import FLOAT_DTYPES

__all__ = ["build", "tiled_source", "worth_tiling", "TILE", "TILED_FROM"]

TILE = 16384
TILED_FROM = 1 << 15

_UFUNCS = {"+": "add", "-": "subtract", "*": "multiply", "/": "true_divide", "**": "power",
           "neg": "negative", "pos": "positive", "abs": "absolute", "square": "square",
           "sign": "sign", "maximum": "maximum", "minimum": "minimum", "greater": "greater",
           "greater_equal": "greater_equal", "less": "less", "less_equal": "less_equal",
           "equal": "equal", "not_equal": "not_equal", "asin": "arcsin", "acos": "arccos",
           "atan": "arctan", "asinh": "arcsinh", "acosh": "arccosh", "atanh": "arctanh"}
_TRANSCENDENTAL = {"exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos",
                   "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan", "asinh", "acosh",
                   "atanh", "**"}
_COMBINE = {"sum": "r{k} += v.sum()", "max": "r{k} = _np.maximum(r{k}, v.max())",
            "min": "r{k} = _np.minimum(r{k}, v.min())"}
_START = {"sum": "0.0", "max": "-_np.inf", "min": "_np.inf"}


def worth_tiling(fused):
    size = 1
    for d in fused.shape:
        size *= d
    return size >= TILED_FROM


def _last_uses(fused):
    last = {}
    for n, (_, _, operands) in enumerate(fused.steps):
        for kind, value in operands:
            if kind == "v":
                last[value] = n
    for _, _, (kind, value), _ in fused.reductions:
        if kind == "v":
            last[value] = max(last.get(value, -1), _producer(fused, value))
    return last


def _producer(fused, value):
    return next(n for n, (out, _, _) in enumerate(fused.steps) if out == value)


_BOOL_OUT = {"greater", "greater_equal", "less", "less_equal", "equal", "not_equal"}


def _constant(value):
    if type(value) is float and value != value:
        return "_np.nan"
    if type(value) is float and value in (float("inf"), float("-inf")):
        return "-_np.inf" if value < 0 else "_np.inf"
    return repr(value)


def _step_line(name, args, target):
    if name == "where":
        return f"{target} = _np.where({', '.join(args)})"
    return f"_np.{_UFUNCS.get(name, name)}({', '.join(args)}, out={target})"


def _tile_lines(fused, last_uses, outputs):
    """The body of the tile loop: each step (into an output's slice or a reused buffer),
    the reductions of its value right after it."""
    lines, kinds, free, held = [], {}, [], {}      # held: value -> its buffer
    for n, (out, name, operands) in enumerate(fused.steps):
        args = [f"v{v}" if kind == "v" else f"a{v}" if kind == "in" else _constant(v)
                for kind, v in operands]
        if out in outputs:
            lines.append(f"v{out} = y{outputs[out]}[s:e]")
            target = f"y{outputs[out]}[s:e]" if name == "where" else f"v{out}"
        else:
            kind = "bool" if name in _BOOL_OUT else "float"
            buffer = next((b for b in free if kinds[b] == kind), None)
            if buffer is None:
                buffer = len(kinds)
                kinds[buffer] = kind
            else:
                free.remove(buffer)
            held[out] = buffer
            lines.append(f"v{out} = t{buffer}[:m]")
            target = f"v{out}"
        lines.append(_step_line(name, args, target))
        for k, (_, rname, (kind, value), _) in enumerate(fused.reductions):
            if kind == "v" and value == out:
                lines.append(_COMBINE[rname].format(k=k).replace("v.", f"v{out}."))
        free += [held.pop(v) for v, last in last_uses.items() if last == n and v in held]
    return lines, kinds


def tiled_source(fused, name="fused_tiles"):
    """The Python source running the group tile by tile (its NumPy calls)."""
    shape, dtype = fused.shape, fused.dtype
    per_row = 1
    for d in shape[1:]:
        per_row *= d
    rows = max(1, TILE // per_row)
    outputs = {out: k for k, out in enumerate(fused.outputs)}
    ops = {out: op for out, op, _ in fused.steps}
    body = [f"y{k} = _np.empty({shape!r}, _np.{'bool_' if ops[o] in _BOOL_OUT else dtype})"
            for k, o in enumerate(fused.outputs)]
    body += [f"r{k} = _np.float64({_START[r[1]]})" for k, r in enumerate(fused.reductions)]
    tile, buffers = _tile_lines(fused, _last_uses(fused), outputs)
    body += [f"t{b} = _np.empty(({rows},) + {tuple(shape[1:])!r}, "
             f"_np.{'bool_' if kind == 'bool' else dtype})" for b, kind in buffers.items()]
    body.append(f"for s in range(0, {shape[0]}, {rows}):")
    loop = [f"e = min(s + {rows}, {shape[0]})", "m = e - s"]
    for k, (_, meta) in enumerate(fused.inputs):
        sliced = len(meta.shape) == len(shape) and meta.shape[0] == shape[0] and shape[0] > 1
        loop.append(f"a{k} = x{k}[s:e]" if sliced else f"a{k} = x{k}")
    for k, (_, rname, (kind, value), _) in enumerate(fused.reductions):
        if kind == "in":
            loop.append(_COMBINE[rname].format(k=k).replace("v.", f"a{value}."))
    body += ["    " + line for line in loop + tile]
    results = [f"y{k}" for k in range(len(fused.outputs))] + \
        [f"r{k}" for k in range(len(fused.reductions))]
    body.append("return " + (results[0] if len(results) == 1 else
                             "(" + "".join(r + ", " for r in results) + ")"))
    params = ", ".join(f"x{k}" for k in range(len(fused.inputs)))
    return f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body)


def build(fused):
    """``(kernel, source)``: the tiled group as a Python function."""
    assert fused.dtype in FLOAT_DTYPES
    source = tiled_source(fused)
    namespace = {"_np": numpy}
    exec(compile(source, "<mg.function fused tiles>", "exec"), namespace)
    return namespace["fused_tiles"], source
