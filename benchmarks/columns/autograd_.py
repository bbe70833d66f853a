"""HIPS autograd: ``value_and_grad`` over ``autograd.numpy`` (eager, NumPy underneath)."""

import numpy as np

from . import Case, no_sync, w1_block

ag = anp = getval = None


def prepare(variant, backend="numpy"):
    global ag, anp, getval
    import autograd
    import autograd.numpy
    from autograd.tracer import getval as _getval
    ag, anp, getval = autograd, autograd.numpy, _getval
    try:
        from importlib.metadata import version
        v = version("autograd")
    except Exception:  # noqa: BLE001
        v = "?"
    return {"version": v}


def _case(step, names):
    def to_numpy(result):
        return {k: np.asarray(r) for k, r in zip(names, result)}
    return Case(step, to_numpy, no_sync)


def _block(a, x):
    return w1_block(anp, a, x)


def w1(d, variant):
    x, blocks = d["x"], d["blocks"]

    def f(x):
        a = x
        for _ in range(blocks):
            a = _block(a, x)
        return anp.sum(a)
    vg = ag.value_and_grad(f)

    def step():
        return vg(x)
    return _case(step, ("value", "grad"))


def w2(d, variant):
    X, Y = d["X"], d["Y"]
    params = tuple(d[k] for k in ("W1", "b1", "W2", "b2"))
    batch = X.shape[0]

    def f(params):
        W1, b1, W2, b2 = params
        h = anp.tanh(anp.matmul(X, W1) + b1)
        logits = anp.matmul(h, W2) + b2
        # getval is autograd's stop_gradient: the max is taken on the raw value.
        z = logits - anp.max(getval(logits), axis=1, keepdims=True)
        lse = anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
        return -anp.sum(Y * (z - lse)) / batch
    vg = ag.value_and_grad(f)

    def step():
        loss, grads = vg(params)
        return (loss, *grads)
    return _case(step, ("loss", "W1", "b1", "W2", "b2"))


def w3(d, variant):
    pairs = list(zip(d["xs"], d["ys"]))
    epochs, lr = d["epochs"], d["lr"]

    def loss(W, b, x, y):
        return anp.mean(anp.square(W * x + b - y))
    grads = ag.grad(loss, argnum=(0, 1))

    def step():
        W = np.asarray(1.0, dtype=np.float32)
        b = np.asarray(1.0, dtype=np.float32)
        for _ in range(epochs):
            for x, y in pairs:
                dW, db = grads(W, b, x, y)
                W = W - lr * dW
                b = b - lr * db
        return W, b
    return _case(step, ("W", "b"))


def w4a(d, variant):
    x, v = d["x"], d["v"]

    def f(x):
        return anp.sum(x ** 4)
    g = ag.grad(f)
    hvp = ag.grad(lambda x: anp.sum(g(x) * v))

    def step():
        return (hvp(x),)
    return _case(step, ("hvp",))


def w4b(d, variant):
    A, x = d["A"], d["x"]
    # autograd.jacobian runs one backward pass per output element (no batched pass).
    jac = ag.jacobian(lambda x: anp.tanh(anp.matmul(A, x)))

    def step():
        return (jac(x),)
    return _case(step, ("jac",))


def w5(d, variant):
    x = d["x"]
    vg = ag.value_and_grad(lambda x: anp.sum(anp.tanh(x) * x))

    def step():
        return vg(x)
    return _case(step, ("value", "grad"))


BUILDERS = {"W1": w1, "W2": w2, "W3": w3, "W4a": w4a, "W4b": w4b, "W5": w5}


def build(workload, d, variant="eager"):
    return BUILDERS[workload](d, variant)
