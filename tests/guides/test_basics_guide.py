"""TensorFlow's "TensorFlow basics" guide, its programs with ``tf`` -> ``mg``, against the
values the guide prints (TF 2). Not run: ``tf.saved_model`` (``mg.save``/``mg.load`` keep
Variables, not functions) and the Keras section; the training loop batches by hand where
the guide uses ``tf.data`` (random data: checked by what it converges to)."""

import numpy as np
import pytest

import multigrad as mg


def test_tensors(backend):
    x = mg.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert str(x.shape) == "(2, 3)" and x.dtype == mg.float32
    assert (x + x).numpy().tolist() == [[2.0, 4.0, 6.0], [8.0, 10.0, 12.0]]
    assert (5 * x).numpy().tolist() == [[5.0, 10.0, 15.0], [20.0, 25.0, 30.0]]
    assert (x @ mg.transpose(x)).numpy().tolist() == [[14.0, 32.0], [32.0, 77.0]]
    assert mg.concat([x, x, x], axis=0).shape == (6, 3)
    np.testing.assert_allclose(mg.nn.softmax(x, axis=-1).numpy(),
                               [[0.09003057, 0.24472848, 0.66524094]] * 2, rtol=1e-6)
    assert float(mg.reduce_sum(x)) == 21.0
    assert mg.convert_to_tensor([1, 2, 3]).numpy().tolist() == [1, 2, 3]
    assert int(mg.reduce_sum([1, 2, 3])) == 6


def test_is_a_gpu_used(backend):
    gpus = mg.config.list_physical_devices("GPU")
    message = "IS" if gpus else "IS NOT"
    assert message == ("IS" if any(d.device_type == "GPU"
                                   for d in mg.config.list_physical_devices()) else "IS NOT")


def test_variables(backend):
    var = mg.Variable([0.0, 0.0, 0.0])
    var.assign([1, 2, 3])
    assert var.numpy().tolist() == [1.0, 2.0, 3.0]
    var.assign_add([1, 1, 1])
    assert var.numpy().tolist() == [2.0, 3.0, 4.0]


def f(x):
    return x ** 2 + 2 * x - 5


def test_automatic_differentiation(backend):
    x = mg.Variable(1.0)
    assert float(f(x)) == -2.0
    with mg.GradientTape() as tape:
        y = f(x)
    assert float(tape.gradient(y, x)) == 4.0            # g(x) = 2x + 2


def test_graphs_and_function(backend, capsys):
    @mg.function
    def my_func(x):
        print("Tracing.")
        return mg.reduce_sum(x)
    assert int(my_func(mg.constant([1, 2, 3]))) == 6
    assert int(my_func(mg.constant([10, 9, 8]))) == 27
    total = my_func(mg.constant([10.0, 9.1, 8.2], dtype=mg.float32))
    np.testing.assert_allclose(float(total), 27.3, rtol=1e-6)
    assert capsys.readouterr().out == "Tracing.\nTracing.\n"  # a new dtype traces again


def test_modules(backend):
    class MyModule(mg.Module):
        def __init__(self, value):
            self.weight = mg.Variable(value)

        @mg.function
        def multiply(self, x):
            return x * self.weight
    mod = MyModule(3)
    assert mod.multiply(mg.constant([1, 2, 3])).numpy().tolist() == [3, 6, 9]
    assert [v.numpy() for v in mod.variables] == [3]


class Model(mg.Module):
    def __init__(self):
        rand_init = mg.random.uniform(shape=[3], minval=0.0, maxval=5.0, seed=22)
        self.w_q = mg.Variable(rand_init[0])
        self.w_l = mg.Variable(rand_init[1])
        self.b = mg.Variable(rand_init[2])

    @mg.function
    def __call__(self, x):
        return self.w_q * (x ** 2) + self.w_l * x + self.b


def mse_loss(y_pred, y):
    return mg.reduce_mean(mg.square(y_pred - y))


@pytest.mark.filterwarnings("ignore::multigrad.PerformanceWarning")    # a trace per Model
def test_training_loop(backend):
    mg.random.set_seed(1)
    x = mg.cast(mg.linspace(-2, 2, 201), mg.float32)
    y = f(x) + mg.random.normal(shape=[201])
    quad_model = Model()
    batch_size, epochs, learning_rate = 32, 100, 0.01
    if backend.lazy:          # Dask: every step computes its graph; one epoch shows the descent
        epochs = 1
    order = np.random.default_rng(0)
    first = float(mse_loss(quad_model(x), y))
    for _ in range(epochs):
        shuffled = order.permutation(x.shape[0])        # the guide's dataset.shuffle
        for start in range(0, x.shape[0], batch_size):
            index = shuffled[start:start + batch_size]
            x_batch, y_batch = mg.gather(x, index), mg.gather(y, index)
            with mg.GradientTape() as tape:
                batch_loss = mse_loss(quad_model(x_batch), y_batch)
            grads = tape.gradient(batch_loss, quad_model.variables)
            for g, v in zip(grads, quad_model.variables):
                v.assign_sub(learning_rate * g)
    final = float(mse_loss(quad_model(x), y))
    # The guide's curve falls from about 50 to the noise's variance (about 1), and the
    # weights approach the true quadratic's 1, 2, -5 (the variables sort by name: b, w_l, w_q).
    if backend.lazy:
        assert final < first
        return
    assert final < 1.5 < first
    b, w_l, w_q = (float(v) for v in quad_model.variables)
    np.testing.assert_allclose([w_q, w_l, b], [1.0, 2.0, -5.0], atol=0.5)
