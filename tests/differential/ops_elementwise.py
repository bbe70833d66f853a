"""Elementwise unary and broadcasting binary ops, clip, where, and reductions."""

import numpy as np
from hypothesis import strategies as st

from .catalogue import axis, broadcast_partner, one_axis, op, partner, register
from .domains import MARGIN, gaps_ok, inside
from .program import Const, Reject

# (name, dtype kinds, domain of the input): the domain keeps the op smooth with margin.
UNARY = [
    ("negative", "rc", None), ("square", "rc", None), ("exp", "rc", "small"),
    ("expm1", "rc", "small"), ("exp2", "rc", "small"), ("sin", "rc", "small"),
    ("cos", "rc", "small"), ("tan", "rc", "unit"), ("sinh", "rc", "small"),
    ("cosh", "rc", "small"), ("tanh", "rc", "unit"), ("arcsin", "rc", "unit"),
    ("arccos", "rc", "unit"), ("arctan", "rc", "unit"), ("arcsinh", "rc", "unit"),
    ("arccosh", "r", "gt1"), ("arctanh", "rc", "unit"), ("sqrt", "rc", "positive"),
    ("log", "rc", "positive"), ("log2", "rc", "positive"), ("log10", "rc", "positive"),
    ("log1p", "rc", "positive"), ("reciprocal", "rc", "nonzero"), ("abs", "rc", "nonzero"),
    ("cbrt", "r", "nonzero"), ("erf", "r", "small"), ("sinc", "r", "nonzero"),
    ("deg2rad", "r", None), ("rad2deg", "r", None), ("conj", "rc", None),
    ("real", "rc", None), ("imag", "rc", None), ("angle", "c", "positive"),
    ("floor", "r", "frac"), ("round", "r", "frac"),
    ("nn.sigmoid", "r", "small"), ("nn.softplus", "r", "small"), ("nn.relu", "r", "nonzero"),
    ("nn.elu", "r", "nonzero"), ("nn.leaky_relu", "r", "nonzero"), ("nn.gelu", "r", "small"),
]


def _unary(path, domain):
    def plan(b, x):
        x = b.ensure(x, domain) if domain else x
        return b.call(path, path, x)
    return plan


for _name, _kinds, _domain in UNARY:
    register(_name, _kinds, _unary(_name, _domain), "unary")


@op("nn.gelu_tanh", "r", "unary")
def _gelu_tanh(b, x):
    return b.call("nn.gelu", "nn.gelu", b.ensure(x, "small"), approximate=True)


@op("softmax", "r", "unary")
def _softmax(b, x):
    if x.ndim == 0:
        raise Reject("softmax of a scalar")
    name = b.draw(st.sampled_from(["nn.softmax", "nn.log_softmax"]))
    return b.call(name, name, b.ensure(x, "small"))


@op("power_scalar", "rc", "unary")
def _power_scalar(b, x):
    p = b.draw(st.sampled_from([2, 3, -1, 0.5, 2.5, -1.5]))
    domain = {2: None, 3: None, -1: "nonzero"}.get(p, "positive")
    x = b.ensure(x, domain) if domain else x
    return b.apply("power", lambda xp, a: a ** p, [x], "{0} ** " + repr(p))


def _cut_points(values):
    """Midpoints of wide gaps between sorted values: clip bounds far from every value."""
    s = np.unique(values.reshape(-1))
    mids = [(lo + hi) / 2 for lo, hi in zip(s[:-1], s[1:]) if hi - lo > 2 * MARGIN]
    return [None] + [float(np.round(m, 3)) for m in mids] + [None]


@op("clip", "r", "unary")
def _clip(b, x):
    cuts = _cut_points(x.ref)
    i = b.draw(st.integers(0, len(cuts) - 1))
    j = b.draw(st.integers(i, len(cuts) - 1))
    lo, hi = cuts[i] if i else None, cuts[j] if j < len(cuts) - 1 else None
    if lo is None and hi is None:
        lo = -1e6
    return b.call("clip", "clip", x, lo, hi, _tags={"clip_none"} if None in (lo, hi) else ())


# (name, kinds, domain of x, domain of y)
BINARY = [
    ("add", "rc", None, None), ("subtract", "rc", None, None),
    ("multiply", "rc", None, None), ("divide", "rc", None, "nonzero"),
    ("power", "rc", "positive", "small"), ("logaddexp", "r", None, None),
    ("logaddexp2", "r", None, None),
]


def _binary(path, kinds, dx, dy):
    def plan(b, x):
        x = b.ensure(x, dx) if dx else x
        y = partner(b, x, broadcast_partner(b, x.shape), dy or "normal", real=kinds == "r")
        if b.rng.random() < 0.3 and dx == dy:
            x, y = y, x
        if b.rng.random() < 0.2 and path in ("add", "multiply", "subtract", "divide"):
            return b.call(path, path, x, float(np.round(b.rng.uniform(0.5, 2), 2)))
        tags = {"real_base_complex_exponent"} if path == "power" and (
            not x.is_complex and y.is_complex) else ()
        return b.call(path, path, x, y, _tags=tags)
    return plan


for _name, _kinds, _dx, _dy in BINARY:
    register(_name, _kinds, _binary(_name, _kinds, _dx, _dy), "binary")


def _guarded_binary(path, ok):
    """A real binary op smooth only where ``ok(x, y)`` holds (checked on the values)."""
    def plan(b, x):
        y = partner(b, x, broadcast_partner(b, x.shape), real=True)
        if b.rng.random() < 0.5:
            x, y = y, x
        with np.errstate(all="ignore"):
            xv, yv = np.broadcast_arrays(x.ref, y.ref)
            if xv.size and not ok(xv.astype(float), yv.astype(float)):
                raise Reject(path)
        return b.call(path, path, x, y)
    return plan


def _apart(x, y):
    return np.min(np.abs(x - y)) > MARGIN


def _off_cut(y, x):          # arctan2(y, x): away from the origin and the negative x axis
    return np.min(np.hypot(x, y)) > 0.3 and not np.any((x < 0) & (np.abs(y) < MARGIN))


def _frac_ok(q):
    f = q - np.floor(q)
    return np.abs(q).max() < 1e6 and f.min() > 0.05 and f.max() < 0.95


for _name, _ok in [("maximum", _apart), ("minimum", _apart), ("fmax", _apart),
                   ("fmin", _apart), ("arctan2", _off_cut),
                   ("hypot", lambda x, y: np.min(np.hypot(x, y)) > 0.3),
                   ("remainder", lambda x, y: np.min(np.abs(y)) > 0.3 and _frac_ok(x / y)),
                   ("fmod", lambda x, y: np.min(np.abs(y)) > 0.3 and _frac_ok(np.abs(x / y)))]:
    register(_name, "r", _guarded_binary(_name, _ok), "binary")


@op("where", "rc", "binary")
def _where(b, x):
    shape = broadcast_partner(b, x.shape)
    y = partner(b, x, shape)
    cond = b.rng.random(np.broadcast_shapes(x.shape, shape)) < 0.5
    return b.call("where", "where", Const(cond), x, y)


# --- reductions ----------------------------------------------------------------------

def _reduction(path, domain=None, distinct=False):
    def plan(b, x):
        if distinct and not gaps_ok(x.ref):
            x = b.fresh(x.shape, "distinct", real=True)
        elif domain:
            x = b.ensure(x, domain)
        ax = axis(b, x.ndim)
        return b.call(path, path, x, axis=ax, keepdims=b.draw(st.booleans()))
    return plan


for _name, _kinds, _domain, _distinct in [
        ("sum", "rc", None, False), ("mean", "rc", None, False), ("prod", "rc", "small", False),
        ("max", "r", None, True), ("min", "r", None, True), ("ptp", "r", None, True),
        ("logsumexp", "r", None, False), ("var", "rc", None, False)]:
    register(_name, _kinds, _reduction(_name, _domain, _distinct), "reduction")


@op("std", "rc", "reduction")
def _std(b, x):
    ax = axis(b, x.ndim)
    spread = np.std(x.ref, axis=ax) if x.ref.size else np.zeros(0)
    if x.ref.size == 0 or np.min(spread) < 0.2:
        x = b.fresh(x.shape, "distinct", real=True)
        if x.ref.size == 0 or np.min(np.std(x.ref, axis=ax)) < 0.2:
            raise Reject("std near 0")
    return b.call("std", "std", x, axis=ax, keepdims=b.draw(st.booleans()))


@op("cumsum", "rc", "reduction")
def _cumsum(b, x):
    name = b.draw(st.sampled_from(["cumsum", "cumprod"]))
    if name == "cumprod":
        x = b.ensure(x, "nonzero")
        if not inside(x.ref, "small"):
            raise Reject("cumprod of large values")
    ax = None if x.ndim == 0 or b.rng.random() < 0.2 else one_axis(b, x.ndim)
    return b.call(name, name, x, axis=ax)
