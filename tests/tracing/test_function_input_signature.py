"""tf.function's signature surface (issue 19): TensorSpec, input_signature,
reduce_retracing, concrete functions, run_functions_eagerly; on every backend."""

import numpy as np
import pytest

import multigrad as mg


def same(a, b):
    a, b = np.asarray(a.numpy() if isinstance(a, mg.Tensor) else a), np.asarray(
        b.numpy() if isinstance(b, mg.Tensor) else b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_tensor_spec():
    spec = mg.TensorSpec([None, 3], mg.float32, name="x")
    assert spec.shape == (None, 3) and spec.dtype == mg.float32 and spec.name == "x"
    assert spec.is_compatible_with(mg.ones([5, 3]))
    assert not spec.is_compatible_with(mg.ones([5, 4]))
    assert not spec.is_compatible_with(mg.ones([5, 3], dtype=mg.float64))
    assert spec == mg.TensorSpec((None, 3), "float32", "x")
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=mg.float32, name='x')"
    with pytest.raises(TypeError, match="shape must be a list or tuple"):
        mg.TensorSpec(3.5)


def test_input_signature_traces_once_for_every_length(backend):
    def fn(x):
        return x * 2.0 + mg.reduce_sum(x)
    f = mg.function(input_signature=[mg.TensorSpec([None], mg.float32)])(fn)
    for n in range(1, 101, 1 if backend.name != "dask" else 11):
        x = mg.constant(np.arange(n, dtype=np.float32))
        assert same(f(x), fn(x))
    assert f.experimental_get_tracing_count() == 1


def test_input_signature_mismatch_raises_tf_type_error(backend):
    f = mg.function(lambda x: x + 1.0, input_signature=[mg.TensorSpec([None], mg.float32)])
    f(mg.ones([2]))
    with pytest.raises(TypeError, match="Binding inputs to mg.function.*float64.*TensorSpec"):
        f(mg.ones([2], dtype=mg.float64))
    with pytest.raises(TypeError, match=r"Binding inputs.*shape=\(2, 2\)"):
        f(mg.ones([2, 2]))
    with pytest.raises(TypeError, match="input_signature has 1 argument"):
        f(mg.ones([2]), mg.ones([2]))
    with pytest.raises(TypeError, match="list of mg.TensorSpec"):
        mg.function(lambda x: x, input_signature=[3])


def test_input_signature_converts_python_values_and_keywords(backend):
    f = mg.function(lambda x, y: x * y, input_signature=[mg.TensorSpec([], mg.float32),
                                                         mg.TensorSpec([2], mg.float32)])
    assert same(f(2.0, y=[1.0, 3.0]), mg.constant([2.0, 6.0]))
    assert same(f(y=mg.constant([1.0, 1.0]), x=mg.constant(3.0)), mg.constant([3.0, 3.0]))
    assert f.experimental_get_tracing_count() == 1


def test_input_signature_shape_read_in_python_stays_right(backend):
    """A size read in Python (mean's count) is a guard in a relaxed trace: right values."""
    def fn(x):
        return mg.reduce_mean(x) + mg.cast(x.shape[0], mg.float32)
    f = mg.function(fn, input_signature=[mg.TensorSpec([None], mg.float32)])
    for n in (3, 5, 3, 7):
        x = mg.constant(np.arange(n, dtype=np.float32))
        assert same(f(x), fn(x))


def test_relaxed_trace_does_not_simplify_by_the_traced_size(backend):
    ones = mg.ones([3])

    def fn(x):
        return x * ones                 # broadcasts for size 1, not for size 3
    f = mg.function(fn, input_signature=[mg.TensorSpec([None], mg.float32)])
    for n in (3, 1, 3):
        x = mg.constant(np.arange(n, dtype=np.float32) + 1)
        assert same(f(x), fn(x))


def test_reduce_retracing_relaxes_after_a_shape_change(backend):
    def fn(x):
        return x * x + 1.0
    f = mg.function(fn, reduce_retracing=True)
    for n in range(1, 30, 1 if backend.name != "dask" else 7):
        x = mg.constant(np.arange(n, dtype=np.float32))
        assert same(f(x), fn(x))
    assert f.experimental_get_tracing_count() == 2


def test_get_concrete_function(backend):
    @mg.function
    def f(x, scale):
        return {"y": x * scale}
    c = f.get_concrete_function(mg.TensorSpec([None, 2], mg.float32), 3.0)
    assert c.structured_input_signature == (
        (mg.TensorSpec([None, 2], mg.float32), 3.0), {})
    assert c.structured_outputs == {"y": mg.TensorSpec([None, None], mg.float32)}
    x = mg.ones([4, 2])
    assert same(c(x, 3.0)["y"], x * 3.0)
    with pytest.raises(TypeError, match="do not fit its signature"):
        c(mg.ones([4, 3]), 3.0)
    text = c.pretty_printed_signature()
    assert text.splitlines() == [
        "Input Parameters:",
        "  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(None, 2), dtype=mg.float32, name=None)",
        "  scale (POSITIONAL_OR_KEYWORD): Literal[3.0]",
        "Output Type:",
        "  {'y': TensorSpec(shape=(None, None), dtype=mg.float32, name=None)}",
        "Captures:",
        "  None"]
    f(mg.ones([2]), 1.0)
    assert f.pretty_printed_concrete_signatures().count("Input Parameters:") == 2
    assert f.python_function.__name__ == "f"


def test_get_concrete_function_of_a_signature(backend):
    f = mg.function(lambda x: x + 1.0, input_signature=[mg.TensorSpec([None], mg.float32)])
    c = f.get_concrete_function()
    assert c.structured_input_signature == ((mg.TensorSpec([None], mg.float32),), {})
    assert same(c(mg.ones([3])), mg.full([3], 2.0))
    assert f.experimental_get_tracing_count() == 1


def test_run_functions_eagerly(backend):
    calls = []

    @mg.function
    def f(x):
        calls.append(1)
        return x * 2.0
    assert mg.config.functions_run_eagerly() is False
    mg.config.run_functions_eagerly(True)
    try:
        assert mg.config.functions_run_eagerly() is True
        for _ in range(3):
            assert same(f(mg.ones([2])), mg.full([2], 2.0))
        assert len(calls) == 3 and f.experimental_get_tracing_count() == 0
    finally:
        mg.config.run_functions_eagerly(False)
    f(mg.ones([2]))
    f(mg.ones([2]))
    assert len(calls) == 4 and f.experimental_get_tracing_count() == 1
