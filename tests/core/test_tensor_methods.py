"""ndarray's methods and attributes on Tensor: the same lambda on an ndarray and on a
Tensor gives the same values (NumPy is the reference), gradients where the op has one."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.testing import check_grads

from optable import core_sweep_row, distinct, positive

# (id, method call, input shape, domain, differentiable)
METHODS = [
    ("sum", lambda t: t.sum(), (2, 3), None, True),
    ("sum-axis-keepdims", lambda t: t.sum(axis=1, keepdims=True), (2, 3), None, True),
    ("sum-positional", lambda t: t.sum(0, None, None, True), (2, 3), None, True),
    ("sum-dtype", lambda t: t.sum(dtype="float32"), (2, 3), None, True),
    ("mean-axis-tuple", lambda t: t.mean(axis=(0, 2)), (2, 2, 2), None, True),
    ("prod", lambda t: t.prod(axis=0), (3, 2), positive, True),
    ("std-ddof", lambda t: t.std(axis=1, ddof=1), (2, 3), None, True),
    ("var-keepdims", lambda t: t.var(0, keepdims=True), (3, 2), None, True),
    ("max", lambda t: t.max(axis=-1), (2, 3), distinct, True),
    ("min-keepdims", lambda t: t.min(0, keepdims=True), (2, 3), distinct, True),
    ("cumsum", lambda t: t.cumsum(axis=1), (2, 3), None, True),
    ("cumsum-flat", lambda t: t.cumsum(), (2, 3), None, True),
    ("cumprod", lambda t: t.cumprod(0), (3, 2), positive, True),
    ("squeeze", lambda t: t.squeeze(), (1, 3, 1), None, True),
    ("squeeze-axis", lambda t: t.squeeze(axis=0), (1, 3, 1), None, True),
    ("ravel", lambda t: t.ravel(), (2, 3), None, True),
    ("flatten", lambda t: t.flatten(), (2, 2), None, True),
    ("reshape-args", lambda t: t.reshape(4, 2), (2, 2, 2), None, True),
    ("reshape-tuple", lambda t: t.reshape((-1,)), (2, 3), None, True),
    ("transpose-none", lambda t: t.transpose(), (2, 3), None, True),
    ("transpose-args", lambda t: t.transpose(1, 0, 2), (2, 3, 2), None, True),
    ("transpose-tuple", lambda t: t.transpose((2, 0, 1)), (2, 3, 2), None, True),
    ("swapaxes", lambda t: t.swapaxes(0, 2), (2, 1, 3), None, True),
    ("clip", lambda t: t.clip(-0.5, 0.5), (6,), lambda a: a * 0.5 + 0.01, True),
    ("clip-max-only", lambda t: t.clip(max=0.2), (6,), lambda a: a + 0.01, True),
    ("dot", lambda t: t.dot(t.T), (2, 3), None, True),
    ("round", lambda t: t * t.round(1), (4,), lambda a: np.round(a * 3) + 0.3, True),
    ("conj", lambda t: t.conj() * t, (3,), None, True),
    ("conjugate", lambda t: t.conjugate(), (3,), None, True),
    ("real", lambda t: t.real * 2, (3,), None, True),
    ("imag", lambda t: t.imag + t, (3,), None, True),
    ("mT", lambda t: t.mT, (2, 2, 3), None, True),
    ("repeat", lambda t: t.repeat(2, axis=1), (2, 2), None, True),
    ("repeat-flat", lambda t: t.repeat(2), (2, 2), None, True),
    ("take", lambda t: t.take([2, 0, 2]), (2, 2), None, True),
    ("take-axis", lambda t: t.take([1, 0], axis=1), (2, 3), None, True),
    ("diagonal", lambda t: t.diagonal(), (3, 3), None, True),
    ("diagonal-offset", lambda t: t.diagonal(1, 1, 2), (2, 3, 3), None, True),
    ("trace", lambda t: t.trace(), (3, 3), None, True),
    ("trace-offset", lambda t: t.trace(offset=-1), (3, 4), None, True),
    ("astype", lambda t: t.astype("float32") * 2, (3,), None, True),
    ("argmax", lambda t: t.argmax(), (2, 3), distinct, False),
    ("argmin-axis", lambda t: t.argmin(axis=0), (2, 3), distinct, False),
    ("argmax-keepdims", lambda t: t.argmax(axis=1, keepdims=True), (2, 3), distinct, False),
    ("all", lambda t: (t > 0).all(axis=0), (2, 3), None, False),
    ("any", lambda t: (t > 0).any(), (2, 3), None, False),
    ("argsort", lambda t: t.argsort(), (2, 4), distinct, False),
    ("argsort-axis0", lambda t: t.argsort(axis=0, kind="stable"), (3, 2), distinct, False),
    ("argsort-flat", lambda t: t.argsort(axis=None), (2, 3), distinct, False),
    ("argsort-ties-stable", lambda t: (t > 0).astype("int32").argsort(kind="stable"), (7,),
     None, False),
]


def _input(shape, domain, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape)
    return domain(a) if domain else a


@pytest.mark.parametrize("row", METHODS, ids=[r[0] for r in METHODS])
def test_method_matches_numpy(backend, row):
    _, call, shape, domain, differentiable = row
    a = _input(shape, domain)
    got = call(mg.to_backend(a, backend))
    want = np.asarray(call(a))
    assert isinstance(got, mg.Tensor) and got.backend is backend
    assert got.shape == want.shape
    if want.dtype.kind in "iub":
        np.testing.assert_array_equal(got.numpy(), want)
    else:
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)


# float32 results: finite differences cannot check them (test_dtype_arguments_keep_gradients)
DIFFERENTIABLE = [r for r in METHODS if r[4] and r[0] not in ("sum-dtype", "astype")]


@pytest.mark.parametrize("row", DIFFERENTIABLE, ids=[r[0] for r in DIFFERENTIABLE])
def test_method_gradients_match_finite_differences(backend, row):
    core_sweep_row(backend, DIFFERENTIABLE, row)
    _, call, shape, domain, _ = row
    check_grads(call, [mg.to_backend(_input(shape, domain), backend)], order=1)


def test_index_methods_carry_no_gradient(backend):
    x = mg.to_backend(_input((2, 3), distinct), backend)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        order = x.argsort()
        rows, cols = (x > 0).nonzero()
    assert mg.argsort.differentiable is False and mg.nonzero.differentiable is False
    with pytest.warns(UserWarning, match="the dtype of the target must be floating.*got int64"):
        assert tape.gradient(order, x) is None and tape.gradient(cols, x) is None


def test_dtype_arguments_keep_gradients(backend):
    x = mg.to_backend(np.array([1.0, 2.0, 3.0]), backend)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        total = (x * x).sum(dtype="float32")
        running = x.cumsum(dtype="float32")
        cast = x.astype("float32") * 3
    assert total.dtype == running.dtype == cast.dtype == mg.float32
    for y, want in ((total, [2.0, 4.0, 6.0]), (running, [3.0, 2.0, 1.0]), (cast, [3.0] * 3)):
        grad = tape.gradient(y, x)
        assert grad.dtype == mg.float64
        np.testing.assert_allclose(grad.numpy(), want)


def test_nonzero_matches_numpy(backend):
    a = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
    got = mg.to_backend(a, backend).nonzero()
    want = a.nonzero()
    assert len(got) == 2
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.numpy(), w)
    with pytest.raises(ValueError, match=r"mg\.nonzero: a 0-d tensor has no axes"):
        mg.constant(1.0).nonzero()


def test_host_values_and_sizes(backend):
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=np.float32)
    t = mg.to_backend(a, backend)
    assert t.tolist() == a.tolist() and type(t.tolist()[0][0]) is float
    assert t[1, 2].item() == 6.0 and t.item(4) == a.item(4) and t.item(0, 1) == 2.0
    assert t.itemsize == 4 and t.nbytes == 24 == a.nbytes
    assert mg.to_backend(a.astype(np.float64), backend).itemsize == 8
    assert len(t) == 2 and [r.tolist() for r in t] == a.tolist()
    with pytest.raises(TypeError, match=r"only a tensor with exactly one element can be "
                                        r"converted to a Python number; this one has shape"):
        t.item()


def test_unsupported_arguments_raise(backend):
    t = mg.to_backend(np.ones((2, 3)), backend)
    with pytest.raises(TypeError, match=r"Tensor\.sum: out= is not supported \(mg\.Tensor "
                                        r"is immutable; use the returned tensor\)"):
        t.sum(out=np.zeros(()))
    with pytest.raises(TypeError, match=r"Tensor\.max: initial= is not supported"):
        t.max(initial=0.0)
    with pytest.raises(TypeError, match=r"Tensor\.mean: where= is not supported"):
        t.mean(where=np.ones((2, 3), bool))
    with pytest.raises(TypeError, match=r"Tensor\.reshape: order= is not supported"):
        t.reshape(3, 2, order="F")
    with pytest.raises(TypeError, match=r"Tensor\.reshape: the new shape is missing"):
        t.reshape()
    with pytest.raises(TypeError, match=r"Tensor\.take: mode= is not supported"):
        t.take([0], mode="wrap")
    with pytest.raises(ValueError, match=r"mg\.argsort: kind must be one of"):
        t.argsort(kind="bogus")
    # NumPy's defaults spelled out are accepted.
    assert t.sum(out=None, where=True).shape == () and t.reshape(6, order="C").shape == (6,)
