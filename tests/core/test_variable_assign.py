"""Variable.assign* never silently corrupts state: other backends' values and lossy dtype
conversions raise; host data converts as for mg.constant."""

import numpy as np
import pytest

import multigrad as mg

ASSIGNS = ["assign", "assign_add", "assign_sub"]


def other_backend(backend):
    # Not numpy: its raw arrays are host data, converted like Python lists (tested below).
    return "array_api_strict" if backend.name != "array_api_strict" else "dask"


@pytest.mark.parametrize("what", ASSIGNS)
def test_another_backends_tensor_or_array_is_refused(backend, what):
    other = other_backend(backend)
    if other not in [b["name"] for b in mg.list_backends() if b["available"]]:
        pytest.skip(f"{other} is not available here")
    v = mg.Variable([1.0, 2.0], name="w")
    foreign = mg.to_backend(mg.constant([3.0, 4.0], backend=backend), other)
    msg = (rf"Variable.{what}: the value lives on backend '{other}' but variable 'w:0' lives on "
           rf"'{backend.name}'; move it first: mg.to_backend\(value, '{backend.name}'\)")
    for value in (foreign, foreign._value):         # a Tensor or the raw array
        with pytest.raises(mg.BackendMismatchError, match=msg):
            getattr(v, what)(value)
    if backend.name != "numpy":
        with pytest.raises(mg.BackendMismatchError, match="lives on backend 'numpy'"):
            getattr(v, what)(mg.to_backend(foreign, "numpy"))   # a numpy *Tensor* is not data
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert v.backend is backend
    getattr(v, what)(mg.to_backend(foreign, backend.name))       # the remedy works


@pytest.mark.parametrize("what", ASSIGNS)
def test_host_data_converts_as_for_constant(backend, what):
    v = mg.Variable(np.array([1.0, 2.0]))                        # float64
    getattr(v, what)(np.array([0.1, 0.2]))                       # NumPy: host data
    getattr(v, what)([0.1, 0.2])                                 # Python floats: exact
    sign = {"assign": 0, "assign_add": 1, "assign_sub": -1}[what]
    expected = np.array([0.1, 0.2]) if not sign else \
        np.array([1.0, 2.0]) + sign * np.array([0.1, 0.2]) + sign * np.array([0.1, 0.2])
    np.testing.assert_array_equal(v.numpy(), expected)
    assert v.backend is backend and v.dtype == mg.float64
    i = mg.Variable([1, 2])
    getattr(i, what)([3.0, 4.0])                                 # integral floats are fine
    getattr(i, what)(np.array([1, 1], dtype=np.int64))
    assert i.dtype == mg.int32


@pytest.mark.parametrize("what", ASSIGNS)
def test_lossy_dtype_conversions_raise(backend, what):
    i = mg.Variable([1, 2], name="count")
    trunc = (rf"Variable.{what}: float data with a fractional part \(or inf/nan\) cannot be "
             rf"assigned to int32 variable 'count:0': it would be truncated")
    for value in ([1.5, 2.0], np.array([0.0, 2.25]), 2.5, [float("nan"), 1.0], [np.inf, 1.0]):
        with pytest.raises(TypeError, match=trunc):
            getattr(i, what)(value)
    tensor = (rf"Variable.{what}: cannot assign float32 values to int32 variable 'count:0': "
              rf"converting would lose information; cast explicitly with "
              rf"mg.cast\(value, 'int32'\)")
    with pytest.raises(TypeError, match=tensor):
        getattr(i, what)(mg.constant([3.0, 4.0]))                # even integral: like TF
    np.testing.assert_array_equal(i.numpy(), [1, 2])
    f = mg.Variable([1.0, 2.0], name="f")
    with pytest.raises(TypeError, match=r"cannot assign complex128 values to float32 "
                                        r"variable 'f:0'"):
        getattr(f, what)([1j, 2.0])
    with pytest.raises(TypeError, match="cannot assign float32 values to bool variable 'b:0'"):
        getattr(mg.Variable([True], name="b"), what)(mg.constant([1.0]))
    np.testing.assert_array_equal(f.numpy(), [1.0, 2.0])


def test_widening_and_same_kind_casts_still_work(backend):
    f = mg.Variable([1.0, 2.0])                                  # float32
    f.assign(mg.constant([1, 2], dtype="int32"))
    f.assign_add(mg.constant(np.array([0.5, 0.5])))              # float64 -> float32
    np.testing.assert_array_equal(f.numpy(), np.array([1.5, 2.5], dtype=np.float32))
    assert f.dtype == mg.float32


def test_the_constructor_refuses_lossy_initial_values_too(backend):
    with pytest.raises(TypeError, match=r"Variable: float data with a fractional part \(or "
                                        r"inf/nan\) cannot be assigned to int32 variable 'n:0'"):
        mg.Variable(2.7, dtype="int32", name="n")
    with pytest.raises(TypeError, match="Variable: cannot assign float32 values to int32 "
                                        "variable 'm:0'"):
        mg.Variable(mg.constant([1.0]), dtype="int32", name="m")
    with pytest.raises(TypeError, match="cannot assign complex128 values to float64"):
        mg.Variable([1j], dtype="float64")
    assert mg.Variable([2.0, 3.0], dtype="int32").numpy().tolist() == [2, 3]
    assert int(mg.Variable(2 ** 40, dtype="int64")) == 2 ** 40
    assert float(mg.Variable(0.1, dtype="float64")) == 0.1                 # no float32 detour
