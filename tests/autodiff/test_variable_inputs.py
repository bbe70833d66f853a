"""Every op of the gradient tables, given Variables instead of Tensors: the gradient
reaches the Variables and equals the one for watched Tensors (an op that converts a
Variable into a new Tensor would cut it off: the tape would return None)."""

import numpy as np
import pytest

import multigrad as mg

from ops import (test_fft, test_linalg, test_math_grad, test_nn, test_ops_grad, test_ops_structure,
                 test_reductions_grad)
from optable import core_sweep_row, ids

TABLES = (test_math_grad, test_ops_grad, test_ops_structure, test_reductions_grad, test_nn,
          test_linalg, test_fft)
CASES = [case for table in TABLES for case in table.CASES]


def _gradients(fn, sources, watch):
    with mg.GradientTape() as tape:
        if watch:
            tape.watch(sources)
        out = fn(*sources)
    return tape.gradient(out, sources)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_gradient_reaches_variable_inputs(backend, case):
    core_sweep_row(backend, CASES, case)
    args = case.args(backend)
    expected = _gradients(case.fn, args, watch=True)
    got = _gradients(case.fn, [mg.Variable(a) for a in args], watch=False)
    for k, (g, e) in enumerate(zip(got, expected)):
        assert (g is None) == (e is None), f"input {k}: gradient {g} for a Variable, {e} " \
                                           f"for a Tensor"
        if e is not None:
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("op", [mg.nan_to_num, mg.identity, mg.reduce_sum])
def test_nan_to_num_and_friends_of_a_variable(backend, op):
    w = mg.Variable([0.8, -1.5])
    with mg.GradientTape() as tape:
        y = mg.reduce_sum(op(w) * 3)
    np.testing.assert_array_equal(tape.gradient(y, w).numpy(), [3., 3.])
