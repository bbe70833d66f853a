"""Writes, adds and gathers that select nothing, on every backend (FINDINGS.md F6, F14).

NumPy adds and writes nothing where an index selects nothing, broadcasting the values into
the empty selection; the gradients are zeros of the inputs' shapes. Dask refused these in
its ``__setitem__`` and reshapes (ValueError, NotImplementedError).
"""

import numpy as np
import pytest

import multigrad as mg

EMPTY_INT = np.array([], dtype=np.int64)


def _numpy_add(x, index, values):
    out = x.copy()
    np.add.at(out, index, values)
    return out


def _numpy_update(x, index, values):
    out = x.copy()
    out[index] = values
    return out


CASES = [        # (x shape, index, values shape)
    ((3, 3), np.s_[1:1], (3,)),                 # an empty slice, values broadcast into it
    ((0, 3), np.s_[:], (3,)),                   # an empty x
    ((3, 3), EMPTY_INT, (3,)),                  # an empty integer index
    ((3, 3, 1), EMPTY_INT, (0, 3, 1)),          # ... with empty values
    ((3, 3), np.array([False, False, False]), (3,)),   # a mask that selects nothing
    ((2, 0), np.s_[:, EMPTY_INT], ()),
]


@pytest.mark.parametrize("shape, index, values_shape", CASES, ids=lambda v: str(v)[:20])
def test_index_add_and_update_into_an_empty_selection(backend, shape, index, values_shape):
    data = np.arange(float(np.prod(shape))).reshape(shape)
    v = np.full(values_shape, 5.0)
    x, values = mg.constant(data), mg.constant(v)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch([x, values])
        added = mg.index_add(x, index, values)
        updated = mg.index_update(x, index, values)
        loss = mg.sum(added * updated)
    np.testing.assert_array_equal(added.numpy(), _numpy_add(data, index, v))
    np.testing.assert_array_equal(updated.numpy(), _numpy_update(data, index, v))
    gx, gv = tape.gradient(loss, [x, values])
    np.testing.assert_array_equal(gx.numpy(), 2 * data)      # d sum(x * x) / dx
    np.testing.assert_array_equal(gv.numpy(), np.zeros(values_shape))


@pytest.mark.parametrize("shape, take", [
    ((3, 0), lambda x: mg.take(x, np.array([0, 2]), axis=0)),
    ((3, 0), lambda x: x[np.array([0, 2, 2])]),
    ((0, 3), lambda x: x[:, np.array([0, 2])]),
    ((2, 3, 0), lambda x: x[np.array([1]), np.array([0, 2])]),
    ((0, 3), lambda x: mg.take(x, EMPTY_INT, axis=1)),
    ((3, 0), lambda x: mg.repeat(x, 2, axis=0)),
    ((0, 2), lambda x: mg.repeat(x, np.array([1, 3]), axis=1)),
], ids=lambda v: str(v) if isinstance(v, tuple) else "")
def test_gradient_of_integer_indexing_of_an_empty_array(backend, shape, take):
    # F6: the scatter-add of the gradient failed on Dask when the array had a 0-length axis.
    x = mg.constant(np.zeros(shape))
    with mg.GradientTape() as tape:
        tape.watch(x)
        loss = mg.sum(take(x) ** 2)
    g = tape.gradient(loss, x)
    assert g.shape == shape
    _, jvp = mg.jvp(lambda t: mg.sum(take(t) ** 2), (x,), (mg.ones_like(x),))
    assert float(jvp) == 0.0


def test_a_mask_over_an_empty_array_keeps_its_true_entries(backend):
    data = np.zeros((2, 0))
    x = mg.constant(data)
    for mask in ([True, False], [True, True], [False, False]):
        mask = np.array(mask)
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = x[mask]
            loss = mg.sum(y * 2.0)
        assert y.shape == data[mask].shape             # (count, 0), not (0, 0)
        assert tape.gradient(loss, x).shape == (2, 0)


@pytest.mark.parametrize("shape, axis", [((0, 0, 0), 0), ((2, 0), 1), ((0, 3), 0)])
def test_sort_and_argsort_of_an_empty_array(backend, shape, axis):
    # Dask's argsort divided by a chunk size of 0 (FINDINGS.md, F14).
    x = mg.constant(np.zeros(shape))
    assert mg.argsort(x, axis=axis).shape == shape
    with mg.GradientTape() as tape:
        tape.watch(x)
        loss = mg.sum(mg.sort(x, axis=axis) ** 2)
    assert tape.gradient(loss, x).shape == shape


def test_empty_values_into_a_selection_that_is_not_empty_raise(backend):
    # NumPy cannot broadcast (0,) to (2,); Dask used to return x unchanged.
    x = mg.constant(np.arange(3.0))
    with pytest.raises(ValueError, match=r"mg.index_update: .*broadcast.*\(0,\).*\(2,\)"):
        mg.index_update(x, [0, 1], mg.constant(np.zeros(0)))
