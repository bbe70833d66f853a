"""mg.data.Dataset: TensorFlow's tf.data results (the examples of TF's Dataset docs), on every
backend, elements as Tensors of the active backend."""

import numpy as np
import pytest

import multigrad as mg
from multigrad.data import Dataset, TensorSpec


def values(ds):
    return [_plain(e) for e in ds.as_numpy_iterator()]


def _plain(e):
    if isinstance(e, tuple):
        return tuple(_plain(x) for x in e)
    if isinstance(e, dict):
        return {k: _plain(v) for k, v in e.items()}
    return np.asarray(e).tolist()


def test_from_tensor_slices_structures(backend):
    x = np.arange(6.0).reshape(3, 2)
    ds = Dataset.from_tensor_slices((x, [1, 2, 3]))
    assert values(ds) == [([0.0, 1.0], 1), ([2.0, 3.0], 2), ([4.0, 5.0], 3)]
    assert ds.element_spec == (TensorSpec((2,), mg.float64), TensorSpec((), mg.int32))
    first = next(iter(ds))
    assert first[0].backend is backend and isinstance(first[1], mg.Tensor)
    d = Dataset.from_tensor_slices({"a": [1.0, 2.0], "b": ([3, 4], [5, 6])})
    assert values(d) == [{"a": 1.0, "b": (3, 5)}, {"a": 2.0, "b": (4, 6)}]
    assert d.element_spec["a"] == TensorSpec((), mg.float32)     # Python floats: float32
    assert values(Dataset.from_tensors([1, 2])) == [[1, 2]]
    assert len(Dataset.from_tensors(([1, 2], 3))) == 1


def test_batch_unbatch_and_cardinality(backend):
    ds = Dataset.range(8)
    assert values(ds.batch(3)) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert values(ds.batch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5]]
    assert len(ds.batch(3)) == 3 and len(ds.batch(3, drop_remainder=True)) == 2
    assert ds.batch(3).element_spec == TensorSpec((None,), mg.int64)
    assert ds.batch(3, drop_remainder=True).element_spec == TensorSpec((3,), mg.int64)
    assert values(ds.batch(3).unbatch()) == list(range(8))
    assert int(ds.batch(3).unbatch().cardinality()) == mg.data.UNKNOWN_CARDINALITY == -2
    assert int(ds.repeat().cardinality()) == mg.data.INFINITE_CARDINALITY == -1
    assert int(ds.cardinality()) == 8 and ds.cardinality().dtype == mg.int64
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(ds.repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(ds.filter(lambda x: x > 2))
    batch = next(iter(Dataset.from_tensor_slices(np.ones((5, 2, 3), np.float32)).batch(4)))
    assert batch.shape == (4, 2, 3) and batch.dtype == mg.float32 and batch.backend is backend


def test_shuffle_buffer_semantics_and_seeds(backend):
    ds = Dataset.range(20)
    a = ds.shuffle(20, seed=7)
    first, second = values(a), values(a)
    assert sorted(first) == list(range(20)) and first != second   # reshuffled each pass
    assert values(ds.shuffle(20, seed=7)) == first                # reproducible from the seed
    fixed = ds.shuffle(20, seed=7, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)
    assert values(ds.shuffle(1, seed=3)) == list(range(20))       # a buffer of 1: no shuffle
    # A buffer of 2 can move an element at most one place ahead of its predecessors.
    assert all(e <= i + 1 for i, e in enumerate(values(ds.shuffle(2, seed=5))))
    epochs = values(ds.shuffle(20, seed=7).repeat(2))
    assert epochs[:20] == first and epochs[20:] == second
    mg.random.set_seed(1)
    unseeded = values(ds.shuffle(20))
    mg.random.set_seed(1)
    assert values(ds.shuffle(20)) == unseeded                     # global seed, as TF


def test_map_filter_take_skip_repeat(backend):
    ds = Dataset.from_tensor_slices(([1.0, 2.0, 3.0], [10, 20, 30]))
    mapped = ds.map(lambda x, y: (x * 2, y + 1))                  # tuple elements unpacked
    assert values(mapped) == [(2.0, 11), (4.0, 21), (6.0, 31)]
    assert mapped.element_spec == (TensorSpec((), mg.float32), TensorSpec((), mg.int32))
    d = Dataset.from_tensor_slices({"a": [1, 2]}).map(lambda e: e["a"] * 3)
    assert values(d) == [3, 6]
    r = Dataset.range(10)
    assert values(r.filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    assert values(r.take(3)) == [0, 1, 2] and values(r.skip(8)) == [8, 9]
    assert values(r.take(-1)) == list(range(10)) and values(r.skip(-1)) == []
    assert len(r.take(3)) == 3 and len(r.skip(8)) == 2 and len(r.skip(12)) == 0
    assert values(r.take(2).repeat(3)) == [0, 1] * 3 and len(r.take(2).repeat(3)) == 6
    assert values(r.repeat().take(12)) == list(range(10)) + [0, 1]
    assert values(Dataset.range(2, 9, 3)) == [2, 5, 8]
    assert values(r.take(0).repeat()) == []                       # nothing repeated is nothing


def test_zip_enumerate_prefetch_cache_concatenate(backend):
    a, b = Dataset.range(1, 4), Dataset.range(4, 7)
    assert values(Dataset.zip((a, b))) == [(1, 4), (2, 5), (3, 6)]
    assert values(Dataset.zip(a, b.take(2))) == [(1, 4), (2, 5)]
    assert values(Dataset.zip({"x": a, "y": b})) == [{"x": 1, "y": 4}, {"x": 2, "y": 5},
                                                     {"x": 3, "y": 6}]
    assert values(a.enumerate(start=5)) == [(5, 1), (6, 2), (7, 3)]
    assert values(a.prefetch(mg.data.AUTOTUNE)) == [1, 2, 3]
    assert mg.data.experimental.AUTOTUNE == mg.data.AUTOTUNE
    calls = []
    cached = a.map(lambda x: calls.append(1) or x).cache()
    assert values(cached) == values(cached) == [1, 2, 3]
    assert len(calls) == 3                           # one pass only
    assert values(a.concatenate(b)) == [1, 2, 3, 4, 5, 6]


def test_iterators(backend):
    it = iter(Dataset.range(2))
    assert int(it.next()) == 0 and int(next(it)) == 1
    with pytest.raises(StopIteration):
        it.get_next()
    ds = Dataset.from_tensor_slices(np.arange(4.0)).batch(2)
    total = mg.constant(0.0, dtype=mg.float64)
    for epoch in range(2):
        for x in ds:
            total += mg.reduce_sum(x)
    assert float(total) == 12.0


def test_gradient_through_batches(backend):
    X = np.arange(8.0).reshape(4, 2)
    y = X @ np.array([2.0, -1.0])
    w = mg.Variable(np.zeros(2))
    grads = []
    for xb, yb in Dataset.from_tensor_slices((X, y)).batch(2):
        with mg.GradientTape() as tape:
            loss = mg.reduce_sum((mg.reduce_sum(xb * w, axis=1) - yb) ** 2)
        grads.append(tape.gradient(loss, w).numpy())
    expected = [-2 * X[i:i + 2].T @ y[i:i + 2] for i in (0, 2)]
    np.testing.assert_allclose(grads, expected)


def test_iterating_inside_mg_function_is_refused(backend):
    ds = Dataset.range(3)

    @mg.function
    def f(x):
        for e in ds:
            x = x + e
        return x

    with pytest.raises(mg.tracing.TracingError,
                       match="iterating an mg.data.Dataset inside mg.function is not "
                             "supported.*for x, y in ds: step\\(x, y\\)"):
        f(mg.constant(0, dtype=mg.int64))


def test_bad_arguments(backend):
    with pytest.raises(ValueError, match=r"same size along axis 0, got sizes \[3, 2\]"):
        Dataset.from_tensor_slices(([1, 2, 3], [1, 2]))
    with pytest.raises(ValueError, match="a scalar component was given"):
        Dataset.from_tensor_slices((1.0, [1.0]))
    with pytest.raises(ValueError, match="batch: batch_size: must be at least 1, got 0"):
        Dataset.range(3).batch(0)
    with pytest.raises(ValueError, match="shuffle: buffer_size: must be at least 1"):
        Dataset.range(3).shuffle(0)
    with pytest.raises(TypeError, match="take: count: expected an int, got float 1.5"):
        Dataset.range(3).take(1.5)
    with pytest.raises(TypeError, match="zip expects Datasets"):
        Dataset.zip([1, 2])
    with pytest.raises(ValueError, match="predicate must return a scalar bool"):
        list(Dataset.from_tensor_slices(np.ones((2, 2))).filter(lambda x: x > 0))
    with pytest.raises(NotImplementedError, match="in memory only"):
        Dataset.range(3).cache("file")
