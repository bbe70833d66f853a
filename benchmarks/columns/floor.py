"""The floor: forward plus a hand-derived backward, written directly in NumPy (or CuPy).

It is the cost of the array math alone: no tape, no Tensor objects, the fewest temporaries a
straightforward hand-written version needs. ``selfcheck`` verifies each floor gradient against
central finite differences (or, for W3, the README's published result), so the floor can serve
as the reference every other column is compared with.
"""

import numpy as np

from ..data import W3_README
from . import Case, no_sync

_xp = np
_sync = None


def prepare(variant, backend="numpy"):
    global _xp, _sync
    if backend == "cupy":
        import cupy
        _xp = cupy
        _sync = lambda result: cupy.cuda.get_current_stream().synchronize()  # noqa: E731
        return {"version": cupy.__version__, "library": "cupy"}
    _xp, _sync = np, None
    return {"version": np.__version__, "library": "numpy"}


def _to_host(a):
    return a.get() if hasattr(a, "get") else np.asarray(a)


def _case(step):
    def to_numpy(result):
        return {k: _to_host(v) for k, v in result.items()}
    return Case(step, to_numpy, _sync or no_sync)


# --- W1: the chain of elementwise ops ----------------------------------------------------

def w1_forward(xp, x, blocks):
    """Value of W1, keeping what the backward pass needs (one tuple per block)."""
    a, saved = x, []
    for _ in range(blocks):
        a0 = a
        a3 = xp.sin(a0) * 0.9 + 0.1        # sin, scale, shift
        a6 = xp.exp(-xp.abs(a3))            # abs, neg, exp
        a7 = xp.tanh(a6)                    # tanh
        a8 = a7 * x                         # multiply by x
        a = xp.cos(a8) + 0.1                # cos, shift
        saved.append((a0, a3, a6, a7, a8))
    return xp.sum(a), saved


def w1_backward(xp, x, saved):
    g = xp.ones_like(x)
    gx = xp.zeros_like(x)
    for a0, a3, a6, a7, a8 in reversed(saved):
        g = -g * xp.sin(a8)                 # cos
        gx += g * a7                        # multiply by x: the x side
        g = g * x                           # multiply by x: the chain side
        g = g * (1.0 - a7 * a7)             # tanh
        g = g * a6                          # exp
        g = -g * xp.sign(a3)                # neg, abs
        g = g * 0.9 * xp.cos(a0)            # scale, sin
    return gx + g


def w1(d, variant):
    xp, blocks = _xp, d["blocks"]
    x = xp.asarray(d["x"])

    def step():
        value, saved = w1_forward(xp, x, blocks)
        return {"value": value, "grad": w1_backward(xp, x, saved)}
    return _case(step)


# --- W2: MLP step --------------------------------------------------------------------------

def w2_forward(xp, X, Y, W1, b1, W2, b2):
    h = xp.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    z = logits - xp.max(logits, axis=1, keepdims=True)
    e = xp.exp(z)
    s = xp.sum(e, axis=1, keepdims=True)
    loss = -xp.sum(Y * (z - xp.log(s))) / X.shape[0]
    return loss, (h, e, s)


def w2(d, variant):
    xp = _xp
    X, Y, W1, b1, W2, b2 = (xp.asarray(d[k]) for k in ("X", "Y", "W1", "b1", "W2", "b2"))

    def step():
        loss, (h, e, s) = w2_forward(xp, X, Y, W1, b1, W2, b2)
        glogp = Y * (-1.0 / X.shape[0])                                  # d loss / d log p
        gz = glogp - (e / s) * xp.sum(glogp, axis=1, keepdims=True)      # log-softmax
        gh = (gz @ W2.T) * (1.0 - h * h)                                 # second layer, tanh
        return {"loss": loss, "W1": X.T @ gh, "b1": xp.sum(gh, axis=0),
                "W2": h.T @ gz, "b2": xp.sum(gz, axis=0)}
    return _case(step)


# --- W3: the README's linear regression (float32) ---------------------------------------------

def w3(d, variant):
    xp = _xp
    pairs = list(zip(d["xs"], d["ys"]))
    epochs, lr = d["epochs"], d["lr"]

    def step():
        W = xp.asarray(1.0, dtype=xp.float32)
        b = xp.asarray(1.0, dtype=xp.float32)
        for _ in range(epochs):
            for x, y in pairs:
                r = W * x + b - y                   # forward
                loss = r * r                        # mean of one squared error  # noqa: F841
                gr = r * 2.0                        # d loss / d r
                W = W - lr * (gr * x)
                b = b - lr * gr
        return {"W": W, "b": b}
    return _case(step)


# --- W4a: Hessian-vector product of sum(x**4) ---------------------------------------------------

def w4a(d, variant):
    xp = _xp
    x, v = xp.asarray(d["x"]), xp.asarray(d["v"])

    def step():
        x2 = x * x
        value = xp.sum(x2 * x2)                     # f
        grad = 4.0 * x2 * x                         # f'
        return {"value": value, "grad": grad, "hvp": 12.0 * x2 * v}
    return _case(step)


# --- W4b: Jacobian of tanh(A @ x) --------------------------------------------------------------

def w4b(d, variant):
    xp = _xp
    A, x = xp.asarray(d["A"]), xp.asarray(d["x"])

    def step():
        y = xp.tanh(A @ x)
        return {"jac": (1.0 - y * y)[:, None] * A}
    return _case(step)


# --- W5: large elementwise ------------------------------------------------------------------------

def w5(d, variant):
    xp = _xp
    x = xp.asarray(d["x"])

    def step():
        t = xp.tanh(x)
        value = xp.sum(t * x)
        return {"value": value, "grad": x * (1.0 - t * t) + t}
    return _case(step)


# --- W7: MLP training step with GELU and LayerNorm -------------------------------------------------

GELU_C, GELU_A, LN_EPS = 0.7978845608028654, 0.044715, 1e-5     # sqrt(2/pi); tanh-GELU


def w7_forward(xp, X, T, W1, b1, gamma, beta, W2):
    """Loss of Dense -> GELU (tanh form) -> LayerNorm -> Dense, mean squared error; and
    what the backward pass reads."""
    h = X @ W1 + b1
    t = xp.tanh(GELU_C * (h + GELU_A * h * h * h))
    g = 0.5 * h * (1.0 + t)
    d = g - xp.mean(g, axis=-1, keepdims=True)
    r = 1.0 / xp.sqrt(xp.mean(d * d, axis=-1, keepdims=True) + LN_EPS)
    n = d * r
    o = n * gamma + beta
    e = o @ W2 - T
    return xp.mean(e * e), (h, t, r, n, o, e)


def w7_backward(xp, X, gamma, W2, saved):
    h, t, r, n, o, e = saved
    gy = e * (2.0 / e.size)
    gW2 = o.T @ gy
    go = gy @ W2.T
    ggamma, gbeta = xp.sum(go * n, axis=0), xp.sum(go, axis=0)
    gn = go * gamma
    gg = r * (gn - xp.mean(gn, axis=-1, keepdims=True)
              - n * xp.mean(gn * n, axis=-1, keepdims=True))
    dgelu = 0.5 * (1.0 + t) + 0.5 * h * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * GELU_A * h * h)
    gh = gg * dgelu
    return {"W1": X.T @ gh, "b1": xp.sum(gh, axis=0), "gamma": ggamma, "beta": gbeta,
            "W2": gW2}


W7_PARAMS = ("W1", "b1", "gamma", "beta", "W2")


def w7(d, variant):
    xp = _xp
    X, T, lr = xp.asarray(d["X"]), xp.asarray(d["T"]), d["lr"]
    params = {k: xp.array(d[k]) for k in W7_PARAMS}      # copies: the step updates them

    def step():
        loss, saved = w7_forward(xp, X, T, *(params[k] for k in W7_PARAMS))
        grads = w7_backward(xp, X, params["gamma"], params["W2"], saved)
        for k in W7_PARAMS:
            params[k] -= lr * grads[k]
        return {"loss": loss, **grads}
    return _case(step)


BUILDERS = {"W1": w1, "W2": w2, "W3": w3, "W4a": w4a, "W4b": w4b, "W5": w5, "W7": w7}

# Outputs every column must produce and agree on (the floor may compute a few more).
COMPARED = {"W1": ("value", "grad"), "W2": ("loss", "W1", "b1", "W2", "b2"), "W3": ("W", "b"),
            "W4a": ("hvp",), "W4b": ("jac",), "W5": ("value", "grad"),
            "W7": ("loss",) + W7_PARAMS}


def build(workload, d, variant="eager"):
    return BUILDERS[workload](d, variant)


def reference(workload, d):
    """The floor's outputs on the host, in NumPy, whatever backend the run uses."""
    global _xp, _sync
    saved = _xp, _sync
    _xp, _sync = np, None
    try:
        case = build(workload, d)
        return case.to_numpy(case.step())
    finally:
        _xp, _sync = saved


# --- self-check: the floor against finite differences ---------------------------------------------

def _directional(f, x, v, eps=1e-6):
    return (f(x + eps * v) - f(x - eps * v)) / (2 * eps)


def _close(name, got, want, rtol):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    err = np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-30)
    return None if err <= rtol else f"{name}: relative error {err:.2e} > {rtol:.0e}"


def selfcheck(workload, d, out):
    """None if the floor's outputs ``out`` pass an independent check, else a message."""
    rng = np.random.default_rng(7)
    if workload == "W1":
        x = d["x"]
        v = rng.standard_normal(x.shape)
        fd = _directional(lambda z: w1_forward(np, z, d["blocks"])[0], x, v)
        return _close("W1 grad . v vs finite differences", np.dot(out["grad"], v), fd, 1e-6)
    if workload == "W2":
        names = ("W1", "b1", "W2", "b2")
        dirs = {k: rng.standard_normal(d[k].shape) for k in names}

        def f(t):
            p = {k: d[k] + t * dirs[k] for k in names}
            return w2_forward(np, d["X"], d["Y"], *(p[k] for k in names))[0]
        fd = _directional(f, 0.0, 1.0)
        exact = sum(np.sum(out[k] * dirs[k]) for k in names)
        return _close("W2 grad . v vs finite differences", exact, fd, 1e-6)
    if workload == "W3":
        if d["epochs"] != 100:
            return None
        for k in ("W", "b"):
            msg = _close(f"W3 {k} vs the README", out[k], W3_README[k], 2e-6)
            if msg:
                return msg
        return None
    if workload == "W4a":
        x, v = d["x"], d["v"]
        fd = _directional(lambda z: 4.0 * z ** 3, x, v)
        return _close("W4a hvp vs finite differences of the gradient", out["hvp"], fd, 1e-6)
    if workload == "W4b":
        A, x = d["A"], d["x"]
        v = rng.standard_normal(x.shape)
        fd = _directional(lambda z: np.tanh(A @ z), x, v)
        return _close("W4b J @ v vs finite differences", out["jac"] @ v, fd, 1e-6)
    if workload == "W5":
        x = d["x"]
        v = rng.standard_normal(x.shape)
        fd = _directional(lambda z: np.sum(np.tanh(z) * z), x, v)
        return _close("W5 grad . v vs finite differences", np.dot(out["grad"], v), fd, 1e-5)
    if workload == "W7":
        dirs = {k: rng.standard_normal(d[k].shape) for k in W7_PARAMS}

        def f(t):
            p = [d[k] + t * dirs[k] for k in W7_PARAMS]
            return w7_forward(np, d["X"], d["T"], *p)[0]
        exact = sum(np.sum(out[k] * dirs[k]) for k in W7_PARAMS)
        return _close("W7 grad . v vs finite differences", exact, _directional(f, 0.0, 1.0),
                      1e-6)
    raise KeyError(workload)
