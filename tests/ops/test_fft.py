"""mg.fft: real inputs through the op table (orders 1 and 2), complex inputs against finite
differences on real and imaginary parts (TensorFlow's convention: dL/dx + i dL/dy)."""

import numpy as np
import pytest

import multigrad as mg

from optable import Case, table_tests

F = mg.fft


def parts(z):
    """A real tensor mixing the real and imaginary parts of a complex result."""
    return mg.real(z) + mg.imag(z) * 0.7


CASES = [
    Case("fft-real-input", lambda x: parts(F.fft(x)), [(2, 5)]),
    Case("fft-n-pad-ortho", lambda x: parts(F.fft(x, n=6, axis=0, norm="ortho")), [(4, 2)]),
    Case("fft-n-crop-forward", lambda x: parts(F.fft(x, n=3, norm="forward")), [(5,)]),
    Case("ifft-real-input", lambda x: parts(F.ifft(x, n=5)), [(2, 4)]),
    Case("fft2", lambda x: parts(F.fft2(x)), [(2, 3, 4)]),
    Case("ifft2-s", lambda x: parts(F.ifft2(x, s=(2, 5))), [(3, 3)]),
    Case("fftn-axes", lambda x: parts(F.fftn(x, axes=(0, 2))), [(2, 3, 2)]),
    Case("ifftn-size1", lambda x: parts(F.ifftn(x)), [(1, 3)]),
    Case("rfft", lambda x: parts(F.rfft(x)), [(3, 6)]),
    Case("rfft-odd-n", lambda x: parts(F.rfft(x, n=7, axis=0)), [(5, 2)]),
    Case("rfft2", lambda x: parts(F.rfft2(x, norm="ortho")), [(4, 4)]),
    Case("rfftn-s", lambda x: parts(F.rfftn(x, s=(3, 4))), [(2, 3, 5)]),
    Case("irfft-of-real", lambda x: F.irfft(x), [(4,)]),
    Case("roundtrip", lambda x: F.irfft(F.rfft(x) * 2.0, n=6), [(6,)]),
    Case("irfftn-of-rfftn", lambda x: F.irfftn(F.rfftn(x, norm="forward"), s=(3, 5),
                                               norm="forward"), [(3, 5)]),
]


(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)


# --- complex inputs ------------------------------------------------------------------------------

def check_complex_grads(f, shape, backend, seed=0, eps=1e-6):
    """The tape's gradient of a real loss of f(z) against finite differences along real and
    imaginary directions: with TF's convention Re(g) is dL/dx and Im(g) is dL/dy."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    out_shape = f(mg.to_backend(z, backend)).shape
    cr = mg.to_backend(rng.standard_normal(out_shape), backend)
    ci = mg.to_backend(rng.standard_normal(out_shape), backend)

    def loss(zz):
        w = f(zz)
        if w.dtype.is_complex:
            return mg.reduce_sum(mg.real(w) * cr + mg.imag(w) * ci)
        return mg.reduce_sum(w * cr)
    zt = mg.to_backend(z, backend)
    with mg.GradientTape() as t:
        t.watch(zt)
        value = loss(zt)
    g = t.gradient(value, zt).numpy()
    d = rng.standard_normal(shape)
    for direction, part in ((d, g.real), (1j * d, g.imag)):
        plus = float(loss(mg.to_backend(z + eps * direction, backend)))
        minus = float(loss(mg.to_backend(z - eps * direction, backend)))
        numeric = (plus - minus) / (2 * eps)
        np.testing.assert_allclose(np.sum(part * d), numeric, rtol=1e-6, atol=1e-7)


COMPLEX = [
    ("fft", lambda z: F.fft(z), (5,)),
    ("fft-pad-axis0", lambda z: F.fft(z, n=4, axis=0, norm="ortho"), (3, 2)),
    ("ifft-crop", lambda z: F.ifft(z, n=3, norm="forward"), (2, 5)),
    ("fft2", lambda z: F.fft2(z), (3, 4)),
    ("ifftn-s", lambda z: F.ifftn(z, s=(2, 6)), (3, 4)),
    ("irfft-even", lambda z: F.irfft(z), (4,)),
    ("irfft-odd-n", lambda z: F.irfft(z, n=7, norm="ortho"), (2, 4)),
    ("irfft-pad-n", lambda z: F.irfft(z, n=10), (3,)),
    ("irfft-axis0", lambda z: F.irfft(z, axis=0, norm="forward"), (3, 2)),
    ("irfft2", lambda z: F.irfft2(z), (4, 3)),
    ("irfftn-s", lambda z: F.irfftn(z, s=(3, 5), axes=(0, 1)), (2, 3, 2)),
    ("rfft-of-irfft", lambda z: F.rfft(F.irfft(z, n=6)), (4,)),
]


@pytest.mark.parametrize("name, f, shape", COMPLEX, ids=[c[0] for c in COMPLEX])
def test_complex_gradients_match_finite_differences(backend, name, f, shape):
    check_complex_grads(f, shape, backend)


def test_complex_helper_detects_a_conjugation_error(backend):
    """The helper tells g from conj(g): a map whose rule forgets the conjugate fails."""
    wrong = mg.Primitive("times_i", lambda ns, z: z * 1j).defvjp(lambda ns, g, ans, z: g * 1j)
    with pytest.raises(AssertionError):
        check_complex_grads(lambda z: mg.core.primitive.apply(wrong, (z,)), (3,), backend)


def test_forward_matches_numpy(backend):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 6))
    z = x + 1j * rng.standard_normal((4, 6))
    t, c = mg.to_backend(x, backend), mg.to_backend(z, backend)
    pairs = [
        (F.fft(c, n=5, axis=0), np.fft.fft(z, n=5, axis=0)),
        (F.ifft2(c, s=(3, 3), norm="ortho"), np.fft.ifft2(z, s=(3, 3), norm="ortho")),
        (F.fftn(t), np.fft.fftn(x)),
        (F.rfft(t, n=8), np.fft.rfft(x, n=8)),
        (F.rfftn(t, axes=(0,)), np.fft.rfftn(x, axes=(0,))),
        (F.irfft(c), np.fft.irfft(z)),
        (F.irfft2(c, s=(4, 7)), np.fft.irfft2(z, s=(4, 7))),
        (F.irfftn(c, norm="forward"), np.fft.irfftn(z, norm="forward")),
    ]
    for got, want in pairs:
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)


def test_fft_adjoint_closed_form(backend):
    """For y = fft(x) and L = Re(sum(conj(c) y)) the gradient is A^H c = n * ifft(c)."""
    rng = np.random.default_rng(4)
    c = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    z = mg.to_backend(rng.standard_normal(4) + 1j * rng.standard_normal(4), backend)
    with mg.GradientTape() as t:
        t.watch(z)
        y = F.fft(z)
        loss = mg.reduce_sum(mg.real(y) * mg.to_backend(c.real, backend)
                             + mg.imag(y) * mg.to_backend(c.imag, backend))
    np.testing.assert_allclose(t.gradient(loss, z).numpy(), 4 * np.fft.ifft(c), rtol=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: F.fft(np.ones(3), norm="unitary"), "norm must be"),
    (lambda: F.fft(np.ones(3), axis=2), "out of bounds"),
    (lambda: F.fftn(np.ones((2, 2)), s=(2, 2, 2), axes=(0, 1)), "s has 3 entries"),
    (lambda: F.rfft(np.ones(3) + 0j), "expects a real floating tensor"),
    (lambda: F.fft(np.ones(3), n=0), "must be positive"),
])
def test_bad_input_is_explained(backend, call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
