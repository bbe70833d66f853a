"""NumPy's protocols on Tensor: ``np.f(t)`` is ``mg.f(t)`` (same values, same gradients,
recorded on tapes, on the tensor's backend); what multigrad cannot do raises clearly."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.ops.numpy_dispatch import _qualified, numpy_table

from ops import (test_linalg, test_math_grad, test_ops_grad, test_ops_structure,
                 test_reductions_grad)
from optable import Case, core_sweep_row, distinct, positive


def numpy_function(key):
    """``"linalg.inv"`` -> ``np.linalg.inv``."""
    namespace, _, name = key.rpartition(".")
    return getattr(getattr(np, namespace) if namespace else np, name)


_NUMPY_NAME = {}
for _key, _op in sorted(numpy_table().items()):
    _NUMPY_NAME.setdefault(id(_op), _key)

# Every row of the op tables whose function is a public op NumPy has a name for.
TABLE = [c for module in (test_ops_grad, test_math_grad, test_reductions_grad,
                          test_ops_structure, test_linalg)
         for c in module.CASES if id(c.fn) in _NUMPY_NAME]


def values_and_gradients(fn, args):
    with mg.GradientTape() as tape:
        tape.watch(args)
        out = fn(*args)
    assert isinstance(out, mg.Tensor), f"{fn} returned {type(out).__name__}, not a Tensor"
    return out, tape.gradient(out, args)


def assert_same(np_fn, mg_fn, args, backend):
    got, got_grads = values_and_gradients(np_fn, args)
    want, want_grads = values_and_gradients(mg_fn, args)
    assert got.backend is backend, "a NumPy call left the tensor's backend"
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    for g, w in zip(got_grads, want_grads):
        assert (g is None) == (w is None)
        if g is not None:
            np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-13, atol=1e-13)


def test_the_tables_cover_many_ops():
    assert len({_NUMPY_NAME[id(c.fn)] for c in TABLE}) >= 60


@pytest.mark.parametrize("case", TABLE, ids=[c.id for c in TABLE])
def test_numpy_function_equals_the_op(backend, case):
    core_sweep_row(backend, TABLE, case)
    np_fn = numpy_function(_NUMPY_NAME[id(case.fn)])
    assert_same(np_fn, case.fn, case.args(backend), backend)


# NumPy calls with arguments (positions, keywords, nested lists), next to the mg call.
CALLS = [
    Case("sum-axis-kw", (lambda x: np.sum(x, axis=0), lambda x: mg.sum(x, axis=0)), [(3, 4)]),
    Case("sum-positional-keepdims", (lambda x: np.sum(x, 1, None, None, True),
                                     lambda x: mg.sum(x, 1, keepdims=True)), [(2, 3)]),
    Case("sum-dtype", (lambda x: np.sum(x, dtype="float32"),
                       lambda x: mg.sum(mg.cast(x, "float32"))), [(2, 3)]),
    Case("mean", (np.mean, mg.mean), [(2, 3)]),
    Case("std-ddof", (lambda x: np.std(x, axis=1, ddof=1), lambda x: mg.std(x, 1, ddof=1)),
         [(2, 3)]),
    Case("var-out-none", (lambda x: np.var(x, out=None), mg.var), [(4,)]),
    Case("max-amax", (lambda x: np.amax(x, axis=-1), lambda x: mg.max(x, -1)), [(3, 2)],
         domain=distinct),
    Case("concatenate", (lambda x, y: np.concatenate([x, y], axis=1),
                         lambda x, y: mg.concatenate([x, y], axis=1)), [(2, 2), (2, 3)]),
    Case("stack-with-ndarray", (lambda x: np.stack([x, np.ones(3)]),
                                lambda x: mg.stack([x, mg.ones(3, dtype=x.dtype)])), [(3,)]),
    Case("where", (lambda x: np.where(x > 0, x, 0), lambda x: mg.where(x > 0, x, 0)), [(5,)]),
    Case("add-scalar", (lambda x: np.add(x, 1), lambda x: x + 1), [(3,)]),
    Case("matmul", (np.matmul, mg.matmul), [(2, 3), (3, 2)]),
    Case("abs-is-absolute", (np.abs, mg.abs), [(4,)]),
    Case("clip-positional", (lambda x: np.clip(x, -0.5, 0.5), lambda x: mg.clip(x, -0.5, 0.5)),
         [(6,)]),
    Case("clip-min-max", (lambda x: np.clip(x, min=-0.5), lambda x: mg.clip(x, -0.5)), [(6,)]),
    Case("transpose-axes", (lambda x: np.transpose(x, (1, 0, 2)),
                            lambda x: mg.transpose(x, (1, 0, 2))), [(2, 3, 2)]),
    Case("reshape", (lambda x: np.reshape(x, (-1, 2)), lambda x: mg.reshape(x, (-1, 2))),
         [(2, 3, 2)]),
    Case("take-mode-default", (lambda x: np.take(x, [2, 0], mode="raise"),
                               lambda x: mg.take(x, [2, 0])), [(3,)]),
    Case("round", (lambda x: x * np.round(x, 1), lambda x: x * mg.round(x, 1)), [(3,)]),
    Case("around", (lambda x: x * np.around(x), lambda x: x * mg.round(x)), [(3,)]),
    Case("cumsum-axis", (lambda x: np.cumsum(x, axis=1), lambda x: mg.cumsum(x, axis=1)),
         [(2, 3)]),
    Case("einsum", (lambda x, y: np.einsum("ij,jk->ik", x, y),
                    lambda x, y: mg.einsum("ij,jk->ik", x, y)), [(2, 3), (3, 2)]),
    Case("add-reduce", (np.add.reduce, lambda x: mg.sum(x, axis=0)), [(3, 2)]),
    Case("add-reduce-axis-none", (lambda x: np.add.reduce(x, axis=None, keepdims=True),
                                  lambda x: mg.sum(x, keepdims=True)), [(3, 2)]),
    Case("multiply-reduce", (lambda x: np.multiply.reduce(x, 1), lambda x: mg.prod(x, 1)),
         [(3, 2)]),
    Case("maximum-reduce", (np.maximum.reduce, lambda x: mg.max(x, 0)), [(3, 2)],
         domain=distinct),
    Case("add-accumulate", (lambda x: np.add.accumulate(x, axis=1),
                            lambda x: mg.cumsum(x, axis=1)), [(2, 3)]),
    Case("multiply-outer", (np.multiply.outer, lambda x, y: x[:, :, None] * y),
         [(2, 2), (3,)]),
    Case("linalg-inv", (np.linalg.inv, mg.linalg.inv), [(3, 3)],
         domain=lambda a: a + 3 * np.eye(3)),
    Case("linalg-norm", (lambda x: np.linalg.norm(x, axis=1), lambda x: mg.linalg.norm(x, axis=1)),
         [(2, 3)]),
    Case("linalg-svd-square", (lambda x: np.linalg.svd(x)[1], lambda x: mg.linalg.svd(x)[1]),
         [(3, 3)], domain=distinct),
    Case("fft-rfft", (lambda x: np.real(np.fft.rfft(x, n=6)),
                      lambda x: mg.real(mg.fft.rfft(x, n=6))), [(5,)]),
    Case("sqrt-of-exp", (lambda x: np.sqrt(np.exp(x)), lambda x: mg.sqrt(mg.exp(x))), [(3,)],
         domain=positive),
]


@pytest.mark.parametrize("case", CALLS, ids=[c.id for c in CALLS])
def test_numpy_call_equals_the_mg_call(backend, case):
    np_fn, mg_fn = case.fn
    assert_same(np_fn, mg_fn, case.args(backend), backend)


def test_every_table_name_is_numpys_own_name_for_it():
    # A key is what NumPy hands over (ufunc.__name__, or the function's module and name):
    # a key that never round-trips would be an entry no NumPy call could reach.
    unreachable = [k for k in numpy_table() if _qualified(numpy_function(k)) != k]
    assert not unreachable, unreachable
    for name in ("sin", "absolute", "sum", "concatenate", "linalg.inv", "fft.fft", "argsort"):
        assert name in numpy_table()
    # Same-named NumPy functions with another meaning are not in the table.
    assert "identity" not in numpy_table() and "linalg.lstsq" not in numpy_table()


def test_a_tape_records_through_numpy_calls(backend):
    x = mg.Variable([0.5, -1.0, 2.0], dtype="float64")
    with mg.GradientTape() as tape:               # the Variable is watched on access
        y = np.sum(np.sin(x) * np.exp(x), axis=0)
    grad = tape.gradient(y, x)
    v = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(grad.numpy(), np.exp(v) * (np.cos(v) + np.sin(v)), rtol=1e-12)


def test_second_order_through_numpy_calls(backend):
    x = mg.constant([0.3, 1.2], dtype="float64")
    with mg.GradientTape() as outer:
        outer.watch(x)
        with mg.GradientTape() as inner:
            inner.watch(x)
            y = np.sum(np.power(x, 3))
        dy = inner.gradient(y, x)
    np.testing.assert_allclose(outer.gradient(dy, x).numpy(), 6 * np.array([0.3, 1.2]))


def test_results_stay_on_the_backend(backend):
    x = mg.constant([[1.0, 2.0], [3.0, 4.0]])
    for result in (np.sin(x), np.mean(x, axis=0), np.concatenate([x, x]), np.linalg.det(x),
                   np.fft.fft(x), *np.nonzero(x > 1), np.add.reduce(x)):
        assert isinstance(result, mg.Tensor) and result.backend is backend


def test_ndarray_operators_with_a_tensor_give_a_tensor(backend):
    # An ndarray operand is an array of the numpy backend, as in every op (README, rule 1):
    # with a numpy Tensor the result is a Tensor (recorded), elsewhere it is a mismatch.
    x = mg.Variable([1.0, 2.0], dtype="float64")
    a = np.array([3.0, 5.0])
    if backend.name != "numpy":
        with pytest.raises(mg.BackendMismatchError, match=r"mg\.to_backend"):
            a * x
        return
    with mg.GradientTape() as tape:
        ys = [a * x, a + x, a - x, a / x, a @ x, a ** x, x * a, np.float64(2.0) * x]
    for y in ys:
        assert isinstance(y, mg.Tensor)
    np.testing.assert_allclose((a - x).numpy(), [2.0, 3.0])
    np.testing.assert_allclose(tape.gradient(ys[0], x).numpy(), a)


def test_host_conversion_and_host_functions(backend):
    x = mg.constant([[1.0, 2.0], [3.0, 4.0]])
    assert type(np.asarray(x)) is np.ndarray and type(np.array(x)) is np.ndarray
    np.testing.assert_array_equal(np.asarray(x), [[1.0, 2.0], [3.0, 4.0]])
    # Functions whose result is a Python value run on host copies.
    assert np.shape(x) == (2, 2) and np.ndim(x) == 2 and np.size(x) == 4
    assert np.allclose(x, x + 1e-12) is True and np.array_equal(x, x) is True


def test_a_numpy_function_multigrad_lacks_names_itself(backend):
    x = mg.constant([1.0, 2.0])
    with pytest.raises(TypeError, match=r"numpy\.polyfit is not supported on mg\.Tensor: "
                                        r"multigrad has no version of it.*"
                                        r"np\.polyfit\(t\.numpy\(\), \.\.\.\)"):
        np.polyfit(x, x, 1)
    with pytest.raises(TypeError, match=r"numpy\.spacing is not supported.*t\.numpy\(\)"):
        np.spacing(x)                                  # a ufunc
    with pytest.raises(TypeError, match=r"numpy\.linalg\.lstsq is not supported"):
        np.linalg.lstsq(mg.constant([[1.0, 0.0], [0.0, 1.0]]), x)


def test_unsupported_ufunc_keywords_raise(backend):
    x = mg.constant([1.0, 2.0])
    with pytest.raises(TypeError, match=r"numpy\.add\(\.\.\., out=\.\.\.\) is not supported "
                                        r"on mg\.Tensor: tensors are immutable.*y = np\.add"):
        np.add(x, 1.0, out=mg.zeros(2))              # a Tensor: nothing to write into
    with pytest.raises(TypeError, match=r"numpy\.sin\(\.\.\., where=\.\.\.\).*mg\.where"):
        np.sin(x, where=np.array([True, False]))
    with pytest.raises(TypeError, match=r"numpy\.exp\(\.\.\., dtype=\.\.\.\).*mg\.cast"):
        np.exp(x, dtype="float64")
    with pytest.raises(TypeError, match=r"numpy\.add\.at is not supported on mg\.Tensor"):
        np.add.at(x, [0], 1.0)


def test_unsupported_function_keywords_raise(backend):
    x = mg.constant([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(TypeError, match=r"numpy\.sum\(\.\.\., out=\.\.\.\).*immutable"):
        np.sum(x, out=np.zeros(()))
    with pytest.raises(TypeError, match=r"numpy\.mean\(\.\.\., where=\.\.\.\)"):
        np.mean(x, where=np.array([True, False]))
    with pytest.raises(TypeError, match=r"numpy\.sort\(\.\.\., order=\.\.\.\) is not supported"):
        np.sort(x, order="f")
    with pytest.raises(TypeError, match=r"argsort: order= \(structured arrays\) is not supported"):
        np.argsort(x, order="f")
    np.testing.assert_allclose(np.linalg.svd(x, compute_uv=False).numpy(),
                               np.linalg.svd(x.numpy(), compute_uv=False))
    with pytest.raises(ValueError, match=r"np\.linalg\.svd of a 2x3 mg\.Tensor: the full SVD "
                                         r".*pass full_matrices=False"):
        np.linalg.svd(mg.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]]))
    # NumPy's defaults spelled out are fine.
    np.testing.assert_array_equal(np.sort(x, kind=None, order=None).numpy(), x.numpy())
