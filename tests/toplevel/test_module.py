"""mg.Module: TensorFlow's tf.Module (names, variable and submodule collection, training)."""

import pytest

import multigrad as mg


class Dense(mg.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = mg.Variable(mg.random.normal([n_in, n_out], seed=1), name="w")
        self.b = mg.Variable(mg.zeros([n_out]), name="b")

    def __call__(self, x):
        return mg.matmul(x, self.w) + self.b


STEPS = 15


def names(variables):
    return [v.name for v in variables]


def test_default_and_given_names(backend):
    class MyDenseLayer(mg.Module):
        pass

    assert mg.Module().name == "module"
    assert MyDenseLayer().name == "my_dense_layer"
    assert Dense(1, 1, name="dense_1").name == "dense_1"
    with mg.Module(name="m").name_scope as scope:
        assert scope == "m/"


def test_bad_name_is_a_clear_error(backend):
    with pytest.raises(ValueError, match=r"'my layer' is not a valid module name: module names "
                                         r"must be valid Python identifiers"):
        mg.Module(name="my layer")


def test_variables_are_collected_in_sorted_attribute_order(backend):
    m = mg.Module()
    m.z = mg.Variable(1.0, name="z")
    m.a = mg.Variable(2.0, name="a")
    m.constant = mg.constant(3.0)               # a Tensor is not a variable
    m.number = 4.0
    assert names(m.variables) == ["a:0", "z:0"]
    assert isinstance(m.variables, tuple)


def test_nested_modules_lists_tuples_dicts(backend):
    m = mg.Module(name="outer")
    m.layers = [Dense(2, 3, name="first"), Dense(3, 1, name="second")]
    m.extra = {"scale": mg.Variable(1.0, name="scale"), "bias": (mg.Variable(0.0, name="shift"),)}
    m.step = mg.Variable(0, trainable=False, name="step")
    # Own attributes first (sorted: extra -> bias, scale; step), then each submodule's.
    assert names(m.variables) == ["shift:0", "scale:0", "step:0", "b:0", "w:0", "b:0", "w:0"]
    assert [id(v) for v in m.variables[3:]] == [id(m.layers[0].b), id(m.layers[0].w),
                                                id(m.layers[1].b), id(m.layers[1].w)]
    assert [s.name for s in m.submodules] == ["first", "second"]
    inner = mg.Module()
    m.layers[0].inner = inner                  # a submodule's submodule is found too
    assert m.submodules[-1] is inner and m.layers[0].submodules == (inner,)


def test_each_variable_and_module_once_even_when_shared(backend):
    shared = mg.Variable(1.0, name="shared")
    layer = Dense(1, 1)
    m = mg.Module()
    m.a, m.b, m.c = shared, [shared, shared], {"x": shared}
    m.l1, m.l2 = layer, layer
    layer.tied = shared                         # also referenced from the submodule
    assert [id(v) for v in m.variables] == [id(shared), id(layer.b), id(layer.w)]
    assert m.submodules == (layer,)


def test_reference_cycles_are_harmless(backend):
    a, b = mg.Module(name="a"), mg.Module(name="b")
    a.child, b.parent = b, a
    a.v = mg.Variable(1.0)
    loop = [mg.Variable(2.0)]
    loop.append(loop)
    b.loop = loop
    assert [float(v) for v in a.variables] == [1.0, 2.0]
    assert a.submodules == (b,)


def test_trainable_variables_exclude_trainable_false(backend):
    m = Dense(2, 2)
    m.count = mg.Variable(0, trainable=False, name="count")
    assert names(m.trainable_variables) == ["b:0", "w:0"]
    assert names(m.non_trainable_variables) == ["count:0"]
    assert names(m.variables) == ["b:0", "count:0", "w:0"]


def test_subclass_without_super_init_still_works(backend):
    class Bare(mg.Module):
        def __init__(self):
            self.w = mg.Variable(1.0)

    bare = Bare()
    assert bare.name == "bare" and len(bare.trainable_variables) == 1


def test_training_loop_from_tensorflows_guide_converges(backend):
    # TensorFlow's "Basic training loops" guide with mg for tf: y = 3x + 2 plus noise.
    true_w, true_b = 3.0, 2.0
    mg.random.set_seed(0)
    x = mg.linspace(-2.0, 2.0, 21)           # the guide has 201 points: small for dask's chunks
    y = x * true_w + true_b + mg.random.normal(shape=[21], stddev=0.1)

    class MyModel(mg.Module):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = mg.Variable(5.0)
            self.b = mg.Variable(0.0)

        def __call__(self, x):
            return self.w * x + self.b

    def loss(target, predicted):
        return mg.reduce_mean(mg.square(target - predicted))

    model = MyModel()
    assert len(model.variables) == 2
    first = float(loss(y, model(x)))
    for _ in range(25):
        with mg.GradientTape() as t:
            current = loss(y, model(x))
        dw, db = t.gradient(current, [model.w, model.b])
        model.w.assign_sub(0.2 * dw)
        model.b.assign_sub(0.2 * db)
    report = f"W = {model.w.numpy():1.2f}, b = {model.b.numpy():1.2f}, loss={current:2.5f}"
    w, b, final = float(model.w), float(model.b), float(current)
    assert report == f"W = {w:1.2f}, b = {b:1.2f}, loss={final:2.5f}"
    assert abs(w - true_w) < 0.1 and abs(b - true_b) < 0.1
    assert final < 0.15 < first


def test_module_works_with_optimizers_and_tape_gradient(backend):
    mg.random.set_seed(1)
    model = mg.Module()
    model.hidden = Dense(2, 4, name="hidden")
    model.out = Dense(4, 1, name="out")
    x = mg.random.uniform([16, 2], minval=-1.0, maxval=1.0)
    target = mg.reduce_sum(x * mg.constant([1.5, -0.5]), axis=1, keepdims=True)

    def predict(inputs):
        return model.out(mg.nn.relu(model.hidden(inputs)))

    opt = mg.optimizers.Adam(learning_rate=0.1)
    losses = []
    for _ in range(STEPS):
        with mg.GradientTape() as tape:
            loss = mg.reduce_mean(mg.square(predict(x) - target))
        grads = tape.gradient(loss, model.trainable_variables)
        assert all(g is not None for g in grads)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
    assert len(model.trainable_variables) == 4
    assert losses[-1] < 0.1 * losses[0]
    assert model.hidden.w.shape == (2, 4)
