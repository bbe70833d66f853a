"""TensorFlow (tensorflow-cpu). Variant "eager": plain ``tf.GradientTape``; variant
"function": the same step under ``tf.function`` (traced during warm-up)."""

import numpy as np

from . import Case, no_sync, w1_block

tf = None


def prepare(variant, backend="numpy"):
    global tf
    import tensorflow as _tf
    tf = _tf
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:           # only possible before the runtime starts
        pass
    return {"version": tf.__version__,
            "threads": (tf.config.threading.get_intra_op_parallelism_threads(),
                        tf.config.threading.get_inter_op_parallelism_threads())}


def _wrap(fn, variant):
    return tf.function(fn) if variant == "function" else fn


def _case(step, names):
    def to_numpy(result):
        return {k: np.asarray(r.numpy() if hasattr(r, "numpy") else r)
                for k, r in zip(names, result)}
    return Case(step, to_numpy, no_sync)


def _block(a, x):
    return w1_block(tf, a, x)


def w1(d, variant):
    x, blocks = tf.constant(d["x"]), d["blocks"]

    def vg(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            a = x
            for _ in range(blocks):
                a = _block(a, x)
            value = tf.reduce_sum(a)
        return value, tape.gradient(value, x)
    vg = _wrap(vg, variant)

    def step():
        return vg(x)
    return _case(step, ("value", "grad"))


def w2(d, variant):
    X, Y = tf.constant(d["X"]), tf.constant(d["Y"])
    params = [tf.Variable(d[k]) for k in ("W1", "b1", "W2", "b2")]
    batch = d["X"].shape[0]

    def vg():
        W1, b1, W2, b2 = params
        with tf.GradientTape() as tape:
            h = tf.tanh(tf.matmul(X, W1) + b1)
            logits = tf.matmul(h, W2) + b2
            z = logits - tf.stop_gradient(tf.reduce_max(logits, axis=1, keepdims=True))
            lse = tf.math.log(tf.reduce_sum(tf.exp(z), axis=1, keepdims=True))
            loss = -tf.reduce_sum(Y * (z - lse)) / batch
        return (loss, *tape.gradient(loss, params))
    vg = _wrap(vg, variant)

    def step():
        return vg()
    return _case(step, ("loss", "W1", "b1", "W2", "b2"))


def w3(d, variant):
    pairs = list(zip(d["xs"], d["ys"]))
    epochs, lr = d["epochs"], d["lr"]
    W = tf.Variable(1.0)
    b = tf.Variable(1.0)

    def model(x):
        return W * x + b

    def loss(predicted_y, target_y):
        return tf.reduce_mean(tf.square(predicted_y - target_y))

    def train_step(x, y):
        with tf.GradientTape() as t:
            current = loss(model(x), y)
        dW, db = t.gradient(current, [W, b])
        W.assign_sub(lr * dW)
        b.assign_sub(lr * db)

    if variant == "function":
        # Tensors as arguments: a Python float argument would retrace for every value.
        pairs = [(tf.constant(x), tf.constant(y)) for x, y in pairs]
    train_step = _wrap(train_step, variant)

    def step():
        W.assign(1.0)                      # the same starting point on every call
        b.assign(1.0)
        for _ in range(epochs):
            for x, y in pairs:
                train_step(x, y)
        return W.read_value(), b.read_value()
    return _case(step, ("W", "b"))


def w4a(d, variant):
    x, v = tf.constant(d["x"]), tf.constant(d["v"])

    def hvp(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(x ** 4)
            g = inner.gradient(y, x)
            gv = tf.reduce_sum(g * v)
        return outer.gradient(gv, x)
    hvp = _wrap(hvp, variant)

    def step():
        return (hvp(x),)
    return _case(step, ("hvp",))


def w4b(d, variant):
    A, x = tf.constant(d["A"]), tf.constant(d["x"])

    def jac(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.tanh(tf.linalg.matvec(A, x))     # tf.matmul needs rank >= 2 operands
        return tape.jacobian(y, x)
    jac = _wrap(jac, variant)

    def step():
        return (jac(x),)
    return _case(step, ("jac",))


def w5(d, variant):
    x = tf.constant(d["x"])

    def vg(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            value = tf.reduce_sum(tf.tanh(x) * x)
        return value, tape.gradient(value, x)
    vg = _wrap(vg, variant)

    def step():
        return vg(x)
    return _case(step, ("value", "grad"))


BUILDERS = {"W1": w1, "W2": w2, "W3": w3, "W4a": w4a, "W4b": w4b, "W5": w5}


def build(workload, d, variant="eager"):
    return BUILDERS[workload](d, variant)
