"""mg.keras: the same optimizers and losses, activations, initializers (Keras's variance rules
and seeds), backend.dot / epsilon / floatx, on every backend."""

import numpy as np
import pytest

import multigrad as mg

K = mg.keras


def test_namespaces_are_multigrads_own():
    assert K.optimizers is mg.optimizers and K.losses is mg.losses
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad"):
        assert getattr(K.optimizers, name) is getattr(mg.optimizers, name)


def test_activations(backend):
    x = mg.constant([-2.0, -0.5, 0.0, 0.5, 7.0])
    xs = x.numpy()
    A = K.activations
    np.testing.assert_allclose(A.relu(x).numpy(), np.maximum(xs, 0))
    np.testing.assert_allclose(A.relu(x, negative_slope=0.1, max_value=6.0).numpy(),
                               [-0.2, -0.05, 0.0, 0.5, 6.0], rtol=1e-6)
    np.testing.assert_allclose(A.relu(x, threshold=0.5).numpy(), [0, 0, 0, 0.5, 7.0])
    np.testing.assert_allclose(A.get("sigmoid")(x).numpy(), 1 / (1 + np.exp(-xs)), rtol=1e-6)
    np.testing.assert_allclose(A.silu(x).numpy(), xs / (1 + np.exp(-xs)), rtol=1e-6)
    np.testing.assert_allclose(A.get("tanh")(x).numpy(), np.tanh(xs), rtol=1e-6)
    np.testing.assert_allclose(A.hard_sigmoid(x).numpy(), np.clip(xs + 3, 0, 6) / 6, rtol=1e-6)
    np.testing.assert_allclose(A.get("softmax")(x).numpy(), np.exp(xs) / np.exp(xs).sum(),
                               rtol=1e-6)
    assert A.get(None) is A.linear and A.get(np.tanh) is np.tanh
    assert A.get("gelu") is mg.nn.gelu
    with pytest.raises(ValueError, match="unknown activation 'rellu'"):
        A.get("rellu")


@pytest.mark.parametrize("name, shape, limit_or_std, kind", [
    ("GlorotUniform", (300, 200), np.sqrt(6 / 500), "uniform"),
    ("HeUniform", (300, 200), np.sqrt(6 / 300), "uniform"),
    ("LecunUniform", (300, 200), np.sqrt(3 / 300), "uniform"),
    ("GlorotNormal", (300, 200), np.sqrt(2 / 500), "normal"),
    ("HeNormal", (3, 3, 20, 40), np.sqrt(2 / 180), "normal"),   # receptive field 3x3
    ("LecunNormal", (300, 200), np.sqrt(1 / 300), "normal"),
])
def test_variance_scaling_presets(backend, name, shape, limit_or_std, kind):
    init = getattr(K.initializers, name)(seed=3)
    w = init(shape)
    assert w.shape == shape and w.dtype == mg.float32 and w.backend is backend
    a = w.numpy().astype(np.float64)
    if kind == "uniform":
        assert a.min() >= -limit_or_std and a.max() <= limit_or_std
        assert a.std() == pytest.approx(limit_or_std / np.sqrt(3), rel=0.03)
    else:     # truncated at 2 stddev of the untruncated normal, rescaled to the target std
        assert np.abs(a).max() <= 2 * limit_or_std / 0.87962566103423978 + 1e-6
        assert a.std() == pytest.approx(limit_or_std, rel=0.03)
    np.testing.assert_array_equal(init(shape).numpy(), w.numpy())     # seeded: repeats
    assert init(shape, dtype="float64").dtype == mg.float64


def test_simple_initializers(backend):
    I = K.initializers
    np.testing.assert_array_equal(I.Zeros()((2, 3)).numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(I.Ones()((2,), dtype=mg.float64).numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(I.Constant(2.5)((2,)).numpy(), [2.5, 2.5])
    u = I.RandomUniform(minval=1.0, maxval=2.0, seed=1)((1000,)).numpy()
    assert u.min() >= 1.0 and u.max() < 2.0
    n = I.RandomNormal(mean=5.0, stddev=0.01)((2000,)).numpy()
    assert n.mean() == pytest.approx(5.0, abs=1e-3)
    mg.random.set_seed(4)
    a = I.RandomNormal()((5,)).numpy()
    b = I.RandomNormal()((5,)).numpy()
    mg.random.set_seed(4)
    np.testing.assert_array_equal(I.RandomNormal()((5,)).numpy(), a)   # global seed repeats
    assert not np.array_equal(a, b)                                      # unseeded: new draws
    assert isinstance(I.get("glorot_uniform"), I.GlorotUniform)
    with pytest.raises(ValueError, match="mode must be one of"):
        I.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="unknown initializer 'glorot'"):
        I.get("glorot")


def test_backend_functions(backend):
    B = K.backend
    x, y = np.arange(6.0).reshape(2, 3), np.arange(60.0).reshape(4, 3, 5)
    out = B.dot(mg.constant(x), mg.constant(y))
    assert out.shape == (2, 4, 5)
    np.testing.assert_allclose(out.numpy(), np.dot(x, y))
    assert B.epsilon() == 1e-7 and B.floatx() == "float32"
    B.set_epsilon(1e-5)
    try:
        assert B.epsilon() == 1e-5
    finally:
        B.set_epsilon(1e-7)
    with pytest.raises(ValueError, match="expected a floating dtype"):
        B.set_floatx("int32")
    assert B.cast_to_floatx(mg.constant([1, 2])).dtype == mg.float32
