"""NumPy's functions added for "TensorFlow and NumPy code runs unchanged": a gradient table
(first and second order against float64 finite differences, float32 kept, batched
cotangents, every backend), values against NumPy, and the errors for bad input."""

import warnings

import numpy as np
import pytest

import multigrad as mg

from optable import Case, distinct, positive, table_tests


def sorted_points(a):
    """Strictly increasing sample points (interp's xp, trapezoid's x)."""
    return np.cumsum(np.abs(a) + 0.3, axis=-1) - 1.0


def with_nans(a):
    a = a.copy()
    a.flat[::3] = np.nan          # never a whole slice of the shapes used below
    return a


def symmetric_stack(a):
    return a + np.swapaxes(a, -1, -2)


def sym(a):
    return (a + mg.matrix_transpose(a)) * 0.5


X = np.array([-1.7, -0.9, 0.2, 0.6, 1.3, 2.1])      # interp query points, between the knots

CASES = [
    Case("diff", lambda x: mg.diff(x), [(3, 5)]),
    Case("diff-n2-axis0", lambda x: mg.diff(x, n=2, axis=0), [(4, 3)]),
    Case("diff-prepend-append", lambda x, p: mg.diff(x, prepend=p, append=0.5), [(2, 4), (2, 1)]),
    Case("ediff1d", lambda x: mg.ediff1d(x, to_begin=[1.0], to_end=x[0, :2]), [(2, 3)]),
    Case("gradient", lambda x: mg.gradient(x, 0.5)[1] * mg.gradient(x)[0], [(3, 4)]),
    Case("gradient-edge2", lambda x: mg.gradient(x, 2.0, axis=-1, edge_order=2), [(2, 5)]),
    Case("append", lambda x, y: mg.append(x, y), [(2, 3), (2,)]),
    Case("append-axis", lambda x, y: mg.append(x, y, axis=0), [(2, 3), (1, 3)]),
    Case("trapezoid-dx", lambda y: mg.trapezoid(y, dx=0.3, axis=0), [(4, 3)]),
    Case("trapezoid-x", lambda y, x: mg.trapezoid(y, x=x), [(2, 5), (5,)]),
    Case("interp-fp-x", lambda fp, x: mg.interp(
        mg.cast(mg.constant(X), fp.dtype) + x * 0.1,
        mg.cast(mg.constant(sorted_points(np.linspace(-1.0, 1.0, 6))), fp.dtype), fp),
         [(6,), (6,)]),
    Case("interp-x", lambda x: mg.interp(x * 0.1 + mg.cast(mg.constant(X), x.dtype), mg.cast(mg.constant(
        [-2.0, -1.0, 0.0, 1.0, 2.5]), x.dtype), [1.0, -1.0, 0.5, 2.0, 0.0]), [(6,)]),
    Case("dstack", lambda x, y: mg.dstack([x, y]), [(2, 3), (2, 3)]),
    Case("dstack-one-array", lambda x: mg.dstack(x), [(2, 3, 2)]),
    Case("vstack-one-array", lambda x: mg.vstack(x) * mg.hstack(x)[:2], [(2, 2)]),
    Case("column_stack-one-array", lambda x: mg.column_stack(x), [(2, 3)]),
    Case("row_stack", lambda x, y: mg.row_stack([x, y]), [(3,), (2, 3)]),
    Case("dsplit", lambda x: mg.dsplit(x, [1])[1] * 2.0, [(2, 2, 3)]),
    Case("rollaxis", lambda x: mg.rollaxis(x, 2, 0), [(2, 3, 4)]),
    Case("select", lambda x, y: mg.select([x > 0.5, x < -0.5], [x * y, y ** 2], default=x),
         [(3, 4), (4,)], domain=lambda a: np.where(np.abs(np.abs(a) - 0.5) < 0.1, a + 0.3, a)),
    Case("piecewise", lambda x: mg.piecewise(x, [x < 0, x > 1], [mg.sin, lambda t: t * t,
                                                                  lambda t: mg.exp(t)]),
         [(7,)], domain=lambda a: np.where(np.abs(a) < 0.1, a + 0.3, a)),
    Case("partition", lambda x: mg.partition(x, 2) * mg.constant([1.0, 2, 3, 4]), [(3, 4)],
         domain=distinct),
    Case("median", lambda x: mg.median(x, axis=1), [(3, 4)], domain=distinct),
    Case("quantile", lambda x: mg.quantile(x, [0.2, 0.75], axis=0, keepdims=True), [(5, 2)],
         domain=distinct),
    Case("quantile-q", lambda x, q: mg.quantile(x, mg.sigmoid(q)), [(5,), (2,)],
         domain=lambda a: distinct(a) if a.shape == (5,) else a),
    Case("percentile-nearest", lambda x: mg.percentile(x, 30.0, axis=-1, method="nearest"),
         [(2, 5)], domain=distinct),
    Case("nanmedian", lambda x: mg.nanmedian(x, axis=0), [(3, 4)],
         domain=lambda a: with_nans(distinct(a))),
    Case("nanquantile", lambda x: mg.nanquantile(x, 0.3), [(3, 3)],
         domain=lambda a: with_nans(distinct(a))),
    Case("nansum", lambda x: mg.nansum(x, axis=1), [(3, 4)], domain=with_nans),
    Case("nanmean", lambda x: mg.nanmean(x, axis=0, keepdims=True), [(3, 4)], domain=with_nans),
    Case("nanmax", lambda x: mg.nanmax(x, axis=1), [(3, 4)], domain=lambda a: with_nans(distinct(a))),
    Case("nanmin", lambda x: mg.nanmin(x), [(3, 4)], domain=lambda a: with_nans(distinct(a))),
    Case("nanprod", lambda x: mg.nanprod(x, axis=0), [(3, 4)], domain=with_nans),
    Case("nanvar", lambda x: mg.nanvar(x, axis=1, ddof=1), [(3, 4)], domain=with_nans),
    Case("nanstd", lambda x: mg.nanstd(x, axis=0), [(3, 4)], domain=with_nans),
    Case("nancumsum", lambda x: mg.nancumsum(x, axis=1), [(2, 4)], domain=with_nans),
    Case("nancumprod", lambda x: mg.nancumprod(x), [(2, 3)], domain=with_nans),
    Case("cumsum-exclusive-reverse", lambda x: mg.cumsum(x, axis=1, exclusive=True,
                                                          reverse=True), [(2, 4)]),
    Case("cumprod-exclusive", lambda x: mg.cumprod(x, axis=0, exclusive=True), [(3, 2)]),
    Case("average-returned", lambda x, w: mg.average(x, axis=0, weights=mg.exp(w),
                                                      returned=True)[0] *
         mg.average(x, axis=0, weights=mg.exp(w), returned=True)[1], [(3, 2), (3, 2)]),
    Case("polyval", lambda p, x: mg.polyval(p, x), [(4,), (2, 3)]),
    Case("polyadd-polysub", lambda p, q: mg.polyadd(p, q) * mg.polysub(q, p), [(3,), (2,)]),
    Case("polymul", lambda p, q: mg.polymul(p, q), [(3,), (2,)]),
    Case("polyder-polyint", lambda p: mg.polyder(p, 2) + mg.polyint(p, k=[1.0])[:2], [(4,)]),
    Case("convolve-full", lambda a, v: mg.convolve(a, v), [(5,), (3,)]),
    Case("convolve-same", lambda a, v: mg.convolve(a, v, mode="same"), [(2,), (4,)]),
    Case("correlate-valid", lambda a, v: mg.correlate(a, v), [(5,), (2,)]),
    Case("correlate-same-longer-v", lambda a, v: mg.correlate(a, v, "same"), [(2,), (5,)]),
    Case("linspace-tensor-endpoints", lambda a, b: mg.linspace(a, b, 4, axis=-1), [(2,), (3, 1)]),
    Case("linspace-no-endpoint", lambda a: mg.linspace(a, 2.0, 3, endpoint=False), [()]),
    Case("logspace", lambda a, b: mg.logspace(a, b, 3, base=2.0), [(2,), (2,)]),
    Case("geomspace", lambda a, b: mg.geomspace(a, b, 4), [(2,), (2,)], domain=positive),
    Case("cross-axes", lambda a, b: mg.cross(a, b, axisa=0, axisb=-1, axisc=0), [(3, 2), (2, 3)]),
    Case("cross-2d-vectors", lambda a, b: mg.cross(a, b), [(4, 2), (4, 2)]),
    Case("einsum-interleaved", lambda a, b: mg.einsum(a, [0, 1], b, [1, 2], [0, 2]),
         [(2, 3), (3, 2)]),
    # symmetric inputs: the functions differentiated see (a + a^T) / 2
    Case("eigvalsh", lambda a: mg.linalg.eigvalsh(sym(a)), [(2, 3, 3)], domain=symmetric_stack),
    Case("eigvalsh-repeated", lambda a: mg.linalg.eigvalsh(sym(a) * 1e-3 + mg.cast(mg.constant(
        np.diag([1.0, 1.0, 2.0])), a.dtype)), [(3, 3)], order=1),
    Case("svdvals", lambda a: mg.linalg.svd(a, compute_uv=False), [(3, 2)]),
    Case("matrix_power", lambda a: mg.linalg.matrix_power(a, 3), [(2, 2, 2)]),
    Case("matrix_power-negative", lambda a: mg.linalg.matrix_power(a, -2),
         [(2, 2)], domain=lambda a: a + 3 * np.eye(2)),
    Case("multi_dot", lambda a, b, c: mg.linalg.multi_dot([a, b, c]), [(3,), (3, 2), (2,)]),
    Case("cond", lambda a: mg.linalg.cond(a), [(3, 3)]),
    Case("cond-fro", lambda a: mg.linalg.cond(a, "fro"), [(2, 2)], domain=lambda a: a + 2 * np.eye(2)),
    Case("tensorinv", lambda a: mg.linalg.tensorinv(a, ind=1), [(4, 2, 2)],
         domain=lambda a: a + 3 * np.eye(4).reshape(4, 2, 2)),
    Case("tensorsolve", lambda a, b: mg.linalg.tensorsolve(a, b),
         [(2, 2, 4), (2, 2)], domain=lambda a: a if a.ndim < 3 else a + 3 * np.eye(4).reshape(2, 2, 4)),
    Case("vector_norm-axes", lambda x: mg.linalg.vector_norm(x, axis=(0, 2), ord=3),
         [(2, 3, 2)], domain=positive),
    Case("matrix_norm", lambda x: mg.linalg.matrix_norm(x), [(2, 2, 3)]),
    Case("vecdot-trace-diagonal", lambda x, y: mg.linalg.vecdot(x, y) + mg.linalg.trace(x)[:, None]
         + mg.linalg.diagonal(y), [(2, 3, 3), (3, 3)]),
    Case("copysign", lambda x, y: mg.copysign(x, y) * x, [(3,), (3,)],
         domain=lambda a: np.where(np.abs(a) < 0.1, 0.3, a)),
    Case("vecdot-matvec-vecmat", lambda m, v: mg.vecdot(m, v) + mg.matvec(m, v)
         + mg.vecmat(v, mg.matrix_transpose(m)), [(2, 3, 3), (3,)]),
    Case("meshgrid", lambda x, y: mg.meshgrid(x, y)[0] * mg.meshgrid(x, y, indexing="ij")[1].T,
         [(3,), (2,)]),
    Case("broadcast_arrays-unstack", lambda x, y: mg.unstack(
        mg.broadcast_arrays(x, y)[1], axis=1)[0] * x[:, 0], [(2, 3), (3,)]),
    Case("cov-corrcoef", lambda x: mg.cov(x) + mg.corrcoef(x, rowvar=False)[:2, :2], [(2, 4)]),
    Case("diagflat-vander", lambda x: mg.diagflat(x, k=1)[:3, :3] + mg.vander(x, 3), [(3,)]),
    Case("fftshift", lambda x: mg.fft.fftshift(x) * mg.fft.ifftshift(x, axes=0), [(3, 4)]),
    Case("hfft", lambda x: mg.fft.hfft(x * (1 + 1j), 6), [(4,)]),
    Case("ihfft", lambda x: mg.real(mg.fft.ihfft(x)) + mg.imag(mg.fft.ihfft(x)), [(5,)]),
]

(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)


# --- values against NumPy ----------------------------------------------------------------

RNG = np.random.default_rng(3)
A = RNG.standard_normal((3, 4))
A3 = RNG.standard_normal((2, 3, 4))
V5, V3 = RNG.standard_normal(5), RNG.standard_normal(3)
NAN = A.copy()
NAN[0, :2] = np.nan
NAN[2, :] = np.nan

VALUES = [
    ("diff", lambda m: m.diff(A, n=2, axis=0, prepend=0.0, append=A[:1])),
    ("ediff1d", lambda m: m.ediff1d(A, to_begin=[1.0, 2.0], to_end=3.0)),
    ("gradient", lambda m: m.gradient(A, 0.5, 2.0)[1]),
    ("gradient-axis-edge2", lambda m: m.gradient(A, axis=0, edge_order=2)),
    ("append", lambda m: m.append(A, V3)),
    ("trapezoid", lambda m: m.trapezoid(A, x=np.sort(A[0]))),
    ("interp-left-right", lambda m: m.interp(np.linspace(-3, 3, 9), np.sort(V5), V5,
                                             left=-9.0, right=9.0)),
    ("dstack-one-array", lambda m: m.dstack(A3)),
    ("vstack-one-array", lambda m: m.vstack(A3)),
    ("hstack-one-array", lambda m: m.hstack(A3)),
    ("column_stack-one-array", lambda m: m.column_stack(A)),
    ("rollaxis", lambda m: m.rollaxis(A3, -1, 1)),
    ("select", lambda m: m.select([A > 0.5, A < 0], [A * 2, A ** 2], default=-1.0)),
    ("partition-kth", lambda m: m.partition(A, 2, axis=1)[:, 2]),
    ("quantile-tuple-axis", lambda m: m.quantile(A3, [0.1, 0.9], axis=(0, 2), keepdims=True)),
    ("percentile-lower", lambda m: m.percentile(A, 35, axis=1, method="lower")),
    ("percentile-higher", lambda m: m.percentile(A, 35, axis=1, method="higher")),
    ("quantile-midpoint", lambda m: m.quantile(A, 0.35, axis=0, method="midpoint")),
    ("median", lambda m: m.median(A3, axis=-1)),
    ("nanmedian", lambda m: m.nanmedian(NAN, axis=1)),
    ("nanpercentile", lambda m: m.nanpercentile(NAN, [20, 80], axis=0)),
    ("nansum", lambda m: m.nansum(NAN, axis=0)),
    ("nanmean", lambda m: m.nanmean(NAN, axis=1)),
    ("nanmax", lambda m: m.nanmax(NAN, axis=1, keepdims=True)),
    ("nanmin", lambda m: m.nanmin(NAN, axis=0)),
    ("nanprod", lambda m: m.nanprod(NAN, axis=1)),
    ("nanvar-ddof", lambda m: m.nanvar(NAN, axis=1, ddof=1)),
    ("nanstd", lambda m: m.nanstd(NAN)),
    ("nancumsum", lambda m: m.nancumsum(NAN, axis=1)),
    ("nancumprod", lambda m: m.nancumprod(NAN)),
    ("nanargmax", lambda m: m.nanargmax(NAN, axis=0)),
    ("nanargmin", lambda m: m.nanargmin(NAN[:2], axis=1)),
    ("polyval", lambda m: m.polyval(V3, A)),
    ("polymul", lambda m: m.polymul(V5, V3)),
    ("polyint", lambda m: m.polyint(V3, 2, k=[1.0, 2.0])),
    ("polyder", lambda m: m.polyder(V5, 3)),
    ("convolve-same", lambda m: m.convolve(V3, V5, "same")),
    ("correlate-full", lambda m: m.correlate(V5, V3, "full")),
    ("correlate-same-longer-v", lambda m: m.correlate(V3, V5, "same")),
    ("cross-axes", lambda m: m.cross(A[:, :3], A3[0, :, :3], axisa=0, axisb=1, axisc=0)),
    ("einsum-interleaved", lambda m: m.einsum(A, [0, 1], A3, [2, 0, 1], [2])),
    ("einsum-optimize", lambda m: m.einsum("ij,kij->k", A, A3, optimize="greedy")),
    ("linspace-arrays", lambda m: m.linspace(A[0], A[1] + 3, 5, axis=1)),
    ("linspace-no-endpoint", lambda m: m.linspace(0.0, 1.0, 4, endpoint=False)),
    ("logspace", lambda m: m.logspace(0.0, 2.0, 5, base=3.0)),
    ("geomspace-negative", lambda m: m.geomspace(-1.0, -1000.0, 4)),
    ("fix", lambda m: m.fix(A * 3)),
    ("float_power", lambda m: m.float_power(np.abs(A), 1.5)),
    ("cov-y-ddof", lambda m: m.cov(A, A[::-1], ddof=2)),
    ("corrcoef", lambda m: m.corrcoef(A, rowvar=False)),
    ("vander", lambda m: m.vander(V3, 4, increasing=True)),
    ("diagflat", lambda m: m.diagflat(A[:2, :2], k=-1)),
    ("average-returned", lambda m: m.average(A, axis=1, weights=V5[:4] ** 2, returned=True)[1]),
]


def _np(name, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(np)


@pytest.mark.parametrize("name,fn", VALUES, ids=[v[0] for v in VALUES])
def test_values_match_numpy(backend, name, fn):
    with warnings.catch_warnings():     # the all-NaN rows warn, as NumPy's own functions do
        warnings.simplefilter("ignore", RuntimeWarning)
        got = fn(mg).numpy()
    np.testing.assert_allclose(got, _np(name, fn), rtol=1e-5, atol=1e-6)


def test_argsort_is_stable_ascending_and_descending(backend):
    x = mg.to_backend(np.array([3, 1, 2, 1, 3]), backend)
    assert mg.argsort(x).numpy().tolist() == [1, 3, 2, 0, 4]
    assert mg.argsort(x, descending=True).numpy().tolist() == [0, 4, 2, 1, 3]
    assert mg.argsort(mg.reshape(x, (5, 1)), axis=None).numpy().tolist() == [1, 3, 2, 0, 4]
    assert not mg.argsort.differentiable and not mg.argpartition.differentiable


def test_float_power_is_float64_and_differentiable():
    x = mg.constant(np.float32([1.0, 4.0]))
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.float_power(x, 0.5)
    assert y.dtype == mg.float64
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.5, 0.25])


def test_argpartition_puts_kth_in_place():
    idx = mg.argpartition(A[0], 1).numpy()
    assert A[0][idx[1]] == np.sort(A[0])[1]


def test_cumsum_flags_match_tensorflow_definitions(backend):
    x = mg.to_backend(np.arange(1.0, 5.0), backend)
    assert mg.cumsum(x, exclusive=True).numpy().tolist() == [0, 1, 3, 6]
    assert mg.cumsum(x, reverse=True).numpy().tolist() == [10, 9, 7, 4]
    assert mg.cumsum(x, exclusive=True, reverse=True).numpy().tolist() == [9, 7, 4, 0]
    assert mg.cumprod(x, exclusive=True).numpy().tolist() == [1, 1, 2, 6]
    assert mg.cumsum(mg.constant([1, 2]), dtype=mg.float64).dtype == mg.float64


def test_linalg_additions_match_numpy():
    s = A3[:, :3, :3] + np.swapaxes(A3[:, :3, :3], -1, -2)
    np.testing.assert_allclose(mg.linalg.eigvalsh(s).numpy(), np.linalg.eigvalsh(s))
    np.testing.assert_allclose(mg.linalg.svd(A, compute_uv=False).numpy(),
                               np.linalg.svd(A, compute_uv=False))
    for n in (-3, -1, 0, 1, 4):
        np.testing.assert_allclose(mg.linalg.matrix_power(s, n).numpy(),
                                   np.linalg.matrix_power(s, n), rtol=1e-6, atol=1e-8)
    assert int(mg.linalg.matrix_rank(np.diag([1.0, 0.0, 2.0])).numpy()) == 2
    np.testing.assert_allclose(mg.linalg.cond(s).numpy(), np.linalg.cond(s))
    np.testing.assert_allclose(mg.linalg.multi_dot([V3, A, V5[:4]]).numpy(),
                               np.linalg.multi_dot([V3, A, V5[:4]]))
    np.testing.assert_allclose(mg.linalg.vector_norm(A3, axis=(0, 2)).numpy(),
                               np.linalg.vector_norm(A3, axis=(0, 2)))
    assert mg.linalg.tensordot is mg.tensordot and mg.linalg.matmul is mg.matmul


def test_eigvalsh_gradient_is_defined_at_a_repeated_eigenvalue():
    a = mg.constant(np.eye(3))
    with mg.GradientTape() as tape:
        tape.watch(a)
        w = mg.linalg.eigvalsh(a)
        loss = mg.sum(w * mg.constant([1.0, 1.0, 1.0]))
    g = tape.gradient(loss, a).numpy()
    np.testing.assert_allclose(g, np.eye(3), atol=1e-12)      # d trace / dA = I


def test_fft_helpers_match_numpy(backend):
    x = mg.to_backend(A, backend)
    for axes in (None, 0, (1,), (0, 1)):
        np.testing.assert_allclose(mg.fft.fftshift(x, axes=axes).numpy(),
                                   np.fft.fftshift(A, axes=axes))
        np.testing.assert_allclose(mg.fft.ifftshift(x, axes=axes).numpy(),
                                   np.fft.ifftshift(A, axes=axes))
    for n in (1, 4, 7):
        np.testing.assert_allclose(mg.fft.fftfreq(n, 0.1).numpy(), np.fft.fftfreq(n, 0.1),
                                   rtol=1e-6)
        np.testing.assert_allclose(mg.fft.rfftfreq(n).numpy(), np.fft.rfftfreq(n), rtol=1e-6)
    z = A + 1j * A[::-1]
    for norm in (None, "ortho", "forward"):
        np.testing.assert_allclose(mg.fft.hfft(z, 6, norm=norm).numpy(),
                                   np.fft.hfft(z, 6, norm=norm), atol=1e-12)
        np.testing.assert_allclose(mg.fft.ihfft(A, norm=norm).numpy(),
                                   np.fft.ihfft(A, norm=norm), atol=1e-12)
    assert not mg.fft.fftfreq.differentiable and mg.fft.fftshift.differentiable


def test_linspace_defaults_and_gradients():
    assert mg.linspace(0, 1, 5).dtype == mg.float64          # integer endpoints: TF and NumPy
    assert mg.linspace(0.0, 1.0, 5).dtype == mg.float32      # Python floats: TF's float32
    y, step = mg.linspace(0.0, 1.0, 5, retstep=True)
    assert step == 0.25 and float(y.numpy()[-1]) == 1.0
    a = mg.constant(np.array([0.0, 1.0]))
    with mg.GradientTape() as tape:
        tape.watch(a)
        out = mg.sum(mg.linspace(a, 2.0, 3))
    np.testing.assert_allclose(tape.gradient(out, a).numpy(), [1.5, 1.5])


def test_nan_reductions_give_zero_gradient_at_nans_and_nan_for_all_nan_slices():
    x = mg.constant(NAN)
    with mg.GradientTape() as tape:
        tape.watch(x)
        out = mg.sum(mg.nanmean(x, axis=0)) + mg.nansum(x)
    g = tape.gradient(out, x).numpy()
    assert np.all(g[np.isnan(NAN)] == 0) and np.all(np.isfinite(g))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f in ("nanmax", "nanmin", "nanmean", "nanvar", "nanstd", "nanmedian"):
            got = getattr(mg, f)(NAN, axis=1).numpy()
            assert np.isnan(got[2]) and np.isfinite(got[:2]).all(), f
        assert mg.nansum(NAN, axis=1).numpy()[2] == 0 and mg.nanprod(NAN, axis=1).numpy()[2] == 1


def test_piecewise_functions_see_only_their_elements():
    x = mg.constant(np.array([-4.0, -1.0, 0.5, 2.0]))
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.piecewise(x, [x < 0], [lambda t: mg.sqrt(-t), lambda t: mg.log(t)])
        total = mg.sum(y)
    g = tape.gradient(total, x).numpy()
    np.testing.assert_allclose(y.numpy(), [2.0, 1.0, np.log(0.5), np.log(2.0)])
    np.testing.assert_allclose(g, [-0.25, -0.5, 2.0, 0.5])      # no NaN from sqrt/log elsewhere


ERRORS = [
    (lambda: mg.diff(A, n=-1), ValueError, "mg.diff: order must be non-negative"),
    (lambda: mg.diff(mg.constant(1.0)), ValueError, "at least one dimensional"),
    (lambda: mg.diff(A, n=1.5), TypeError, "mg.diff: n must be an integer"),
    (lambda: mg.gradient(A, edge_order=3), ValueError, "edge_order must be 1 or 2"),
    (lambda: mg.gradient(A, np.arange(3.0)), NotImplementedError, "only scalar spacings"),
    (lambda: mg.gradient(A, 1.0, 2.0, 3.0), TypeError, "3 spacings given for 2 axes"),
    (lambda: mg.gradient(A[:, :2], axis=1, edge_order=2), ValueError, "needs at least 3"),
    (lambda: mg.trapezoid(A, x=V3), ValueError, "x has 3 points but axis 1 of y has 4"),
    (lambda: mg.interp(V3, A, A), ValueError, "xp and fp must be 1-D of the same length"),
    (lambda: mg.interp(V3, V3, V3, period=2.0), NotImplementedError, "period"),
    (lambda: mg.select([A > 0], [A, A]), ValueError, "condlist has 1 entries but choicelist"),
    (lambda: mg.select([A], [A]), TypeError, "every condition must be boolean"),
    (lambda: mg.piecewise(A, [A > 0], [1, 2, 3]), ValueError, "1 conditions need 1 or 2"),
    (lambda: mg.dsplit(A, 2), ValueError, "mg.dsplit needs at least 3 dimensions"),
    (lambda: mg.rollaxis(A, 0, 3), mg.AxisError, "start 3 is out of bounds"),
    (lambda: mg.vstack(mg.constant(1.0)), TypeError, "one array of at least one dimension"),
    (lambda: mg.partition(V5, 5), ValueError, "kth 5 is out of bounds for an axis of size 5"),
    (lambda: mg.argsort(V5, order="x"), TypeError, "order="),
    (lambda: mg.quantile(A, 1.5), ValueError, "quantiles must be in the range [0, 1]"),
    (lambda: mg.percentile(A, -1), ValueError, "percentiles must be in the range [0, 100]"),
    (lambda: mg.quantile(A, 0.5, method="weibull"), ValueError, "method must be one of"),
    (lambda: mg.median(A, out=A), TypeError, "out= is not supported"),
    (lambda: mg.nanargmax(NAN, axis=1), ValueError, "All-NaN slice encountered"),
    (lambda: mg.nansum(A, out=A), TypeError, "out= is not supported"),
    (lambda: mg.cumsum(A, out=A), TypeError, "mg.cumsum: out= is not supported"),
    (lambda: mg.convolve(A, V3), ValueError, "both inputs must be 1-D"),
    (lambda: mg.convolve(V3, V3[:0]), ValueError, "inputs must not be empty"),
    (lambda: mg.correlate(V3, V3, "circular"), ValueError, "mode must be 'full', 'same'"),
    (lambda: mg.polyval(A, 1.0), ValueError, "coefficients must be 1-D"),
    (lambda: mg.polyint(V3, 2, k=[1.0]), ValueError, "k must have 2 entries"),
    (lambda: mg.polyder(V3, -1), ValueError, "must be non-negative"),
    (lambda: mg.linspace(0.0, 1.0, -2), ValueError, "num must be non-negative"),
    (lambda: mg.geomspace(0.0, 1.0, 3), ValueError, "cannot include zero"),
    (lambda: mg.geomspace(-1.0, 1.0, 3), ValueError, "must have the same sign"),
    (lambda: mg.geomspace(mg.constant([1.0, -1.0]), 2.0, 3), ValueError, "same sign"),
    (lambda: mg.cross(A, A), ValueError, "must have size 2 or 3 along axis -1"),
    (lambda: mg.einsum(A, [0, 99]), ValueError, "sublist entry 99 is out of range"),
    (lambda: mg.einsum(A, [0, "i"]), TypeError, "sublist entries must be integers"),
    (lambda: mg.linalg.eigvalsh(A), ValueError, "expects square matrices"),
    (lambda: mg.linalg.eigvalsh(np.eye(2), UPLO="X"), ValueError, "UPLO must be 'L' or 'U'"),
    (lambda: mg.linalg.matrix_power(np.eye(2), 0.5), TypeError, "n must be an integer"),
    (lambda: mg.linalg.multi_dot([A]), ValueError, "at least two arrays"),
    (lambda: mg.linalg.multi_dot([A, A3, A]), ValueError, "inner arrays must be 2-D"),
    (lambda: mg.linalg.tensorinv(A, ind=1), ValueError, "is not square"),
    (lambda: mg.linalg.outer(A, V3), ValueError, "expects 1-D vectors"),
    (lambda: mg.meshgrid(V3, indexing="xyz"), ValueError, "indexing must be 'xy' or 'ij'"),
    (lambda: mg.broadcast_arrays(A, V3), ValueError, "do not broadcast"),
    (lambda: mg.cov(A3), ValueError, "m must be 1-D or 2-D"),
    (lambda: mg.fft.fftfreq(0), ValueError, "n must be positive"),
    (lambda: mg.fft.hfft(V3, norm="both"), ValueError, "norm must be"),
]


@pytest.mark.parametrize("call,error,message", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_bad_input_raises_a_clear_error(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
