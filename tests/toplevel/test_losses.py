"""mg.losses (= mg.keras.losses) and mg.nn.sparse_softmax_cross_entropy_with_logits: the values
of Keras's documentation examples, closed forms, stability at extreme logits, and first and
second order gradients against finite differences, on every backend."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.testing import check_grads

L = mg.losses
RNG = np.random.default_rng(0)


def test_keras_is_the_same_namespace():
    assert mg.keras.losses is mg.losses
    assert L.mse is L.mean_squared_error and L.get("mse") is L.mse
    assert L.get("MeanSquaredError") is L.MeanSquaredError


def test_keras_documented_values(backend):
    y_true, y_pred = [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]
    mse = L.MeanSquaredError()
    assert float(mse(y_true, y_pred)) == pytest.approx(0.5)
    assert float(mse(y_true, y_pred, sample_weight=[0.7, 0.3])) == pytest.approx(0.25)
    assert float(L.MeanSquaredError(reduction="sum")(y_true, y_pred)) == pytest.approx(1.0)
    np.testing.assert_allclose(L.MeanSquaredError(reduction="none")(y_true, y_pred).numpy(),
                               [0.5, 0.5])
    assert float(L.MeanAbsoluteError()(y_true, y_pred)) == pytest.approx(0.5)
    onehot, probs = [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    assert float(L.CategoricalCrossentropy()(onehot, probs)) == pytest.approx(1.1769392)
    assert float(L.SparseCategoricalCrossentropy()([1, 2], probs)) == pytest.approx(1.1769392)
    assert float(L.BinaryCrossentropy()(y_true, [[0.6, 0.4], [0.4, 0.6]])) == \
        pytest.approx(0.8149245, rel=1e-6)
    logits = [-18.6, 0.51, 2.94, -12.8]
    assert float(L.BinaryCrossentropy(from_logits=True)([0, 1, 0, 0], logits)) == \
        pytest.approx(0.865458, rel=1e-5)
    out = L.MeanSquaredError()(y_true, y_pred)
    assert out.dtype == mg.float32 and out.backend is backend       # Keras: floatx


def _logits(shape, scale=3.0):
    return RNG.normal(size=shape) * scale


def test_cross_entropies_match_closed_forms(backend):
    z = _logits((4, 5))
    labels = np.array([0, 3, 4, 1])
    onehot = np.eye(5)[labels]
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    expected = -logp[np.arange(4), labels]
    sparse = mg.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=z)
    np.testing.assert_allclose(sparse.numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(L.sparse_categorical_crossentropy(labels, z, from_logits=True)
                               .numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(L.categorical_crossentropy(onehot, z, from_logits=True).numpy(),
                               expected, rtol=1e-12)
    p = np.exp(logp)
    np.testing.assert_allclose(L.categorical_crossentropy(onehot, p).numpy(), expected,
                               rtol=1e-6)
    np.testing.assert_allclose(L.sparse_categorical_crossentropy(labels, p).numpy(), expected,
                               rtol=1e-6)
    smoothed = onehot * 0.9 + 0.1 / 5
    np.testing.assert_allclose(
        L.categorical_crossentropy(onehot, z, from_logits=True, label_smoothing=0.1).numpy(),
        -(smoothed * logp).sum(-1), rtol=1e-12)
    y = (RNG.random((4, 3)) > 0.5).astype(float)
    x = _logits((4, 3))
    bce = np.mean(np.logaddexp(0, x) - x * y, axis=-1)
    np.testing.assert_allclose(L.binary_crossentropy(y, x, from_logits=True).numpy(), bce,
                               rtol=1e-12)
    ys = y * 0.8 + 0.1
    np.testing.assert_allclose(
        L.binary_crossentropy(y, x, from_logits=True, label_smoothing=0.2).numpy(),
        np.mean(np.logaddexp(0, x) - x * ys, axis=-1), rtol=1e-12)


def test_probabilities_are_clipped_with_keras_epsilon(backend):
    # p = 0 for the true class: -log(eps) rather than inf, as Keras.
    out = L.categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]])
    assert float(out[0]) == pytest.approx(-np.log(1e-7), rel=1e-5)
    assert float(L.binary_crossentropy([[1.0]], [[0.0]])[0]) == pytest.approx(-np.log(1e-7),
                                                                             rel=1e-5)
    mg.keras.backend.set_epsilon(1e-3)
    try:
        out = L.sparse_categorical_crossentropy([0], [[0.0, 1.0]])
        # log of clip(p) renormalised: log(1e-3 + (1 - 1e-3)) - log(1e-3)
        assert float(out[0]) == pytest.approx(-np.log(1e-3), rel=1e-5)
    finally:
        mg.keras.backend.set_epsilon(1e-7)


def test_stable_at_extreme_logits(backend):
    z = mg.constant([[1e4, -1e4, 0.0]], dtype=mg.float32)
    with mg.GradientTape() as tape:
        tape.watch(z)
        loss = mg.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=z)
    np.testing.assert_allclose(loss.numpy(), [2e4], rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(loss, z).numpy(), [[1.0, -1.0, 0.0]])
    b = L.binary_crossentropy([[1.0, 0.0]], mg.constant([[-1e4, -1e4]]), from_logits=True)
    assert np.isfinite(b.numpy()).all() and float(b[0]) == pytest.approx(5e3, rel=1e-6)


@pytest.mark.parametrize("loss", [
    lambda y, p: L.mean_squared_error(y, p),
    lambda y, p: L.mean_absolute_error(y, p + 0.5),
    lambda y, p: L.categorical_crossentropy(y, p, from_logits=True, label_smoothing=0.1),
    lambda y, p: L.categorical_crossentropy(y, mg.nn.softmax(p)),
    lambda y, p: L.binary_crossentropy(y, p, from_logits=True),
    lambda y, p: L.binary_crossentropy(y, mg.nn.sigmoid(p)),
    lambda y, p: L.CategoricalCrossentropy(from_logits=True, dtype="float64")(y, p),
    lambda y, p: L.MeanSquaredError(dtype="float64")(y, p, sample_weight=[1.0, 2.0, 0.5]),
], ids=["mse", "mae", "cce_logits", "cce_probs", "bce_logits", "bce_probs", "CCE", "MSE_w"])
def test_gradients_first_and_second_order(backend, loss):
    y = mg.constant(np.eye(4)[[0, 2, 3]] * 0.8 + 0.05)
    p = mg.constant(_logits((3, 4), 1.0))
    check_grads(lambda p: loss(y, p), [p], order=2)


def test_sparse_gradient_closed_form_and_second_order(backend):
    z = _logits((3, 4), 1.0)
    labels = [2, 0, 3]
    zt = mg.constant(z)
    with mg.GradientTape() as tape:
        tape.watch(zt)
        loss = mg.reduce_sum(mg.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                            logits=zt))
    softmax = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    np.testing.assert_allclose(tape.gradient(loss, zt).numpy(), softmax - np.eye(4)[labels],
                               rtol=1e-12)
    check_grads(lambda z: L.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")(
        labels, z), [zt], order=2)
    check_grads(lambda z: L.sparse_categorical_crossentropy(labels, mg.nn.softmax(z)), [zt],
                order=2)


def test_rank_rules_and_reductions(backend):
    # (n,) labels against (n, 1) predictions: one loss per sample (Keras's rank rule).
    per_sample = L.mean_squared_error([1.0, 2.0, 3.0], [[1.0], [1.0], [1.0]])
    np.testing.assert_allclose(per_sample.numpy(), [0.0, 1.0, 4.0])
    np.testing.assert_allclose(L.sparse_categorical_crossentropy([[1], [0]], [[0.5, 0.5]] * 2)
                               .numpy(), [np.log(2)] * 2, rtol=1e-6)
    assert L.MeanSquaredError(reduction="none")([[1.0]], [[3.0]]).shape == (1,)
    assert float(L.MeanSquaredError(reduction=None)([[1.0]], [[3.0]])[0]) == 4.0


def test_errors(backend):
    with pytest.raises(ValueError, match="reduction must be one of 'sum_over_batch_size', "
                                         "'sum', 'none'.*got 'avg'"):
        L.MeanSquaredError(reduction="avg")
    with pytest.raises(ValueError, match=r"a label is outside the valid range \[0, 3\)"):
        mg.nn.sparse_softmax_cross_entropy_with_logits(labels=[3], logits=[[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="labels must have the shape of logits without"):
        mg.nn.sparse_softmax_cross_entropy_with_logits(labels=[[1]], logits=[[1.0, 2.0]])
    with pytest.raises(TypeError, match="labels must be integer class indices"):
        mg.nn.sparse_softmax_cross_entropy_with_logits(labels=[1.0], logits=[[1.0, 2.0]])
    with pytest.raises(ValueError, match="needs both labels= and logits="):
        mg.nn.sparse_softmax_cross_entropy_with_logits(labels=[1])
    with pytest.raises(ValueError, match="for integer labels use sparse_categorical"):
        L.categorical_crossentropy([1, 0], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="unknown loss 'msee'"):
        L.get("msee")
