"""The spectral family's gradient conventions (docs/design.md, "Spectral gradients"):
``eigh``/``eigvalsh`` are differentiated as the function of the triangle they read (any
input, any direction), complex inputs use conjugate transposes, and the SVD's complex
rule carries the phase (gauge) term. Every case is checked against finite differences,
first and second order, on every backend."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.testing import check_grads

la = mg.linalg


def _rng_matrix(shape, seed, complex_=False):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if complex_:
        a = a + 1j * rng.standard_normal(shape)
    return a


def _spread(a):
    """Distinct, well separated eigen/singular values (vector gradients are defined)."""
    m, n = a.shape[-2:]
    d = np.zeros((m, n))
    k = min(m, n)
    d[range(k), range(k)] = np.arange(k, 0, -1) * 1.5 + 0.5
    return d + a * 0.1


def _phase_free(v, axis=-2):
    """Each column (row, axis=-1) times the conjugate of its first entry: invariant to
    the column's phase (sign), so a well-defined function of the subspace."""
    first = v[..., :1, :] if axis == -2 else v[..., :, :1]
    return v * mg.conj(first) if v.dtype.is_complex else v * first


# --- 1. NumPy's signature and the triangle read ------------------------------------------

def test_eigh_reads_the_triangle_named_by_uplo(backend):
    a = _rng_matrix((3, 3), 0)
    for uplo in ("L", "U", "u"):
        want = np.linalg.eigh(a, uplo)[0]
        np.testing.assert_allclose(la.eigh(a, uplo)[0].numpy(), want, atol=1e-12)
        np.testing.assert_allclose(la.eigh(a, UPLO=uplo)[0].numpy(), want, atol=1e-12)
        np.testing.assert_allclose(la.eigvalsh(a, uplo).numpy(), want, atol=1e-12)
        np.testing.assert_allclose(la.eigvalsh(a, UPLO=uplo).numpy(), want, atol=1e-12)
    assert not np.allclose(np.linalg.eigh(a, "U")[0], np.linalg.eigh(a, "L")[0])
    x = mg.constant(a)                  # NumPy's own call on a Tensor dispatches here
    np.testing.assert_allclose(np.linalg.eigh(x, "U")[0].numpy(), np.linalg.eigh(a, "U")[0],
                               atol=1e-12)
    np.testing.assert_allclose(np.linalg.eigvalsh(x, UPLO="U").numpy(),
                               np.linalg.eigvalsh(a, "U"), atol=1e-12)


def test_eigh_takes_tensorflows_name_by_keyword(backend):
    a = _rng_matrix((3, 3), 1)
    np.testing.assert_allclose(la.eigh(a, name="eig")[0].numpy(), np.linalg.eigh(a)[0],
                               atol=1e-12)


@pytest.mark.parametrize("op", ["eigh", "eigvalsh"])
def test_a_positional_name_is_refused_not_read_as_a_triangle(backend, op):
    with pytest.raises(ValueError, match="UPLO must be 'L' or 'U'.*name=..."):
        getattr(la, op)(np.eye(2), "my_eigh")


@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("complex_", [False, True], ids=["real", "complex"])
def test_eigh_gradient_is_the_derivative_of_the_triangle_read(backend, uplo, complex_):
    # A non-symmetric input and (check_grads') non-symmetric directions: the gradient
    # must be the derivative of the function the value computes.
    a = mg.constant(_rng_matrix((3, 3), 2, complex_))
    check_grads(lambda x: la.eigvalsh(x, uplo) ** 3, [a], order=2)
    check_grads(lambda x: la.eigh(x, uplo)[0] ** 3, [a], order=2)
    check_grads(lambda x: _phase_free(la.eigh(x, UPLO=uplo)[1]), [mg.constant(
        _spread(_rng_matrix((3, 3), 3, complex_)))], order=2)


def test_eigh_gradient_closed_form_for_the_lower_triangle(backend):
    # d sum(w) = d trace reads the diagonal only; d sum(w^2) = d ||H||_F^2 with
    # H = tril(A) + tril(A, -1)^T: 2 diag(A) + 4 tril(A, -1).
    a = _rng_matrix((3, 3), 4)
    x = mg.constant(a)
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        trace = mg.reduce_sum(la.eigh(x)[0])
        square = mg.reduce_sum(la.eigvalsh(x) ** 2)
    np.testing.assert_allclose(t.gradient(trace, x).numpy(), np.eye(3), atol=1e-12)
    np.testing.assert_allclose(t.gradient(square, x).numpy(),
                               2 * np.diag(np.diag(a)) + 4 * np.tril(a, -1), atol=1e-10)


# --- 2, 3. complex inputs: conjugate transposes and the gauge term -------------------------

def test_complex_eigh_on_hermitian_input_matches_finite_differences(backend):
    c = _spread(_rng_matrix((3, 3), 5, True))
    h = mg.constant((c + c.conj().T) / 2)
    check_grads(lambda x: mg.abs(la.eigh(x)[1]) ** 2, [h], order=2)
    check_grads(lambda x: la.eigvalsh(x) ** 2, [h], order=2)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4)], ids=["square", "tall", "wide"])
def test_complex_svd_gradient_is_gauge_invariant(backend, shape):
    a = mg.constant(_spread(_rng_matrix(shape, 6, True)))
    check_grads(lambda x: mg.abs(la.svd(x)[0]), [a], order=2)
    check_grads(lambda x: mg.abs(la.svd(x)[2]), [a], order=2)
    check_grads(lambda x: _phase_free(la.svd(x)[0]), [a], order=2)
    check_grads(lambda x: _phase_free(la.svd(x)[2], axis=-1), [a], order=2)
    # u_i v_i^H is invariant to the shared phase only, not to either alone.
    check_grads(lambda x: la.svd(x)[0][..., :, :1] * la.svd(x)[2][..., :1, :], [a], order=2)


def test_complex_svd_closed_form_through_abs_u(backend):
    # A case where the gauge matters: L = sum |U|^2 * w only sees U's moduli.
    a = _spread(_rng_matrix((3, 3), 7, True))
    w = np.random.default_rng(10).standard_normal((3, 3))
    x = mg.constant(a)
    with mg.GradientTape() as t:
        t.watch(x)
        loss = mg.reduce_sum(mg.abs(la.svd(x)[0]) ** 2 * mg.constant(w))
    g = t.gradient(loss, x).numpy()
    d = _rng_matrix((3, 3), 8, True)
    f = lambda m: np.sum(np.abs(np.linalg.svd(m)[0]) ** 2 * w)
    fd = (f(a + 1e-6 * d) - f(a - 1e-6 * d)) / 2e-6
    np.testing.assert_allclose(np.sum(np.real(g * np.conj(d))), fd, rtol=1e-6)


@pytest.mark.parametrize("name, f, shape", [
    ("svdvals", lambda x: la.svdvals(x) ** 2, (3, 2)),
    ("svd-S", lambda x: la.svd(x)[1] ** 3, (2, 3)),
    ("nuclear", lambda x: la.norm(x, "nuc"), (3, 3)),
    ("two-norm", lambda x: la.norm(x, 2), (3, 2)),
    ("minus-two-norm", lambda x: la.norm(x, -2), (2, 3)),
    ("cond", lambda x: la.cond(x), (3, 3)),
    ("pinv", la.pinv, (3, 2)),
    ("pinv-wide", la.pinv, (2, 3)),
    ("lstsq", lambda x: la.lstsq(x, mg.constant(np.arange(4.0) + 1j)), (4, 2)),
    # the neighbours: the same conjugate-transpose rules
    ("slogdet", lambda x: la.slogdet(x)[1], (3, 3)),
    ("slogdet-sign", lambda x: la.slogdet(x)[0] * la.slogdet(x)[1], (3, 3)),
    ("qr-Q", lambda x: la.qr(x)[0], (4, 3)),
    ("qr-R", lambda x: la.qr(x)[1], (3, 3)),
    ("cholesky", lambda x: la.cholesky(x @ mg.conj(mg.matrix_transpose(x))), (3, 3)),
])
def test_complex_spectral_functions_match_finite_differences(backend, name, f, shape):
    check_grads(f, [mg.constant(_spread(_rng_matrix(shape, 9, True)))], order=2)
