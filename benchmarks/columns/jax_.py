"""JAX on the CPU, float64 enabled. Variant "eager": transforms called op by op;
variant "jit": the same function under ``jax.jit`` (compiled during warm-up)."""

import numpy as np

from . import Case, w1_block

jax = jnp = None


def prepare(variant, backend="numpy"):
    global jax, jnp
    import jax as _jax
    _jax.config.update("jax_enable_x64", True)
    _jax.config.update("jax_platforms", "cpu")
    import jax.numpy as _jnp
    jax, jnp = _jax, _jnp
    return {"version": jax.__version__, "device": str(jax.devices()[0])}


def _put(a):
    """A device array of ``a``, transferred before returning (jax copies asynchronously)."""
    return jax.block_until_ready(jnp.asarray(a))


def _wrap(fn, variant):
    return jax.jit(fn) if variant == "jit" else fn


def _case(step, names):
    def to_numpy(result):
        return {k: np.asarray(r) for k, r in zip(names, result)}
    return Case(step, to_numpy, jax.block_until_ready)


def _block(a, x):
    return w1_block(jnp, a, x)


def w1(d, variant):
    x, blocks = _put(d["x"]), d["blocks"]

    def f(x):
        a = x
        for _ in range(blocks):
            a = _block(a, x)
        return jnp.sum(a)
    vg = _wrap(jax.value_and_grad(f), variant)

    def step():
        return vg(x)
    return _case(step, ("value", "grad"))


def w2(d, variant):
    X, Y = _put(d["X"]), _put(d["Y"])
    params = tuple(_put(d[k]) for k in ("W1", "b1", "W2", "b2"))
    batch = d["X"].shape[0]

    def f(params):
        W1, b1, W2, b2 = params
        h = jnp.tanh(jnp.matmul(X, W1) + b1)
        logits = jnp.matmul(h, W2) + b2
        z = logits - jax.lax.stop_gradient(jnp.max(logits, axis=1, keepdims=True))
        lse = jnp.log(jnp.sum(jnp.exp(z), axis=1, keepdims=True))
        return -jnp.sum(Y * (z - lse)) / batch
    vg = _wrap(jax.value_and_grad(f), variant)

    def step():
        loss, grads = vg(params)
        return (loss, *grads)
    return _case(step, ("loss", "W1", "b1", "W2", "b2"))


def w3(d, variant):
    pairs = list(zip(d["xs"], d["ys"]))
    epochs, lr = d["epochs"], d["lr"]

    def loss(W, b, x, y):
        return jnp.mean(jnp.square(W * x + b - y))
    grads = jax.grad(loss, argnums=(0, 1))

    def train_step(W, b, x, y):           # one tape step and the two assign_sub
        dW, db = grads(W, b, x, y)
        return W - lr * dW, b - lr * db
    train_step = _wrap(train_step, variant)

    def step():
        W = jnp.asarray(1.0, dtype=jnp.float32)
        b = jnp.asarray(1.0, dtype=jnp.float32)
        for _ in range(epochs):
            for x, y in pairs:
                W, b = train_step(W, b, x, y)
        return W, b
    return _case(step, ("W", "b"))


def w4a(d, variant):
    x, v = _put(d["x"]), _put(d["v"])

    def f(x):
        return jnp.sum(x ** 4)
    g = jax.grad(f)
    hvp = _wrap(jax.grad(lambda x: jnp.sum(g(x) * v)), variant)

    def step():
        return (hvp(x),)
    return _case(step, ("hvp",))


def w4b(d, variant):
    A, x = _put(d["A"]), _put(d["x"])
    jac = _wrap(jax.jacrev(lambda x: jnp.tanh(jnp.matmul(A, x))), variant)

    def step():
        return (jac(x),)
    return _case(step, ("jac",))


def w5(d, variant):
    x = _put(d["x"])
    vg = _wrap(jax.value_and_grad(lambda x: jnp.sum(jnp.tanh(x) * x)), variant)

    def step():
        return vg(x)
    return _case(step, ("value", "grad"))


BUILDERS = {"W1": w1, "W2": w2, "W3": w3, "W4a": w4a, "W4b": w4b, "W5": w5}


def build(workload, d, variant="eager"):
    return BUILDERS[workload](d, variant)
