"""TensorFlow's names keep TensorFlow's result dtypes, NumPy's names NumPy's; a NumPy array
meeting a Tensor in an operator promotes as NumPy does (the rule README states); ``a += t``
on a NumPy array writes and rebinds; on every backend."""

import numpy as np
import pytest

import multigrad as mg


def _int(values, dtype="int32"):
    return mg.constant(np.array(values, dtype=dtype))


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "int16"])
def test_reduce_sum_and_prod_keep_integer_dtypes(backend, dtype):
    x = _int([[1, 2, 3], [4, 5, 6]], dtype)
    for f, ref in ((mg.reduce_sum, np.sum), (mg.reduce_prod, np.prod),
                   (mg.math.reduce_sum, np.sum), (mg.math.reduce_prod, np.prod)):
        for axis in (None, 0, -1, (0, 1)):
            out = f(x, axis=axis)
            assert out.dtype == mg.as_dtype(dtype), (f, axis)
            np.testing.assert_array_equal(out.numpy(), ref(x.numpy(), axis=axis).astype(dtype))
    assert mg.reduce_sum(x, axis=1, keepdims=True).shape == (2, 1)


def test_int32_sums_wrap_as_tf(backend):
    big = _int([2 ** 31 - 1, 1])
    assert mg.reduce_sum(big).dtype == mg.int32
    assert int(mg.reduce_sum(big)) == -2 ** 31           # int32 arithmetic, as TF


def test_reduce_mean_of_integers_is_the_truncated_integer_mean(backend):
    assert int(mg.reduce_mean(_int([1, 2]))) == 1         # TF's documented example
    assert mg.reduce_mean(_int([1, 2])).dtype == mg.int32
    assert int(mg.reduce_mean(_int([-1, -2]))) == -1      # toward zero, as C++ division
    out = mg.math.reduce_mean(_int([[1, 2, 4], [3, 3, -8]]), axis=1)
    np.testing.assert_array_equal(out.numpy(), [2, -0])
    assert mg.reduce_mean([1, 2, 4]).dtype == mg.int32    # Python ints are int32
    f = mg.reduce_mean(mg.constant([1.0, 2.0]))
    assert f.dtype == mg.float32 and float(f) == 1.5


def test_numpy_names_keep_numpys_rules(backend):
    x = _int([1, 2])
    assert mg.sum(x).dtype == mg.int64 and x.sum().dtype == mg.int64
    if backend.name != "array_api_strict":      # the standard has no mean of integers
        assert mg.mean(x).dtype == mg.float64 and float(mg.mean(x)) == 1.5
    assert mg.prod(x).dtype == mg.int64
    assert mg.cumsum(x).dtype == mg.int64


def test_math_cumsum_has_tf_defaults(backend):
    x = _int([[1, 2], [3, 4]])
    out = mg.math.cumsum(x)                               # TF: axis 0, int32 kept
    assert out.dtype == mg.int32
    np.testing.assert_array_equal(out.numpy(), [[1, 2], [4, 6]])
    np.testing.assert_array_equal(mg.math.cumsum(x, axis=1, exclusive=True, reverse=True)
                                  .numpy(), [[2, 0], [4, 0]])
    np.testing.assert_array_equal(mg.math.cumprod(x).numpy(), [[1, 2], [3, 8]])
    np.testing.assert_array_equal(mg.cumsum(x).numpy(), [1, 3, 6, 10])   # NumPy flattens
    v = mg.Variable([1.0, 2.0, 3.0], dtype=mg.float64)
    with mg.GradientTape() as tape:
        y = mg.reduce_sum(mg.math.cumsum(v) * mg.constant([1.0, 10.0, 100.0], mg.float64))
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [111.0, 110.0, 100.0])


def test_float_reductions_are_unchanged_and_differentiable(backend):
    v = mg.Variable([1.0, 2.0, 4.0])
    with mg.GradientTape(persistent=True) as tape:
        s, m, p = mg.reduce_sum(v * v), mg.reduce_mean(v), mg.reduce_prod(v)
    np.testing.assert_allclose(tape.gradient(s, v).numpy(), [2.0, 4.0, 8.0])
    np.testing.assert_allclose(tape.gradient(m, v).numpy(), [1 / 3] * 3, rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(p, v).numpy(), [8.0, 4.0, 2.0])
    assert s.dtype == m.dtype == p.dtype == mg.float32


def test_ndarray_meets_tensor_promotes_as_numpy(backend):
    # The rule (README): a NumPy array is data with its own dtype, as for mg.constant, so
    # float64 data times a float32 tensor is float64 (TF would cast the array to float32).
    t = mg.constant([1.5, 2.5], dtype=mg.float32)
    a = np.array([0.1, 0.2])
    if backend.name != "numpy":
        with pytest.raises(mg.BackendMismatchError, match="mg.to_backend"):
            a * t
        return
    for out in (a * t, t * a, np.multiply(a, t)):
        assert isinstance(out, mg.Tensor) and out.dtype == mg.float64
        np.testing.assert_array_equal(out.numpy(), a * np.array([1.5, 2.5], np.float32))
    assert (np.float32(2.0) * t).dtype == mg.float32        # same kind, same width
    assert (2.0 * t).dtype == mg.float32                    # Python floats adapt (TF)


def test_ndarray_in_place_operator_writes_and_rebinds(backend):
    x = mg.Variable([1.0, 2.0], dtype=mg.float64)
    norm = np.zeros(())
    alias = norm
    if backend.name != "numpy":
        with pytest.raises(mg.BackendMismatchError, match="mg.to_backend"):
            norm += mg.reduce_sum(x * x)
        return
    with mg.GradientTape() as tape:
        norm += mg.math.reduce_sum(x * x)       # the textbook's gradient clipping
        root = mg.sqrt(norm)
    assert isinstance(norm, mg.Tensor) and float(norm) == 5.0
    assert float(alias) == 5.0                  # the array itself is written, as NumPy
    np.testing.assert_allclose(tape.gradient(root, x).numpy(), np.array([1.0, 2.0]) / 5 ** .5)
    ints = np.zeros(2, dtype=np.int64)
    with pytest.raises(TypeError, match="same_kind"):
        ints += x                               # NumPy's casting rule, as NumPy raises


def test_reduce_of_bool_is_refused_as_tf_does(backend):
    # TF's Sum/Prod/Mean kernels take no bool; NumPy's sum counts the True entries.
    mask = mg.constant([True, False, True])
    for name in ("reduce_sum", "reduce_prod", "reduce_mean"):
        with pytest.raises(TypeError, match=rf"mg.{name}: bool tensors are not reduced "
                                            rf"arithmetically \(as in TensorFlow\); cast first"):
            getattr(mg, name)(mask)
        assert getattr(mg.math, name) is getattr(mg, name)
    assert int(mg.reduce_sum(mg.cast(mask, mg.int32))) == 2
    if backend.name != "array_api_strict":        # (the standard sums numbers only)
        assert int(mg.sum(mask)) == 2             # the NumPy name counts, as NumPy's
