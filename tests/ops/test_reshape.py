"""reshape to any shape of the same size, values and gradient, on every backend.

Dask reshapes only by merging or splitting axes evenly for the chunks at hand: (2, 3) to
(3, 2) with 2-element chunks raised NotImplementedError, and reshapes of size-0 arrays
raised too (the test matrix cuts Dask arrays into 2-element chunks).
"""

import numpy as np
import pytest

import multigrad as mg


@pytest.mark.parametrize("source, target", [
    ((2, 3), (3, 2)),          # neither a merge nor a split of axes
    ((3, 4, 5), (5, 4, 3)),
    ((5, 7), (7, 5)),
    ((2, 3), (1, 3, 2, 1)),
    ((4, 6), (3, -1)),
    ((0, 3), (3, 0)),          # size 0
    ((2, 0, 4), (0, 4, 5)),
    ((0, 3, 1), (-1,)),
    ((2, 0, 4), (-1, 4)),
], ids=str)
def test_reshape_values_and_gradient(backend, source, target):
    data = np.arange(float(np.prod(source))).reshape(source) - 2.5
    want = data.reshape(target)
    weights = np.arange(float(want.size)).reshape(want.shape)
    x = mg.constant(data)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.reshape(x, target)
        loss = mg.sum(y * mg.constant(weights))
    assert y.shape == want.shape
    np.testing.assert_array_equal(y.numpy(), want)
    np.testing.assert_array_equal(tape.gradient(loss, x).numpy(), weights.reshape(source))
