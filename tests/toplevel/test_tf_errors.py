"""``mg.errors``: TensorFlow's error classes, raised where TF raises them, each still the
built-in exception multigrad raised before (so ``except ValueError`` keeps working)."""

import pickle

import numpy as np
import pytest

import multigrad as mg
from multigrad import errors


def test_the_classes_and_codes_are_tensorflows():
    e = mg.errors
    expected = {"CancelledError": 1, "UnknownError": 2, "InvalidArgumentError": 3,
                "DeadlineExceededError": 4, "NotFoundError": 5, "AlreadyExistsError": 6,
                "PermissionDeniedError": 7, "ResourceExhaustedError": 8,
                "FailedPreconditionError": 9, "AbortedError": 10, "OutOfRangeError": 11,
                "UnimplementedError": 12, "InternalError": 13, "UnavailableError": 14,
                "DataLossError": 15, "UnauthenticatedError": 16}
    for name, code in expected.items():
        cls = getattr(e, name)
        assert issubclass(cls, e.OpError) and cls.error_code == code, name
        assert e.exception_type_from_error_code(code) is cls
        assert e.error_code_from_exception_type(cls) == code
    assert e.INVALID_ARGUMENT == 3 and e.OK == 0 and e.UNAUTHENTICATED == 16
    assert e.error_code_from_exception_type(ValueError) == e.UNKNOWN


def test_builtin_bases_keep_old_except_clauses_working():
    e = mg.errors
    assert issubclass(e.InvalidArgumentError, ValueError)
    assert issubclass(e.InvalidIndexError, IndexError)
    assert issubclass(e.InvalidIndexError, e.InvalidArgumentError)
    assert issubclass(e.ResourceExhaustedError, MemoryError)
    assert issubclass(e.UnimplementedError, NotImplementedError)
    assert issubclass(e.NotFoundError, LookupError)
    assert issubclass(e.InternalError, RuntimeError)


def test_constructed_as_in_tensorflow():
    err = mg.errors.InvalidArgumentError(None, None, "bad value")
    assert str(err) == "bad value" and err.message == "bad value"
    assert err.op is None and err.node_def is None and err.error_code == 3
    assert err.experimental_payloads() == {}
    short = mg.errors.NotFoundError("no such file")
    assert str(short) == "no such file" and short.error_code == 5
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is mg.errors.InvalidArgumentError and str(back) == "bad value"
    with pytest.raises(mg.errors.OpError, match="bad value"):
        raise err


def test_reshape_to_an_impossible_size(backend):
    x = mg.reshape(mg.range(30), (3, 2, 5))
    with pytest.raises(mg.errors.InvalidArgumentError,
                       match="cannot reshape a tensor of 30 elements into shape"):
        mg.reshape(x, [7, -1])
    with pytest.raises(ValueError):      # still a ValueError
        mg.reshape(x, [4, 4])


def test_shapes_that_do_not_broadcast(backend):
    a, b = mg.constant([1.0, 2.0]), mg.constant([1.0, 2.0, 3.0])
    with pytest.raises(mg.errors.InvalidArgumentError, match=r"mg.add: .*shape \(2,\)"):
        a + b
    with pytest.raises(ValueError):
        mg.matmul(mg.ones((2, 3)), mg.ones((2, 3)))
    with pytest.raises(mg.errors.InvalidArgumentError):
        mg.matmul(mg.ones((2, 3)), mg.ones((2, 3)))


def test_indices_out_of_range(backend):
    x = mg.constant([1.0, 2.0, 3.0])
    with pytest.raises(mg.errors.InvalidArgumentError, match="index 5 is out of bounds"):
        mg.gather(x, [0, 5])
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        x[3]
    with pytest.raises(mg.errors.InvalidArgumentError):
        x[3]
    with pytest.raises(mg.errors.InvalidArgumentError, match="index 4 is out of bounds"):
        mg.gather_nd(x, [[4]])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_check_numerics_raises_invalid_argument(backend):
    mg.debugging.enable_check_numerics()
    try:
        with pytest.raises(mg.errors.InvalidArgumentError, match="mg.log produced -inf"):
            mg.log(mg.constant([0.0, 1.0]))
        with pytest.raises(FloatingPointError):
            mg.log(mg.constant([0.0, 1.0]))
    finally:
        mg.debugging.disable_check_numerics()
    err = mg.debugging.NumericsError("m", "log", "forward", "inf")
    back = pickle.loads(pickle.dumps(err))
    assert (back.op, back.pass_, back.kind, str(back)) == ("log", "forward", "inf", "m")


def test_jacobian_memory_guard_is_resource_exhausted(backend):
    x = mg.constant(np.zeros(70000))
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * 2.0
    with pytest.raises(mg.errors.ResourceExhaustedError, match="would need at least"):
        t.jacobian(y, x)


def test_other_errors_keep_their_types(backend):
    # What TF also reports as TypeError / AxisError stays so (not every ValueError is TF's).
    with pytest.raises(mg.AxisError):
        mg.sum(mg.ones((2,)), axis=3)
    assert errors.AxisError is mg.AxisError and mg.errors is errors
