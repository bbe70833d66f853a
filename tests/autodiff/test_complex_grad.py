"""Complex gradients, TensorFlow's convention: for a real loss L of z = x + iy the tape
returns dL/dx + i dL/dy. check_grads compares both parts with finite differences."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.testing import check_grads

def _complex(shape, seed):
    rng = np.random.default_rng(seed)
    return mg.constant(rng.standard_normal(shape) + 1j * rng.standard_normal(shape))


def _real(shape, seed):
    return mg.constant(np.random.default_rng(seed).standard_normal(shape))


HOLOMORPHIC = {
    "multiply": lambda z, w: z * w, "divide": lambda z, w: z / w,
    "add-sub": lambda z, w: z + w - z * 2, "power": lambda z, w: z ** w,
    "square": lambda z, w: mg.square(z) * w, "sqrt": lambda z, w: mg.sqrt(z) + w,
    "exp": lambda z, w: mg.exp(z) * w, "log": lambda z, w: mg.log(z) * w,
    "sin-cos": lambda z, w: mg.sin(z) * mg.cos(w), "tanh": lambda z, w: mg.tanh(z) + w,
    "tan": lambda z, w: mg.tan(z) * w, "sinh-cosh": lambda z, w: mg.sinh(z) * mg.cosh(w),
    "expm1-log1p": lambda z, w: mg.expm1(z) * mg.log1p(w),
    "log2-log10": lambda z, w: mg.log2(z) * mg.log10(w), "exp2": lambda z, w: mg.exp2(z) * w,
    "reciprocal": lambda z, w: mg.reciprocal(z) * w,
    "arcsin-arccos": lambda z, w: mg.arcsin(z * 0.3) * mg.arccos(w * 0.3),
    "arctan-asinh": lambda z, w: mg.arctan(z * 0.3) * mg.asinh(w),
    "acosh-atanh": lambda z, w: mg.acosh(z + 3) * mg.atanh(w * 0.3),
    "sum-mean-prod": lambda z, w: mg.sum(z * w, axis=0) + mg.mean(z) * mg.prod(w),
    "cumsum-cumprod": lambda z, w: mg.cumsum(z) * mg.cumprod(w),
}
NON_HOLOMORPHIC = {
    "abs": lambda z, w: mg.abs(z) * mg.real(w),
    "real-imag": lambda z, w: mg.real(z) * mg.imag(w) + mg.imag(z * w),
    "conj": lambda z, w: mg.conj(z) * w,
    "angle": lambda z, w: mg.angle(z) + mg.angle(w) * 2,
    "var-std": lambda z, w: mg.var(z) + mg.std(w),
    "abs-square": lambda z, w: mg.real(z * mg.conj(z)) + mg.abs(w) ** 2,
}


@pytest.mark.parametrize("name", list(HOLOMORPHIC) + list(NON_HOLOMORPHIC))
def test_complex_gradients_match_finite_differences(backend, name):
    f = {**HOLOMORPHIC, **NON_HOLOMORPHIC}[name]
    check_grads(f, [_complex((6,), 1), _complex((6,), 2)], order=2)


@pytest.mark.parametrize("name", ["multiply", "divide", "exp", "sin-cos", "sum-mean-prod"])
def test_real_input_meets_complex_input(backend, name):
    # A real input's gradient is dL/dx: the real part, with the real dtype.
    check_grads(HOLOMORPHIC[name], [_real((6,), 3), _complex((6,), 4)], order=2)
    x = _real((6,), 3)
    with mg.GradientTape() as t:
        t.watch(x)
        loss = mg.sum(mg.real(HOLOMORPHIC[name](x, _complex((6,), 4))))
    assert t.gradient(loss, x).dtype == mg.float64


def test_convention_is_tensorflows_not_the_conjugate(backend):
    # L = Re(w z) with w = 2 - 3i: dL/dx = Re(w) = 2, dL/dy = -Im(w) = 3 -> 2 + 3i.
    z = mg.constant(np.array([0.5 + 0.25j]))
    with mg.GradientTape() as t:
        t.watch(z)
        loss = mg.sum(mg.real(z * (2 - 3j)))
    np.testing.assert_allclose(t.gradient(loss, z).numpy(), [2 + 3j])
    with mg.GradientTape() as t:
        t.watch(z)
        loss = mg.sum(mg.abs(z) ** 2)           # |z|^2: gradient 2 z
    np.testing.assert_allclose(t.gradient(loss, z).numpy(), [1.0 + 0.5j])


def test_complex64_stays_complex64(backend):
    z = mg.constant(np.array([1 + 2j, -0.5j]), mg.complex64)
    with mg.GradientTape() as t:
        t.watch(z)
        loss = mg.sum(mg.abs(mg.exp(z) * z - mg.conj(z)))
    assert t.gradient(loss, z).dtype == mg.complex64


def test_check_grads_detects_a_missing_conj(backend):
    # autograd/JAX's convention (no conj) must fail the TensorFlow-convention check.
    wrong = mg.Primitive("wrong_exp", lambda ns, z: ns.exp(z))
    wrong.defvjp(lambda ns, g, ans, z: g * ans)

    def f(z):
        return mg.core.primitive.apply(wrong, (z,))
    with pytest.raises(AssertionError, match="order-1 derivative mismatch"):
        check_grads(f, [_complex((3,), 5)])


@pytest.mark.parametrize("dtype", [mg.complex64, mg.complex128])
def test_a_gradient_through_real_or_imag_has_the_complex_source_dtype(backend, dtype):
    # Regression: the one-input fast path once skipped the cast back to the source's
    # dtype, so d sum(real(z)) / dz came back float64 for a complex128 z.
    z = mg.cast(_complex((3,), 5), dtype)
    for part, expected in ((mg.real, 1.0), (mg.imag, 1j)):
        with mg.GradientTape() as tape:
            tape.watch(z)
            y = mg.sum(part(z) * 2.0)
        g = tape.gradient(y, z)
        assert g.dtype == dtype
        np.testing.assert_allclose(g.numpy(), np.full(3, 2 * expected))
    with mg.GradientTape() as tape:
        tape.watch(z)
        y = mg.real(z) * mg.constant([1.0, 2.0, 3.0])
    jac = tape.jacobian(y, z)
    assert jac.dtype == dtype
    np.testing.assert_allclose(jac.numpy(), np.diag([1.0, 2.0, 3.0]))
