"""mg.linalg.eig / eigvals (general matrices, real and complex, batched) with first and second
order gradients against finite differences and closed forms; np.linalg.eig's NumPy result
types; mg.real_if_close; mg.gradient's tuple for several axes (NumPy 2); on every backend."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.testing import check_grads

RNG = np.random.default_rng(7)
A = RNG.normal(size=(2, 3, 3))
AC = A + 1j * RNG.normal(size=A.shape)
WEIGHTS = np.arange(1.0, 10.0).reshape(3, 3)


def test_values_and_numpys_normalisation(backend):
    for a in (A, AC):
        w, v = mg.linalg.eig(a)
        assert w.dtype == v.dtype == mg.complex128 and w.backend is backend
        wn, vn = w.numpy(), v.numpy()
        np.testing.assert_allclose(a @ vn, vn * wn[..., None, :], atol=1e-12)    # A v = w v
        np.testing.assert_allclose(np.linalg.norm(vn, axis=-2), 1.0, rtol=1e-12)
        # NumPy's (LAPACK's) vectors, column by column up to the order of the eigenvalues.
        w_ref, v_ref = np.linalg.eig(a)
        for k in range(a.shape[0]):
            order = [int(np.argmin(abs(w_ref[k] - x))) for x in wn[k]]
            np.testing.assert_allclose(wn[k], w_ref[k][order], rtol=1e-12)
            np.testing.assert_allclose(vn[k], v_ref[k][:, order], atol=1e-12)
    single = mg.linalg.eigvals(mg.constant(A[0], dtype=mg.float32))
    assert single.dtype == mg.complex64


@pytest.mark.parametrize("a", [A, AC], ids=["real", "complex"])
def test_eigenvalue_gradients(backend, a):
    coeff = mg.constant(np.array([1.0 + 2.0j, -0.5 + 0.3j, 0.7 - 1.1j]))
    check_grads(lambda x: mg.reduce_sum(mg.real(mg.linalg.eigvals(x) ** 2 * coeff)),
                [mg.constant(a)], order=2)
    check_grads(lambda x: mg.reduce_sum(mg.abs(mg.linalg.eigvals(x))), [mg.constant(a)],
                order=2)


@pytest.mark.parametrize("a", [A, AC], ids=["real", "complex"])
def test_eigenvector_gradients_of_phase_invariant_losses(backend, a):
    weights = mg.constant(WEIGHTS)
    check_grads(lambda x: mg.reduce_sum(mg.abs(mg.linalg.eig(x)[1]) ** 2 * weights),
                [mg.constant(a)], order=2)

    def projector(x):          # v v^H of the first eigenvector: independent of its phase
        w, v = mg.linalg.eig(x)
        p = v[..., :, :1] * mg.conj(v[..., None, :, 0])
        return mg.reduce_sum(mg.real(p) * weights + mg.imag(p)) + mg.reduce_sum(mg.real(w))
    check_grads(projector, [mg.constant(a)], order=2)


def test_closed_forms(backend):
    # d tr(A) = d sum(w): the gradient of sum(w) is the identity; for a diagonalisable
    # A = V diag(w) V^-1, d w_k / dA = (V^-H e_k e_k^T V^H), here for a diagonal matrix.
    a = mg.constant(np.diag([1.0, 2.0, 4.0]) + np.triu(np.ones((3, 3)), 1))
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(a)
        w = mg.linalg.eigvals(a)
        total = mg.reduce_sum(mg.real(w))
        first = mg.real(w[0])
    np.testing.assert_allclose(tape.gradient(total, a).numpy(), np.eye(3), atol=1e-12)
    assert tape.gradient(total, a).dtype == mg.float64
    wn, v = np.linalg.eig(a.numpy())
    k = int(np.argmin(abs(wn - w.numpy()[0])))
    expected = np.linalg.inv(v).T[:, k:k + 1] * v[:, k][None, :]  # left x right eigenvector
    np.testing.assert_allclose(tape.gradient(first, a).numpy(), expected.conj(), atol=1e-12)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning",
                            "ignore:invalid value:RuntimeWarning")
def test_repeated_eigenvalues(backend):
    a = mg.constant(np.diag([2.0, 2.0, 3.0]))
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(a)
        w, v = mg.linalg.eig(a)
        values = mg.reduce_sum(mg.real(w))
        vectors = mg.reduce_sum(mg.abs(v) * mg.constant(WEIGHTS))
    np.testing.assert_allclose(tape.gradient(values, a).numpy(), np.eye(3))   # defined
    assert not np.isfinite(tape.gradient(vectors, a).numpy()).all()          # undefined


def test_numpy_dispatch_keeps_numpys_result_types(backend):
    symmetric = np.array([[2.0, 1.0], [1.0, 3.0]])
    w, v = np.linalg.eig(mg.constant(symmetric))
    assert w.dtype == v.dtype == mg.float64                  # every eigenvalue real: real
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert np.linalg.eigvals(mg.constant(rotation)).dtype == mg.complex128
    x = mg.Variable(symmetric)
    with mg.GradientTape() as tape:
        top = mg.reduce_max(np.linalg.eigvals(x))
    np.testing.assert_allclose(tape.gradient(top, x).numpy(),
                               np.outer(*[np.linalg.eigh(symmetric)[1][:, 1]] * 2), atol=1e-12)


def test_errors(backend):
    with pytest.raises(ValueError, match=r"mg.linalg.eig expects square matrices"):
        mg.linalg.eig(np.ones((2, 3)))


def test_real_if_close(backend):
    z = mg.constant(np.array([2.1 + 4e-14j, 5.2 + 3e-15j]))
    assert mg.real_if_close(z).dtype == mg.complex128           # 4e-14 > 100 eps
    out = mg.real_if_close(z, tol=1000)                          # NumPy's documented example
    assert out.dtype == mg.float64
    np.testing.assert_array_equal(out.numpy(), np.real_if_close(z.numpy(), tol=1000))
    assert mg.real_if_close(mg.constant([2.1 + 0.2j]), tol=0.5).dtype == mg.float64  # absolute
    r = mg.constant([1.0, 2.0])
    assert mg.real_if_close(r) is r
    with mg.GradientTape() as tape:
        tape.watch(z)
        y = mg.reduce_sum(mg.real_if_close(z * z, tol=1000))
    np.testing.assert_allclose(tape.gradient(y, z).numpy(), np.conj(2 * z.numpy()))


def test_gradient_returns_a_tuple_for_several_axes(backend):
    f = mg.constant(np.arange(12.0).reshape(3, 4) ** 2)
    both = mg.gradient(f)
    assert isinstance(both, tuple) and len(both) == 2
    for ours, ref in zip(both, np.gradient(f.numpy())):
        np.testing.assert_allclose(ours.numpy(), ref)
    assert isinstance(mg.gradient(f, axis=(0, 1)), tuple)
    assert isinstance(mg.gradient(f, axis=1), mg.Tensor)
    assert isinstance(mg.gradient(f, axis=(1,)), mg.Tensor)      # one axis: one array (NumPy)
