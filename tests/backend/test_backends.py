"""Two real backends side by side: numpy and array-api-strict.

Moving data (mg.to_backend), mixing backends (BackendMismatchError), inferring the backend
from a raw array, generic Array-API backends registered at run time, and the fallbacks
for what the standard lacks (NumPy-style indexing, scatter-add).
"""

import numpy as np
import pytest

import multigrad as mg
from multigrad.backend.fallbacks import generic_getitem, generic_index_add
from multigrad.backend.registry import BackendRegistry

xp = pytest.importorskip("array_api_strict", reason="array-api-strict is in the 'test' extra")
STRICT = "array_api_strict"


@pytest.fixture
def isolated_registry(monkeypatch):
    """A fresh registry for the test: backends it registers disappear after it."""
    registry = BackendRegistry()
    monkeypatch.setattr(mg.backend.select, "REGISTRY", registry)
    return registry


def test_strict_backend_is_registered_and_available():
    row = {r["name"]: r for r in mg.list_backends()}[STRICT]
    assert row["available"], row["reason"]
    assert row["version"] == xp.__version__ and row["device"] == "cpu"


def test_to_backend_round_trip_numpy_and_strict():
    x = mg.constant(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert x.backend.name == "numpy"
    s = mg.to_backend(x, STRICT)
    assert s.backend.name == STRICT and isinstance(s._value, xp.asarray(0).__class__)
    assert s.dtype == mg.float64 and s.shape == (2, 2)
    back = mg.to_backend(s, "numpy")
    assert back.backend.name == "numpy" and type(back._value) is np.ndarray
    np.testing.assert_array_equal(back.numpy(), [[1.0, 2.0], [3.0, 4.0]])
    # a raw host array and Python data move too; the same backend is a no-op
    assert mg.to_backend(np.arange(3), STRICT).dtype == mg.int64
    assert mg.to_backend(s, STRICT) is s


def test_to_backend_falls_back_to_the_host_without_dlpack():
    class NoDLPack:
        """An array-like without __dlpack__ (as a device array of another library)."""
        def __init__(self, a):
            self.a = a
    from multigrad.backend.array_api import move_array
    numpy_backend = mg.load_backend("numpy")
    source = mg.Backend("hostonly", np, (NoDLPack,), to_numpy=lambda v: v.a)
    moved = move_array(NoDLPack(np.array([1.5, 2.5])), source, mg.load_backend(STRICT))
    np.testing.assert_array_equal(np.asarray(moved), [1.5, 2.5])
    assert move_array(np.array([1.0]), numpy_backend, numpy_backend).dtype == np.float64


def test_mixing_backends_raises_and_names_both():
    a = mg.constant(np.array([1.0, 2.0], dtype=np.float32))
    b = mg.to_backend(a, STRICT)
    with pytest.raises(mg.BackendMismatchError,
                       match=r"mg\.add: inputs live on different backends \('numpy' and "
                             r"'array_api_strict'\).*mg\.to_backend"):
        a + b
    with pytest.raises(mg.BackendMismatchError, match="'array_api_strict' and 'numpy'"):
        mg.matmul(b, np.ones(2, dtype=np.float32))


def test_raw_strict_array_selects_the_strict_backend():
    raw = xp.asarray([1.0, 2.0, 3.0], dtype=xp.float64)
    with mg.use_backend("numpy"):
        out = mg.sin(raw)                  # the selected backend is numpy; the array wins
    assert out.backend.name == STRICT
    assert mg.constant(raw).backend.name == STRICT
    x = mg.Variable(raw)
    with mg.GradientTape() as tape:
        y = mg.reduce_sum(x * raw)
    g = tape.gradient(y, x)
    assert g.backend.name == STRICT
    np.testing.assert_array_equal(g.numpy(), [1.0, 2.0, 3.0])


def test_gradient_keeps_backend_and_dtype(backend):
    x = mg.Variable([[0.5, -1.0], [2.0, 0.25]], dtype=mg.float32)
    with mg.GradientTape() as tape:
        y = mg.reduce_sum(mg.tanh(x @ x) * x[0])
    g = tape.gradient(y, x)
    assert g.backend is backend and g.dtype == mg.float32


def test_register_array_api_backend_under_a_second_name(isolated_registry):
    name = "strict_again"
    spec = mg.register_array_api_backend(name, "array_api_strict")
    assert spec.name == name and name in mg.backend_names()
    with mg.use_backend(name) as b:
        assert b.name == name and b.xp is xp
        x = mg.constant([0.0, 1.0, 2.0], dtype=mg.float64)
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = mg.reduce_sum(x[mg.constant([2, 0, 2])] ** 2)
        g = tape.gradient(y, x)
    assert g.backend.name == name and isinstance(g._value, type(xp.asarray(0)))
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0, 8.0])
    with pytest.raises(ValueError, match="a backend named 'strict_again' is already registered"):
        mg.register_array_api_backend(name, xp)
    mg.register_array_api_backend(name, xp, replace=True, device="cpu:replaced")
    assert mg.load_backend(name).device == "cpu:replaced"


def test_register_array_api_backend_rejects_bad_input(isolated_registry):
    with pytest.raises(TypeError, match="namespace must be an Array API namespace"):
        mg.register_array_api_backend("bad", 42)
    with pytest.raises(TypeError, match="backend name must be a non-empty str"):
        mg.register_array_api_backend("", xp)
    with pytest.raises(TypeError, match="expects a mg.BackendSpec"):
        mg.register_backend("numpy")


def test_registered_namespace_that_fails_to_import_is_unavailable_with_reason(
        isolated_registry):
    mg.register_array_api_backend("not_installed_lib", "no_such_array_library_xyz")
    row = {r["name"]: r for r in mg.list_backends()}["not_installed_lib"]
    assert not row["available"] and "no_such_array_library_xyz" in row["reason"]
    with pytest.raises(mg.BackendUnavailableError, match="No module named"):
        mg.set_backend("not_installed_lib")


# --- the generic fallbacks, against NumPy's own semantics ----------------------------

INDICES = [   # (shape, index) pairs in NumPy terms
    ((3, 2, 4), (1,)), ((3, 2, 4), (slice(1, None), 0)), ((3, 2, 4), (Ellipsis, 1)),
    ((3, 2, 4), (np.array([2, 0, 2]),)), ((3, 2, 4), (slice(None), np.array([1, 1, 0]))),
    ((3, 4, 2), (np.array([0, 1]), np.array([3, 3]))), ((3, 2, 4), (1, np.array([0, 0]))),
    ((3, 2, 4), (np.array([True, False, True]),)),
    ((3, 2, 4), (slice(None), slice(None), np.array([True, False, True, False]))),
    ((3, 2, 4), (np.array([-1, 0]), slice(1, None))),
]


@pytest.mark.parametrize("shape, index", INDICES, ids=[str(i) for i in range(len(INDICES))])
def test_generic_getitem_and_index_add_match_numpy(shape, index):
    a = np.arange(24.0).reshape(shape)
    sindex = tuple(xp.asarray(i) if isinstance(i, np.ndarray) else i for i in index)
    expected = a[index]
    np.testing.assert_array_equal(np.asarray(generic_getitem(xp, xp.asarray(a), sindex)),
                                  expected)
    values = np.random.default_rng(0).standard_normal(expected.shape)
    want = np.zeros(a.shape)
    np.add.at(want, index, values)
    added = generic_index_add(xp, a.shape, sindex, xp.asarray(values))
    np.testing.assert_allclose(np.asarray(added), want, rtol=1e-15)


def test_generic_index_add_keeps_non_finite_values_in_place():
    values = xp.asarray([np.inf, 1.0, np.nan])
    out = np.asarray(generic_index_add(xp, (4,), (xp.asarray([0, 1, 3]),), values))
    assert out[0] == np.inf and out[1] == 1.0 and out[2] == 0.0 and np.isnan(out[3])


def test_generic_getitem_explains_unsupported_patterns():
    sx = xp.asarray(np.zeros((2, 3, 4)))
    with pytest.raises(IndexError, match="separated by slices are not supported"):
        generic_getitem(xp, sx, (xp.asarray([0, 1]), slice(None), xp.asarray([0, 1])))
    with pytest.raises(IndexError, match="combined with None"):
        generic_getitem(xp, sx, (None, xp.asarray([0, 1])))
