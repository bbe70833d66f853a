"""Run every check on one program and backend; known failures are skipped by name."""

import numpy as np

import multigrad as mg

from .checks import (CHECKS, HVP_TOLERANCES, Mismatch, _host_loss, assert_close, directions, host_directional,
                     host_gradient, host_second, inner, on_backend, tensors)
from .checks_more import MORE
from .known import known_failure
from .program import loss, loss_terms

JACOBIAN_MAX_OUT = 12


def _run(program, args):
    return program.run(mg, args)


def check_raises(program, backend):
    try:
        out = _run(program, tensors(program))
        got = out.numpy()
    except Exception:       # noqa: BLE001  any error is right: NumPy raised one too
        return
    raise Mismatch(f"raises: NumPy raises {program.expect_error}, multigrad returned "
                   f"shape {got.shape}: {got!r}")


def check_forward(program, backend):
    out = _run(program, tensors(program))
    want_dtype = program.reference().dtype.name
    if out.dtype.name != want_dtype:
        raise Mismatch(f"forward: dtype {out.dtype.name}, NumPy gives {want_dtype}")
    assert_close(out.numpy(), program.reference("float64"), out.dtype.name, "forward")


def _gradients(program, args):
    with mg.GradientTape() as tape:
        tape.watch(args)
        value = loss(mg, _run(program, args))
    return tape.gradient(value, args, unconnected_gradients="zero")


def check_grad(program, backend):
    args = tensors(program)
    grads = _gradients(program, args)
    want = host_gradient(program)
    scale = max([1.0] + [float(np.max(np.abs(w))) for w in want if w.size])
    for k, (g, w, a) in enumerate(zip(grads, want, args)):
        assert_close(g.numpy(), w.astype(a.dtype.name), a.dtype.name, f"grad of input {k}",
                     scale)


def check_grad_dtype(program, backend):
    args = tensors(program)
    for k, (g, a) in enumerate(zip(_gradients(program, args), args)):
        if g.dtype != a.dtype:
            raise Mismatch(f"grad_dtype: gradient of input {k} is {g.dtype.name}, "
                           f"its source is {a.dtype.name}")


def _tape_hvp(program, args, vs):
    with mg.GradientTape() as outer:
        outer.watch(args)
        with mg.GradientTape() as tape:
            tape.watch(args)
            value = loss(mg, _run(program, args))
        grads = tape.gradient(value, args, unconnected_gradients="zero")
        dot = sum(mg.sum(mg.real(g * mg.conj(v))) for g, v in zip(grads, vs))
    return outer.gradient(dot, args, unconnected_gradients="zero")


def check_hvp(program, backend):
    args = tensors(program)
    vs, ws = directions(program, 1), directions(program, 2)
    want = host_second(program, vs, ws)
    dtype = program.dtype
    results = {"nested tapes": _tape_hvp(program, args, on_backend(vs, args))}
    if not any(a.dtype.is_complex for a in args):
        results["mg.hvp"] = mg.hvp(lambda *xs: loss(mg, _run(program, list(xs))),
                                   tuple(args), tuple(on_backend(vs, args)))
    norm_w = np.sqrt(sum(inner(w, w) for w in ws))
    value = abs(_host_loss(program, program.input_arrays("float64")))
    for how, hv in results.items():
        got = sum(inner(h.numpy(), w) for h, w in zip(hv, ws))
        norm = np.sqrt(sum(inner(h.numpy(), h.numpy()) for h in hv))
        assert_close(got, want, dtype, f"hvp ({how}): w.Hv", max(1.0, norm * norm_w, value),
                     HVP_TOLERANCES)
        for k, (h, a) in enumerate(zip(hv, args)):
            if h.dtype != a.dtype:
                raise Mismatch(f"hvp ({how}): input {k}: dtype {h.dtype.name}, source "
                               f"{a.dtype.name}")


def _compare_tangent(tangent, out, want, how):
    if tangent.dtype != out.dtype:
        raise Mismatch(f"{how}: tangent dtype {tangent.dtype.name}, output {out.dtype.name}")
    assert_close(tangent.numpy(), want, out.dtype.name, how)


def check_jvp(program, backend):
    args = tensors(program)
    vs = directions(program, 3)
    out, tangent = mg.jvp(lambda *xs: _run(program, list(xs)), tuple(args),
                          tuple(on_backend(vs, args)))
    _compare_tangent(tangent, out, host_directional(program, vs), "jvp: J v")


def check_forward_accumulator(program, backend):
    args = tensors(program)
    vs = directions(program, 4)
    with mg.ForwardAccumulator(args, on_backend(vs, args)) as acc:
        out = _run(program, args)
        value = loss(mg, out)
    _compare_tangent(acc.jvp(out, unconnected_gradients="zero"), out,
                     host_directional(program, vs), "ForwardAccumulator: J v")
    from .checks import EPS
    xs = program.input_arrays("float64")
    d = (_host_loss(program, [x + EPS * v for x, v in zip(xs, vs)]) -
         _host_loss(program, [x - EPS * v for x, v in zip(xs, vs)])) / (2 * EPS)
    _compare_tangent(acc.jvp(value, unconnected_gradients="zero"), value, d,
                     "ForwardAccumulator: d loss")


def check_jacobian(program, backend):
    args = tensors(program)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(args)
        terms = loss_terms(mg, _run(program, args))
    jac = tape.jacobian(terms, args, unconnected_gradients="zero")
    size = int(np.prod(terms.shape))
    for k in range(size):
        seed = np.zeros(size)
        seed[k] = 1.0
        rows = tape.gradient(terms, args, unconnected_gradients="zero",
                             output_gradients=mg.constant(seed.reshape(terms.shape).astype(
                                 terms.dtype.name)))
        for i, (j, row, a) in enumerate(zip(jac, rows, args)):
            if j.shape != terms.shape + a.shape or j.dtype != a.dtype:
                raise Mismatch(f"jacobian of input {i}: {j.shape} {j.dtype.name}, expected "
                               f"{terms.shape + a.shape} {a.dtype.name}")
            got = j.numpy().reshape((size,) + a.shape)[k]
            assert_close(got, row.numpy(), a.dtype.name, f"jacobian row {k} of input {i}")


def _value_grads_hvp(program, vs):
    """The program's output, loss, gradients and an HVP, as one function of its inputs."""
    def f(*xs):
        xs = list(xs)
        with mg.GradientTape() as outer:
            outer.watch(xs)
            with mg.GradientTape() as tape:
                tape.watch(xs)
                out = _run(program, xs)
                value = loss(mg, out)
            grads = tape.gradient(value, xs, unconnected_gradients="zero")
            dot = sum(mg.sum(mg.real(g * mg.conj(v))) for g, v in zip(grads, vs))
        return [out, value, *grads, *outer.gradient(dot, xs, unconnected_gradients="zero")]
    return f


def _same_bits(got, want, what):
    """Equal to the last bit, or within 1 ulp (NaN where NaN, infinities equal)."""
    got, want = np.asarray(got), np.asarray(want)
    if got.dtype != want.dtype or got.shape != want.shape:
        raise Mismatch(f"{what}: {got.dtype} {got.shape}, eager {want.dtype} {want.shape}")
    parts = (got.real, got.imag, want.real, want.imag) if np.iscomplexobj(want) else \
        (got, np.zeros(0), want, np.zeros(0))
    for g, w in ((parts[0], parts[2]), (parts[1], parts[3])):
        if g.dtype.kind != "f":
            np.testing.assert_array_equal(g, w, err_msg=what)
            continue
        if not np.array_equal(np.isnan(g), np.isnan(w)) or not np.array_equal(
                g[np.isinf(w)], w[np.isinf(w)]):
            raise Mismatch(f"{what}: NaN or infinities differ from eager")
        finite = np.isfinite(w)
        try:
            np.testing.assert_array_max_ulp(g[finite], w[finite], maxulp=1)
        except AssertionError as e:
            raise Mismatch(f"{what}: more than 1 ulp from eager: {e}") from None


def check_traced(program, backend):
    """mg.function replays the output, loss, gradients and an HVP as eager computes them,
    on new inputs; with the compiler's size thresholds at 0, so that every temporary is
    freed and written into where it may be (the passes on small arrays too)."""
    from multigrad.tracing import program as compiler
    args = tensors(program)
    vs = on_backend(directions(program, 1), args)
    f = _value_grads_hvp(program, vs)
    traced = mg.function(f)
    saved = compiler.FREE_BYTES
    compiler.FREE_BYTES = 0
    try:
        traced(*args)
        # New values of the same signature: scaled by 1 + 2**-8, away from every edge the
        # generator keeps the inputs from (signs and orderings do not change).
        # In another memory layout too (Fortran order where it differs): a program
        # serves the layout it was traced with, another layout traces again.
        shifted = [mg.to_backend(a.numpy() * (1 + 2.0 ** -8), backend) for a in args]
        got = traced(*shifted)
        fortran = [mg.to_backend(np.asarray(a.numpy(), order="F"), backend) for a in shifted]
        got_fortran = traced(*fortran)
    finally:
        compiler.FREE_BYTES = saved
    for name, inputs, result in (("", shifted, got), (" (Fortran order)", fortran,
                                                       got_fortran)):
        want = f(*inputs)
        for k, (g, w) in enumerate(zip(result, want)):
            _same_bits(g.numpy(), w.numpy(), f"traced{name}: result {k} (0: output, 1: "
                                             f"loss, then gradients, then the HVP)")


FUNCTIONS = {"forward": check_forward, "raises": check_raises, "grad": check_grad,
             "grad_dtype": check_grad_dtype, "hvp": check_hvp, "jvp": check_jvp,
             "forward_accumulator": check_forward_accumulator, "jacobian": check_jacobian,
             "traced": check_traced, **MORE}


def applicable(program, backend_name):
    """The checks that make sense for ``program`` (in CHECKS order)."""
    if program.expect_error:
        return ["raises"]
    with np.errstate(all="ignore"):
        ref = program.reference("float64")
    if not np.all(np.isfinite(ref)) or not program.inputs:
        return ["forward"]
    out = list(CHECKS)
    out.remove("raises")
    limit = JACOBIAN_MAX_OUT // (3 if backend_name == "dask" else 1)   # dask: slow rows
    if ref.size > limit:
        out.remove("jacobian")
    if backend_name != "dask" or not program.has_empty():
        out.remove("uneven_chunks")
    return out


def run_program(program, backend_name, checks=None, use_known=True):
    """Run the checks; return ``{check: None | "known: ..." | exception}`` (no raising)."""
    results = {}
    for name in applicable(program, backend_name):
        if checks is not None and name not in checks:
            continue
        bug = known_failure(name, program, backend_name) if use_known else None
        if bug:
            results[name] = f"known: {bug}"
            continue
        try:
            with np.errstate(all="ignore"):
                skipped = FUNCTIONS[name](program, backend_name)
            results[name] = skipped       # None, or why it did not apply ("skipped: ...")
        except Exception as e:      # noqa: BLE001  reported, with the program
            results[name] = e
    return results
