"""cumprod with zeros in its input: first and second order exact (against the explicit
products and float64 finite differences of them)."""

import numpy as np
import pytest

import multigrad as mg


def _reference_grad(x, w):
    """d/dx of sum(w * c + c**2) (c = cumprod(x) along the last axis), from explicit
    products."""
    c = np.cumprod(x, axis=-1)
    dc = w + 2 * c
    out = np.zeros_like(x)
    n = x.shape[-1]
    for j in range(n):
        for k in range(j, n):
            others = np.prod(np.delete(x[..., :k + 1], j, axis=-1), axis=-1)
            out[..., j] += dc[..., k] * others
    return out


def _loss(x, w):
    c = mg.cumprod(x, axis=-1)
    return mg.reduce_sum(w * c + c ** 2)


INPUTS = {
    "one-zero": [1.5, 0.0, -2.0, 0.5],
    "two-zeros": [1.5, 0.0, -2.0, 0.0, 3.0],
    "adjacent-zeros": [0.7, 0.0, 0.0, 2.0],
    "zero-first": [0.0, 1.2, -0.8],
    "zero-last": [2.0, -1.0, 0.0],
    "three-zeros": [0.0, 2.0, 0.0, 1.1, 0.0, 0.5],
    "rows": [[1.5, 0.0, -2.0, 0.5], [0.0, 1.0, 0.0, 2.0]],
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_cumprod_first_and_second_order_with_zeros(backend, name):
    x0 = np.array(INPUTS[name])
    rng = np.random.default_rng(len(name))
    w = rng.standard_normal(x0.shape)
    d = rng.standard_normal(x0.shape)
    x = mg.constant(x0)
    with mg.GradientTape() as outer:
        outer.watch(x)
        with mg.GradientTape() as inner:
            inner.watch(x)
            loss = _loss(x, mg.constant(w))
        g = inner.gradient(loss, x)
        gd = mg.reduce_sum(g * mg.constant(d))
    hd = outer.gradient(gd, x).numpy()
    np.testing.assert_allclose(g.numpy(), _reference_grad(x0, w), atol=1e-12)
    eps = 1e-6
    expected = (_reference_grad(x0 + eps * d, w) - _reference_grad(x0 - eps * d, w)) / (2 * eps)
    np.testing.assert_allclose(hd, expected, atol=1e-6)      # H is symmetric: H d
