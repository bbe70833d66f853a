"""A fused group as one ``cupy.ElementwiseKernel`` (CuPy arrays, the GPU).

The same group description as the Numba target, written as C: one CUDA thread per element,
inputs broadcast by CuPy itself (an ``ElementwiseKernel`` broadcasts its array arguments),
every step a scalar local, only the group's outputs written. A reduction the group feeds
is written out as one more output and reduced by CuPy afterwards (its sum order is
CuPy's, as in eager). CuPy compiles the kernel once and caches it on disk itself.
"""

from .fusion_rules import SCALAR_OPS

__all__ = ["build", "kernel_parts"]

_COMPARISONS = {"greater", "greater_equal", "less", "less_equal", "equal", "not_equal"}
_C_TYPES = {"float32": "float", "float64": "double", "bool": "bool"}


def _constant(value, dtype):
    value = float(value)
    ctype = _C_TYPES[dtype]
    # Bit patterns: NVRTC's headers need not define NAN and INFINITY.
    if value != value:
        return f"(({ctype})__longlong_as_double(0x7ff8000000000000LL))"
    if value in (float("inf"), float("-inf")):
        return f"(({ctype}){'-' if value < 0 else ''}__longlong_as_double(0x7ff0000000000000LL))"
    return f"(({ctype}){value!r})"


def _token(operand, dtype):
    kind, value = operand
    return {"in": f"x{value}", "v": f"v{value}"}.get(kind) or _constant(value, dtype)


def _input_dtype(meta, dtype):
    name = str(getattr(meta.dtype, "name", meta.dtype))
    return "bool" if name == "bool" else dtype


def kernel_parts(fused):
    """(in_params, out_params, operation): the ``ElementwiseKernel`` arguments (C)."""
    dtype = fused.dtype
    kinds = {out: name for out, name, _ in fused.steps}
    ins = [f"{_input_dtype(meta, dtype)} x{k}" for k, (_, meta) in enumerate(fused.inputs)]
    outs = [f"{'bool' if kinds[o] in _COMPARISONS else dtype} y{k}"
            for k, o in enumerate(fused.outputs)]
    outs += [f"{dtype} z{k}" for k in range(len(fused.reductions))]
    lines = []
    for out, name, operands in fused.steps:
        ctype = "bool" if name in _COMPARISONS else _C_TYPES[dtype]
        expr = SCALAR_OPS[name][2].format(*[_token(o, dtype) for o in operands])
        lines.append(f"{ctype} v{out} = {expr};")
    lines += [f"y{k} = v{o};" for k, o in enumerate(fused.outputs)]
    lines += [f"z{k} = {_token(r[2], dtype)};" for k, r in enumerate(fused.reductions)]
    return ", ".join(ins), ", ".join(outs), "\n".join(lines)


def build(fused):
    """A callable ``(*inputs) -> result or tuple of results``; None without CuPy."""
    try:
        import cupy
    except ImportError:
        return None
    in_params, out_params, operation = kernel_parts(fused)
    kernel = cupy.ElementwiseKernel(in_params, out_params, operation, "mg_fused")
    n_out = len(fused.outputs)
    reduce = [(r[1], bool(r[3].shape), r[3].dtype) for r in fused.reductions]

    def run(*inputs):
        found = kernel(*inputs)
        found = found if type(found) is tuple else (found,)
        done = list(found[:n_out]) + [getattr(z, name)(keepdims=keep).astype(dtype, copy=False)
                                      for z, (name, keep, dtype) in zip(found[n_out:], reduce)]
        return done[0] if len(done) == 1 else tuple(done)
    run.fused_source = (f"# cupy.ElementwiseKernel\n# in:  {in_params}\n# out: {out_params}\n"
                        + operation + "\n")
    return run
