"""TensorFlow's guide "Introduction to graphs and tf.function", the programs that use
printing, tf.print and Python control flow, with ``mg`` for ``tf``; values as the guide
prints them. Where TF's AutoGraph turns ``if tensor:`` into a graph conditional,
multigrad keeps a guard (one program per outcome: the values are the guide's, the trace
count is not; docs/design.md, "Structured control flow")."""

import numpy as np

import multigrad as mg


def a_regular_function(x, y, b):
    x = mg.matmul(x, y)
    x = x + b
    return x


def test_a_function_that_uses_a_graph(backend):
    a_function_that_uses_a_graph = mg.function(a_regular_function)
    x1, y1, b1 = mg.constant([[1.0, 2.0]]), mg.constant([[2.0], [3.0]]), mg.constant(4.0)
    orig_value = a_regular_function(x1, y1, b1).numpy()
    tf_function_value = a_function_that_uses_a_graph(x1, y1, b1).numpy()
    assert orig_value.tolist() == tf_function_value.tolist() == [[12.0]]


def test_inner_function_is_traced_with_the_outer(backend):
    def inner_function(x, y, b):
        return mg.matmul(x, y) + b

    @mg.function
    def outer_function(x):
        return inner_function(x, mg.constant([[2.0], [3.0]]), mg.constant(4.0))

    assert outer_function(mg.constant([[1.0, 2.0]])).numpy().tolist() == [[12.0]]


def test_simple_relu_python_if_on_a_tensor(backend):
    def simple_relu(x):
        if mg.greater(x, 0):
            return x
        return 0

    tf_simple_relu = mg.function(simple_relu)
    assert tf_simple_relu(mg.constant(1)).numpy() == 1
    assert tf_simple_relu(mg.constant(-1)) == 0
    # TF's AutoGraph traces once; here the `if` is a guard: one program per branch taken.
    assert tf_simple_relu.experimental_get_tracing_count() == 2
    assert tf_simple_relu(mg.constant(3)).numpy() == 3
    assert tf_simple_relu.experimental_get_tracing_count() == 2


def test_simple_relu_with_mg_cond_traces_once(backend):
    @mg.function
    def relu(x):
        return mg.cond(mg.greater(x, 0), lambda: x, lambda: mg.zeros_like(x))

    assert [relu(mg.constant(v)).numpy() for v in (1, -1, 3)] == [1, 0, 3]
    assert relu.experimental_get_tracing_count() == 1


def test_polymorphism_my_relu(backend):
    @mg.function
    def my_relu(x):
        return mg.maximum(0.0, x)

    assert my_relu(mg.constant(5.5)).numpy() == 5.5
    assert my_relu([1.0, -1.0]).numpy().tolist() == [1.0, 0.0]
    assert my_relu(mg.constant([3.0, -3.0])).numpy().tolist() == [3.0, 0.0]


def test_get_mse_print_once_tf_print_every_call(backend, capsys):
    rng = np.random.default_rng(1)
    # the guide draws int32 values; floats here (the strict backend has no integer mean)
    y_true = mg.constant(rng.integers(0, 10, size=5).tolist(), dtype=mg.float32)
    y_pred = mg.constant(rng.integers(0, 10, size=5).tolist(), dtype=mg.float32)

    @mg.function
    def get_mse(y_true, y_pred):
        print("Calculating MSE!")
        sq_diff = mg.pow(y_true - y_pred, 2)
        return mg.reduce_mean(sq_diff)

    errors = [get_mse(y_true, y_pred).numpy() for _ in range(3)]
    expected = np.mean((y_true.numpy() - y_pred.numpy()) ** 2)
    np.testing.assert_allclose(errors, [expected] * 3, rtol=1e-6)
    assert capsys.readouterr().out == "Calculating MSE!\n"

    @mg.function
    def get_mse_printed(y_true, y_pred):
        mg.print("Calculating MSE!")
        return mg.reduce_mean(mg.pow(y_true - y_pred, 2))

    for _ in range(3):
        get_mse_printed(y_true, y_pred)
    assert capsys.readouterr().err == "Calculating MSE!\n" * 3


def test_when_is_a_function_tracing(backend, capsys):
    @mg.function
    def a_function_with_python_side_effect(x):
        print("Tracing!")
        return x * x + mg.constant(2)

    assert a_function_with_python_side_effect(mg.constant(2)).numpy() == 6
    assert a_function_with_python_side_effect(mg.constant(3)).numpy() == 11
    assert capsys.readouterr().out == "Tracing!\n"
    assert a_function_with_python_side_effect(2).numpy() == 6       # Python values retrace
    assert a_function_with_python_side_effect(3).numpy() == 11
    assert capsys.readouterr().out == "Tracing!\nTracing!\n"
