"""The textbook's TF2 optimization-algorithms chapter from scratch, run with ``import multigrad
as tf``: minibatch SGD, momentum and Adagrad whose states are updated with ``v[:].assign(...)``
over a Dataset, the training step as an ``mg.function`` fed one batch at a time."""

import numpy as np

import multigrad as tf

from .budget import epochs


def get_data(n=60):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(n, 4)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.3).astype(np.float32)
    return tf.data.Dataset.from_tensor_slices((X, y)), X.shape[1]


def sgd_momentum(params, grads, states, hyperparams):
    for p, v, g in zip(params, states, grads):
        v[:].assign(hyperparams["momentum"] * v + g)
        p[:].assign(p - hyperparams["lr"] * v)


def adagrad(params, grads, states, hyperparams):
    eps = 1e-6
    for p, s, g in zip(params, states, grads):
        s[:].assign(s + tf.math.square(g))
        p[:].assign(p - hyperparams["lr"] * g / tf.math.sqrt(s + eps))


def train(backend, trainer_fn, hyperparams, num_epochs, use_function):
    data, dim = get_data()
    w = tf.Variable(tf.random.normal(shape=(dim, 1), mean=0, stddev=0.01, seed=1))
    b = tf.Variable(tf.zeros(1))
    states = (tf.Variable(tf.zeros((dim, 1))), tf.Variable(tf.zeros(1)))

    def loss(X, y):
        return tf.reduce_mean((tf.matmul(X, w) + b - tf.reshape(y, (-1, 1))) ** 2 / 2)

    def step(X, y):
        with tf.GradientTape() as g:
            l = loss(X, y)
        trainer_fn([w, b], g.gradient(l, [w, b]), states, hyperparams)
        return l

    run = tf.function(step) if use_function else step
    X_all, y_all = next(iter(data.batch(60)))
    start = float(loss(X_all, y_all))
    for epoch in range(epochs(backend, num_epochs)):
        for X, y in data.shuffle(60, seed=epoch).batch(10, drop_remainder=True):
            run(X, y)
    if use_function:
        assert run.experimental_get_tracing_count() == 1     # one batch shape, one trace
    return start, float(loss(X_all, y_all))


def test_momentum_from_scratch(backend):
    start, end = train(backend, sgd_momentum, {"lr": 0.05, "momentum": 0.5}, 15, False)
    assert end < start and (backend.lazy or end < 1e-3)


def test_adagrad_from_scratch_as_a_traced_step(backend):
    start, end = train(backend, adagrad, {"lr": 0.5}, 15, True)
    assert end < start and (backend.lazy or end < 1e-2)
