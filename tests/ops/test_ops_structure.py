"""Products, shape and joining ops, gathers and functional updates: first and second order
against finite differences, float32 preserved, batched cotangents, on every backend."""

import numpy as np
import pytest

import multigrad as mg

from optable import Case, distinct, table_tests


def _idx(values):
    return mg.constant(values, dtype=mg.int64)      # on the backend under test


PRODUCTS = [
    Case("dot-mat-mat", mg.dot, [(2, 3), (3, 4)]),
    Case("dot-vec-vec", mg.dot, [(3,), (3,)]),
    Case("dot-nd-nd", mg.dot, [(2, 3), (2, 3, 2)]),
    Case("dot-scalar", mg.dot, [(), (2, 3)]),
    Case("inner", mg.inner, [(2, 3), (4, 3)]),
    Case("inner-vec", mg.inner, [(3,), (3,)]),
    Case("outer", mg.outer, [(2, 2), (3,)]),
    Case("outer-size1", mg.outer, [(1,), (3,)]),
    Case("vdot", mg.vdot, [(2, 3), (6,)]),
    Case("tensordot-int", lambda a, b: mg.tensordot(a, b, axes=2), [(2, 3, 4), (3, 4, 2)]),
    Case("tensordot-lists", lambda a, b: mg.tensordot(a, b, axes=([0, -1], [2, 0])),
         [(2, 3, 4), (4, 2, 2)]),
    Case("tensordot-0", lambda a, b: mg.tensordot(a, b, axes=0), [(2,), (3,)]),
    Case("einsum-matmul", lambda a, b: mg.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    Case("einsum-ellipsis-broadcast", lambda a, b: mg.einsum("...ij,...jk->...ik", a, b),
         [(2, 1, 2, 3), (4, 3, 2)]),
    Case("einsum-implicit", lambda a, b: mg.einsum("ij,kj", a, b), [(2, 3), (4, 3)]),
    Case("einsum-sum-out", lambda a: mg.einsum("ijk->j", a), [(2, 3, 2)]),
    Case("einsum-trace-diag", lambda a: mg.einsum("ii->i", a) * mg.einsum("ii", a), [(3, 3)]),
    Case("einsum-three", lambda a, b, c: mg.einsum("ij,jk,k->i", a, b, c),
         [(2, 3), (3, 4), (4,)]),
    Case("einsum-unique-index", lambda a, b: mg.einsum("ij,k->i", a, b), [(2, 3), (2,)]),
    Case("einsum-size0", lambda a, b: mg.einsum("ij,jk->ik", a, b), [(2, 0), (0, 3)]),
    Case("kron", mg.kron, [(2, 2), (3, 1)]),
    Case("kron-ranks", mg.kron, [(2,), (2, 3)]),
    Case("cross", mg.cross, [(2, 3), (3,)]),
    Case("cross-axis0", lambda a, b: mg.cross(a, b, axis=0), [(3, 2), (3, 2)]),
    Case("trace", mg.trace, [(3, 3)]),
    Case("trace-offset-axes", lambda a: mg.trace(a, offset=-1, axis1=-1, axis2=0), [(3, 2, 4)]),
]

SHAPE = [
    Case("ravel", lambda x: mg.ravel(x) * mg.flatten(x), [(2, 3)]),
    Case("swapaxes", lambda x: mg.swapaxes(x, 0, -1), [(2, 3, 4)]),
    Case("moveaxis", lambda x: mg.moveaxis(x, [0, 1], [-1, 0]), [(2, 3, 4)]),
    Case("atleast", lambda x: mg.atleast_3d(x) * mg.atleast_2d(x)[None, ...] * mg.atleast_1d(x),
         [(3,)]),
    Case("atleast-scalar", lambda x: mg.atleast_2d(x) + mg.atleast_3d(x), [()]),
    Case("flip", lambda x: mg.flip(x, -1) * x, [(2, 3)]),
    Case("flip-all", mg.flip, [(2, 3, 2)]),
    Case("flipud-fliplr", lambda x: mg.flipud(x) + mg.fliplr(x), [(3, 3)]),
    Case("rot90", lambda x: mg.rot90(x) * 2 + mg.rot90(x, k=-1) + mg.rot90(x, 2), [(3, 3)]),
    Case("rot90-axes", lambda x: mg.rot90(x, 1, axes=(1, 2)), [(2, 3, 4)]),
    Case("roll", lambda x: mg.roll(x, 1, axis=-1) * x, [(2, 3)]),
    Case("roll-flat", lambda x: mg.roll(x, -4), [(2, 3)]),
    Case("roll-axes", lambda x: mg.roll(x, (1, 2), axis=(0, 1)), [(2, 3)]),
    Case("tile", lambda x: mg.tile(x, (2, 1, 3)), [(2, 3)]),
    Case("tile-size1", lambda x: mg.tile(x, 3) * mg.tile(x, 3), [(1,)]),
    Case("repeat-int", lambda x: mg.repeat(x, 2, axis=-1), [(2, 3)]),
    Case("repeat-flat", lambda x: mg.repeat(x, 2), [(2, 2)]),
    Case("repeat-counts", lambda x: mg.repeat(x, [0, 3, 1], axis=0), [(3, 2)]),
    Case("hstack", lambda x, y: mg.hstack([x, y, x]), [(2, 3), (2, 1)]),
    Case("hstack-1d", lambda x, y: mg.hstack([x, y]), [(3,), (2,)]),
    Case("vstack", lambda x, y: mg.vstack([x, y]), [(3,), (2, 3)]),
    Case("column_stack", lambda x, y: mg.column_stack([x, y]), [(3,), (3, 2)]),
    Case("split", lambda x: mg.stack(mg.split(x, 3, axis=-1)[::-1]) * 2, [(2, 6)]),
    Case("split-one-used", lambda x: mg.split(x, [1, 3])[1] * 3, [(5, 2)]),
    Case("array_split", lambda x: mg.concatenate(mg.array_split(x, 3)[1:]), [(7,)]),
    Case("hsplit-vsplit", lambda x: mg.hsplit(x, 2)[1] * mg.vsplit(x, [1])[1][:, :1], [(2, 4)]),
    Case("diag-make", lambda v: mg.diag(v, k=1), [(3,)]),
    Case("diag-take", lambda x: mg.diag(x, -1), [(3, 4)]),
    Case("diag-size1", mg.diag, [(1,)]),
    Case("diagonal", lambda x: mg.diagonal(x, 1, axis1=-1, axis2=0), [(3, 2, 4)]),
    Case("diagonal-empty", lambda x: mg.diagonal(x, 5), [(3, 3)]),
    Case("triu-tril", lambda x: mg.triu(x, 1) * 2 + mg.tril(x, -1) * x, [(2, 3, 4)]),
    Case("pad-constant", lambda x: mg.pad(x, ((1, 0), (2, 1)), constant_values=0.5) ** 2,
         [(2, 3)]),
    Case("pad-edge", lambda x: mg.pad(x, 2, mode="edge"), [(2, 3)]),
    Case("pad-reflect", lambda x: mg.pad(x, [(1, 2), (0, 1)], mode="reflect"), [(3, 3)]),
    Case("sort", lambda x: mg.sort(x) * mg.arange(1, 5, dtype=x.dtype), [(3, 4)],
         domain=distinct),
    Case("sort-desc-axis0", lambda x: mg.sort(x, axis=0, direction="DESCENDING") ** 2,
         [(3, 2)], domain=distinct),
]

INDEXING = [
    Case("take", lambda x: mg.take(x, [2, 0, 2, -1], axis=1), [(2, 4)]),
    Case("take-flat", lambda x: mg.take(x, _idx([[0, 5], [5, 5]])), [(2, 3)]),
    Case("take_along_axis", lambda x: mg.take_along_axis(x, _idx([[0, 0], [2, 1]]), axis=1),
         [(2, 3)]),
    Case("take_along_axis-bcast", lambda x: mg.take_along_axis(x, _idx([[1], [0]]), 0), [(2, 3)]),
    Case("getitem-neg-step", lambda x: x[::-1, -2:] * x[0, ...], [(3, 2)]),
    Case("index_update-slice", lambda x, v: mg.index_update(x, (slice(None), 1), v) ** 2,
         [(3, 4), (3,)]),
    Case("index_update-broadcast", lambda x, v: mg.index_update(x, (0, slice(1, 3)), v) * x,
         [(2, 4), (1,)]),
    Case("index_update-int-array", lambda x, v: mg.index_update(x, _idx([2, 0]), v) * 3,
         [(4, 2), (2, 2)]),
    Case("index_update-mask", lambda x: mg.index_update(x, x > 0, 0.0) * x, [(6,)],
         domain=lambda a: np.sign(a) * (np.abs(a) + 0.5)),
    Case("index_add-repeats", lambda x, v: mg.index_add(x, _idx([1, 1, 0]), v) ** 2,
         [(3, 2), (3, 2)]),
    Case("tensor_scatter_nd_update",
         lambda x, u: mg.tensor_scatter_nd_update(x, _idx([[0, 1], [2, 0]]), u) * x,
         [(3, 2), (2,)]),
    Case("tensor_scatter_nd_add-rows",
         lambda x, u: mg.tensor_scatter_nd_add(x, _idx([[1], [1]]), u) ** 2, [(3, 2), (2, 2)]),
    Case("scatter_nd", lambda u: mg.scatter_nd(_idx([[0], [2], [0]]), u, (4, 2)), [(3, 2)]),
]

CASES = PRODUCTS + SHAPE + INDEXING


(test_gradients_match_finite_differences, test_float32_stays_float32,
 test_jacobian_batched_pass_matches_row_by_row) = table_tests(CASES)


# --- forward values against NumPy --------------------------------------------------------------

_R = np.random.default_rng(3)
A, B, V3, W3 = _R.standard_normal((3, 4)), _R.standard_normal((4, 2)), _R.standard_normal(3), \
    _R.standard_normal((2, 3))
T3 = _R.standard_normal((2, 3, 4))

FORWARD = [
    ("dot", lambda m: m.dot(A, B)),
    ("dot-nd", lambda m: m.dot(T3, _R_T)),
    ("inner", lambda m: m.inner(A, A)),
    ("outer", lambda m: m.outer(A, V3)),
    ("vdot", lambda m: m.vdot(A, A)),
    ("tensordot", lambda m: m.tensordot(T3, T3, axes=([0, 2], [0, 2]))),
    ("einsum", lambda m: m.einsum("bij,bkj->ik", T3, T3)),
    ("einsum-diag", lambda m: m.einsum("ii->i", A[:, :3])),
    ("einsum-implicit", lambda m: m.einsum("kj,ji", A, B)),
    ("kron", lambda m: m.kron(A[:2, :2], W3)),
    ("cross", lambda m: m.cross(W3, V3)),
    ("trace", lambda m: m.trace(T3, 1, 2, 1)),
    ("swapaxes", lambda m: m.swapaxes(T3, 0, 2)),
    ("moveaxis", lambda m: m.moveaxis(T3, [0, 1], [-1, 0])),
    ("atleast_3d", lambda m: m.atleast_3d(A)),
    ("rot90", lambda m: m.rot90(T3, 3, axes=(2, 0))),
    ("roll", lambda m: m.roll(T3, (1, -2), axis=(0, 2))),
    ("roll-flat", lambda m: m.roll(A, 5)),
    ("tile", lambda m: m.tile(V3, (2, 2))),
    ("repeat", lambda m: m.repeat(A, [1, 0, 2], axis=0)),
    ("repeat-int", lambda m: m.repeat(A, 2, axis=1)),
    ("hstack", lambda m: m.hstack([A, A])),
    ("vstack", lambda m: m.vstack([V3, W3])),
    ("column_stack", lambda m: m.column_stack([V3, W3.T])),
    ("array_split", lambda m: m.array_split(np.arange(7.0), 3)[2]),
    ("split-points", lambda m: m.split(A, [1, 10], axis=1)[1]),
    ("diag", lambda m: m.diag(V3, -2)),
    ("diagonal", lambda m: m.diagonal(T3, -1, 2, 1)),
    ("triu", lambda m: m.triu(T3, -1)),
    ("pad-reflect", lambda m: m.pad(A, ((2, 1), (3, 0)), mode="reflect")),
    ("pad-edge", lambda m: m.pad(A, ((0, 2), (1, 1)), mode="edge")),
    ("pad-constant", lambda m: m.pad(A, 1, constant_values=2.0)),
    ("sort", lambda m: m.sort(A, axis=0)),
    ("take", lambda m: m.take(A, [3, -1, 0], axis=1)),
    ("take_along_axis", lambda m: m.take_along_axis(A, np.array([[1], [0], [3]]), 1)),
]
_R_T = _R.standard_normal((3, 4, 2))


@pytest.mark.parametrize("name, f", FORWARD, ids=[n for n, _ in FORWARD])
def test_forward_matches_numpy(backend, name, f):
    args = lambda v: mg.to_backend(v, backend) if isinstance(v, np.ndarray) else v  # noqa: E731

    class Mg:  # mg with every array argument moved to the backend under test
        def __getattr__(self, op):
            def call(*a, **k):
                a = [args(v) if not isinstance(v, list) else [args(w) for w in v] for v in a]
                return getattr(mg, op)(*a, **k)
            return call
    got, want = f(Mg()), f(np)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)


def test_index_update_and_add_values(backend):
    x = mg.constant(np.zeros((2, 3)))
    u = mg.index_update(x, (1, slice(0, 2)), mg.constant(np.array([1.0, 2.0])))
    np.testing.assert_array_equal(u.numpy(), [[0, 0, 0], [1, 2, 0]])
    a = mg.index_add(x, (mg.constant([0, 0, 1]), mg.constant([2, 2, 0])), 1.5)
    np.testing.assert_array_equal(a.numpy(), [[0, 0, 3], [1.5, 0, 0]])
    s = mg.tensor_scatter_nd_add(x, mg.constant([[1, 1], [1, 1]]), mg.constant([1.0, 4.0]))
    assert s.numpy()[1, 1] == 5.0
    assert x.numpy().sum() == 0.0      # the original is untouched


def test_update_gradients_reach_both_inputs(backend):
    x = mg.constant(np.arange(4.0))
    v = mg.constant(np.array([10.0, 20.0]))
    with mg.GradientTape() as t:
        t.watch([x, v])
        y = mg.reduce_sum(mg.index_update(x, slice(1, 3), v) * mg.constant(np.arange(1.0, 5.0)))
    gx, gv = t.gradient(y, [x, v])
    np.testing.assert_array_equal(gx.numpy(), [1, 0, 0, 4])
    np.testing.assert_array_equal(gv.numpy(), [2, 3])


def test_sort_gradient_follows_permutation(backend):
    x = mg.constant(np.array([3.0, 1.0, 2.0]))
    with mg.GradientTape() as t:
        t.watch(x)
        y = mg.reduce_sum(mg.sort(x) * mg.constant(np.array([1.0, 10.0, 100.0])))
    np.testing.assert_array_equal(t.gradient(y, x).numpy(), [100.0, 1.0, 10.0])


def test_setitem_message_points_to_existing_functions(backend):
    x = mg.constant(np.zeros(3))
    with pytest.raises(TypeError, match="mg.index_update") as info:
        x[0] = 1.0
    assert "tensor_scatter_nd_update" in str(info.value)
    assert callable(mg.index_update) and callable(mg.tensor_scatter_nd_update)


@pytest.mark.parametrize("call, message", [
    (lambda: mg.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((4, 2))), "index 'j' has size 3"),
    (lambda: mg.einsum("ij,jk", np.ones((2, 3))), "name 2 operand"),
    (lambda: mg.einsum("ijk->i", np.ones((2, 3))), "shape \\(2, 3\\)"),
    (lambda: mg.einsum("ij->iz", np.ones((2, 3))), "output index 'z' appears in no operand"),
    (lambda: mg.einsum("i$", np.ones((2, 3))), "invalid character"),
    (lambda: mg.split(np.ones(5), 2), "does not split into 2 equal parts; use mg.array_split"),
    (lambda: mg.tensordot(np.ones((2, 3)), np.ones((2, 3)), axes=1), "contracted axes must match"),
    (lambda: mg.dot(np.ones((2, 3)), np.ones((2, 3))), "not aligned"),
    (lambda: mg.cross(np.ones(4), np.ones(4)), "size 2 or 3"),
    (lambda: mg.pad(np.ones(3), 3, mode="reflect"), "smaller than the axis size"),
    (lambda: mg.pad(np.ones(3), 1, mode="wrap"), "'constant', 'edge' or 'reflect'"),
    (lambda: mg.pad(np.ones((2, 2)), [(1, 1)] * 3), "one non-negative pair per axis"),
    (lambda: mg.moveaxis(np.ones((2, 3)), [0, 1], [0]), "2 source axes but 1 destinations"),
    (lambda: mg.take_along_axis(np.ones((2, 3)), np.zeros(2, dtype=np.int64)), "same rank"),
    (lambda: mg.take(np.ones(3), np.zeros(2)), "indices must be integers"),
    (lambda: mg.repeat(np.ones(3), [1, 2]), "one per element"),
    (lambda: mg.tensor_scatter_nd_update(np.ones(3), np.zeros((1, 2), dtype=np.int64), 1.0),
     "K <= 1"),
])
def test_bad_input_is_explained(backend, call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


@pytest.mark.parametrize("subscripts, shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("...ij,...jk", [(2, 1, 2, 3), (4, 3, 2)]),
    ("ijk->j", [(2, 3, 2)]),
    ("i,j,ij->", [(2,), (3,), (2, 3)]),
    ("ii->i", [(3, 3)]),
    ("iij,jk->ik", [(2, 2, 3), (3, 2)]),
    ("ii", [(2, 2)]),
])
def test_einsum_fallback_without_a_native_einsum(subscripts, shapes):
    """What ArrayOps.einsum does for a namespace without einsum (Array API functions only)."""
    from multigrad.backend.fallbacks import einsum_fallback
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_allclose(einsum_fallback(np, subscripts, *xs), np.einsum(subscripts, *xs),
                               rtol=1e-12, atol=1e-12)


def test_einsum_fallback_diagonal_keeps_inf_off_the_diagonal_out():
    from multigrad.backend.fallbacks import einsum_fallback
    x = np.array([[1.0, np.inf], [2.0, 3.0]])
    np.testing.assert_array_equal(einsum_fallback(np, "ii->i", x), [1.0, 3.0])
