"""A fused group as one Numba loop over its elements (NumPy arrays, the CPU; large groups
run in tiles instead, ``fused_tiles.py``).

The kernel is Python source: nested loops over the group's shape (C order), reading each
input once per element (a broadcast dimension reads index 0), computing every step as a
scalar local, writing only the group's outputs and accumulating its reductions. It is
written to a file named by its hash under the cache folder (``MULTIGRAD_JIT_CACHE``,
default ``~/.cache/multigrad/fused``) and compiled with ``numba.njit(cache=True)``, so a
later process loads the machine code from Numba's cache instead of compiling again.
``error_model="numpy"``: division by zero gives inf or NaN as in NumPy, never an error.
Numba is imported on the first kernel built, never before.
"""

import functools
import hashlib
import importlib.util
import os
import sys
import tempfile

import numpy

from .fusion_rules import REDUCTIONS, SCALAR_OPS

__all__ = ["build", "kernel_source", "cache_dir", "step_line", "load", "wrap", "constant",
           "compile_for", "numba_type"]

COMPARISONS = {"greater", "greater_equal", "less", "less_equal", "equal", "not_equal"}
_loaded = {}        # source hash -> compiled kernel (one per process)


def cache_dir():
    path = os.environ.get("MULTIGRAD_JIT_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "multigrad", "fused")
    try:
        os.makedirs(path, exist_ok=True)
        return path
    except OSError:                               # a read-only home: a temporary folder
        path = os.path.join(tempfile.gettempdir(), "multigrad-fused")
        os.makedirs(path, exist_ok=True)
        return path


def constant(value, dtype):
    value = float(value)
    if value != value:
        return f"np.{dtype}(np.nan)"
    if value in (float("inf"), float("-inf")):
        return f"np.{dtype}({'-' if value < 0 else ''}np.inf)"
    return f"np.{dtype}({value!r})"


def _input_read(k, meta, shape):
    """The expression reading input ``k`` at the current element (broadcasting)."""
    if not meta.shape:
        return f"x{k}[()]" if meta.type is numpy.ndarray else f"x{k}"
    offset = len(shape) - len(meta.shape)
    index = [f"j{offset + d}" if size == shape[offset + d] else "0"
             for d, size in enumerate(meta.shape)]
    return f"x{k}[{', '.join(index)}]"


def _token(operand, dtype):
    kind, value = operand
    if kind == "in":
        return f"a{value}"
    if kind == "v":
        return f"v{value}"
    return constant(value, dtype)


def step_line(out, name, operands, dtype, token=_token):
    """``v<out> = <scalar expression>``, cast back to float32 where the group is."""
    expr = SCALAR_OPS[name][1].format(*[token(o, dtype) for o in operands])
    cast = "" if name in COMPARISONS or dtype == "float64" else f"np.{dtype}"
    return f"v{out} = {cast}({expr})" if cast else f"v{out} = {expr}"


def _loop_body(fused):
    shape, dtype = fused.shape, fused.dtype
    lines = [f"a{k} = {_input_read(k, meta, shape)}" for k, (_, meta) in enumerate(fused.inputs)]
    lines += [step_line(out, name, operands, dtype) for out, name, operands in fused.steps]
    index = ", ".join(f"j{d}" for d in range(len(shape)))
    for k, out in enumerate(fused.outputs):
        lines.append(f"y{k}[{index}] = v{out}")
    for k, (_, name, operand, _) in enumerate(fused.reductions):
        lines.append(REDUCTIONS[name][1].format(acc=f"r{k}", v=_token(operand, dtype)))
    return lines


def kernel_source(fused, name="fused", any_shape=False):
    """The Python source of the group's Numba kernel. ``any_shape``: its loops take their
    sizes from the first input, which has the group's full shape (a Dask block's)."""
    shape, dtype = fused.shape, fused.dtype
    sizes = [f"x0.shape[{d}]" for d in range(len(shape))] if any_shape else list(shape)
    kinds = {out: name for out, name, _ in fused.steps}
    head = ["import numpy as np", "from numba import njit", "", "",
            "@njit(cache=True, error_model='numpy', nogil=True)",
            f"def {name}({', '.join(f'x{k}' for k in range(len(fused.inputs)))}):"]
    empty = "x0.shape" if any_shape else repr(shape)
    body = [f"y{k} = np.empty({empty}, np.{'bool_' if kinds[o] in COMPARISONS else dtype})"
            for k, o in enumerate(fused.outputs)]
    # float32 sums accumulate in float64 (tighter than NumPy's float32 pairwise sum).
    body += [f"r{k} = np.float64({REDUCTIONS[r[1]][0]})" for k, r in enumerate(fused.reductions)]
    indent = ""
    for d, size in enumerate(sizes):
        body.append(f"{indent}for j{d} in range({size}):")
        indent += "    "
    body += [indent + line for line in _loop_body(fused)]
    results = [f"y{k}" for k in range(len(fused.outputs))] + \
        [f"r{k}" for k in range(len(fused.reductions))]
    body.append("return " + (results[0] if len(results) == 1 else
                             "(" + "".join(r + ", " for r in results) + ")"))
    return "\n".join(head + ["    " + line for line in body]) + "\n"


def load(source, name="fused"):
    """The compiled kernel ``name`` of this source: from this process, Numba's cache, or
    built."""
    digest = hashlib.sha1(source.encode()).hexdigest()[:20]
    kernel = _loaded.get((digest, name))
    if kernel is not None:
        return kernel
    folder = cache_dir()
    path = os.path.join(folder, f"mg_fused_{digest}.py")
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w") as f:
            f.write(source)
        os.replace(temporary, path)               # atomic: other processes see all or none
    spec = importlib.util.spec_from_file_location(f"mg_fused_{digest}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    kernel = _loaded[digest, name] = getattr(module, name)
    return kernel


def _result_maker(meta):
    """How a reduction's accumulator (a Python float) becomes what NumPy returned."""
    dtype = numpy.dtype(meta.dtype)
    if meta.type is numpy.ndarray:
        shape = tuple(meta.shape)
        return lambda r: numpy.full(shape, r, dtype)
    return meta.type


def build(fused):
    """A callable ``(*inputs) -> result or tuple of results`` running the group's Numba
    kernel; its ``fused_source`` is the kernel's source."""
    source = kernel_source(fused)
    kernel = load(source)
    compile_for(kernel, [numba_type(meta, len(meta.shape)) for _, meta in fused.inputs])
    return wrap(kernel, source, fused)


def numba_type(meta, ndim, layout=None):
    """Numba's type of an argument like the traced value ``meta`` (an array of ``ndim``
    dimensions, or a NumPy scalar)."""
    import numba    # only once a kernel is built: jit_compile=True on NumPy with Numba
    dtype = numba.from_dtype(numpy.dtype(meta.dtype))
    if meta.type is not numpy.ndarray:
        return dtype
    return numba.types.Array(dtype, ndim, layout or ("C" if meta.c_order else "A"))


def compile_for(kernel, types):
    """Compile now, while tracing, for the argument types the replays will pass: the
    first replay then runs at full speed and needs no compiler memory (a later call with
    other layouts compiles once more, as Numba does)."""
    try:
        kernel.compile(tuple(types))
    except Exception:       # noqa: BLE001 - Numba compiles at the first call instead
        pass


def wrap(kernel, source, fused):
    """The kernel as the program calls it: reductions as NumPy returned them (a short
    generated function: this is on every replay's path)."""
    makers = {f"m{k}": _result_maker(r[3]) for k, r in enumerate(fused.reductions)}
    if not makers:
        run = functools.partial(kernel)
    else:
        params = ", ".join(f"x{k}" for k in range(len(fused.inputs)))
        found = [f"y{k}" for k in range(len(fused.outputs))] + [f"r{k}" for k in range(len(makers))]
        made = [f"y{k}" for k in range(len(fused.outputs))] + [f"m{k}(r{k})"
                                                              for k in range(len(makers))]
        code = (f"def run({params}):\n    {''.join(f + ', ' for f in found)}= _k({params})\n"
                f"    return ({''.join(m + ', ' for m in made)})\n") if len(found) > 1 else \
            f"def run({params}):\n    return m0(_k({params}))\n"
        namespace = {"_k": kernel, **makers}
        exec(compile(code, "<mg.function fused kernel call>", "exec"), namespace)
        run = namespace["run"]
    run.fused_source = source
    return run
