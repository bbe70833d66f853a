"""multigrad: the code a user writes, TensorFlow style (tapes, Variables, assign_sub).

"function": the same step under ``mg.function`` (traced during warm-up), written as the
tf.function column writes it (W3: the train step, with tensor arguments, traced once).
"jit": the same under ``mg.function(jit_compile=True)`` (fused kernels; needs Numba).
"""

from . import Case, w1_block

mg = None
_backend = None


def prepare(variant, backend="numpy"):
    global mg, _backend
    import multigrad
    mg = multigrad
    _backend = mg.set_backend(backend)
    return {"version": mg.__version__, "library": f"multigrad on {_backend.name}"}


def _const(a):
    t = mg.constant(a)
    return t if _backend.name == t.backend.name else mg.to_backend(t, _backend.name)


def _var(a):
    return mg.Variable(_const(a))


def _wrap(fn, variant):
    if variant == "jit":
        return mg.function(fn, jit_compile=True)
    return mg.function(fn) if variant == "function" else fn


def _case(step, names):
    def to_numpy(result):
        return {k: r.numpy() for k, r in zip(names, result)}
    return Case(step, to_numpy, lambda result: _backend.synchronize())


def _block(a, x):
    return w1_block(mg, a, x)


def w1(d, variant):
    x, blocks = _const(d["x"]), d["blocks"]

    def vg(x):
        with mg.GradientTape() as tape:
            tape.watch(x)
            a = x
            for _ in range(blocks):
                a = _block(a, x)
            value = mg.reduce_sum(a)
        return value, tape.gradient(value, x)
    vg = _wrap(vg, variant)

    def step():
        return vg(x)
    return _case(step, ("value", "grad"))


def w2(d, variant):
    X, Y = _const(d["X"]), _const(d["Y"])
    params = [_var(d[k]) for k in ("W1", "b1", "W2", "b2")]
    batch = d["X"].shape[0]

    def vg():
        W1, b1, W2, b2 = params
        with mg.GradientTape() as tape:
            h = mg.tanh(mg.matmul(X, W1) + b1)
            logits = mg.matmul(h, W2) + b2
            z = logits - mg.stop_gradient(mg.reduce_max(logits, axis=1, keepdims=True))
            lse = mg.log(mg.reduce_sum(mg.exp(z), axis=1, keepdims=True))
            loss = -mg.reduce_sum(Y * (z - lse)) / batch
        return (loss, *tape.gradient(loss, params))
    vg = _wrap(vg, variant)

    def step():
        return vg()
    return _case(step, ("loss", "W1", "b1", "W2", "b2"))


def w3(d, variant):
    pairs = list(zip(d["xs"], d["ys"]))
    epochs, lr = d["epochs"], d["lr"]
    if variant in ("function", "jit"):
        return _w3_function(pairs, epochs, lr, variant)

    def step():
        W = mg.Variable(1.0)
        b = mg.Variable(1.0)

        def model(x):
            return W * x + b

        def loss(predicted_y, target_y):
            return mg.reduce_mean(mg.square(predicted_y - target_y))

        for _ in range(epochs):
            for x, y in pairs:
                with mg.GradientTape() as t:
                    current = loss(model(x), y)
                dW, db = t.gradient(current, [W, b])
                W.assign_sub(lr * dW)
                b.assign_sub(lr * db)
        return W, b
    return _case(step, ("W", "b"))


def _w3_function(pairs, epochs, lr, variant):
    W = mg.Variable(1.0)
    b = mg.Variable(1.0)

    @mg.function(jit_compile=(variant == "jit") or None)
    def train_step(x, y):
        with mg.GradientTape() as t:
            current = mg.reduce_mean(mg.square(W * x + b - y))
        dW, db = t.gradient(current, [W, b])
        W.assign_sub(lr * dW)
        b.assign_sub(lr * db)

    # Tensors as arguments: a Python float argument would retrace for every value.
    pairs = [(_const(x), _const(y)) for x, y in pairs]

    def step():
        W.assign(1.0)                      # the same starting point on every call
        b.assign(1.0)
        for _ in range(epochs):
            for x, y in pairs:
                train_step(x, y)
        return W.read_value(), b.read_value()
    return _case(step, ("W", "b"))


def w4a(d, variant):
    x, v = _const(d["x"]), _const(d["v"])

    def vg(x):
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as inner:
                inner.watch(x)
                y = mg.reduce_sum(x ** 4)
            g = inner.gradient(y, x)
            gv = mg.reduce_sum(g * v)
        return (outer.gradient(gv, x),)
    vg = _wrap(vg, variant)

    def step():
        return vg(x)
    return _case(step, ("hvp",))


def w4b(d, variant):
    A, x = _const(d["A"]), _const(d["x"])

    def vg(x):
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = mg.tanh(mg.matmul(A, x))
        return (tape.jacobian(y, x),)
    vg = _wrap(vg, variant)

    def step():
        return vg(x)
    return _case(step, ("jac",))


def w5(d, variant):
    x = _const(d["x"])

    def vg(x):
        with mg.GradientTape() as tape:
            tape.watch(x)
            value = mg.reduce_sum(mg.tanh(x) * x)
        return value, tape.gradient(value, x)
    vg = _wrap(vg, variant)

    def step():
        return vg(x)
    return _case(step, ("value", "grad"))


def _gelu_layernorm(h, gamma, beta):
    """tanh-GELU, then LayerNorm over the last axis (the floor's w7_forward, op for op)."""
    t = mg.tanh(0.7978845608028654 * (h + 0.044715 * h * h * h))
    g = 0.5 * h * (1.0 + t)
    d = g - mg.reduce_mean(g, axis=-1, keepdims=True)
    r = 1.0 / mg.sqrt(mg.reduce_mean(d * d, axis=-1, keepdims=True) + 1e-5)
    return d * r * gamma + beta


def w7(d, variant):
    X, T, lr = _const(d["X"]), _const(d["T"]), d["lr"]
    params = [_var(d[k]) for k in ("W1", "b1", "gamma", "beta", "W2")]

    def train_step():
        W1, b1, gamma, beta, W2 = params
        with mg.GradientTape() as tape:
            o = _gelu_layernorm(mg.matmul(X, W1) + b1, gamma, beta)
            e = mg.matmul(o, W2) - T
            loss = mg.reduce_mean(e * e)
        grads = tape.gradient(loss, params)
        for p, g in zip(params, grads):
            p.assign_sub(lr * g)
        return (loss, *grads)
    train_step = _wrap(train_step, variant)

    def step():
        return train_step()
    return _case(step, ("loss", "W1", "b1", "gamma", "beta", "W2"))


BUILDERS = {"W1": w1, "W2": w2, "W3": w3, "W4a": w4a, "W4b": w4b, "W5": w5, "W7": w7}


def build(workload, d, variant="eager"):
    return BUILDERS[workload](d, variant)
