"""The spectral family on real and complex matrices (issue 22): eigh/eigvalsh reading one
triangle of a non-symmetric input, the SVD through gauge-invariant functions of its
vectors, and the functions built on them (pinv, the nuclear and 2-norms, slogdet, qr).

Each op spreads its matrix (``0.1 x + D``, D a diagonal of well-separated values) so that
eigen/singular values stay apart, and rejects a draw whose values come too close: the
vector terms divide by their differences. Functions of the vectors are invariant to each
vector's phase (|V|^2, u_i v_i^H), so finite differences of NumPy's own decomposition are
a valid oracle. The reference (NumPy) reads the same triangle as multigrad.
"""

import numpy as np
from hypothesis import strategies as st

from .catalogue import op
from .domains import gaps_ok
from .program import Const, Reject

SHAPES = {"square": [(2, 2), (3, 3), (2, 3, 3)], "any": [(3, 2), (2, 3), (3, 3), (2, 2, 3)]}
KINDS = ["eigvalsh", "eigh_vectors", "svdvals", "svd_u", "svd_vh", "svd_pair", "nuc", "two",
         "pinv", "slogdet", "qr_q"]
SQUARE_ONLY = {"eigvalsh", "eigh_vectors", "slogdet"}


def _spread_diagonal(shape):
    m, n = shape[-2:]
    d = np.zeros(shape)
    k = min(m, n)
    # gaps of 0.5 (the generator's margin is 0.3); values near 1 keep the loss, and so
    # the finite differences' rounding error, small
    d[..., range(k), range(k)] = np.arange(k, 0, -1) * 0.5 + 0.25
    return d


def _spread(b, x, square):
    """``0.1 x + D`` for a matrix ``x`` of a fitting shape, else for a fresh input."""
    fits = x.ndim in (2, 3) and 1 <= x.ref.size <= 18 and min(x.shape[-2:]) >= 1 and (
        not square or x.shape[-1] == x.shape[-2])
    if not fits:
        x = b.fresh(b.draw(st.sampled_from(SHAPES["square" if square else "any"])))
    d = Const(_spread_diagonal(x.shape).astype(x.dtype if not x.is_complex else "float64"))
    return b.apply("spread", lambda xp, m, diag: m * 0.1 + diag, [x, d], "{0} * 0.1 + {1}")


def _values_apart(kind, a, uplo):
    if kind in ("eigvalsh", "eigh_vectors"):
        return gaps_ok(np.linalg.eigvalsh(a, uplo), axis=-1, margin=0.3)
    return gaps_ok(np.linalg.svd(a, compute_uv=False), axis=-1, margin=0.3)


def _svd(xp, m, part):
    return xp.linalg.svd(m, full_matrices=False)[part]


FUNCTIONS = {
    "eigvalsh": (lambda xp, m, uplo: xp.linalg.eigvalsh(m, uplo),
                 "mg.linalg.eigvalsh({0}, {uplo!r})"),
    "eigh_vectors": (lambda xp, m, uplo: xp.abs(xp.linalg.eigh(m, UPLO=uplo)[1]) ** 2,
                     "mg.abs(mg.linalg.eigh({0}, UPLO={uplo!r})[1]) ** 2"),
    "svdvals": (lambda xp, m, uplo: _svd(xp, m, 1),
                "mg.linalg.svd({0}, full_matrices=False)[1]"),
    "svd_u": (lambda xp, m, uplo: xp.abs(_svd(xp, m, 0)) ** 2,
              "mg.abs(mg.linalg.svd({0}, full_matrices=False)[0]) ** 2"),
    "svd_vh": (lambda xp, m, uplo: xp.abs(_svd(xp, m, 2)) ** 2,
               "mg.abs(mg.linalg.svd({0}, full_matrices=False)[2]) ** 2"),
    # u_1 v_1^H: invariant to the phase the pair shares, not to either vector's alone
    "svd_pair": (lambda xp, m, uplo: _svd(xp, m, 0)[..., :, :1] * _svd(xp, m, 2)[..., :1, :],
                 "mg.linalg.svd({0}, full_matrices=False)[0][..., :, :1] * "
                 "mg.linalg.svd({0}, full_matrices=False)[2][..., :1, :]"),
    "nuc": (lambda xp, m, uplo: xp.linalg.norm(m, "nuc", axis=(-2, -1)),
            "mg.linalg.norm({0}, 'nuc', axis=(-2, -1))"),
    "two": (lambda xp, m, uplo: xp.linalg.norm(m, 2, axis=(-2, -1)),
            "mg.linalg.norm({0}, 2, axis=(-2, -1))"),
    "pinv": (lambda xp, m, uplo: xp.linalg.pinv(m), "mg.linalg.pinv({0})"),
    "slogdet": (lambda xp, m, uplo: xp.linalg.slogdet(m)[0] * xp.linalg.slogdet(m)[1],
                "mg.linalg.slogdet({0})[0] * mg.linalg.slogdet({0})[1]"),
    "qr_q": (lambda xp, m, uplo: xp.linalg.qr(m)[0], "mg.linalg.qr({0})[0]"),
}


@op("spectral", "rc", "spectral")
def _spectral(b, x):
    kind = b.draw(st.sampled_from(KINDS))
    uplo = b.draw(st.sampled_from(["L", "U"]))
    a = _spread(b, x, square=kind in SQUARE_ONLY)
    if kind == "qr_q" and a.shape[-2] < a.shape[-1]:
        raise Reject("qr's gradient needs a tall or square matrix")
    if kind not in ("pinv", "slogdet", "qr_q") and not _values_apart(kind, a.ref, uplo):
        raise Reject("close eigen/singular values")
    if np.min(np.linalg.svd(a.ref, compute_uv=False)) < 0.1:
        raise Reject("nearly singular")       # pinv, slogdet, qr: a well-posed gradient
    fn, text = FUNCTIONS[kind]
    return b.apply("linalg." + kind, lambda xp, m: fn(xp, m, uplo), [a],
                   text.replace("{uplo!r}", repr(uplo)))
