"""The Dask backend: laziness, one-pass compute, chunking, distributed, and its errors.

(The shared suite runs on it through the backend matrix; these are the Dask-only promises.)
"""

import os
import subprocess
import sys

import numpy as np
import pytest
from needs import require_distributed

import multigrad as mg

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.path.join(ROOT, "backends")]))


@pytest.fixture
def dask_backend():
    try:
        backend = mg.load_backend("dask")
    except mg.BackendUnavailableError as exc:
        pytest.skip(f"dask: {exc.reason}")
    with mg.use_backend(backend):
        yield backend


class _Counter:
    """Counts scheduler runs (dask's local-scheduler callbacks)."""

    def __init__(self):
        from dask.callbacks import Callback
        counter = self
        self.runs = 0

        class Hook(Callback):
            def _start(self, dsk):
                counter.runs += 1
        self.hook = Hook()


def _logistic(X, y, w, b):
    with mg.GradientTape() as tape:
        logits = mg.matmul(X, w) + b
        loss = mg.reduce_mean(mg.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    return (loss, *tape.gradient(loss, [w, b]))


def _data(rows=10, features=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, features))
    y = (rng.random((rows, 1)) < 0.5).astype(np.float64)
    w = rng.standard_normal((features, 1))
    return X, y, w, 0.3


def _on(backend_name, X, y, w, b):
    with mg.use_backend(backend_name):
        return (mg.constant(X), mg.constant(y), mg.Variable(w), mg.Variable(b, dtype=mg.float64))


def test_gradients_are_lazy_until_computed_in_one_pass(dask_backend):
    import dask.array as da
    X, y, w, b = _data()
    expected = [t.numpy() for t in _logistic(*_on("numpy", X, y, w, b))]
    counter = _Counter()
    with counter.hook:
        loss, gw, gb = _logistic(*_on("dask", X, y, w, b))
        assert counter.runs == 0                       # forward and backward: graphs only
        assert all(isinstance(t._value, da.Array) for t in (loss, gw, gb))
        assert gw._value.chunks == ((2, 1),) * 1 + ((1,),)   # 2-element chunks (the matrix)
        computed = mg.compute(loss, gw, gb)
        assert counter.runs == 1                       # loss and both gradients: one pass
        assert all(t.backend is dask_backend for t in computed)
        values = [t.numpy() for t in computed]         # already computed: cheap reads
    for got, want in zip(values, expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_data_is_cut_into_the_configured_chunks(dask_backend):
    t = mg.constant(np.arange(10.0).reshape(5, 2))
    assert t._value.chunks == ((2, 2, 1), (2,))        # MULTIGRAD_DASK_CHUNKS=2 (conftest)
    assert mg.zeros((3, 3))._value.chunks == ((2, 1), (2, 1))


def test_masked_loss_gradient_stays_lazy(dask_backend):
    x = mg.constant([1.0, -2.0, 3.0, -4.0, 5.0])
    counter = _Counter()
    with counter.hook:
        with mg.GradientTape() as tape:
            tape.watch(x)
            loss = mg.reduce_sum(mg.where(x > 0, x, 0.0) ** 2)
        g = tape.gradient(loss, x)
        assert counter.runs == 0
        loss, g = mg.compute(loss, g)
        assert counter.runs == 1
    np.testing.assert_allclose(g.numpy(), [2.0, 0.0, 6.0, 0.0, 10.0])
    assert float(loss) == 35.0


def test_a_mask_is_computed_alone_and_its_selection_has_known_sizes(dask_backend):
    from dask.callbacks import Callback
    x = mg.constant([1.0, -2.0, 3.0]) * 2.0
    mask = mg.constant([True, False, True])
    graphs = []
    with Callback(start=lambda dsk: graphs.append(dsk)):
        with mg.GradientTape() as tape:
            tape.watch(x)
            y = x[mask]
            loss = mg.reduce_sum(y)
        g = tape.gradient(loss, x)
    assert y.shape == (2,)                               # known, not NaN
    assert len(graphs) == 1                              # the mask, once (not again in the VJP)
    assert not any(str(key).find(x._value.name) >= 0 for key in graphs[0])   # not x's data
    np.testing.assert_array_equal(g.numpy(), [1.0, 0.0, 1.0])


def test_a_raw_dask_array_of_unknown_sizes_gets_them_on_a_copy(dask_backend):
    import dask.array as da
    raw = da.from_array(np.arange(4.0), chunks=2)
    selected = raw[raw > 1]
    t = mg.constant(selected)
    assert t.shape == (2,)
    assert selected.shape[0] != selected.shape[0]        # the caller's array is untouched
    np.testing.assert_array_equal((t + mg.constant([10.0, 20.0])).numpy(), [12.0, 23.0])


def test_compute_on_an_eager_backend_returns_the_tensors_themselves():
    with mg.use_backend("numpy"):
        a, b = mg.constant([1.0, 2.0]), mg.constant(3.0)
        out = mg.compute(a, None, b)
    assert out[0] is a and out[1] is None and out[2] is b


def test_compute_rejects_a_list_with_a_clear_message():
    with pytest.raises(TypeError, match=r"mg.compute takes tensors as separate arguments, got "
                                        r"a list; unpack it: mg.compute\(\*tensors\)"):
        mg.compute([mg.constant(1.0)])


def test_variable_assign_evaluates_the_new_state(dask_backend):
    v = mg.Variable([1.0, 2.0, 3.0])
    for _ in range(50):                     # without evaluation the graph would grow each step
        v.assign_sub(mg.constant([0.5, 0.5, 0.5]) * 0.1)
    assert len(v._value.dask) <= 2 * v._value.npartitions
    np.testing.assert_allclose(v.numpy(), [-1.5, -0.5, 0.5], rtol=1e-5)


def test_configure_rejects_bad_values():
    import multigrad_dask
    with pytest.raises(ValueError, match=r"configure\(chunk_type='tpu'\): expected 'numpy' "
                                         r"or 'cupy'"):
        multigrad_dask.configure(chunk_type="tpu")
    with pytest.raises(ValueError, match=r"configure\(chunks=0\): expected 'auto', a positive "
                                         r"int or a Dask chunks specification"):
        multigrad_dask.configure(chunks=0)
    with pytest.raises(ValueError, match=r"MULTIGRAD_DASK_CHUNKS='small': expected 'auto' or "
                                         r"a positive int"):
        multigrad_dask._parse_chunks("small", "MULTIGRAD_DASK_CHUNKS")


def test_max_chunks_caps_the_chunks_per_axis(dask_backend):
    """The matrix runs with chunks=2, max_chunks=8 (conftest.py): small arrays cross chunk
    boundaries every 2 elements, long axes get at most 8 chunks."""
    import multigrad_dask
    before = multigrad_dask.configure()
    try:
        multigrad_dask.configure(chunks=2, max_chunks=8)
        assert mg.constant(np.zeros((5, 100)))._value.chunks == ((2, 2, 1), (13,) * 7 + (9,))
        assert mg.zeros((3, 40))._value.chunks == ((2, 1), (5,) * 8)
        assert mg.linspace(0.0, 1.0, 33)._value.chunks == ((5,) * 6 + (3,),)
        assert mg.eye(20)._value.chunks == ((3,) * 6 + (2,),) * 2
        multigrad_dask.configure(max_chunks=0)                     # no cap
        assert len(mg.constant(np.zeros(100))._value.chunks[0]) == 50
        with pytest.raises(ValueError, match=r"configure\(max_chunks=-1\): expected a "
                                             r"positive int, or 0 for no cap"):
            multigrad_dask.configure(max_chunks=-1)
    finally:
        multigrad_dask.configure(chunks=before["chunks"], max_chunks=before["max_chunks"] or 0)


def test_gradient_on_a_local_distributed_cluster_matches_numpy(dask_backend):
    distributed = require_distributed()
    X, y, w, b = _data(rows=40, features=4, seed=1)
    expected = [t.numpy() for t in _logistic(*_on("numpy", X, y, w, b))]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster, timeout="30s") as client:
        tensors = _logistic(*_on("dask", X, y, w, b))
        with distributed.get_task_stream(client) as stream:
            loss, gw, gb = mg.compute(*tensors)
            values = [t.numpy() for t in (loss, gw, gb)]
        assert len(stream.data) > 0                      # the cluster's workers ran the tasks
    for got, want in zip(values, expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=ENV)


def test_import_multigrad_never_imports_dask():
    out = _run("import sys, multigrad as mg\n"
               "x = mg.Variable([1.0, 2.0])\n"
               "with mg.GradientTape() as t:\n"
               "    y = mg.reduce_sum(x * x)\n"
               "t.gradient(y, x).numpy()\n"
               "print('dask' in sys.modules)")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_without_dask_the_backend_is_unavailable_with_the_reason():
    out = _run("import sys\n"
               "class Block:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name.partition('.')[0] == 'dask':\n"
               "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
               "sys.meta_path.insert(0, Block())\n"
               "import multigrad as mg\n"
               "row = [r for r in mg.list_backends() if r['name'] == 'dask'][0]\n"
               "print(row['available'], row['reason'])\n"
               "try:\n"
               "    mg.set_backend('dask')\n"
               "except mg.BackendUnavailableError as exc:\n"
               "    print('error:', exc)\n")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == ('False dask is not installed: pip install "multigrad-tape[dask]" '
                        '(from a checkout: pip install ".[dask]") (dask[array,distributed])')
    assert lines[1].startswith("error: ") and "multigrad-tape[dask]" in lines[1]
