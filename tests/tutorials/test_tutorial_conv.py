"""The textbook's TF2 convolution chapters from scratch, run with ``import multigrad as tf``:
cross-correlation and pooling written with ``Y[i, j].assign(...)``, edge detection, and a
kernel learned by gradient descent, on every backend."""

import numpy as np

import multigrad as tf

from .budget import epochs


def corr2d(X, K):
    h, w = K.shape
    Y = tf.Variable(tf.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1)))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j].assign(tf.reduce_sum(X[i: i + h, j: j + w] * K))
    return Y


def pool2d(X, pool_size, mode="max"):
    p_h, p_w = pool_size
    Y = tf.Variable(tf.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w + 1)))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == "max":
                Y[i, j].assign(tf.reduce_max(X[i: i + p_h, j: j + p_w]))
            elif mode == "avg":
                Y[i, j].assign(tf.reduce_mean(X[i: i + p_h, j: j + p_w]))
    return Y


def test_cross_correlation_and_pooling(backend):
    X = tf.constant([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = tf.constant([[0.0, 1.0], [2.0, 3.0]])
    np.testing.assert_array_equal(corr2d(X, K).numpy(), [[19.0, 25.0], [37.0, 43.0]])
    np.testing.assert_array_equal(pool2d(X, (2, 2)).numpy(), [[4.0, 5.0], [7.0, 8.0]])
    np.testing.assert_array_equal(pool2d(X, (2, 2), "avg").numpy(), [[2.0, 3.0], [5.0, 6.0]])


def test_edge_detection_and_learning_a_kernel(backend):
    X = tf.Variable(tf.ones((6, 8)))
    X[:, 2:6].assign(tf.zeros(X[:, 2:6].shape))
    K = tf.constant([[1.0, -1.0]])
    Y = corr2d(X, K)
    expected = np.zeros((6, 7))
    expected[:, 1], expected[:, 5] = 1.0, -1.0
    np.testing.assert_array_equal(Y.numpy(), expected)
    # Learn K back from (X, Y): a differentiable correlation (the chapter uses a Conv2D
    # layer; here the sums are written out, as multigrad has no layers).
    W = tf.Variable(tf.random.normal((1, 2), seed=4))

    def correlate(X, W):
        return X[:, :-1] * W[0, 0] + X[:, 1:] * W[0, 1]

    for i in range(epochs(backend, 30)):
        with tf.GradientTape() as tape:
            l = tf.reduce_sum((correlate(X, W) - Y) ** 2)
        W.assign_sub(3e-2 * tape.gradient(l, W))
    if not backend.lazy:
        np.testing.assert_allclose(W.numpy(), [[1.0, -1.0]], atol=0.05)
