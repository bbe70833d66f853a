"""Small TensorFlow compatibilities: f-string formatting of Tensors, Variable names."""

import pytest

import multigrad as mg


def test_scalar_tensor_takes_a_format_spec(backend):
    loss = mg.reduce_mean(mg.constant([0.25, 0.5]))
    assert f"{loss:2.5f}" == "0.37500"
    assert f"{mg.constant(1234.5):,.1f}" == "1,234.5"
    assert f"{mg.constant(7):03d}" == "007"               # int32 formats as an int
    assert f"{mg.constant(0.1, dtype=mg.float64):.3e}" == "1.000e-01"
    assert f"{mg.Variable(2.5):>6.2f}" == "  2.50"      # Variables too


def test_empty_spec_is_str(backend):
    for t in (mg.constant(1.5), mg.constant([[1.0, 2.0], [3.0, 4.0]])):
        assert f"{t}" == str(t) == str(t.numpy())
        assert format(t) == str(t)


def test_format_spec_on_a_non_scalar_is_a_clear_error(backend):
    t = mg.constant([1.0, 2.0])
    with pytest.raises(TypeError, match=r"cannot format a tensor of shape \(2,\) with the format "
                                        r"spec '\.2f': only scalar \(0-d\) tensors take one"):
        f"{t:.2f}"
    with pytest.raises(TypeError, match=r"shape \(1,\)"):    # one element is not a scalar
        f"{mg.constant([1.0]):.2f}"


def test_variable_names_carry_the_output_suffix(backend):
    assert mg.Variable(1.0, name="w").name == "w:0"
    assert mg.Variable(1.0).name == "Variable:0"
    assert mg.Variable(2.0).name == "Variable:0"          # TF 2 eager: names are not uniquified
    v = mg.Variable([1.0, 2.0], name="kernel")
    assert mg.Variable(v, name=v.name).name == "kernel:0"  # a suffixed name is kept as given
    assert mg.Variable(1.0, name="a:b").name == "a:b:0"
    assert repr(v).startswith("<mg.Variable 'kernel:0' shape=(2,) dtype=float32")


def test_optimizer_messages_use_the_full_name(backend):
    w = mg.Variable([1.0], name="w")
    with pytest.warns(UserWarning, match="no gradient for variable 'w:0'"):
        mg.optimizers.SGD(0.1).apply_gradients([(None, w),
                                                (mg.constant([1.0]), mg.Variable([0.0]))])
