"""tape.jacobian: the memory guard (says why, before the tape is used) and the chunked mode
(parallel_iterations=K rows of the one-hot seed per backward pass)."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.autodiff import jacobian_chunks


def _f(x, w):
    return mg.sin(x) * mg.reduce_sum(x * w) + w ** 2 * x[:, :1]


def _jac(chunk=None, unconnected="none"):
    x = mg.constant(np.arange(6.0).reshape(3, 2) * 0.3)
    w = mg.Variable(np.linspace(-1, 1, 6).reshape(3, 2))
    lonely = mg.constant(np.ones(2))
    with mg.GradientTape(watch_accessed_variables=True) as t:
        t.watch([x, lonely])
        y = _f(x, w)
    return t.jacobian(y, [x, w, lonely], parallel_iterations=chunk,
                      unconnected_gradients=unconnected)


@pytest.mark.parametrize("chunk", [1, 2, 4, 6, 50])
def test_chunked_jacobian_equals_one_pass(backend, chunk):
    full = _jac()
    pieces = _jac(chunk)
    for a, b in zip(full[:2], pieces[:2]):
        assert b.shape == a.shape == (3, 2, 3, 2)
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-12, atol=1e-12)
    assert full[2] is None and pieces[2] is None
    np.testing.assert_array_equal(_jac(chunk, "zero")[2].numpy(), np.zeros((3, 2, 2)))


def test_chunked_jacobian_is_differentiable(backend):
    def total(chunk):
        x = mg.constant(np.array([0.3, -1.2, 2.0]))
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as inner:
                inner.watch(x)
                y = mg.sin(x) * mg.reduce_sum(x ** 2)
            s = mg.reduce_sum(inner.jacobian(y, x, parallel_iterations=chunk) ** 2)
        return outer.gradient(s, x).numpy()
    np.testing.assert_allclose(total(2), total(None), rtol=1e-12)


def test_huge_jacobian_is_refused_with_the_estimate(backend):
    x = mg.constant(np.zeros(70000))
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * 2.0
    with pytest.raises(MemoryError) as info:
        t.jacobian(y, x)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    for part in ("73 GiB", "target size 70000", "source sizes 70000", "itemsize 8 B",
                 "float64", "4 GiB limit", "parallel_iterations="):
        assert part in message, (part, message)


def test_refused_jacobian_leaves_the_tape_usable_in_pieces(backend, monkeypatch):
    monkeypatch.setattr(jacobian_chunks, "MEMORY_LIMIT_BYTES", 1000)
    x = mg.constant(np.arange(1.0, 13.0))
    with mg.GradientTape() as t:              # not persistent
        t.watch(x)
        y = mg.cumsum(x) * x
    with pytest.raises(ValueError, match="parallel_iterations=5 "):
        t.jacobian(y, x)                      # 12 x (12 + 12) x 8 B = 2304 B > 1000 B
    j = t.jacobian(y, x, parallel_iterations=5).numpy()
    x0 = np.arange(1.0, 13.0)
    expected = np.diag(np.cumsum(x0)) + np.tril(np.ones((12, 12))) * x0[:, None]
    np.testing.assert_allclose(j, expected, rtol=1e-12)


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "4"])
def test_bad_chunk_size_is_explained(backend, bad):
    x = mg.constant(np.ones(3))
    with mg.GradientTape() as t:
        t.watch(x)
        y = x * 2.0
    with pytest.raises(ValueError, match="parallel_iterations .* must be a positive int"):
        t.jacobian(y, x, parallel_iterations=bad)


@pytest.mark.parametrize("n, m", [(1, 6), (2, 3), (3, 2), (5, 5), (1, 1), (0, 3)])
def test_rectangular_eye(backend, n, m):
    np.testing.assert_array_equal(mg.eye(n, m).numpy(), np.eye(n, m))
