"""TensorFlow GradientTape semantics, one test per behaviour."""

import threading

import numpy as np
import pytest

import multigrad as mg


def f64(values):
    return mg.constant(np.asarray(values, dtype=np.float64))


def test_non_scalar_target_gives_gradient_of_its_sum(backend):
    x = f64([1.0, 2.0, 3.0])
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * x           # shape (3,)
    np.testing.assert_allclose(t.gradient(y, x).numpy(), [2.0, 4.0, 6.0])


def test_unwatched_source_gives_none_or_zeros(backend):
    x, z = f64([1.0, 2.0]), f64([3.0, 4.0])
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        y = mg.reduce_sum(x * 2.0)
    assert t.gradient(y, z) is None
    np.testing.assert_array_equal(t.gradient(y, z, unconnected_gradients="zero").numpy(), [0, 0])
    np.testing.assert_array_equal(
        t.gradient(y, z, unconnected_gradients=mg.UnconnectedGradients.ZERO).numpy(), [0, 0])


def test_watched_but_unconnected_source_gives_none(backend):
    x, z = f64([1.0]), f64([2.0])
    with mg.GradientTape() as t:
        t.watch([x, z])
        y = x * 3.0
    gx, gz = t.gradient(y, [x, z])
    assert gz is None
    np.testing.assert_array_equal(gx.numpy(), [3.0])


def test_integer_sources_give_none(backend):
    i = mg.constant([1, 2, 3])
    assert i.dtype == mg.int32
    with mg.GradientTape() as t:
        with pytest.warns(UserWarning, match="must be floating or complex"):
            t.watch(i)
        y = mg.reduce_sum(mg.cast(i, mg.float32) * 2.0)
    with pytest.warns(UserWarning, match="the dtype of the source must be floating.*int32"):
        assert t.gradient(y, i, unconnected_gradients="zero") is None


def test_second_gradient_on_non_persistent_tape_raises(backend):
    x = f64([1.0])
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * x
    t.gradient(y, x)
    with pytest.raises(RuntimeError, match=r"persistent=True"):
        t.gradient(y, x)


def test_persistent_tape_answers_many_calls(backend):
    x = f64([2.0])
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
        z = y * y
    assert float(t.gradient(z, x)) == 32.0
    assert float(t.gradient(y, x)) == 4.0
    assert float(t.gradient(z, y)) == 8.0


def test_stop_gradient_blocks_the_flow(backend):
    x = f64([3.0])
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * mg.stop_gradient(x * x)
    assert float(t.gradient(y, x)) == 9.0


def test_nested_tapes_give_higher_derivatives(backend):
    x = f64([0.7])
    with mg.GradientTape() as t3:
        t3.watch(x)
        with mg.GradientTape() as t2:
            t2.watch(x)
            with mg.GradientTape() as t1:
                t1.watch(x)
                y = mg.sin(x) * x
            dy = t1.gradient(y, x)
        d2y = t2.gradient(dy, x)
    d3y = t3.gradient(d2y, x)
    v = 0.7
    np.testing.assert_allclose(float(dy), np.cos(v) * v + np.sin(v), rtol=1e-12)
    np.testing.assert_allclose(float(d2y), -np.sin(v) * v + 2 * np.cos(v), rtol=1e-12)
    np.testing.assert_allclose(float(d3y), -np.cos(v) * v - 3 * np.sin(v), rtol=1e-12)


def test_gradient_inside_persistent_tape_is_recorded(backend):
    x = f64([1.5])
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x ** 3
        with pytest.warns(mg.PerformanceWarning):
            dy = t.gradient(y, x)
    np.testing.assert_allclose(float(t.gradient(dy, x)), 6 * 1.5)


def test_inner_tape_ignores_ops_recorded_before_it(backend):
    x = f64([2.0])
    with mg.GradientTape() as outer:
        outer.watch(x)
        y = x * x
        with mg.GradientTape() as inner:
            inner.watch(y)
            z = y * 3.0
        assert float(inner.gradient(z, y)) == 3.0
    assert outer.gradient(z, x) is not None


def test_nested_structures_of_sources(backend):
    a, b, c = f64([1.0]), f64([2.0]), f64([3.0])
    with mg.GradientTape() as t:
        t.watch({"a": a, "rest": (b, [c])})
        y = a * b * c
    g = t.gradient(y, {"a": a, "rest": (b, [c])})
    assert set(g) == {"a", "rest"} and isinstance(g["rest"], tuple)
    assert isinstance(g["rest"][1], list)
    assert float(g["a"]) == 6.0 and float(g["rest"][0]) == 3.0 and float(g["rest"][1][0]) == 2.0


def test_multiple_targets_sum(backend):
    x = f64([2.0])
    with mg.GradientTape() as t:
        t.watch(x)
        y1, y2 = x * x, x * 3.0
    assert float(t.gradient([y1, y2], x)) == 7.0


def test_output_gradients_weight_the_target(backend):
    x = f64([1.0, 2.0])
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * x
    g = t.gradient(y, x, output_gradients=f64([10.0, 0.5]))
    np.testing.assert_array_equal(g.numpy(), [20.0, 2.0])


def test_output_gradients_shape_mismatch_is_a_clear_error(backend):
    x = f64([1.0, 2.0])
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * x
    with pytest.raises(ValueError, match=r"output_gradients entry of shape \(3,\) does not "
                                         r"match its target's shape \(2,\)"):
        t.gradient(y, x, output_gradients=f64([1.0, 1.0, 1.0]))


def test_bad_sources_and_targets_are_clear_errors(backend):
    x = f64([1.0])
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * 2.0
    with pytest.raises(TypeError, match="sources must be Tensors or Variables.*got str"):
        t.gradient(y, "x")
    with pytest.raises(TypeError, match="target must be a Tensor.*got float"):
        t.gradient(1.0, x)
    with pytest.raises(ValueError, match="unconnected_gradients must be 'none' or 'zero'"):
        t.gradient(y, x, unconnected_gradients="zeros")
    with pytest.raises(TypeError, match="GradientTape.watch expects Tensors"):
        t.watch(np.ones(2))


def test_stop_recording(backend):
    x = f64([2.0])
    with mg.GradientTape() as t:
        t.watch(x)
        with t.stop_recording():
            y = x * x             # not recorded
        z = x * 3.0 + y
    assert float(t.gradient(z, x)) == 3.0
    with pytest.raises(RuntimeError, match="only be used while the tape is recording"):
        with t.stop_recording():
            pass


def test_reset_forgets_everything(backend):
    x = f64([2.0])
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * x
        t.reset()
        t.watch(x)
        z = x * 5.0 + y       # y's recording is gone: it counts as a constant
    assert float(t.gradient(z, x)) == 5.0


def test_variables_are_watched_on_access(backend):
    v = mg.Variable(np.array([1.0, 2.0]))
    frozen = mg.Variable(np.array([3.0]), trainable=False)
    with mg.GradientTape() as t:
        y = mg.reduce_sum(v * v) + mg.reduce_sum(frozen)
    assert list(t.watched_variables()) == [v]
    gv, gf = t.gradient(y, [v, frozen])
    np.testing.assert_array_equal(gv.numpy(), [2.0, 4.0])
    assert gf is None


def test_watch_accessed_variables_false(backend):
    v = mg.Variable(np.array([1.0]))
    w = mg.Variable(np.array([2.0]))
    with mg.GradientTape(watch_accessed_variables=False) as t:
        t.watch(w)
        y = v * w
    assert list(t.watched_variables()) == [w]
    assert t.gradient(y, v) is None


def test_assign_after_recording_keeps_gradient_right(backend):
    v = mg.Variable(np.array([3.0]))
    with mg.GradientTape() as t:
        y = v * v
    v.assign([100.0])
    assert float(t.gradient(y, v)) == 6.0        # uses the value the tape saw
    assert float(y) == 9.0


def test_tapes_are_per_thread(backend):
    x = f64([2.0])
    results = {}

    def other_thread():
        # A tape recording in the main thread must not record ops of this thread.
        results["y"] = x * x

    with mg.GradientTape() as t:
        t.watch(x)
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        z = x * 3.0
    assert t.gradient(results["y"], x) is None
    assert float(z) == 6.0
