"""The textbook's TF2 multilayer-perceptron chapters, run with ``import multigrad as tf``: an
MLP from scratch with Keras's initializers and loss, dropout from scratch, weight decay, and
the RNN chapter's gradient clipping (``norm += tf.math.reduce_sum(...)`` on a NumPy value),
at small sizes on every backend."""

import numpy as np

import multigrad as tf

from .budget import converged, epochs


def _rings(n):
    rng = np.random.default_rng(0)
    radius = np.repeat([1.0, 3.0], n // 2)
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1) + rng.normal(
        size=(n, 2)) * 0.1
    return X.astype(np.float32), np.repeat([0, 1], n // 2).astype(np.int32)


def relu(X):
    return tf.math.maximum(X, 0)


def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return tf.zeros_like(X)
    mask = tf.random.uniform(shape=tf.shape(X), minval=0, maxval=1) < 1 - dropout
    return tf.cast(mask, dtype=tf.float32) * X / (1.0 - dropout)


def test_dropout_from_scratch(backend):
    tf.random.set_seed(0)
    X = tf.reshape(tf.range(16, dtype=tf.float32), (2, 8))
    np.testing.assert_array_equal(dropout_layer(X, 0.0).numpy(), X.numpy())
    np.testing.assert_array_equal(dropout_layer(X, 1.0).numpy(), np.zeros((2, 8)))
    half = dropout_layer(X, 0.5).numpy()
    kept = half != 0
    np.testing.assert_allclose(half[kept], 2 * X.numpy()[kept])


def test_mlp_from_scratch_with_keras_pieces(backend):
    X_np, y_np = _rings(120)
    init = tf.keras.initializers.GlorotUniform(seed=1)
    W1, b1 = tf.Variable(init((2, 16))), tf.Variable(tf.zeros(16))
    W2, b2 = tf.Variable(init((16, 2))), tf.Variable(tf.zeros(2))
    params = [W1, b1, W2, b2]

    def net(X, training=False):
        H = relu(tf.matmul(tf.reshape(X, (-1, 2)), W1) + b1)
        if training:
            H = dropout_layer(H, 0.1)
        return tf.matmul(H, W2) + b2

    def loss(y_hat, y):
        return tf.losses.sparse_categorical_crossentropy(y, y_hat, from_logits=True)

    updater = tf.keras.optimizers.Adam(learning_rate=0.05)
    data = tf.data.Dataset.from_tensor_slices((X_np, y_np)).shuffle(120, seed=1).batch(30)
    start = float(tf.reduce_mean(loss(net(X_np), y_np)))
    for epoch in range(epochs(backend, 25)):
        for X, y in data:
            with tf.GradientTape() as tape:
                l = tf.reduce_mean(loss(net(X, training=True), y))
            updater.apply_gradients(zip(tape.gradient(l, params), params))
    assert converged(backend, start, float(tf.reduce_mean(loss(net(X_np), y_np))), 0.2)


def l2_penalty(w):
    return tf.reduce_sum(tf.pow(w, 2)) / 2


def test_weight_decay_from_scratch(backend):
    tf.random.set_seed(2)
    n_train, num_inputs = 20, 50
    true_w, true_b = tf.ones((num_inputs, 1)) * 0.01, 0.05
    X = tf.random.normal((n_train, num_inputs))
    y = tf.matmul(X, true_w) + true_b

    def train(lambd):
        w = tf.Variable(tf.random.normal(mean=1, shape=(num_inputs, 1), seed=3))
        b = tf.Variable(tf.zeros(shape=(1,)))
        for epoch in range(epochs(backend, 20)):
            with tf.GradientTape() as tape:
                l = tf.reduce_sum((tf.matmul(X, w) + b - y) ** 2 / 2) + lambd * l2_penalty(w)
            grads = tape.gradient(l, [w, b])
            for param, grad in zip([w, b], grads):
                param.assign_sub(0.003 * grad / n_train * n_train)
        return float(tf.norm(w))

    # The penalty shrinks the weights (the chapter's point): the L2 norm drops with lambda.
    assert train(lambd=3) < train(lambd=0)


def grad_clipping(grads, theta):
    """The RNN chapter's clipping, with the norm summed into a NumPy value."""
    theta = tf.constant(theta, dtype=tf.float32)
    norm = np.zeros((), dtype=np.float32)
    for grad in grads:
        norm += tf.math.reduce_sum(grad ** 2)
    norm = tf.math.sqrt(norm)
    if tf.greater(norm, theta):
        return [grad * theta / norm for grad in grads]
    return grads


def test_gradient_clipping(backend):
    if backend.name != "numpy":
        return          # a NumPy value meets the tensors: numpy-backend code, as in TF
    w = tf.Variable([3.0, 4.0])
    b = tf.Variable([12.0])
    with tf.GradientTape() as tape:
        l = tf.reduce_sum(w * w) / 2 + tf.reduce_sum(b * b) / 2
    grads = tape.gradient(l, [w, b])
    clipped = grad_clipping(grads, 1.0)                 # norm 13
    np.testing.assert_allclose(clipped[0].numpy(), [3 / 13, 4 / 13], rtol=1e-6)
    np.testing.assert_allclose(clipped[1].numpy(), [12 / 13], rtol=1e-6)
    assert grad_clipping(grads, 20.0) is grads
    manual = tf.clip_by_global_norm(grads, 1.0)[0]
    np.testing.assert_allclose(manual[0].numpy(), clipped[0].numpy(), rtol=1e-6)
