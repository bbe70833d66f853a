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
    Case("fftshift", lambda x: mg.fft.fftshift(x) * mg.fft.ifftshift(x, axes=0), [(3, 4)]),
    Case("hfft", lambda x: mg.fft.hfft(x * (1 + 1j), 6), [(4,)]),
    Case("ihfft", lambda x: mg.real(mg.fft.ihfft(x)) + mg.imag(mg.fft.ihfft(x)), [(5,)]),
]

(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)
