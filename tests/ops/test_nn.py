"""mg.nn: gradients to second order, float32 kept, batched cotangents, stability at
extreme float32 inputs, TensorFlow's values at kinks, argument errors."""

import math

import numpy as np
import pytest

import multigrad as mg

from optable import Case, away_from_zero, table_tests, unit_interval


def probabilities(a):
    e = np.exp(a)
    return e / e.sum(axis=-1, keepdims=True)


CASES = [
    Case("sigmoid", mg.nn.sigmoid, [(2, 3)], domain=lambda a: a * 3),
    Case("relu", mg.nn.relu, [(6,)], domain=away_from_zero),
    Case("leaky_relu", lambda x: mg.nn.leaky_relu(x, alpha=0.1), [(6,)], domain=away_from_zero),
    Case("elu", mg.nn.elu, [(6,)], domain=away_from_zero),
    Case("gelu", mg.nn.gelu, [(6,)], domain=lambda a: a * 2),
    Case("gelu-tanh", lambda x: mg.nn.gelu(x, approximate=True), [(6,)]),
    Case("softplus", mg.nn.softplus, [(2, 3)], domain=lambda a: a * 3),
    Case("softmax", mg.nn.softmax, [(2, 3)]),
    Case("softmax-axis0", lambda x: mg.nn.softmax(x, axis=0), [(3, 2)]),
    Case("softmax-size1", mg.nn.softmax, [(2, 1)]),
    Case("log_softmax", mg.nn.log_softmax, [(2, 3)]),
    Case("log_softmax-axis", lambda x: mg.nn.log_softmax(x, axis=-2), [(3, 2)]),
    Case("sigmoid-xent", lambda z, x: mg.nn.sigmoid_cross_entropy_with_logits(
        labels=z, logits=x), [(2, 3), (2, 3)], domain=unit_interval),
    Case("softmax-xent", lambda z, x: mg.nn.softmax_cross_entropy_with_logits(
        labels=mg.nn.softmax(z), logits=x), [(2, 3), (2, 3)]),
    Case("softmax-xent-axis0", lambda z, x: mg.nn.softmax_cross_entropy_with_logits(
        labels=z, logits=x, axis=0), [(3, 2), (3, 2)]),
]


(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)


EXTREME = np.array([[-1e4, -30.0, 0.0, 30.0, 1e4], [1e4, 1e4, -1e4, 0.0, 1.0]], np.float32)
LABELS = np.array([[0.0, 0.2, 0.3, 0.5, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0]], np.float32)

STABLE = {
    "sigmoid": mg.nn.sigmoid, "relu": mg.nn.relu, "leaky_relu": mg.nn.leaky_relu,
    "elu": mg.nn.elu, "gelu": mg.nn.gelu,
    "gelu-tanh": lambda x: mg.nn.gelu(x, approximate=True), "softplus": mg.nn.softplus,
    "softmax": mg.nn.softmax, "log_softmax": mg.nn.log_softmax,
    "logsumexp": lambda x: mg.logsumexp(x, axis=-1),
    "sigmoid-xent": lambda x: mg.nn.sigmoid_cross_entropy_with_logits(
        labels=mg.constant(LABELS), logits=x),
    "softmax-xent": lambda x: mg.nn.softmax_cross_entropy_with_logits(
        labels=mg.constant(LABELS), logits=x),
}


@pytest.mark.parametrize("name", list(STABLE))
def test_stable_in_float32_at_extreme_inputs(backend, name):
    x = mg.constant(EXTREME)
    with mg.GradientTape() as t:
        t.watch(x)
        y = STABLE[name](x)
        loss = mg.sum(y * mg.constant(np.linspace(0.5, 1.5, y.size, dtype=np.float32)
                                      .reshape(y.shape)))
    g = t.gradient(loss, x)
    assert y.dtype == mg.float32 and g.dtype == mg.float32
    assert np.all(np.isfinite(y.numpy())), y.numpy()
    assert np.all(np.isfinite(g.numpy())), g.numpy()


def test_values_match_closed_forms(backend):
    a = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    x = mg.constant(a)
    sig = 1 / (1 + np.exp(-a))
    np.testing.assert_allclose(mg.nn.sigmoid(x).numpy(), sig)
    np.testing.assert_allclose(mg.nn.softplus(x).numpy(), np.log1p(np.exp(a)))
    np.testing.assert_allclose(mg.nn.elu(x).numpy(), np.where(a > 0, a, np.expm1(a)))
    np.testing.assert_allclose(mg.nn.leaky_relu(x).numpy(), np.where(a > 0, a, 0.2 * a))
    phi = np.array([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in a])
    np.testing.assert_allclose(mg.nn.gelu(x).numpy(), a * phi, rtol=1e-14)
    tanh_approx = 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a ** 3)))
    np.testing.assert_allclose(mg.nn.gelu(x, approximate=True).numpy(), tanh_approx)
    np.testing.assert_allclose(mg.nn.log_softmax(x).numpy(), a - np.log(np.exp(a).sum()))
    z = np.array([0.0, 1.0, 0.3, 1.0, 0.0])
    xent = -z * np.log(sig) - (1 - z) * np.log(1 - sig)
    np.testing.assert_allclose(mg.nn.sigmoid_cross_entropy_with_logits(
        labels=mg.constant(z), logits=x).numpy(), xent)


def test_kinks_follow_tensorflow(backend):
    x = mg.constant(np.array([0.0, 0.0]))
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        relu, elu, leaky = mg.nn.relu(x), mg.nn.elu(x), mg.nn.leaky_relu(x)
    np.testing.assert_array_equal(t.gradient(relu, x).numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(t.gradient(elu, x).numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(t.gradient(leaky, x).numpy(), [0.2, 0.2])


def test_loss_arguments_are_checked(backend):
    x = mg.constant(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="needs both labels= and logits="):
        mg.nn.sigmoid_cross_entropy_with_logits(logits=x)
    with pytest.raises(ValueError, match=r"labels of shape \(3,\) and logits of shape \(2, 3\)"):
        mg.nn.softmax_cross_entropy_with_logits(labels=mg.constant(np.zeros(3)), logits=x)
    with pytest.raises(ValueError, match="needs at least one dimension"):
        mg.nn.softmax(mg.constant(1.0))
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        mg.nn.log_softmax(x, axis=2)


SECOND_ORDER = {
    "relu": mg.nn.relu, "leaky_relu": mg.nn.leaky_relu,
    "leaky_relu-alpha": lambda x: mg.nn.leaky_relu(x, alpha=1.5), "elu": mg.nn.elu,
    "elu-alpha": lambda x: mg.nn.elu(x, alpha=0.5), "gelu": mg.nn.gelu,
    "gelu-tanh": lambda x: mg.nn.gelu(x, approximate=True), "softplus": mg.nn.softplus,
    "sigmoid": mg.nn.sigmoid, "softsign": mg.nn.softsign, "tanh": mg.tanh,
    "log_sigmoid": mg.math.log_sigmoid, "softmax": mg.nn.softmax,
    "log_softmax": mg.nn.log_softmax,
}


@pytest.mark.parametrize("name", list(SECOND_ORDER))
def test_second_order_is_a_tensor_in_reverse_and_forward_mode(backend, name):
    # leaky_relu's composed where() left the second order None (its gradient did not depend
    # on x); relu's and leaky_relu's are zero, and forward over reverse gave None for both.
    f = SECOND_ORDER[name]
    a = np.array([-1.5, -0.3, 0.4, 2.0])
    v, w = np.array([0.7, -1.1, 0.5, 1.3]), np.array([1.0, 2.0, -0.5, 0.25])

    def gradient(at):
        with mg.GradientTape() as tape:
            tape.watch(at)
            loss = mg.sum(f(at) * mg.constant(w))
        return tape.gradient(loss, at)

    eps = 1e-6
    expected = (gradient(mg.constant(a + eps * v)).numpy()
                - gradient(mg.constant(a - eps * v)).numpy()) / (2 * eps)
    x = mg.constant(a)
    with mg.GradientTape() as outer:
        outer.watch(x)
        reverse = outer.gradient(mg.sum(gradient(x) * mg.constant(v)), x)
    with mg.ForwardAccumulator(x, mg.constant(v)) as acc:
        forward = acc.jvp(gradient(x))
    for got in (reverse, forward):              # the Hessian is symmetric: H v both ways
        assert got is not None
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6, atol=1e-7)
