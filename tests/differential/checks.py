"""The checks a program goes through on a backend, each against a host oracle.

forward (values, shape, dtype vs NumPy), raises (NumPy raises: so must multigrad),
grad (reverse vs float64 central differences), grad_dtype, hvp (nested tapes and mg.hvp vs
a float64 mixed second difference), jvp (mg.jvp) and forward_accumulator (vs directional
differences), jacobian (tape.jacobian vs stacked gradients). Complex inputs follow
TensorFlow's convention: the gradient is dL/dx + i dL/dy, so every comparison uses the
real inner product Re(sum(a * conj(b))).
"""

import numpy as np

import multigrad as mg

from .program import loss

# (rtol, atol) by the dtype of the value compared, never by backend.
TOLERANCES = {"float64": (1e-6, 1e-8), "complex128": (1e-6, 1e-8),
              "float32": (2e-3, 2e-4), "complex64": (2e-3, 2e-4)}
# The mixed second difference is the coarsest oracle (truncation ~EPS2**2, rounding
# ~1e-16 |L| / EPS2**2): HVPs get their own, still dtype-only, tolerances.
HVP_TOLERANCES = {"float64": (1e-5, 1e-6), "complex128": (1e-5, 1e-6),
                  "float32": (2e-3, 2e-4), "complex64": (2e-3, 2e-4)}
EPS = 1e-6          # central differences, float64
EPS2 = 1e-4         # mixed second differences, float64
CHECKS = ("forward", "raises", "grad", "grad_dtype", "hvp", "jvp", "forward_accumulator",
          "jacobian", "traced", "functional_repeated", "uneven_chunks", "jax_oracle")


class Mismatch(AssertionError):
    pass


def tolerance(dtype_name):
    return TOLERANCES.get(dtype_name, TOLERANCES["float64"])


def assert_close(got, want, dtype_name, what, scale=None, table=None):
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        raise Mismatch(f"{what}: shape {got.shape}, expected {want.shape}")
    rtol, atol = (table or TOLERANCES).get(dtype_name, TOLERANCES["float64"])
    if scale is None:
        finite = want[np.isfinite(want)]
        scale = max(1.0, float(np.max(np.abs(finite)))) if finite.size else 1.0
    same_inf = (~np.isfinite(want)) & (got == want)
    err = np.abs(got - want)
    bad = ~same_inf & ~(err <= atol * scale + rtol * np.abs(want))
    if np.any(bad):
        i = tuple(int(k) for k in np.argwhere(bad)[0]) if bad.ndim else ()
        raise Mismatch(f"{what}: {int(bad.sum())} of {bad.size} differ (rtol={rtol}, "
                       f"atol={atol}*{scale:.3g}); first at {i}: got {got[i]!r}, "
                       f"expected {want[i]!r}")


def inner(a, b):
    return float(np.sum(np.real(np.asarray(a) * np.conj(np.asarray(b)))))


def directions(program, seed):
    """One random direction per input (complex for complex inputs), host float64."""
    rng = np.random.default_rng(seed)
    out = []
    for _, a in program.inputs:
        v = rng.standard_normal(a.shape)
        if a.dtype.kind == "c":
            v = v + 1j * rng.standard_normal(a.shape)
        out.append(v)
    return out


def _host_loss(program, xs):
    with np.errstate(all="ignore"):
        return float(loss(_REF(), program.run(_REF(), xs)))


def _REF():
    from .refns import REF
    return REF


def host_gradient(program):
    """float64 central differences of the loss, TF's convention for complex inputs."""
    xs = program.input_arrays("float64")
    grads = []
    for i, a in enumerate(xs):
        g = np.zeros(a.shape, dtype=a.dtype)
        for j in np.ndindex(a.shape):
            for unit in ((1.0, 1j) if a.dtype.kind == "c" else (1.0,)):
                plus, minus = [x.copy() for x in xs], [x.copy() for x in xs]
                plus[i][j] += EPS * unit
                minus[i][j] -= EPS * unit
                d = (_host_loss(program, plus) - _host_loss(program, minus)) / (2 * EPS)
                g[j] += d * unit
        grads.append(g)
    return grads


def host_directional(program, vs, eps=EPS):
    """float64 central difference of the program's output along ``vs``."""
    xs = program.input_arrays("float64")
    with np.errstate(all="ignore"):
        plus = program.run(_REF(), [x + eps * v for x, v in zip(xs, vs)])
        minus = program.run(_REF(), [x - eps * v for x, v in zip(xs, vs)])
    return (np.asarray(plus) - np.asarray(minus)) / (2 * eps)


def host_second(program, vs, ws):
    """w^T H v of the loss: a float64 mixed second difference."""
    xs = program.input_arrays("float64")
    total = 0.0
    for sv, sw, sign in ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)):
        pts = [x + EPS2 * (sv * v + sw * w) for x, v, w in zip(xs, vs, ws)]
        total += sign * _host_loss(program, pts)
    return total / (4 * EPS2 ** 2)


def tensors(program):
    return [mg.constant(a) for a in program.input_arrays()]


def on_backend(vs, like):
    return [mg.constant(np.asarray(v).astype(t.dtype.name)) for v, t in zip(vs, like)]
