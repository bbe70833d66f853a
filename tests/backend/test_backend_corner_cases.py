"""Corner cases the strict Array API backend used to reject (run on every backend):
fmax/fmin with Python numbers, forward mode through the FFTs of real input, the gradient of
a real tensor cast to complex, mask selections on size-0 tensors."""

import numpy as np
import pytest

import multigrad as mg


def _grad(f, x0):
    x = mg.constant(x0)
    with mg.GradientTape() as t:
        t.watch(x)
        y = f(x)
    return t.gradient(y, x).numpy()


@pytest.mark.parametrize("op, np_op", [(mg.fmax, np.fmax), (mg.fmin, np.fmin)],
                         ids=["fmax", "fmin"])
@pytest.mark.parametrize("number", [0.5, 1, -2.0, float("nan")])
def test_fmax_fmin_with_python_numbers(backend, op, np_op, number):
    x0 = np.array([1.0, -2.0, np.nan, 0.5])
    x = mg.constant(x0)
    np.testing.assert_array_equal(op(x, number).numpy(), np_op(x0, number))
    np.testing.assert_array_equal(op(number, x).numpy(), np_op(number, x0))
    chosen = np.where(np.isnan(x0), 0.0, np.where(np_op(x0, number) == x0, 1.0, 0.0))
    if number == number:
        chosen = np.where(x0 == number, 0.5, chosen)       # ties split the gradient
    else:
        chosen = np.ones_like(x0)                          # a NaN number never wins
    np.testing.assert_array_equal(_grad(lambda t: mg.reduce_sum(op(t, number)), x0), chosen)
    np.testing.assert_array_equal(_grad(lambda t: mg.reduce_sum(op(number, t)), x0), chosen)


@pytest.mark.parametrize("name", ["fft", "ifft", "fftn", "ifftn", "rfftn", "fft2", "rfft"])
def test_forward_mode_through_ffts_of_real_input(backend, name):
    fn = getattr(mg.fft, name)
    x0 = np.arange(1.0, 7.0).reshape(2, 3) ** 1.5
    d0 = np.linspace(-1.0, 2.0, 6).reshape(2, 3)
    x = mg.constant(x0)
    with mg.ForwardAccumulator(x, mg.constant(d0)) as acc:
        y = fn(x * x)
    eps = 1e-6
    expected = (fn(mg.constant((x0 + eps * d0) ** 2)).numpy()
                - fn(mg.constant((x0 - eps * d0) ** 2)).numpy()) / (2 * eps)
    np.testing.assert_allclose(acc.jvp(y).numpy(), expected, atol=1e-6)


def test_gradient_of_a_real_tensor_cast_to_complex(backend):
    x0 = np.array([1.0, -2.0, 3.0])
    c = 1.5 - 2.0j
    g = _grad(lambda t: mg.reduce_sum(mg.real(mg.cast(t, mg.complex128) * c)), x0)
    np.testing.assert_allclose(g, np.full(3, c.real))
    assert g.dtype == np.float64
    g = _grad(lambda t: mg.reduce_sum(mg.abs(mg.cast(t, mg.complex64))), x0.astype(np.float32))
    np.testing.assert_allclose(g, np.sign(x0))
    assert g.dtype == np.float32


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0)])
def test_mask_selection_gradient_on_size_zero_tensors(backend, shape):
    x0 = np.zeros(shape)
    assert mg.constant(x0)[mg.constant(x0) > 0].shape == (0,)
    g = _grad(lambda t: mg.reduce_sum(t[t > 0] * 2.0), x0)
    assert g.shape == shape
    mask = mg.constant(np.zeros(shape[:1], dtype=bool))
    g = _grad(lambda t: mg.reduce_sum(t[mask] * 2.0), x0)
    assert g.shape == shape


def test_reductions_of_empty_tensors_of_several_blocks(backend):
    # roll of an empty axis leaves Dask two empty blocks; its tree reduction of them failed at
    # compute (a scalar factor in between), in the forward pass and in forward mode.
    x = mg.constant(np.zeros((0, 2, 0)))
    y = mg.roll(x, 1, axis=0) * 2.0
    assert float(mg.sum(y)) == 0.0
    assert mg.sum(y, axis=1).shape == (0, 0)
    assert mg.sum(y, axis=(0, 2)).numpy().tolist() == [0.0, 0.0]
    assert mg.prod(y, axis=0).numpy().tolist() == [[], []]
    assert mg.all(y > 1, axis=(0, 2)).numpy().tolist() == [True, True]
    assert mg.any(y > 1, axis=(0, 2)).numpy().tolist() == [False, False]
    with mg.ForwardAccumulator(x, mg.ones_like(x)) as acc:
        loss = mg.sum(mg.roll(x, 1, axis=0) * 2.0)
    assert float(acc.jvp(loss)) == 0.0
    assert _grad(lambda t: mg.sum(mg.roll(t, 1, axis=0) * 2.0), np.zeros((0, 2, 0))).shape == \
        (0, 2, 0)


def test_joining_empty_tensors_cut_differently(backend):
    # After roll, Dask's empty axis is in two empty chunks; stacking or concatenating it with
    # an empty array in one chunk failed at compute (differential test).
    x = mg.constant(np.ones((0, 1, 3)))
    rolled = mg.roll(x, 3, axis=0)
    assert mg.cross(rolled, x).numpy().shape == (0, 1, 3)
    assert mg.stack([rolled * x, x], axis=-1).numpy().shape == (0, 1, 3, 2)
    assert mg.concatenate([rolled * x, x], axis=1).numpy().shape == (0, 2, 3)
    assert mg.concatenate([rolled, x], axis=None).numpy().shape == (0,)
    assert _grad(lambda t: mg.sum(mg.cross(mg.roll(t, 3, axis=0), t)), np.ones((0, 1, 3))) \
        .shape == (0, 1, 3)
