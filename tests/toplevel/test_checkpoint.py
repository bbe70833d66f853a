"""Resuming training: optimizer state (variables / load_state), mg.save / mg.load on .npz,
and pickle / deepcopy of (variables, optimizer): a run restored midway continues
bit-identically."""

import copy
import pickle

import numpy as np
import pytest

import multigrad as mg
from multigrad import optimizers

RNG = np.random.default_rng(7)
X = RNG.standard_normal((8, 3)).astype(np.float32)
Y = RNG.standard_normal(8).astype(np.float32)

OPTIMIZERS = {
    "adam": lambda: optimizers.Adam(0.05),
    "adam_amsgrad": lambda: optimizers.Adam(0.05, amsgrad=True, beta_1=0.8),
    "adamw": lambda: optimizers.AdamW(0.05, weight_decay=0.1),
    "sgd_nesterov": lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    "rmsprop": lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    "adagrad": lambda: optimizers.Adagrad(0.1, initial_accumulator_value=0.5),
}


def fresh_params():
    return mg.Variable(np.array([0.1, -0.2, 0.3], np.float32), name="w"), \
        mg.Variable(np.float32(0.0), name="b")


def step(opt, w, b):
    x, y = mg.constant(X), mg.constant(Y)
    with mg.GradientTape() as tape:
        loss = mg.mean(mg.square(mg.sin(mg.matmul(x, w)) + b - y))
    opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))


def train(opt, w, b, steps):
    for _ in range(steps):
        step(opt, w, b)
    return opt, w, b


_REFERENCES = {}


def reference(make, key=None):
    """10 uninterrupted steps: the values every resumed run must match bit for bit (cached
    per backend and optimizer: Dask's 2-element chunks make steps slow)."""
    key = (mg.get_backend().name, key)
    if key[1] is None or key not in _REFERENCES:
        opt, w, b = train(make(), *fresh_params(), 10)
        _REFERENCES[key] = w.numpy(), b.numpy()
    return _REFERENCES[key]


def assert_same_run(w, b, expected, backend):
    assert w.backend is backend and b.backend is backend
    np.testing.assert_array_equal(w.numpy(), expected[0])
    np.testing.assert_array_equal(b.numpy(), expected[1])


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_save_load_resumes_bit_identically(backend, tmp_path, name):
    expected = reference(OPTIMIZERS[name], name)
    opt, w, b = train(OPTIMIZERS[name](), *fresh_params(), 5)
    mg.save(tmp_path / "ckpt.npz", w=w, b=b, opt=opt)
    del opt, w, b
    loaded = mg.load(tmp_path / "ckpt.npz")
    assert sorted(loaded) == ["b", "opt", "w"]
    opt, w, b = loaded["opt"], loaded["w"], loaded["b"]
    assert type(opt) is type(OPTIMIZERS[name]()) and opt.iterations == 5
    assert opt.get_config() == OPTIMIZERS[name]().get_config()
    assert opt.built_variables[0] is w and opt.built_variables[1] is b
    assert (w.name, w.trainable, w.dtype) == ("w:0", True, mg.float32)
    train(opt, w, b, 5)
    assert opt.iterations == 10
    assert_same_run(w, b, expected, backend)


def test_an_optimizer_saved_alone_brings_its_variables(backend, tmp_path):
    expected = reference(OPTIMIZERS["adam"], "adam")
    opt, w, b = train(OPTIMIZERS["adam"](), *fresh_params(), 5)
    mg.save(tmp_path / "opt", opt=opt, loss=mg.constant(1.5))          # .npz appended
    loaded = mg.load(tmp_path / "opt.npz")
    assert sorted(loaded) == ["loss", "opt"] and float(loaded["loss"]) == 1.5
    w2, b2 = loaded["opt"].built_variables
    train(loaded["opt"], w2, b2, 5)
    assert_same_run(w2, b2, expected, backend)


def test_a_schedule_is_restored_into_a_rebuilt_optimizer(backend, tmp_path):
    def make():
        return optimizers.Adam(lambda t: 0.1 / (1 + t))
    expected = reference(make)
    opt, w, b = train(make(), *fresh_params(), 5)
    mg.save(tmp_path / "s.npz", w=w, b=b, opt=opt)
    with pytest.raises(ValueError, match=r"optimizer 'opt' was saved with a callable "
                                         r"learning_rate, which a file cannot hold; build it "
                                         r"again and restore into it: mg.load\(path, "
                                         r"opt=Adam\(learning_rate=schedule, ...\)\)"):
        mg.load(tmp_path / "s.npz")
    w2, b2 = fresh_params()
    opt2 = make()
    out = mg.load(tmp_path / "s.npz", w=w2, b=b2, opt=opt2)
    assert out["w"] is w2 and out["opt"] is opt2 and opt2.iterations == 5
    train(opt2, w2, b2, 5)
    assert_same_run(w2, b2, expected, backend)


def test_variables_and_load_state_resume_bit_identically(backend):
    expected = reference(OPTIMIZERS["rmsprop"], "rmsprop")
    opt, w, b = train(OPTIMIZERS["rmsprop"](), *fresh_params(), 5)
    state = opt.variables
    # iterations, then w's slots, then b's, each in RMSprop's fixed slot order
    assert [t.shape for t in state] == [(), (3,), (3,), (3,), (), (), ()]
    assert int(state[0]) == 5 and state[0].dtype == mg.int64
    np.testing.assert_array_equal(state[2].numpy(), opt.get_slot(w, "momentum").numpy())
    w2, b2 = fresh_params()
    w2.assign(w.numpy())
    b2.assign(b.numpy())
    opt2 = OPTIMIZERS["rmsprop"]()
    opt2.load_state([t.numpy() for t in state], [w2, b2])     # host arrays are fine too
    train(opt2, w2, b2, 5)
    assert_same_run(w2, b2, expected, backend)


def test_load_state_errors_leave_the_state_unchanged(backend):
    opt, w, b = train(OPTIMIZERS["adam"](), *fresh_params(), 2)
    before = [t.numpy() for t in opt.variables]
    state = opt.variables
    with pytest.raises(ValueError, match=r"Adam.load_state: got 4 values, expected 5 "
                                         r"\(iterations, then the slots of 2 variable\(s\) in "
                                         r"order\); pass var_list"):
        opt.load_state(state[:4])
    bad = state[:1] + [state[3]] + state[2:]                  # b's slot where w's belongs
    with pytest.raises(ValueError, match=r"slot 'm' of variable 'w:0' must be float32 of shape "
                                         r"\(3,\) on backend '[a-z_]+', got float32 of shape \(\)"):
        opt.load_state(bad)
    with pytest.raises(ValueError, match=r"slot 'm' of variable 'w:0' must be float32 .* got "
                                         r"float64"):
        opt.load_state([2] + [np.zeros(3)] + state[2:])
    with pytest.raises(ValueError, match=r"iterations \(the first value\) must be a whole "
                                         r"number >= 0, got 2.5"):
        opt.load_state([2.5] + state[1:])
    with pytest.raises(TypeError, match="var_list must hold mg.Variables, got Tensor"):
        opt.load_state(state, [w, mg.constant(1.0)])
    assert opt.iterations == 2 and opt.built_variables == [w, b]
    for t, old in zip(opt.variables, before):
        np.testing.assert_array_equal(t.numpy(), old)


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_pickle_or_deepcopy_of_variables_and_optimizer_resumes(backend, how):
    expected = reference(OPTIMIZERS["adam_amsgrad"], "adam_amsgrad")
    run = train(OPTIMIZERS["adam_amsgrad"](), *fresh_params(), 5)
    opt, w, b = pickle.loads(pickle.dumps(run)) if how == "pickle" else copy.deepcopy(run)
    assert w is not run[1] and opt.built_variables == [w, b]   # state follows the copies
    train(opt, w, b, 5)
    assert_same_run(w, b, expected, backend)
    train(*run, 5)                                             # the original is untouched
    assert_same_run(run[1], run[2], expected, backend)


def test_save_and_load_errors(backend, tmp_path):
    w, _ = fresh_params()
    with pytest.raises(TypeError, match="mg.save: can save Tensors, Variables and optimizers, "
                                        "got list for 'x'"):
        mg.save(tmp_path / "a.npz", x=[1.0])
    with pytest.raises(ValueError, match="names starting with '__' are reserved"):
        mg.save(tmp_path / "a.npz", __w=w)
    mg.save(tmp_path / "a.npz", w=w, t=mg.constant([1, 2]))
    with pytest.raises(KeyError, match=r"holds no object named \['v'\]; it holds \['t', 'w'\]"):
        mg.load(tmp_path / "a.npz", v=w)
    with pytest.raises(TypeError, match="only Variables can be restored into an existing "
                                        "object; 't' is a saved tensor"):
        mg.load(tmp_path / "a.npz", t=mg.constant([1, 2]))
    with pytest.raises(ValueError, match=r"variable 'w' was saved as float32 of shape \(3,\), "
                                         r"but the given one is float64 of shape \(3,\)"):
        mg.load(tmp_path / "a.npz", w=mg.Variable(np.zeros(3)))
    with pytest.raises(TypeError, match="optimizer 'opt' was saved as Adam, given SGD"):
        opt = train(optimizers.Adam(0.1), *fresh_params(), 1)[0]
        mg.save(tmp_path / "o.npz", opt=opt)
        mg.load(tmp_path / "o.npz", opt=optimizers.SGD(0.1))
    np.savez(tmp_path / "plain.npz", x=np.zeros(2))
    with pytest.raises(ValueError, match="is not a multigrad checkpoint"):
        mg.load(tmp_path / "plain.npz")
    loaded = mg.load(tmp_path / "a.npz")
    assert loaded["t"].dtype == mg.int32 and loaded["t"].backend is backend
