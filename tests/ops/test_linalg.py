"""mg.linalg: gradients (first and second order, batched cotangents), closed forms, errors."""

import numpy as np
import pytest

import multigrad as mg

from optable import Case, table_tests

la = mg.linalg


def well_conditioned(a):
    """Shift square matrices toward the identity so they stay comfortably invertible."""
    if a.ndim >= 2 and a.shape[-1] == a.shape[-2]:
        return a * 0.3 + np.eye(a.shape[-1]) * 2.0
    return a


def spread(a):
    """Matrices whose singular values / eigenvalues are far apart (vectors pass through)."""
    if a.ndim < 2:
        return a
    m, n = a.shape[-2:]
    k = min(m, n)
    d = np.zeros((m, n))
    d[range(k), range(k)] = np.arange(k, 0, -1) * 1.5 + 0.5
    return d + a * 0.1


def sym(a):
    return (a + mg.matrix_transpose(a)) * 0.5


def spd(a):
    return a @ mg.matrix_transpose(a) + mg.eye(a.shape[-1], dtype=a.dtype) * 0.5


def sign_free(v):
    """Columns times their first entry: the eigenvector/singular-vector sign cancels."""
    return v * v[..., :1, :]


CASES = [
    Case("inv", la.inv, [(3, 3)], domain=well_conditioned),
    Case("inv-batched", la.inv, [(2, 2, 2)], domain=well_conditioned),
    Case("inv-1x1", la.inv, [(1, 1)], domain=well_conditioned),
    Case("det", la.det, [(3, 3)], domain=well_conditioned),
    Case("det-batched", la.det, [(2, 3, 3)], domain=well_conditioned),
    Case("slogdet", lambda a: la.slogdet(a)[1], [(3, 3)], domain=well_conditioned),
    Case("slogdet-sign-unused", lambda a: la.slogdet(a)[1] * la.slogdet(a)[0], [(2, 2, 2)],
         domain=well_conditioned),
    Case("solve-vector", la.solve, [(3, 3), (3,)], domain=well_conditioned),
    Case("solve-matrix", la.solve, [(3, 3), (3, 2)], domain=well_conditioned),
    Case("solve-broadcast", la.solve, [(2, 3, 3), (3, 1)], domain=well_conditioned),
    Case("cholesky", lambda a: la.cholesky(spd(a)), [(3, 3)]),
    Case("cholesky-batched", lambda a: la.cholesky(spd(a)), [(2, 2, 2)]),
    Case("eigh", lambda a: mg.concatenate([la.eigh(sym(a))[0][..., None, :],
                                           sign_free(la.eigh(sym(a))[1])], axis=-2),
         [(3, 3)], domain=spread),
    Case("eigh-values-only", lambda a: la.eigh(sym(a))[0], [(2, 3, 3)], domain=spread),
    Case("svd-tall", lambda a: mg.concatenate([
        mg.reshape(la.svd(a)[1], (-1,)), mg.ravel(sign_free(la.svd(a)[0])),
        mg.ravel(sign_free(mg.matrix_transpose(la.svd(a)[2])))]), [(4, 3)], domain=spread),
    Case("svd-wide", lambda a: mg.ravel(sign_free(la.svd(a)[0]) + la.svd(a)[1]),
         [(2, 4)], domain=spread),
    Case("svd-batched-S", lambda a: la.svd(a)[1], [(2, 3, 2)], domain=spread),
    Case("svd-wide-S-cubed", lambda a: la.svd(a)[1] ** 3, [(2, 4)], domain=spread),
    Case("eigh-values-squared", lambda a: la.eigh(sym(a))[0] ** 2, [(3, 3)], domain=spread),
    Case("qr", lambda a: mg.concatenate([mg.ravel(la.qr(a)[0]), mg.ravel(la.qr(a)[1])]),
         [(4, 3)], domain=spread),
    Case("qr-square-R", lambda a: la.qr(a)[1], [(3, 3)], domain=spread),
    Case("pinv-tall", la.pinv, [(4, 2)], domain=spread),
    Case("pinv-wide", la.pinv, [(2, 3)], domain=spread),
    Case("lstsq", la.lstsq, [(4, 2), (4,)], domain=spread),
    Case("norm-vector", la.norm, [(5,)]),
    Case("norm-axis-keepdims", lambda x: la.norm(x, axis=-1, keepdims=True), [(2, 3)]),
    Case("norm-inf", lambda x: la.norm(x, np.inf), [(5,)],
         domain=lambda a: np.arange(1.0, 6.0) * np.sign(a + 0.01)),
    Case("norm-1-and-3", lambda x: la.norm(x, 1) + la.norm(x, 3), [(4,)],
         domain=lambda a: a + np.sign(a) * 0.5),
    Case("norm-fro", lambda x: la.norm(x, "fro"), [(3, 2)]),
    Case("norm-nuc", lambda x: la.norm(x, "nuc"), [(3, 2)], domain=spread),
    Case("norm-2-matrix", lambda x: la.norm(x, 2, axis=(0, 2)), [(3, 2, 2)],
         domain=lambda a: spread(np.moveaxis(a, 1, 0)).transpose(1, 0, 2)),
    Case("norm-matrix-1-inf", lambda x: la.norm(x, 1) + la.norm(x, -np.inf),
         [(3, 3)], domain=lambda a: np.arange(9.0).reshape(3, 3) + 1 + a * 0.01),
]


(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)


def _grad(f, a):
    x = mg.constant(a)
    with mg.GradientTape() as t:
        t.watch(x)
        y = f(x)
    return y, t.gradient(y, x).numpy()


def test_closed_forms(backend):
    a = well_conditioned(np.random.default_rng(0).standard_normal((3, 3)))
    d, g = _grad(la.det, a)
    np.testing.assert_allclose(g, np.linalg.det(a) * np.linalg.inv(a).T, rtol=1e-10)
    _, g = _grad(lambda x: la.slogdet(x)[1], a)
    np.testing.assert_allclose(g, np.linalg.inv(a).T, rtol=1e-10)
    _, g = _grad(lambda x: mg.reduce_sum(la.inv(x)), a)
    inv = np.linalg.inv(a)
    np.testing.assert_allclose(g, -inv.T @ np.ones((3, 3)) @ inv.T, rtol=1e-10)
    s = a + a.T
    _, g = _grad(lambda x: mg.reduce_sum(la.eigh(x)[0]), s)     # d trace = identity
    np.testing.assert_allclose(g, np.eye(3), atol=1e-10)
    _, g = _grad(lambda x: la.norm(x, "nuc"), spread(np.ones((3, 2))))
    u, _, vh = np.linalg.svd(spread(np.ones((3, 2))), full_matrices=False)
    np.testing.assert_allclose(g, u @ vh, atol=1e-10)


def test_forward_values_match_numpy(backend):
    a = spread(np.random.default_rng(1).standard_normal((4, 3)))
    x = mg.constant(a)
    np.testing.assert_allclose(la.pinv(x).numpy(), np.linalg.pinv(a), atol=1e-12)
    for o in (None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
        np.testing.assert_allclose(float(la.norm(x, o)), np.linalg.norm(a, o), rtol=1e-12)
    for o in (None, 1, 3, 0, np.inf, -np.inf):
        np.testing.assert_allclose(la.norm(x, o, axis=0).numpy(), np.linalg.norm(a, o, axis=0),
                                   rtol=1e-12)
    b = np.arange(4.0)
    np.testing.assert_allclose(la.lstsq(x, b).numpy(), np.linalg.lstsq(a, b, rcond=None)[0],
                               atol=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: la.inv(np.ones((2, 3))), "square matrices"),
    (lambda: la.det(np.ones(3)), "square matrices"),
    (lambda: la.solve(np.eye(3), np.ones(2)), "b must be \\(n,\\) or \\(..., n, k\\) with n = 3"),
    (lambda: la.solve(np.eye(3), np.ones((2, 3))), "does not match"),
    (lambda: la.svd(np.ones((2, 2)), full_matrices=True), "only full_matrices=False"),
    (lambda: la.norm(np.ones((2, 2)), "nuc", axis=0), "matrix norm"),
    (lambda: la.norm(np.ones((2, 2, 2)), 1), "needs axis"),
    (lambda: la.norm(np.ones((2, 2)), 3), "matrix ord must be"),
])
def test_bad_input_is_explained(backend, call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_qr_gradient_of_wide_matrix_is_refused(backend):
    x = mg.constant(np.ones((2, 3)))
    with mg.GradientTape() as t:
        t.watch(x)
        q, r = la.qr(x)
    with pytest.raises(ValueError, match="m >= n"):
        t.gradient(r, x)
