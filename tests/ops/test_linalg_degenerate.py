"""mg.linalg at repeated eigenvalues / singular values (identity and orthogonal matrices,
rank-deficient ones): losses of the values alone have finite gradients equal to the
closed forms; anything that needs the vectors there comes out non-finite, never a
silently wrong number."""

import warnings

import numpy as np
import pytest

import multigrad as mg

la = mg.linalg


def _orthogonal(n, seed=0):
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _repeated_eigenvalues():
    q = _orthogonal(3, 1)
    return q @ np.diag([1.0, 1.0, 3.0]) @ q.T


SYMMETRIC = {"identity": np.eye(3), "repeated": _repeated_eigenvalues(),
             "zero": np.zeros((3, 3))}
MATRICES = {"identity": np.eye(3), "orthogonal": _orthogonal(3),
            "rank-deficient-tall": np.array([[2.0, 0.0], [0.0, 0.0], [0.0, 0.0]]),
            "rank-deficient-wide": np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
            "repeated-tall": np.vstack([2 * _orthogonal(2, 3), np.zeros((1, 2))])}


def _grad(f, a):
    x = mg.constant(a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # inf/nan where undefined
        with mg.GradientTape() as t:
            t.watch(x)
            y = f(x)
        return t.gradient(y, x).numpy()


def _hvp(f, a, direction):
    x = mg.constant(a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with mg.GradientTape() as outer:
            outer.watch(x)
            with mg.GradientTape() as inner:
                inner.watch(x)
                y = f(x)
            g = inner.gradient(y, x)
            gv = mg.reduce_sum(g * mg.constant(direction))
        return outer.gradient(gv, x).numpy()


@pytest.mark.parametrize("name", sorted(SYMMETRIC))
def test_eigenvalue_losses_have_their_closed_form_gradients(backend, name):
    # eigh reads the lower triangle: a symmetric gradient G becomes lower_read(G).
    a = SYMMETRIC[name]
    np.testing.assert_allclose(_grad(lambda x: mg.reduce_sum(la.eigh(x)[0]), a), np.eye(3),
                               atol=1e-12)                               # d tr(A) = I
    np.testing.assert_allclose(_grad(lambda x: mg.reduce_sum(la.eigh(x)[0] ** 2), a),
                               _lower_read(2 * a), atol=1e-12)           # d |A|_F^2 = 2A
    np.testing.assert_allclose(_grad(lambda x: mg.reduce_sum(la.eigh(x)[0] ** 3), a),
                               _lower_read(3 * a @ a), atol=1e-12)       # d tr(A^3) = 3A^2


def _lower_read(g):
    """The gradient with respect to the lower triangle read, of a symmetric gradient g."""
    return 2 * np.tril(g, -1) + np.diag(np.diag(g))


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_singular_value_losses_have_their_closed_form_gradients(backend, name):
    a = MATRICES[name]
    np.testing.assert_allclose(_grad(lambda x: mg.reduce_sum(la.svd(x)[1] ** 2), a), 2 * a,
                               atol=1e-12)
    u, s, vh = (t.numpy() for t in la.svd(mg.constant(a)))
    # Any loss of S: U diag(dL/dS) Vh, with the singular vectors the forward pass chose.
    for f, weights in [(lambda x: la.norm(x, "nuc"), np.ones_like(s)),
                       (lambda x: la.norm(x, 2), np.eye(len(s))[0]),
                       (lambda x: la.norm(x, -2), np.eye(len(s))[-1]),
                       (lambda x: mg.reduce_sum(la.svd(x)[1] * mg.constant(np.arange(1.0, 1 + len(s)))),
                        np.arange(1.0, 1 + len(s)))]:
        g = _grad(f, a)
        np.testing.assert_allclose(g, (u * weights) @ vh, atol=1e-12)


def test_nuclear_norm_of_an_orthogonal_matrix_is_differentiable_to_itself(backend):
    q = _orthogonal(4, 2)                      # all singular values 1: U Vh = Q, any basis
    np.testing.assert_allclose(_grad(lambda x: la.norm(x, "nuc"), q), q, atol=1e-12)
    np.testing.assert_allclose(_grad(lambda x: la.norm(x, "nuc"), np.eye(4)), np.eye(4),
                               atol=1e-12)


def test_jacobian_of_the_values_at_the_identity(backend):
    x = mg.constant(np.eye(3))
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        u, s, vh = la.svd(x)
        w, v = la.eigh(x)
    js = t.jacobian(s, x).numpy()
    jw = t.jacobian(w, x).numpy()
    u, vh, v = u.numpy(), vh.numpy(), v.numpy()
    for k in range(3):
        np.testing.assert_allclose(js[k], np.outer(u[:, k], vh[k]), atol=1e-12)
        np.testing.assert_allclose(jw[k], np.outer(v[:, k], v[:, k]), atol=1e-12)


def test_forward_mode_of_the_values_at_the_identity(backend):
    t_dir = np.arange(9.0).reshape(3, 3)
    t_sym = t_dir + t_dir.T
    x = mg.constant(np.eye(3))
    with mg.ForwardAccumulator(x, mg.constant(t_sym)) as acc:
        w = la.eigh(x)[0]
        nuc = la.norm(x, "nuc")
    np.testing.assert_allclose(np.sum(acc.jvp(w).numpy()), np.trace(t_sym), atol=1e-12)
    np.testing.assert_allclose(float(acc.jvp(nuc)), np.trace(t_sym), atol=1e-12)


def test_second_order_at_distinct_values_is_exact(backend):
    a = np.diag([1.0, 2.0, 4.0]) + 0.1 * np.arange(9.0).reshape(3, 3)
    d = np.random.default_rng(5).standard_normal((3, 3))
    np.testing.assert_allclose(_hvp(lambda x: mg.reduce_sum(la.svd(x)[1] ** 2), a, d), 2 * d,
                               atol=1e-10)
    s = a + a.T
    d_read = np.tril(d) + np.tril(d, -1).T                 # the symmetric matrix eigh sees
    np.testing.assert_allclose(_hvp(lambda x: mg.reduce_sum(la.eigh(x)[0] ** 2), s, d),
                               _lower_read(2 * d_read), atol=1e-10)


@pytest.mark.parametrize("f", [lambda x: mg.reduce_sum(la.svd(x)[1] ** 2),
                               lambda x: mg.reduce_sum(la.eigh(x)[0] ** 2)],
                         ids=["svd", "eigh"])
def test_second_order_at_repeated_values_is_never_silently_wrong(backend, f):
    d = np.random.default_rng(6).standard_normal((3, 3))
    h = _hvp(f, np.eye(3), d)            # true: d + d^T (eigh, symmetric) or 2 d (svd)
    assert not np.all(np.isfinite(h)), h  # it needs the vector terms, undefined here


@pytest.mark.parametrize("f", [lambda x: la.eigh(x)[1] * la.eigh(x)[1][..., :1, :],
                               lambda x: la.svd(x)[0] * la.svd(x)[0][..., :1, :],
                               lambda x: la.svd(x)[2] * la.svd(x)[2][..., :, :1]],
                         ids=["eigh-V", "svd-U", "svd-Vh"])
def test_vectors_at_repeated_values_are_not_silently_wrong(backend, f):
    assert not np.all(np.isfinite(_grad(lambda x: mg.reduce_sum(f(x) ** 3), np.eye(3))))


# --- det / slogdet at singular matrices ----------------------------------------------------

def _cofactor(a):
    """adj(a)^T from the minors (the reference for d det / dA)."""
    n = a.shape[-1]
    out = np.empty_like(a)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, axis=-2), j, axis=-1)
            out[..., i, j] = (-1) ** (i + j) * (np.linalg.det(minor) if n > 1 else 1.0)
    return out


SINGULAR = {"2x2": np.array([[1.0, 2.0], [2.0, 4.0]]),
            "rank-2": np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),
            "rank-1": np.outer([1.0, 2.0, 3.0], [1.0, -1.0, 0.5]),
            "zero": np.zeros((3, 3)),
            "batch-one-singular": np.stack([np.array([[1.0, 2.0], [2.0, 4.0]]),
                                            np.array([[2.0, 1.0], [0.0, 3.0]])])}


@pytest.mark.parametrize("name", sorted(SINGULAR))
def test_det_gradient_at_a_singular_matrix_is_the_cofactor_matrix(backend, name):
    a = SINGULAR[name]
    g = _grad(lambda x: mg.reduce_sum(la.det(x)), a)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, _cofactor(a), atol=1e-10)


def test_det_second_order_at_a_singular_matrix(backend):
    a = SINGULAR["rank-2"]                 # singular values distinct: second order defined
    d = np.random.default_rng(7).standard_normal((3, 3))
    eps = 1e-5
    expected = (_cofactor(a + eps * d) - _cofactor(a - eps * d)) / (2 * eps)
    np.testing.assert_allclose(_hvp(la.det, a, d), expected, atol=1e-7)


def test_slogdet_gradient_at_a_singular_matrix_is_a_clear_error(backend):
    x = mg.constant(SINGULAR["2x2"])
    with mg.GradientTape(persistent=True) as t:
        t.watch(x)
        sign, logdet = la.slogdet(x)
    with pytest.raises(ValueError, match="infinite at a singular matrix.*mg.linalg.det"):
        t.gradient(logdet, x)
    np.testing.assert_array_equal(t.gradient(sign, x).numpy(), np.zeros((2, 2)))
