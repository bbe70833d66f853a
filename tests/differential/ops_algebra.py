"""Products and einsum, linalg on well-conditioned inputs, fft, and the nn losses."""

import numpy as np
from hypothesis import strategies as st

from .catalogue import one_axis, op, partner
from .domains import gaps_ok
from .program import Const, Reject


def _matrix_shape(x):
    return x.ndim >= 2 and x.shape[-1] >= 1 and x.shape[-2] >= 1


@op("matmul", "rc", "product")
def _matmul(b, x):
    if x.ndim == 0:
        raise Reject("scalar")
    k = x.shape[-1]
    m = b.draw(st.sampled_from([1, 2, 3, 0]))
    shape = b.draw(st.sampled_from([(k,), (k, m), (2, k, m)]))
    y = partner(b, x, shape)
    name = b.draw(st.sampled_from(["matmul", "matmul", "dot", "tensordot"]))
    if name == "tensordot":
        return b.call(name, name, x, y, axes=1)
    if name == "dot" and x.ndim > 2:
        name = "matmul"
    return b.call(name, name, x, y)


@op("inner_outer", "rc", "product")
def _inner_outer(b, x):
    name = b.draw(st.sampled_from(["inner", "outer", "vdot", "kron", "multiply_sum"]))
    if name == "inner":
        return b.call(name, name, x, partner(b, x, x.shape[-1:]))
    if name == "vdot":
        return b.call(name, name, x, partner(b, x, x.shape))
    if x.ref.size > 8:
        raise Reject("too big")
    y = partner(b, x, b.draw(st.sampled_from([(2,), (1, 3), (2, 2)])))
    return b.call(name if name != "multiply_sum" else "outer", name if name != "multiply_sum"
                  else "outer", x, y)


@op("cross", "rc", "product")
def _cross(b, x):
    if x.ndim == 0 or x.shape[-1] != 3:
        x = b.fresh(b.draw(st.sampled_from([(3,), (2, 3)])))
    return b.call("cross", "cross", x, partner(b, x, x.shape))


LETTERS = "ijkl"


@op("einsum", "rc", "product")
def _einsum(b, x):
    ins = LETTERS[:x.ndim]
    kind = b.draw(st.sampled_from(["unary", "binary", "binary", "diag"]))
    if kind == "diag":
        if x.ndim != 2 or x.shape[0] != x.shape[1]:
            raise Reject("not square")
        return b.call("einsum", "einsum", b.draw(st.sampled_from(["ii->i", "ii", "ij->"])), x)
    if kind == "unary":
        out = "".join(b.rng.permutation(list(ins))[:b.draw(st.integers(0, x.ndim))])
        return b.call("einsum", "einsum", f"{ins}->{out}", x)
    shared = [c for c in ins if b.rng.random() < 0.6]
    extra = "m" if b.rng.random() < 0.5 else ""
    other = "".join(shared) + extra
    shape = tuple(x.shape[ins.index(c)] for c in shared) + ((2,) if extra else ())
    keep = [c for c in ins + extra if b.rng.random() < 0.6 and c in ins + other]
    spec = f"{ins},{other}->{''.join(dict.fromkeys(keep))}"
    if b.rng.random() < 0.2:
        spec = spec.split("->")[0]              # implicit output
    return b.call("einsum", "einsum", spec, x, partner(b, x, shape))


# --- linalg: real, well-conditioned (the rules are derived for real matrices) -------------

def _square(b, x):
    """``x`` if it is a stack of well-conditioned square matrices, else a fresh one."""
    from .domains import inside
    if _matrix_shape(x) and x.shape[-1] == x.shape[-2] and not x.is_complex and inside(
            x.ref, "wellcond"):
        return x
    n = b.draw(st.integers(1, 3))
    return b.fresh(b.draw(st.sampled_from([(n, n), (n, n), (2, n, n)])), "wellcond", real=True)


@op("linalg", "r", "linalg")
def _linalg(b, x):
    a = _square(b, x)
    name = b.draw(st.sampled_from(["inv", "det", "slogdet", "solve", "pinv", "lstsq"]))
    path = "linalg." + name
    if name == "slogdet":
        return b.apply(path, lambda xp, m: xp.linalg.slogdet(m)[1], [a],
                       "mg.linalg.slogdet({0})[1]")
    if name in ("solve", "lstsq"):
        n = a.shape[-1]
        shape = (n,) if name == "solve" and b.draw(st.booleans()) else a.shape[:-1] + (2,)
        rhs = partner(b, a, shape, real=True)
        if name == "lstsq":
            if a.ndim != 2:
                raise Reject("lstsq: one matrix")
            return b.apply(path, lambda xp, m, r: xp.linalg.lstsq(m, r)[0] if
                           getattr(xp, "is_reference", False) else xp.linalg.lstsq(m, r),
                           [a, rhs], "mg.linalg.lstsq({0}, {1})")
        return b.call(path, path, a, rhs)
    return b.call(path, path, a)


def _sym(xp, m):
    return 0.5 * (m + xp.matrix_transpose(m))


@op("decompositions", "r", "linalg")
def _decompositions(b, x):
    a = _square(b, x)
    name = b.draw(st.sampled_from(["cholesky", "eigvalsh", "eigvecsh", "svdvals", "qr_r",
                                   "qr_q", "norm"]))
    if name == "cholesky":
        return b.apply("linalg.cholesky", lambda xp, m: xp.linalg.cholesky(
            xp.matmul(m, xp.matrix_transpose(m)) + 0.5), [a],
            "mg.linalg.cholesky({0} @ mg.matrix_transpose({0}) + 0.5)")
    if name in ("eigvalsh", "eigvecsh"):
        if not gaps_ok(np.linalg.eigvalsh(_sym(np, a.ref)), axis=-1, margin=0.3):
            raise Reject("close eigenvalues")
        part = 0 if name == "eigvalsh" else 1
        power = "" if part == 0 else " ** 2"
        return b.apply("linalg.eigh", lambda xp, m: xp.linalg.eigh(_sym(xp, m))[part] ** (
            1 + part), [a], f"mg.linalg.eigh(0.5 * ({{0}} + mg.matrix_transpose({{0}})))"
            f"[{part}]{power}")
    if name == "svdvals":
        s = np.linalg.svd(a.ref, compute_uv=False)
        if not gaps_ok(s, axis=-1, margin=0.3):
            raise Reject("close singular values")
        return b.apply("linalg.svd", lambda xp, m: xp.linalg.svd(m, full_matrices=False)[1],
                       [a], "mg.linalg.svd({0}, full_matrices=False)[1]")
    if name in ("qr_r", "qr_q"):
        part = 1 if name == "qr_r" else 0     # squared: independent of the sign convention
        return b.apply("linalg.qr", lambda xp, m: xp.linalg.qr(m)[part] ** 2, [a],
                       f"mg.linalg.qr({{0}})[{part}] ** 2")
    ord_ = b.draw(st.sampled_from([None, "fro", "nuc", 2]))
    if ord_ in ("nuc", 2) and not gaps_ok(np.linalg.svd(a.ref, compute_uv=False), -1, 0.3):
        raise Reject("close singular values")
    return b.call("linalg.norm", "linalg.norm", a, ord=ord_, axis=(-2, -1))


@op("vector_norm", "r", "linalg")
def _vector_norm(b, x):
    x = b.ensure(x, "nonzero")
    if x.ndim == 0 or x.ref.size == 0:
        raise Reject("needs a vector")
    ord_ = b.draw(st.sampled_from([None, 1, 3]))
    return b.call("linalg.norm", "linalg.norm", x, ord=ord_, axis=-1)


# --- fft ---------------------------------------------------------------------------------

@op("fft", "rc", "fft")
def _fft(b, x):
    if x.ndim == 0 or x.ref.size == 0:
        raise Reject("fft of a scalar or of nothing")
    norm = b.draw(st.sampled_from([None, "ortho", "forward"]))
    ax = one_axis(b, x.ndim)
    n = b.draw(st.sampled_from([None, None, 1, 2, 3, 5]))
    name = b.draw(st.sampled_from(["fft", "ifft", "rfft", "irfft", "fft2", "fftn", "rfftn"]))
    if name in ("rfft", "rfftn") and x.is_complex:
        name = "fft"
    if name == "irfft" and not x.is_complex:
        name = "ifft"
    if name == "irfft" and n is None and x.shape[ax] < 2:
        n = 2
    if name in ("fft2", "fftn", "rfftn"):
        if x.ndim < 2:
            raise Reject("needs 2 axes")
        return b.call("fft." + name, "fft." + name, x, axes=(-2, -1), norm=norm)
    return b.call("fft." + name, "fft." + name, x, n=n, axis=ax, norm=norm)


# --- nn losses ---------------------------------------------------------------------------

@op("cross_entropy", "r", "nn")
def _cross_entropy(b, x):
    x = b.ensure(x, "small")
    if b.draw(st.booleans()) or x.ndim == 0:
        labels = Const(b.rng.uniform(0.05, 0.95, x.shape).astype(x.dtype))
        path = "nn.sigmoid_cross_entropy_with_logits"
    else:
        p = b.rng.uniform(0.1, 1.0, x.shape)
        labels = Const((p / p.sum(axis=-1, keepdims=True)).astype(x.dtype))
        path = "nn.softmax_cross_entropy_with_logits"
    return b.call(path, path, labels=labels, logits=x)
