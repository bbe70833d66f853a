"""Issue 22's items outside linear algebra: each case gave a wrong number, shape or a
silent acceptance; each test here fails without its fix."""

import numpy as np
import pytest

import multigrad as mg


def _grad_and_second(f, a, backend):
    x = mg.to_backend(np.asarray(a, dtype=float), backend)
    with mg.GradientTape() as outer:
        outer.watch(x)
        with mg.GradientTape() as inner:
            inner.watch(x)
            y = mg.reduce_sum(f(x))
        g = inner.gradient(y, x)
        gg = mg.reduce_sum(g)
    return y, g.numpy(), outer.gradient(gg, x, unconnected_gradients="zero").numpy()


# --- 6. std over one element ------------------------------------------------------------

@pytest.mark.parametrize("name, f, a", [
    ("std-0d", mg.std, 2.0),
    ("std-axis-of-one", lambda x: mg.std(x, axis=1), [[2.0], [5.0]]),
    ("std-keepdims", lambda x: mg.std(x, axis=0, keepdims=True), [[2.0, 3.0]]),
    ("reduce_std", lambda x: mg.math.reduce_std(x, axis=-1), [[1.0]]),
    ("nanstd-one-left", lambda x: mg.nanstd(x, axis=1), [[2.0, np.nan], [7.0, np.nan]]),
])
def test_std_of_one_element_has_gradient_zero(backend, name, f, a):
    y, g, gg = _grad_and_second(f, a, backend)
    assert float(y) == 0.0
    np.testing.assert_array_equal(g, np.zeros_like(g))
    np.testing.assert_array_equal(gg, np.zeros_like(gg))


def test_nanstd_mixes_one_element_and_longer_slices(backend):
    y, g, _ = _grad_and_second(lambda x: mg.nanstd(x, axis=1),
                               [[2.0, np.nan], [1.0, 3.0]], backend)
    np.testing.assert_allclose(g, [[0.0, 0.0], [-0.5, 0.5]])
