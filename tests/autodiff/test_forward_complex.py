"""Forward mode on complex numbers: a JVP is J v with C read as R^2 (f'(z) v when f is
holomorphic), checked against float64 central differences along v, on every backend."""

import numpy as np
import pytest

import multigrad as mg

Z0 = np.array([-0.4 - 0.08j, 0.7 + 0.3j, 1.1 - 0.9j])
VZ = np.array([-0.48 + 0.08j, 0.2 - 1.0j, -0.3 + 0.6j])
X0 = np.array([0.5, -1.2, 0.8])
VX = np.array([1.0, 0.4, -0.7])
C = np.array([1.0 + 2.0j, -0.5 + 0.25j, 0.3 - 1.5j])


def on(backend, a):
    return mg.to_backend(np.asarray(a), backend)


def central_difference(backend, f, primals, tangents, h=1e-6):
    """(f(p + h t) - f(p - h t)) / 2h, per output, on host float64/complex128 values."""
    def at(sign):
        outs = f(*[on(backend, p + sign * h * t) for p, t in zip(primals, tangents)])
        return [o.numpy() for o in (outs if isinstance(outs, tuple) else (outs,))]
    return [(a - b) / (2 * h) for a, b in zip(at(1), at(-1))]


def both_modes(backend, f, primals, tangents):
    """The JVPs from mg.jvp and from a ForwardAccumulator, as host arrays per output."""
    ps = [on(backend, p) for p in primals]
    ts = [on(backend, t) for t in tangents]
    _, by_jvp = mg.jvp(f, tuple(ps), tuple(ts))
    with mg.ForwardAccumulator(ps, ts) as acc:
        out = f(*ps)
    by_acc = acc.jvp(out)
    as_list = lambda r: [t.numpy() for t in (r if isinstance(r, tuple) else (r,))]  # noqa: E731
    return as_list(by_jvp), as_list(by_acc)


def c(backend):
    return on(backend, C)


CASES = {   # name: (f, primals, tangents); c(z) is a complex constant of the backend
    # holomorphic, complex -> complex
    "sin": (lambda z: mg.sin(z), [Z0], [VZ]),
    "exp": (lambda z: mg.exp(z), [Z0], [VZ]),
    "z*z": (lambda z: z * z, [Z0], [VZ]),
    "sin*exp+z^3": (lambda z: mg.sin(z) * mg.exp(z) + z ** 3, [Z0], [VZ]),
    # non-holomorphic
    "conj": (lambda z: mg.conj(z), [Z0], [VZ]),
    "conj*z^2": (lambda z: mg.conj(z) * z * z, [Z0], [VZ]),
    "abs": (lambda z: mg.abs(z), [Z0], [VZ]),                          # complex -> real
    "real": (lambda z: mg.real(z), [Z0], [VZ]),
    "imag": (lambda z: mg.imag(z), [Z0], [VZ]),
    "|z|^2": (lambda z: mg.real(z * mg.conj(z)), [Z0], [VZ]),
    "sum|z|^2": (lambda z: mg.sum(mg.abs(z) ** 2), [Z0], [VZ]),       # complex -> real scalar
}


@pytest.mark.parametrize("name", list(CASES))
def test_complex_jvp_matches_central_differences(backend, name):
    f, primals, tangents = CASES[name]
    expected = central_difference(backend, f, primals, tangents)
    for got in both_modes(backend, f, primals, tangents):
        for g, e in zip(got, expected):
            assert g.dtype == e.dtype
            np.testing.assert_allclose(g, e, rtol=1e-7, atol=1e-9)


def test_real_to_complex_and_mixed_programs(backend):
    def real_to_complex(x):
        return mg.exp(x * c(backend)) + mg.sin(x)

    def mixed(x, z):      # a real and a complex input; complex, real and complex outputs
        return x * mg.sin(z), mg.abs(z) * x + mg.real(z * z), mg.conj(z) * mg.exp(x)

    for f, primals, tangents in [(real_to_complex, [X0], [VX]),
                                 (mixed, [X0, Z0], [VX, VZ]),
                                 (mixed, [X0, Z0], [0 * VX, VZ]),
                                 (mixed, [X0, Z0], [VX, 0 * VZ])]:
        expected = central_difference(backend, f, primals, tangents)
        for got in both_modes(backend, f, primals, tangents):
            for g, e in zip(got, expected):
                np.testing.assert_allclose(g, e, rtol=1e-7, atol=1e-9)


def test_the_reported_values(backend):
    z, v = -0.4 - 0.08j, -0.48 + 0.08j
    _, t = mg.jvp(mg.sin, (on(backend, np.complex128(z)),), (on(backend, np.complex128(v)),))
    np.testing.assert_allclose(complex(t), np.cos(z) * v, rtol=1e-14)     # -0.441+0.089j
    x = on(backend, np.complex128(0.5 + 2j))
    with mg.ForwardAccumulator(x, on(backend, np.complex128(1j))) as acc:
        y = mg.real(x * mg.conj(x))
    assert float(acc.jvp(y)) == pytest.approx(4.0, rel=1e-14)              # 2 Re(conj(x) 1j)


def test_forward_over_reverse_on_complex_is_the_gradient_differentiated(backend):
    # acc.jvp(grad L) is the derivative of the gradient map (C as R^2) along v.
    def grad_of_loss(z):
        with mg.GradientTape() as tape:
            tape.watch(z)
            loss = mg.sum(mg.abs(mg.sin(z)) ** 2 + mg.real(z * z * z))
        return tape.gradient(loss, z)

    z, v = on(backend, Z0), on(backend, VZ)
    with mg.ForwardAccumulator(z, v) as acc:
        g = grad_of_loss(z)
    expected, = central_difference(backend, grad_of_loss, [Z0], [VZ])
    np.testing.assert_allclose(acc.jvp(g).numpy(), expected, rtol=1e-7, atol=1e-9)


def test_reverse_over_forward_on_complex(backend):
    # d/dz of the real JVP s(z) = d|sin z|^2 [v], against central differences of s.
    def jvp_value(z):
        return mg.jvp(lambda w: mg.sum(mg.abs(mg.sin(w)) ** 2), (z,), (on(backend, VZ),))[1]

    z = on(backend, Z0)
    with mg.GradientTape() as tape:
        tape.watch(z)
        s = jvp_value(z)
    grad = tape.gradient(s, z).numpy()
    value, = central_difference(backend, lambda w: mg.sum(mg.abs(mg.sin(w)) ** 2), [Z0], [VZ])
    assert float(s) == pytest.approx(float(value), rel=1e-7)
    for k in range(3):            # TF convention: ds/dx_k + i ds/dy_k
        for unit, part in [(1.0, np.real), (1j, np.imag)]:
            e = np.zeros(3, complex)
            e[k] = unit
            fd, = central_difference(backend, jvp_value, [Z0], [e])
            assert part(grad[k]) == pytest.approx(float(fd), rel=1e-6, abs=1e-8)


def test_complex_tangent_for_a_real_primal_is_refused(backend):
    x = on(backend, X0)
    msg = (r"a complex tangent for a real primal \(float64\) would lose its imaginary part; "
           r"make the primal complex")
    with pytest.raises(TypeError, match="mg.jvp: " + msg):
        mg.jvp(mg.sin, (x,), (on(backend, VZ),))
    with pytest.raises(TypeError, match="ForwardAccumulator: " + msg):
        mg.ForwardAccumulator(x, VZ)
    with pytest.raises(TypeError, match="mg.hvp: " + msg):
        mg.hvp(lambda w: mg.sum(w * w), (x,), (1j,))
