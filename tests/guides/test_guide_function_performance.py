"""TensorFlow's guide "Better performance with tf.function", the programs that use
printing, tf.print, Python side effects, leaked tensors, py_function, AutoGraph's loops and
conditionals and TensorArray, with ``mg`` for ``tf``; values as the guide prints them.

AutoGraph's conversions are written out: ``while tensor:`` is ``mg.while_loop``, ``if
tensor:`` inside a loop is ``mg.cond`` (multigrad does not rewrite Python control flow:
docs/design.md, "Structured control flow")."""

import numpy as np
import pytest

import multigrad as mg


def test_usage_add_and_nested_functions(backend):
    @mg.function
    def add(a, b):
        return a + b

    assert add(mg.ones([2, 2]), mg.ones([2, 2])).numpy().tolist() == [[2.0, 2.0], [2.0, 2.0]]
    v = mg.Variable(1.0)
    with mg.GradientTape() as tape:
        result = add(v, 1.0)
    assert tape.gradient(result, v).numpy() == 1.0

    @mg.function
    def dense_layer(x, w, b):
        return add(mg.matmul(x, w), b)

    out = dense_layer(mg.ones([3, 2]), mg.ones([2, 2]), mg.ones([2]))
    assert out.numpy().tolist() == [[3.0, 3.0]] * 3


def test_tracing_prints_the_symbolic_tensor(backend, capsys):
    @mg.function
    def double(a):
        print("Tracing with", a)
        return a + a

    assert double(mg.constant(1)).numpy() == 2
    assert capsys.readouterr().out == 'Tracing with Tensor("a:0", shape=(), dtype=int32)\n'
    assert np.isclose(double(mg.constant(1.1)).numpy(), 2.2)
    assert capsys.readouterr().out == 'Tracing with Tensor("a:0", shape=(), dtype=float32)\n'
    assert double(mg.constant(5)).numpy() == 10            # same signature: no trace
    assert capsys.readouterr().out == ""
    assert double.experimental_get_tracing_count() == 2


def test_print_versus_tf_print(backend, capsys):
    @mg.function
    def f(x):
        print("Traced with", x)
        mg.print("Executed with", x)

    f(1)
    f(1)
    f(2)
    out = capsys.readouterr()
    assert out.out == "Traced with 1\nTraced with 2\n"
    assert out.err == "Executed with 1\nExecuted with 1\nExecuted with 2\n"


def test_python_side_effects_happen_while_tracing_only(backend):
    external_list = []

    @mg.function
    def side_effect(x):
        external_list.append(x)
        return x * 2

    side_effect(mg.constant(1.0))
    side_effect(mg.constant(2.0))
    assert len(external_list) == 1


def test_py_function_is_the_exit_hatch(backend):
    external_list = []

    def append(x):
        external_list.append(float(x.numpy()))
        return x

    @mg.function
    def side_effect(x):
        return mg.py_function(append, [x], mg.float32) * 2

    assert [side_effect(mg.constant(v)).numpy() for v in (1.0, 2.0, 3.0)] == [2.0, 4.0, 6.0]
    assert external_list == [1.0, 2.0, 3.0]


def test_all_outputs_must_be_return_values(backend):
    x = []

    @mg.function
    def leaky_function(a):
        x.append(a + 1)            # bad: leaks a local tensor
        return a + 2

    correct_a = leaky_function(mg.constant(1))
    assert correct_a.numpy() == 3
    with pytest.raises(AttributeError):
        x[0].numpy()


def test_autograph_while_loop_with_tf_print(backend, capsys):
    """``while tf.reduce_sum(x) > 1: tf.print(x); x = tf.tanh(x)``."""
    @mg.function
    def f(x):
        def body(x):
            mg.print(x)
            return mg.tanh(x)
        return mg.while_loop(lambda x: mg.reduce_sum(x) > 1, body, [x])[0]

    start = np.array([0.9, 0.7, 0.5, 0.6, 0.3], np.float32)
    expected, lines = start, []
    while expected.sum() > 1:
        lines.append(expected)
        expected = np.tanh(expected)
    out = f(mg.constant(start.tolist()))
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    printed = capsys.readouterr().err.splitlines()
    assert len(printed) == len(lines) and printed[0] == "[0.9 0.7 0.5 0.6 0.3]"
    f(mg.constant([0.5, 0.4, 0.3, 0.2, 0.1]))        # 1.5 > 1, then about 1.4 ... 0.9
    assert f.experimental_get_tracing_count() == 1


def fizzbuzz_program(n):
    """``for i in tf.range(1, n + 1): if i % 15 == 0: ... elif ...``, written out."""
    def body(i):
        print("Tracing for loop")

        def fizzbuzz():
            print("Tracing fizzbuzz branch")
            mg.print("fizzbuzz")

        def fizz():
            print("Tracing fizz branch")
            mg.print("fizz")

        def buzz():
            print("Tracing buzz branch")
            mg.print("buzz")

        def default():
            print("Tracing default branch")
            mg.print(i)

        mg.cond(i % 15 == 0, fizzbuzz,
                lambda: mg.cond(i % 3 == 0, fizz, lambda: mg.cond(i % 5 == 0, buzz, default)))
        return i + 1
    mg.while_loop(lambda i: i <= n, body, [mg.constant(1)])


def test_autograph_conditionals_fizzbuzz(backend, capsys):
    fizzbuzz = mg.function(fizzbuzz_program)
    fizzbuzz(mg.constant(5))
    out = capsys.readouterr()
    assert out.out.splitlines() == ["Tracing for loop", "Tracing fizzbuzz branch",
                                    "Tracing fizz branch", "Tracing buzz branch",
                                    "Tracing default branch"]
    assert out.err.split() == ["1", "2", "fizz", "4", "buzz"]
    fizzbuzz(mg.constant(20))
    out = capsys.readouterr()
    assert out.out == ""                                   # no retrace
    assert out.err.split() == ["1", "2", "fizz", "4", "buzz", "fizz", "7", "8", "fizz",
                               "buzz", "11", "fizz", "13", "14", "fizzbuzz", "16", "17",
                               "fizz", "19", "buzz"]


def test_accumulating_values_in_a_loop_with_tensor_array(backend):
    batch_size, seq_len, feature_size = 2, 3, 4

    def rnn_step(inp, state):
        return inp + state

    @mg.function
    def dynamic_rnn(rnn_step, input_data, initial_state):
        input_data = mg.transpose(input_data, [1, 0, 2])     # [batch, time, features] -> [time, ...]
        max_seq_len = input_data.shape[0]
        states = mg.TensorArray(mg.float32, size=max_seq_len)

        def body(i, state, states):
            state = rnn_step(input_data[i], state)
            return i + 1, state, states.write(i, state)
        _, _, states = mg.while_loop(lambda i, state, states: i < max_seq_len, body,
                                     [mg.constant(0), initial_state, states])
        return mg.transpose(states.stack(), [1, 0, 2])

    data = np.random.default_rng(3).uniform(size=(batch_size, seq_len, feature_size))
    out = dynamic_rnn(rnn_step, mg.constant(data.astype(np.float32).tolist()),
                      mg.zeros([batch_size, feature_size]))
    assert out.shape == (batch_size, seq_len, feature_size)
    np.testing.assert_allclose(out.numpy(), np.cumsum(data, axis=1), rtol=1e-6)
