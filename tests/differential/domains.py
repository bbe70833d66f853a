"""Input domains: how fresh inputs are drawn, and whether a value lies well inside one.

Margins are wide compared with the finite-difference step (1e-6 relative), so a
central difference never straddles a kink, a tie or a domain edge.
"""

import numpy as np

MARGIN = 0.15

# Smooth maps of any real value into a domain: (fn(xp, x), repro text).
ADAPTERS = {
    "positive": (lambda xp, x: xp.square(x) + 0.5, "mg.square({0}) + 0.5"),
    "nonzero": (lambda xp, x: xp.square(x) + 0.5, "mg.square({0}) + 0.5"),
    "gt1": (lambda xp, x: xp.square(x) + 1.4, "mg.square({0}) + 1.4"),
    "unit": (lambda xp, x: xp.tanh(x) * 0.8, "mg.tanh({0}) * 0.8"),
    "small": (lambda xp, x: xp.tanh(x) * 1.5, "mg.tanh({0}) * 1.5"),
}


def _complex(rng, shape, scale=0.7):
    return scale * (rng.standard_normal(shape) + 1j * rng.standard_normal(shape))


def _sample_real(rng, shape, domain):
    n = rng.standard_normal(shape)
    if domain == "positive":
        return np.abs(n) + 0.5
    if domain == "nonzero":
        return np.where(n < 0, -1.0, 1.0) * (np.abs(n) + 0.4)
    if domain == "unit":
        return 0.8 * np.tanh(n)
    if domain == "small":
        return 1.5 * np.tanh(n)
    if domain == "gt1":
        return 1.4 + np.abs(n)
    if domain == "distinct":
        flat = rng.permutation(int(np.prod(shape))).astype(np.float64)
        return ((flat - flat.size / 2) * 0.6 + 0.13).reshape(shape)
    if domain == "frac":
        return np.round(2 * n) + rng.uniform(0.25, 0.75, shape)
    if domain == "wellcond":
        return _wellcond(rng, shape)
    return n


def _wellcond(rng, shape):
    """Near a multiple of the identity (square) or of a partial identity: cond < ~4."""
    n = rng.standard_normal(shape)
    if len(shape) < 2:
        return n
    rows, cols = shape[-2:]
    eye = np.eye(rows, cols) * 2.0 * np.where(rng.random(shape[:-2] + (1, 1)) < 0.5, -1, 1)
    return eye + 0.3 * n / np.sqrt(max(rows, cols, 1))


def _sample_complex(rng, shape, domain):
    z = _complex(rng, shape)
    if domain == "positive":            # right half-plane: away from the branch cuts
        return (np.abs(z.real) + 0.5) + 0.5j * z.imag
    if domain == "nonzero":
        r = 0.5 + rng.random(shape)
        return r * np.exp(2j * np.pi * rng.random(shape))
    if domain in ("unit", "small"):
        r = (0.6 if domain == "unit" else 1.2) * rng.random(shape)
        return r * np.exp(2j * np.pi * rng.random(shape))
    if domain == "wellcond":
        return _wellcond(rng, shape) + 0.2j * rng.standard_normal(shape)
    return z


def sample(rng, shape, domain, dtype):
    if dtype.startswith("complex"):
        a = _sample_complex(rng, shape, domain)
    else:
        a = _sample_real(rng, shape, domain)
    return np.asarray(a).astype(dtype)


def gaps_ok(a, axis=None, margin=MARGIN / 3):
    """Every slice along ``axis`` (all of ``a`` when None) has values ``margin`` apart."""
    a = np.asarray(a)
    if a.dtype.kind == "c":
        return False
    if a.size == 0:
        return True
    s = np.sort(a.reshape(-1) if axis is None else a, axis=-1 if axis is None else axis)
    d = np.diff(s, axis=-1 if axis is None else axis)
    return d.size == 0 or float(np.min(d)) > margin * max(1.0, float(np.max(np.abs(a))))


def _cond_ok(a):
    if a.ndim < 2 or a.size == 0:
        return a.ndim >= 2
    with np.errstate(all="ignore"):
        c = np.linalg.cond(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
    return bool(np.all(np.isfinite(c)) and np.max(c) < 20)


def inside(a, domain):
    a = np.asarray(a)
    if a.size == 0:
        return domain != "wellcond"
    if domain == "wellcond":
        return _cond_ok(a)
    if domain == "distinct":
        return gaps_ok(a)
    m = np.abs(a)
    if a.dtype.kind == "c":
        checks = {"positive": lambda: a.real.min() > 0.3, "nonzero": lambda: m.min() > 0.3,
                  "unit": lambda: m.max() < 0.6, "small": lambda: m.max() < 1.5,
                  "frac": lambda: False, "gt1": lambda: False}
    else:
        frac = a - np.floor(a) if np.isfinite(a).all() else a * np.nan
        checks = {"positive": lambda: a.min() > 0.3, "nonzero": lambda: m.min() > 0.3,
                  "unit": lambda: m.max() < 0.85, "small": lambda: m.max() < 2.5,
                  "gt1": lambda: a.min() > 1.3,
                  "frac": lambda: frac.min() > 0.1 and frac.max() < 0.9}
    ok = checks.get(domain, lambda: bool(m.max() < 30))
    return bool(ok())
