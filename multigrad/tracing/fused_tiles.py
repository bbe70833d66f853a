"""A large fused group on NumPy (``TILED_FROM`` elements or more), run tile by tile.

One Numba loop over a large group loses to NumPy: Numba computes transcendental functions
(tanh, exp, ...) one element at a time through the C library, several times slower than
NumPy's vectorised loops, and its 2-D loops with broadcast operands do not vectorise. So
the group's loop shape is cut along its first axis into tiles of about ``TILE`` elements;
in each tile a transcendental step runs as the NumPy ufunc eager calls, and each run of
two or more cheap steps as one Numba loop over the tile (``_units``), with the reductions
it feeds. Values go into small buffers reused from tile to tile (they stay in the CPU
cache) or straight into the slice of an output: the group's intermediates never exist as
whole arrays, each element gets eager's bits, and a reduction adds its tiles' partial
results (a different summation order: the bound of docs/design.md, "Fused kernels").
"""

import numpy

from . import fused_numba
from .fusion_rules import FLOAT_DTYPES, REDUCTIONS
from .trace import Meta

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
    """value -> index of the last step reading it (a reduction reads at its producer)."""
    last = {}
    for n, (_, _, operands) in enumerate(fused.steps):
        for kind, value in operands:
            if kind == "v":
                last[value] = n
    return last


_BOOL_OUT = {"greater", "greater_equal", "less", "less_equal", "equal", "not_equal"}


def _constant(value):
    if type(value) is float and value != value:
        return "_np.nan"
    if type(value) is float and value in (float("inf"), float("-inf")):
        return "-_np.inf" if value < 0 else "_np.inf"
    return repr(value)


def _units(fused, full_inputs):
    """The steps cut into units: runs of two or more cheap steps (no transcendental
    function, every input of the tile's full shape) become one Numba loop each; any other
    step is one NumPy call."""
    units, run = [], []
    for n, (_, name, operands) in enumerate(fused.steps):
        if name not in _TRANSCENDENTAL and all(
                kind != "in" or value in full_inputs for kind, value in operands):
            run.append(n)
            continue
        units += [run] if len(run) > 1 else [[m] for m in run]
        units.append([n])
        run = []
    return units + ([run] if len(run) > 1 else [[m] for m in run])


class _Tiles:
    """Emits the tile loop's body: buffers reused as values die, outputs into slices."""

    def __init__(self, fused, outputs, flat):
        self.fused, self.outputs, self.flat = fused, outputs, flat
        self.last = _last_uses(fused)
        self.kinds, self.free, self.held = {}, [], {}
        self.lines, self.segments, self.signatures = [], [], []
        self.ops = {out: name for out, name, _ in fused.steps}

    def meta_of(self, operand):
        """A segment argument's element type, as a Meta (dtype; a 1-D C array)."""
        kind, value = operand
        if kind == "in":
            dtype = self.fused.inputs[value][1].dtype
        else:
            dtype = numpy.dtype("bool" if self.ops[value] in _BOOL_OUT else self.fused.dtype)
        return Meta((), dtype, 0, numpy.ndarray)

    def target(self, out, name):
        if out in self.outputs:
            return f"y{self.outputs[out]}[s:e]"
        kind = "bool" if name in _BOOL_OUT else "float"
        buffer = next((b for b in self.free if self.kinds[b] == kind), None)
        if buffer is None:
            buffer = len(self.kinds)
            self.kinds[buffer] = kind
        else:
            self.free.remove(buffer)
        self.held[out] = buffer
        return f"t{buffer}[:m]"

    def release(self, upto):
        """Buffers of values no step after ``upto`` reads go back to the free list."""
        for v in [v for v in self.held if self.last.get(v, -1) <= upto]:
            self.free.append(self.held.pop(v))

    def reductions_of(self, produced):
        return [(k, r) for k, r in enumerate(self.fused.reductions)
                if r[2][0] == "v" and r[2][1] in produced]

    def numpy_step(self, n):
        out, name, operands = self.fused.steps[n]
        args = [f"v{v}" if kind == "v" else f"a{v}" if kind == "in" else _constant(v)
                for kind, v in operands]
        self.lines.append(f"v{out} = {self.target(out, name)}")
        if name == "where":
            self.lines.append(f"v{out}[...] = _np.where({', '.join(args)})")
        else:
            self.lines.append(f"_np.{_UFUNCS.get(name, name)}({', '.join(args)}, out=v{out})")
        for k, (_, rname, _, _) in self.reductions_of({out}):
            self.lines.append(_COMBINE[rname].format(k=k).replace("v.", f"v{out}."))

    def segment(self, indices):
        steps = [self.fused.steps[n] for n in indices]
        produced = {out for out, _, _ in steps}
        reads = []
        for _, _, operands in steps:
            reads += [o for o in operands if o[0] != "const" and o not in reads
                      and not (o[0] == "v" and o[1] in produced)]
        writes = [out for out, _, _ in steps
                  if out in self.outputs or self.last.get(out, -1) > indices[-1]]
        reduced = self.reductions_of(produced)
        j = len(self.segments)
        self.segments.append(_segment_source(j, steps, reads, writes, reduced,
                                             self.fused.dtype))
        self.signatures.append([self.meta_of(o) for o in reads] +
                               [self.meta_of(("v", out)) for out in writes])
        for out, name, _ in steps:
            if out in writes:
                self.lines.append(f"v{out} = {self.target(out, name)}")
        names = [f"{'v' if kind == 'v' else 'a'}{value}" for kind, value in reads] + \
            [f"v{out}" for out in writes]
        flat = ".reshape(-1)" if self.flat else ""
        call = f"seg{j}({', '.join(n + flat for n in names)})"
        if not reduced:
            self.lines.append(call)
            return
        self.lines.append(f"q = {call}")
        for i, (k, (_, rname, _, _)) in enumerate(reduced):
            self.lines.append(_COMBINE[rname].format(k=k).replace("v.sum()", f"q[{i}]")
                              .replace("v.max()", f"q[{i}]").replace("v.min()", f"q[{i}]"))


def _segment_source(j, steps, reads, writes, reduced, dtype):
    """A Numba loop over one tile (1-D views) computing a run of cheap steps."""
    names = {o: f"a{i}" for i, o in enumerate(reads)}

    def token(operand, dtype):
        if operand[0] == "const":
            return fused_numba.constant(operand[1], dtype)
        return names.get(operand) or f"v{operand[1]}"
    params = [f"p{i}" for i in range(len(reads))] + [f"w{i}" for i in range(len(writes))]
    body = [f"r{i} = np.float64({REDUCTIONS[r[1]][0]})" for i, (_, r) in enumerate(reduced)]
    body.append(f"for i in range({(params[-1] if writes else 'p0')}.shape[0]):")
    loop = [f"a{i} = p{i}[i]" for i in range(len(reads))]
    loop += [fused_numba.step_line(out, name, operands, dtype, token)
             for out, name, operands in steps]
    loop += [f"w{i}[i] = v{out}" for i, out in enumerate(writes)]
    loop += [REDUCTIONS[r[1]][1].format(acc=f"r{i}", v=f"v{r[2][1]}")
             for i, (_, r) in enumerate(reduced)]
    body += ["    " + line for line in loop]
    body.append("return (" + "".join(f"r{i}, " for i in range(len(reduced))) + ")")
    return ("\n@njit(cache=True, error_model='numpy', nogil=True)\n"
            f"def seg{j}({', '.join(params)}):\n" + "".join(f"    {x}\n" for x in body))


def tiled_source(fused, name="fused_tiles"):
    """(the Python source running the group tile by tile, the Numba source of its
    segments, each segment's argument types)."""
    shape, dtype = fused.shape, fused.dtype
    per_row = 1
    for d in shape[1:]:
        per_row *= d
    rows = max(1, TILE // per_row)
    full = {k for k, (_, meta) in enumerate(fused.inputs) if tuple(meta.shape) == shape}
    tiles = _Tiles(fused, {out: k for k, out in enumerate(fused.outputs)}, len(shape) > 1)
    for unit in _units(fused, full):
        if len(unit) > 1:
            tiles.segment(unit)
        else:
            tiles.numpy_step(unit[0])
        tiles.release(unit[-1])
    ops = {out: op for out, op, _ in fused.steps}
    body = [f"y{k} = _np.empty({shape!r}, _np.{'bool_' if ops[o] in _BOOL_OUT else dtype})"
            for k, o in enumerate(fused.outputs)]
    body += [f"r{k} = _np.float64({_START[r[1]]})" for k, r in enumerate(fused.reductions)]
    body += [f"t{b} = _np.empty(({rows},) + {tuple(shape[1:])!r}, "
             f"_np.{'bool_' if kind == 'bool' else dtype})" for b, kind in tiles.kinds.items()]
    body.append(f"for s in range(0, {shape[0]}, {rows}):")
    loop = [f"e = min(s + {rows}, {shape[0]})", "m = e - s"]
    for k, (_, meta) in enumerate(fused.inputs):
        sliced = len(meta.shape) == len(shape) and meta.shape[0] == shape[0] and shape[0] > 1
        loop.append(f"a{k} = x{k}[s:e]" if sliced else f"a{k} = x{k}")
    for k, (_, rname, (kind, value), _) in enumerate(fused.reductions):
        if kind == "in":
            loop.append(_COMBINE[rname].format(k=k).replace("v.", f"a{value}."))
    body += ["    " + line for line in loop + tiles.lines]
    results = [f"y{k}" for k in range(len(fused.outputs))] + \
        [f"r{k}" for k in range(len(fused.reductions))]
    body.append("return " + (results[0] if len(results) == 1 else
                             "(" + "".join(r + ", " for r in results) + ")"))
    params = ", ".join(f"x{k}" for k in range(len(fused.inputs)))
    python = f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body)
    numba = "import numpy as np\nfrom numba import njit\n\n" + "\n".join(tiles.segments) \
        if tiles.segments else ""
    return python, numba, tiles.signatures


def build(fused):
    """The tiled group as the program calls it (``fused_numba.wrap``)."""
    assert fused.dtype in FLOAT_DTYPES
    python, numba, signatures = tiled_source(fused)
    namespace = {"_np": numpy}
    for j, metas in enumerate(signatures):
        segment = namespace[f"seg{j}"] = fused_numba.load(numba, f"seg{j}")
        fused_numba.compile_for(segment, [fused_numba.numba_type(m, 1, "C") for m in metas])
    exec(compile(python, "<mg.function fused tiles>", "exec"), namespace)
    return fused_numba.wrap(namespace["fused_tiles"], python + numba, fused)
