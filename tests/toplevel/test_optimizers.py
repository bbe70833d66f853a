"""mg.optimizers against their published (Keras 3) update rules, re-derived here in NumPy
on a fixed 3-step gradient sequence."""

import math

import numpy as np
import pytest

import multigrad as mg
from multigrad import optimizers

W0 = np.array([1.0, -2.0, 0.5])
GRADS = [np.array([0.1, -0.3, 2.0]), np.array([-0.5, 0.2, 1.0]), np.array([0.05, 0.4, -3.0])]


def run(backend, opt, dtype="float64"):
    w = mg.Variable(mg.to_backend(W0.astype(dtype), backend), name="w")
    for k, g in enumerate(GRADS):
        assert opt.apply_gradients([(mg.to_backend(g.astype(dtype), backend), w)]) == k + 1
    assert opt.iterations == 3
    assert w.dtype == mg.as_dtype(dtype) and w.backend.name == backend.name
    return w.numpy()


# --- plain-NumPy re-derivations of each rule -------------------------------------------

def ref_sgd(lr, momentum=0.0, nesterov=False, wd=0.0):
    w, m = W0.copy(), np.zeros(3)
    for g in GRADS:
        w = w - w * wd * lr
        if momentum == 0:
            w = w - lr * g
            continue
        m = momentum * m - lr * g
        w = w + (momentum * m - lr * g if nesterov else m)
    return w


def ref_adam(lr, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, wd=0.0):
    w, m, v, vhat = W0.copy(), np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(GRADS, start=1):
        w = w - w * wd * lr
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vhat = np.maximum(vhat, v)
        mhat = m / (1 - b1 ** t)
        # Keras folds the bias corrections into the step size:
        # lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
        alpha = lr * math.sqrt(1 - b2 ** t)
        w = w - alpha * mhat / (np.sqrt(vhat if amsgrad else v) + eps)
    return w


def ref_rmsprop(lr, rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    w, s, a, mom = W0.copy(), np.zeros(3), np.zeros(3), np.zeros(3)
    for g in GRADS:
        s = rho * s + (1 - rho) * g ** 2
        if centered:
            a = rho * a + (1 - rho) * g
            step = lr * g / np.sqrt(s - a ** 2 + eps)
        else:
            step = lr * g / np.sqrt(s + eps)
        if momentum:
            mom = momentum * mom + step
            step = mom
        w = w - step
    return w


def ref_adagrad(lr, init=0.1, eps=1e-7):
    w, acc = W0.copy(), np.full(3, init)
    for g in GRADS:
        acc = acc + g ** 2
        w = w - lr * g / np.sqrt(acc + eps)
    return w


CASES = [
    ("sgd", lambda: optimizers.SGD(0.1), lambda: ref_sgd(0.1)),
    ("sgd_momentum", lambda: optimizers.SGD(0.1, momentum=0.9), lambda: ref_sgd(0.1, 0.9)),
    ("sgd_nesterov", lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
     lambda: ref_sgd(0.1, 0.9, True)),
    ("adam", lambda: optimizers.Adam(0.01), lambda: ref_adam(0.01)),
    ("adam_betas", lambda: optimizers.Adam(0.05, beta_1=0.5, beta_2=0.8, epsilon=1e-3),
     lambda: ref_adam(0.05, 0.5, 0.8, 1e-3)),
    ("adam_amsgrad", lambda: optimizers.Adam(0.01, amsgrad=True),
     lambda: ref_adam(0.01, amsgrad=True)),
    ("adamw", lambda: optimizers.AdamW(0.01, weight_decay=0.1),
     lambda: ref_adam(0.01, wd=0.1)),
    ("rmsprop", lambda: optimizers.RMSprop(0.01), lambda: ref_rmsprop(0.01)),
    ("rmsprop_centered_momentum",
     lambda: optimizers.RMSprop(0.01, rho=0.8, momentum=0.5, centered=True),
     lambda: ref_rmsprop(0.01, 0.8, 0.5, centered=True)),
    ("adagrad", lambda: optimizers.Adagrad(0.1), lambda: ref_adagrad(0.1)),
    ("adagrad_init", lambda: optimizers.Adagrad(0.1, initial_accumulator_value=1.0,
                                                epsilon=1e-3),
     lambda: ref_adagrad(0.1, 1.0, 1e-3)),
]


@pytest.mark.parametrize("name,make,expected", CASES, ids=[c[0] for c in CASES])
def test_update_rule_matches_reference(backend, name, make, expected):
    np.testing.assert_allclose(run(backend, make()), expected(), rtol=1e-13, atol=1e-15)


def test_first_adam_step_is_lr_times_sign(backend):
    # After one step m_hat/sqrt(v_hat) = g/|g|: each weight moves by lr (up to epsilon).
    opt = optimizers.Adam(0.01, epsilon=0.0)
    w = mg.Variable(mg.to_backend(W0, backend))
    opt.apply_gradients([(mg.to_backend(GRADS[0], backend), w)])
    np.testing.assert_allclose(w.numpy(), W0 - 0.01 * np.sign(GRADS[0]), rtol=1e-12)


def test_adamw_default_weight_decay_and_float32(backend):
    opt = optimizers.AdamW(0.01)
    assert opt.weight_decay == 0.004
    np.testing.assert_allclose(run(backend, opt, "float32"), ref_adam(0.01, wd=0.004), rtol=1e-5)


def test_callable_learning_rate_gets_the_step_number(backend):
    seen = []

    def schedule(step):
        seen.append(step)
        return 0.1 / (1 + step)
    w = mg.Variable(mg.to_backend(np.array([1.0]), backend))
    opt = optimizers.SGD(schedule)
    for _ in range(3):
        opt.apply_gradients([(mg.to_backend(np.array([1.0]), backend), w)])
    assert seen == [0, 1, 2]
    np.testing.assert_allclose(w.numpy(), [1.0 - 0.1 - 0.05 - 0.1 / 3])


def test_minimize_reaches_the_minimum_of_a_quadratic(backend):
    target = np.array([3.0, -1.0])
    w = mg.Variable(mg.to_backend(np.zeros(2), backend))
    t = mg.to_backend(target, backend)
    opt = optimizers.SGD(0.1, momentum=0.5)
    first = opt.minimize(lambda: mg.sum(mg.square(w - t)), [w])
    for _ in range(100):
        last = opt.minimize(lambda: mg.sum(mg.square(w - t)), [w])
    assert float(last) < 1e-10 < float(first)
    np.testing.assert_allclose(w.numpy(), target, atol=1e-5)


def test_minimize_with_a_recorded_loss_and_tape(backend):
    w = mg.Variable(mg.to_backend(np.array([1.0, 2.0]), backend))
    with mg.GradientTape() as tape:
        loss = mg.sum(w * w)
    optimizers.SGD(0.25).minimize(loss, [w], tape=tape)
    np.testing.assert_allclose(w.numpy(), [0.5, 1.0])
    with pytest.raises(TypeError, match="zero-argument callable.*or a Tensor together with tape="):
        optimizers.SGD(0.1).minimize(loss, [w])


def test_none_gradient_is_skipped_with_a_warning(backend):
    a = mg.Variable(mg.to_backend(np.array([1.0]), backend), name="a")
    b = mg.Variable(mg.to_backend(np.array([5.0]), backend), name="b")
    opt = optimizers.Adam(0.1)
    with pytest.warns(UserWarning, match="no gradient for variable 'b:0'"):
        opt.apply_gradients([(mg.to_backend(np.array([1.0]), backend), a), (None, b)])
    assert b.numpy()[0] == 5.0 and a.numpy()[0] != 1.0
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="no gradient provided for "
                                                                     "any variable"):
        opt.apply_gradients([(None, b)])


def test_bad_input_errors(backend):
    w = mg.Variable(mg.to_backend(np.zeros((2, 3)), backend), name="kernel")
    opt = optimizers.SGD(0.1)
    with pytest.raises(ValueError, match=r"gradient for variable 'kernel:0' has shape \(3, 2\) but "
                                         r"the variable has shape \(2, 3\)"):
        opt.apply_gradients([(mg.to_backend(np.zeros((3, 2)), backend), w)])
    with pytest.raises(TypeError, match="can only update mg.Variable, got Tensor"):
        opt.apply_gradients([(mg.to_backend(np.zeros(2), backend),
                               mg.to_backend(np.zeros(2), backend))])
    with pytest.raises(TypeError, match=r"expects \(gradient, variable\) pairs"):
        opt.apply_gradients([w])
    with pytest.raises(ValueError, match="momentum must be between 0 and 1, got 1.5"):
        optimizers.SGD(0.1, momentum=1.5)
    with pytest.raises(ValueError, match="beta_1 must be between 0 and 1"):
        optimizers.Adam(beta_1=-0.1)
    assert opt.iterations == 0


@pytest.mark.parametrize("cls", [optimizers.SGD, optimizers.Adam, optimizers.AdamW,
                                 optimizers.RMSprop, optimizers.Adagrad])
def test_hyperparameters_are_validated_in_the_constructor(cls):
    name = cls.__name__
    with pytest.raises(TypeError, match=rf"{name}: learning_rate must be a number, a "
                                        rf"one-element real Tensor or Variable, or a callable "
                                        rf"schedule \(step -> number\); got str 'a'"):
        cls(learning_rate="a")
    for bad in (None, True, [0.1], mg.constant([0.1, 0.2]), mg.constant(1j)):
        with pytest.raises(TypeError, match=f"{name}: learning_rate must be a number"):
            cls(learning_rate=bad)
    for bad in (-0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=f"{name}: learning_rate must be finite and >= 0"):
            cls(learning_rate=bad)
    with pytest.raises(TypeError, match=f"{name}: weight_decay must be a number or None, "
                                        f"got str"):
        cls(learning_rate=0.1, weight_decay="0.1")
    with pytest.raises(ValueError, match=f"{name}: weight_decay must be finite and >= 0"):
        cls(learning_rate=0.1, weight_decay=-1.0)
    for good in (0.1, 1, np.float32(0.1), mg.constant(0.1), mg.Variable(0.1), lambda step: 0.1):
        assert cls(learning_rate=good).current_learning_rate() == pytest.approx(0.1 if good != 1
                                                                               else 1.0)


def test_a_learning_rate_variable_can_be_changed_between_steps(backend):
    lr = mg.Variable(0.5, dtype="float64")
    w = mg.Variable(mg.to_backend(np.array([1.0]), backend))
    opt = optimizers.SGD(lr)
    opt.apply_gradients([(mg.to_backend(np.array([1.0]), backend), w)])
    lr.assign(0.25)
    opt.apply_gradients([(mg.to_backend(np.array([1.0]), backend), w)])
    np.testing.assert_array_equal(w.numpy(), [0.25])


def test_unit_hyperparameters_of_the_wrong_type(backend):
    with pytest.raises(TypeError, match="Adam: beta_1 must be a number between 0 and 1, got str"):
        optimizers.Adam(beta_1="0.9")
