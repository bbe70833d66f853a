"""Printing and Python inside mg.function: symbolic tensors at trace time, mg.print (TF's
tf.print) on every call, mg.py_function on every call, leaked tensors refused."""

import io
import sys

import numpy as np
import pytest

import multigrad as mg
from multigrad.tracing import TracingError
from multigrad.effects.formatting import format_array


def printed(capsys, fn, *args, **kwargs):
    fn(*args, **kwargs)
    return capsys.readouterr()


def test_tf_print_format(backend, capsys):
    cases = [
        ((mg.range(10),), {}, "[0 1 2 ... 7 8 9]\n"),
        ((mg.range(6),), {}, "[0 1 2 3 4 5]\n"),
        ((mg.range(10),), {"summarize": 2}, "[0 1 ... 8 9]\n"),
        ((mg.range(10),), {"summarize": -1}, "[0 1 2 3 4 5 6 7 8 9]\n"),
        (("tensors:", mg.range(10), {2: mg.range(10) * 2}), {},
         "tensors: [0 1 2 ... 7 8 9] {2: [0 2 4 ... 14 16 18]}\n"),
        ((mg.range(2), mg.range(2) * 2), {"sep": ","}, "[0 1],[0 2]\n"),
        ((mg.constant(1.5), "x", 3), {"end": "!"}, "1.5 x 3!"),
        ((mg.reshape(mg.range(4), (2, 2)),), {}, "[[0 1]\n [2 3]]\n"),
        ((mg.reshape(mg.range(8), (2, 2, 2)),), {},
         "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]\n"),
        ((mg.constant([True, False]), [mg.constant(1), "a"]), {}, "[1 0] [1, 'a']\n"),
    ]
    for args, kwargs, expected in cases:
        assert printed(capsys, mg.print, *args, **kwargs).err == expected


def test_tf_print_summarizes_every_dimension(backend, capsys):
    out = printed(capsys, mg.print, mg.reshape(mg.range(100), (10, 10))).err
    assert out == ("[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n"
                   " ...\n [70 71 72 ... 77 78 79]\n [80 81 82 ... 87 88 89]\n"
                   " [90 91 92 ... 97 98 99]]\n")


def test_float_text_is_tfs():
    # the shortest of 6 (float32) or 15 (float64) digits that reads back, else 9 or 17
    assert format_array(np.float32(1 / 3)) == "0.333333343"
    assert format_array(np.float32(0.5)) == "0.5"
    assert format_array(np.array([1.0, 2.5], np.float32)) == "[1 2.5]"
    assert format_array(np.float64(0.1)) == "0.1"
    assert format_array(np.float64(1 / 3)) == "0.33333333333333331"
    assert format_array(np.float32(np.nan)) == "nan"
    assert format_array(np.array([], np.float32)) == "[]"


def test_output_streams(backend, capsys, tmp_path):
    assert printed(capsys, mg.print, mg.constant(1), output_stream=sys.stdout).out == "1\n"
    buffer = io.StringIO()
    mg.print(mg.constant([1, 2]), output_stream=buffer)
    assert buffer.getvalue() == "[1 2]\n"
    path = tmp_path / "log.txt"
    mg.print("a", output_stream=f"file://{path}")
    mg.print("b", output_stream=f"file://{path}")
    assert path.read_text() == "a\nb\n"
    with pytest.raises(ValueError, match="output_stream 'stdout' is not supported"):
        mg.print("a", output_stream="stdout")
    with pytest.raises(TypeError, match="output_stream must be"):
        mg.print("a", output_stream=3)
    with pytest.raises(ValueError, match="summarize must be a non-negative int or -1"):
        mg.print("a", summarize=-2)
    with pytest.raises(TypeError, match="sep must be a str"):
        mg.print("a", sep=1)


def test_print_and_tf_print_in_a_traced_function(backend, capsys):
    """The guide's demonstration: print runs while tracing and shows the symbolic tensor;
    tf.print runs on every call with that call's values."""
    @mg.function
    def f(x):
        print("Traced with", x)
        mg.print("Executed with", x)
        return x

    first = printed(capsys, f, mg.constant(1))
    assert first.out == 'Traced with Tensor("x:0", shape=(), dtype=int32)\n'
    assert first.err == "Executed with 1\n"
    f(mg.constant(1))
    f(mg.constant(2))
    assert capsys.readouterr() == ("", "Executed with 1\nExecuted with 2\n")
    assert f.experimental_get_tracing_count() == 1


def test_symbolic_text_of_traced_tensors(backend):
    seen = []

    @mg.function
    def f(a, b):
        c = a + b
        seen.extend([repr(a), str(b), f"{c}", repr(mg.sin(c))])
        return c

    f(mg.constant([1.0, 2.0]), mg.constant(3.0))
    assert seen == ['Tensor("a:0", shape=(2,), dtype=float32)',
                    'Tensor("b:0", shape=(), dtype=float32)',
                    'Tensor("add:0", shape=(2,), dtype=float32)',
                    'Tensor("sin:0", shape=(2,), dtype=float32)']
    assert repr(mg.constant(1.0)).startswith("<mg.Tensor: shape=(), dtype=float32")
    v = mg.Variable(2.0, name="v")

    @mg.function
    def g(x):
        seen.append(repr(v))
        return x * v
    assert g(mg.constant(1.0)).numpy() == 2.0
    assert seen[-1] == "<mg.Variable 'v:0' shape=() dtype=float32>"


def test_print_is_kept_and_ordered_even_when_its_value_is_unused(backend, capsys):
    @mg.function
    def f(x):
        mg.print("first", x)
        y = x * 2                  # unused
        mg.print("second", y)
        return x + 1
    f(mg.constant(1))
    f(mg.constant(5))
    assert capsys.readouterr().err == "first 1\nsecond 2\nfirst 5\nsecond 10\n"


def test_leaked_tensor_raises_on_use(backend):
    leaked = []

    @mg.function
    def leaky(a):
        leaked.append(a + 1)
        return a + 2

    assert leaky(mg.constant(1)).numpy() == 3
    x = leaked[0]
    for use in (lambda: x.numpy(), lambda: x + 1, lambda: mg.sin(mg.cast(x, mg.float32)),
                lambda: float(x)):
        with pytest.raises(TracingError, match="kept outside it"):
            use()
    with pytest.raises(AttributeError):       # TF: 'Tensor' object has no attribute 'numpy'
        x.numpy()
    with pytest.raises(TypeError):            # TF: a graph tensor passed to an eager op
        x * 2
    assert x.shape == () and x.dtype == mg.int32
    assert repr(x) == 'Tensor("add:0", shape=(), dtype=int32)'


def test_py_function_runs_on_every_call(backend):
    calls = []

    def record(t):
        calls.append(t.numpy().tolist())
        return t * 3

    @mg.function
    def f(x):
        return mg.py_function(record, [x + 1], mg.float32) * 2

    assert f(mg.constant(1.0)).numpy() == 12.0
    assert f(mg.constant(2.0)).numpy() == 18.0
    assert calls == [2.0, 3.0] and f.experimental_get_tracing_count() == 1


def test_py_function_outputs_and_eager_gradient(backend):
    a, b = mg.py_function(lambda x, y: (x + y, x * y), [mg.constant(2.0), 3.0],
                          [mg.float32, mg.float64])
    assert a.numpy() == 5.0 and b.dtype == mg.float64 and b.numpy() == 6.0
    assert mg.py_function(lambda: None, [], None) is None
    x = mg.constant(3.0)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.py_function(lambda t: t * t, [x], mg.float32)
    assert tape.gradient(y, x).numpy() == 6.0
    with pytest.raises(ValueError, match="func returned 2 values, Tout names 1"):
        mg.py_function(lambda t: (t, t), [x], [mg.float32])
    with pytest.raises(TypeError, match="func must be callable"):
        mg.py_function(3, [x], mg.float32)


def test_tf_print_once_per_call_under_a_tape(backend, capsys):
    """A traced call under a GradientTape traces the function with its gradient, then runs
    the forward program for the call: the print is the program's, once."""
    @mg.function
    def f(x):
        mg.print("call", x)
        return x * x

    x = mg.constant(3.0)
    for _ in range(2):
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        assert tape.gradient(y, x).numpy() == 6.0
    assert capsys.readouterr().err == "call 3\ncall 3\n"
