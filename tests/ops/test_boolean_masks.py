"""Boolean masks on every backend: values, gradients and forward mode after ``x[mask]``.

Dask used to leave the sizes of a selection unknown (NaN): two selections added
elementwise were paired block by block (wrong values, no error), and reductions, reshapes,
``mg.jvp`` and ``ForwardAccumulator`` after a mask raised (FINDINGS.md, F13). Masks are now
brought to the host when indexing (``index_mask``), so every size is known.
"""

import numpy as np
import pytest

import multigrad as mg

DATA = np.arange(12.0).reshape(3, 4) - 5.5
M1 = np.array([True, True, False, False])
M2 = np.array([True, False, True, False])


def test_two_selections_add_element_by_element(backend):
    x = mg.constant(np.arange(4.0))
    # Same count, different positions per 2-element block: blocks must not be paired.
    np.testing.assert_array_equal((x[M1] + x[M2]).numpy(), [0.0, 3.0])
    np.testing.assert_array_equal((x[x < 2] + x[mg.constant(M2)]).numpy(), [0.0, 3.0])
    a, b = mg.nonzero(mg.constant(M1))[0], mg.nonzero(mg.constant(M2))[0]
    np.testing.assert_array_equal((a + b).numpy(), [0, 3])


@pytest.mark.parametrize("index", [
    DATA > 0,                                            # over every axis
    (slice(None), M1),                                   # after a slice
    np.array([True, False, True]),                       # the first axis only
    (np.array([True, False, True]), slice(1, 3)),        # before a slice
], ids=["all-axes", "after-slice", "first-axis", "before-slice"])
def test_selection_shape_values_and_gradient_match_numpy(backend, index):
    x = mg.constant(DATA)
    want = DATA[index]
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x[index]
        # the selection meets broadcasting and a reduction (sum's VJP broadcasts back)
        loss = mg.sum(y * mg.constant(np.float64(3.0)) + mg.sum(y) * y)
    assert y.shape == want.shape
    np.testing.assert_allclose(y.numpy(), want)
    expected = np.zeros_like(DATA)
    expected[index] = 3.0 + 2 * want.sum()
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), expected)


def test_reshape_and_fft_after_a_mask(backend):
    x = mg.constant(DATA)
    y = x[DATA > 0]
    np.testing.assert_allclose(mg.reshape(y, (-1, 1)).numpy(), DATA[DATA > 0][:, None])
    np.testing.assert_allclose(mg.fft.fft(y).numpy(), np.fft.fft(DATA[DATA > 0]))


def test_jvp_and_forward_accumulator_after_a_mask(backend):
    x = mg.constant(np.array([[-1.9, -0.9]]))
    mask = np.array([[True, False]])
    _, jvp = mg.jvp(lambda x: x[mask] ** 2, (x,), (x,))
    np.testing.assert_allclose(jvp.numpy(), [2 * 1.9 * 1.9])
    with mg.ForwardAccumulator(x, mg.constant(np.array([[1.0, 5.0]]))) as acc:
        y = mg.sum(x[mask] * x[mask])
    np.testing.assert_allclose(acc.jvp(y).numpy(), 2 * -1.9)


def test_index_add_and_update_with_a_mask_of_the_first_axis(backend):
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    x, mask, row = mg.constant(data), np.array([False, True]), np.array([[10.0, 20.0]])
    added, updated = data.copy(), data.copy()
    added[mask] += row
    updated[mask] = row
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = mg.index_add(x, mask, mg.constant(row))
        u = mg.index_update(x, mask, mg.constant(row))
    np.testing.assert_array_equal(a.numpy(), added)
    np.testing.assert_array_equal(u.numpy(), updated)
    np.testing.assert_array_equal(tape.gradient(a, x).numpy(), np.ones((2, 2)))
    np.testing.assert_array_equal(tape.gradient(u, x).numpy(), [[1.0, 1.0], [0.0, 0.0]])
