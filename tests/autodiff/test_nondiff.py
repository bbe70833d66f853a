"""Ops without gradients work on Tensors and give a tape nothing (None)."""

import numpy as np
import pytest

import multigrad as mg

A = np.array([[0.5, -2.0, 3.0], [np.nan, 0.0, np.inf]])   # NaN wins arg-extrema, as in NumPy

NONDIFF = {
    "argmax": lambda x: mg.argmax(mg.nan_to_num(x), axis=1),
    "argmin": lambda x: mg.argmin(x, axis=-1, keepdims=True),
    "argmax-flat": mg.argmax,
    "equal": lambda x: x == 0.0, "less": lambda x: x < 1.0, "greater_equal": lambda x: x >= 0,
    "logical": lambda x: mg.logical_and(x > 0, ~(x < 2)) | mg.logical_xor(x > 0, x > 1),
    "isnan": mg.isnan, "isinf": mg.isinf, "isfinite": mg.isfinite,
    "count_nonzero": lambda x: mg.count_nonzero(x, axis=0),
    "any": lambda x: mg.any(x > 2, axis=1), "all": lambda x: mg.reduce_all(x > -3),
}
EXPECTED = {
    "argmax": [2, 2], "argmin": [[1], [0]], "argmax-flat": 3,
    "count_nonzero": [2, 1, 2], "any": [True, True], "all": False, "isnan": A != A,
}


@pytest.mark.parametrize("name", list(NONDIFF))
def test_results_carry_no_gradient(backend, name):
    x = mg.constant(A)
    with mg.GradientTape() as t:
        t.watch(x)
        with np.errstate(invalid="ignore"):
            r = NONDIFF[name](x)
        y = mg.sum(mg.cast(r, mg.float64)) * 2.0
    assert not r.dtype.is_floating
    assert t.gradient(y, x) is None
    if name in EXPECTED:
        np.testing.assert_array_equal(r.numpy(), EXPECTED[name])


def test_argmax_errors_are_specific(backend):
    with pytest.raises(TypeError, match="axis must be an int or None"):
        mg.argmax(mg.constant(A), axis=(0, 1))
    with pytest.raises(ValueError, match="empty tensor .* has no maximum"):
        mg.argmax(mg.constant(np.zeros((0,))))
