"""The textbook's TF2 regression chapters, run with ``import multigrad as tf``: linear
regression from scratch and concise (a Dataset pipeline, Keras's loss, initializer and
optimizer), softmax regression (a one-hot boolean mask, sparse cross-entropy), at small sizes
on every backend."""

import numpy as np

import multigrad as tf

from .budget import epochs, converged


def synthetic_data(w, b, num_examples):
    X = tf.random.normal((num_examples, w.shape[0]))
    y = tf.matmul(X, tf.reshape(w, (-1, 1))) + b
    y += tf.random.normal(shape=y.shape, stddev=0.01)
    return X, tf.reshape(y, (-1, 1))


def load_array(data_arrays, batch_size, is_train=True):
    dataset = tf.data.Dataset.from_tensor_slices(data_arrays)
    if is_train:
        dataset = dataset.shuffle(buffer_size=1000)
    return dataset.batch(batch_size)


def linreg(X, w, b):
    return tf.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - tf.reshape(y, y_hat.shape)) ** 2 / 2


def sgd(params, grads, lr, batch_size):
    for param, grad in zip(params, grads):
        param.assign_sub(lr * grad / batch_size)


def test_linear_regression_from_scratch(backend):
    tf.random.set_seed(0)
    true_w, true_b = tf.constant([2, -3.4]), 4.2
    features, labels = synthetic_data(true_w, true_b, 300)
    w = tf.Variable(tf.random.normal(shape=(2, 1), mean=0, stddev=0.01), trainable=True)
    b = tf.Variable(tf.zeros(1), trainable=True)
    batch_size, lr = 10, 0.1
    data_iter = load_array((features, labels), batch_size)
    X, y = next(iter(data_iter))
    assert X.shape == (10, 2) and y.shape == (10, 1) and X.backend is backend
    start = float(tf.reduce_mean(squared_loss(linreg(features, w, b), labels)))
    for epoch in range(epochs(backend, 3)):
        for X, y in data_iter:
            with tf.GradientTape() as g:
                l = squared_loss(linreg(X, w, b), y)
            dw, db = g.gradient(l, [w, b])
            sgd([w, b], [dw, db], lr, batch_size)
        train_l = squared_loss(linreg(features, w, b), labels)
    assert converged(backend, start, float(tf.reduce_mean(train_l)), 1e-3)
    if not backend.lazy:
        np.testing.assert_allclose(tf.reshape(w, true_w.shape).numpy(), [2, -3.4], atol=0.02)
        np.testing.assert_allclose(b.numpy(), [4.2], atol=0.02)


def test_linear_regression_concise(backend):
    tf.random.set_seed(1)
    features, labels = synthetic_data(tf.constant([2, -3.4]), 4.2, 300)
    initializer = tf.keras.initializers.RandomNormal(stddev=0.01)
    w = tf.Variable(initializer((2, 1)))
    b = tf.Variable(tf.keras.initializers.Zeros()((1,)))
    loss = tf.keras.losses.MeanSquaredError()
    trainer = tf.keras.optimizers.SGD(learning_rate=0.05)
    data_iter = load_array((features, labels), 10)
    start = float(loss(labels, tf.matmul(features, w) + b))
    for epoch in range(epochs(backend, 3)):
        for X, y in data_iter:
            with tf.GradientTape() as tape:
                l = loss(y, tf.matmul(X, w) + b)
            grads = tape.gradient(l, [w, b])
            trainer.apply_gradients(zip(grads, [w, b]))
        l = loss(labels, tf.matmul(features, w) + b)
    assert converged(backend, start, float(l), 1e-3)


def softmax(X):
    X_exp = tf.exp(X)
    partition = tf.reduce_sum(X_exp, 1, keepdims=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    return -tf.math.log(tf.boolean_mask(y_hat, tf.one_hot(y, depth=y_hat.shape[-1])))


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = tf.argmax(y_hat, axis=1)
    cmp = tf.cast(y_hat, y.dtype) == y
    return float(tf.reduce_sum(tf.cast(cmp, y.dtype)))


def _blobs(n_per_class, num_classes, num_inputs):
    rng = np.random.default_rng(3)
    centers = rng.normal(size=(num_classes, num_inputs)) * 3
    X = np.concatenate([c + rng.normal(size=(n_per_class, num_inputs)) for c in centers])
    y = np.repeat(np.arange(num_classes), n_per_class).astype(np.int32)
    return X.astype(np.float32), y


def test_softmax_regression_from_scratch(backend):
    X_np, y_np = _blobs(30, 3, 4)
    y_hat = tf.constant([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    y = tf.constant([0, 2])
    np.testing.assert_allclose(cross_entropy(y_hat, y).numpy(), -np.log([0.1, 0.5]),
                               rtol=1e-6)
    assert accuracy(y_hat, y) / len(y) == 0.5
    assert tf.reduce_sum(tf.cast(tf.constant([True, False]), y.dtype)).dtype == tf.int32
    W = tf.Variable(tf.random.normal(shape=(4, 3), mean=0, stddev=0.01, seed=2))
    b = tf.Variable(tf.zeros(3))
    net = lambda X: softmax(tf.matmul(tf.reshape(X, (-1, W.shape[0])), W) + b)  # noqa: E731
    data = tf.data.Dataset.from_tensor_slices((X_np, y_np)).shuffle(90, seed=0).batch(15)
    for epoch in range(epochs(backend, 5)):
        for X, y in data:
            with tf.GradientTape() as tape:
                l = tf.reduce_mean(cross_entropy(net(X), y))
            for param, grad in zip([W, b], tape.gradient(l, [W, b])):
                param.assign_sub(0.1 * grad)
    acc = sum(accuracy(net(X), y) for X, y in data) / len(y_np)
    assert acc > (0.5 if backend.lazy else 0.9)


def test_softmax_regression_concise(backend):
    X_np, y_np = _blobs(30, 3, 4)
    W = tf.Variable(tf.keras.initializers.RandomNormal(stddev=0.01, seed=1)((4, 3)))
    b = tf.Variable(tf.zeros(3))
    loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    trainer = tf.keras.optimizers.SGD(learning_rate=0.1)
    data = tf.data.Dataset.from_tensor_slices((X_np, y_np)).shuffle(90, seed=0).batch(15)
    start = float(loss(y_np, tf.matmul(tf.constant(X_np), W) + b))
    for epoch in range(epochs(backend, 5)):
        for X, y in data:
            with tf.GradientTape() as tape:
                l = loss(y, tf.matmul(X, W) + b)
            trainer.apply_gradients(zip(tape.gradient(l, [W, b]), [W, b]))
    logits = tf.matmul(tf.constant(X_np), W) + b
    assert converged(backend, start, float(loss(y_np, logits)), 0.3)
    np.testing.assert_allclose(
        float(loss(y_np, logits)),
        float(tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y_np, logits=logits))), rtol=1e-6)
