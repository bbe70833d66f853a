"""``mg.Variable``'s TensorFlow constructor arguments, and ``mg.init_scope``.

Expected behaviour is TF 2's documented one: ``trainable`` defaults to True unless
synchronization is ON_READ; ``constraint`` is applied by optimizers after an update, never
by ``assign``; ``shape=`` (or ``validate_shape=False``) is what later assigns may have."""

import copy
import pickle

import numpy as np
import pytest

import multigrad as mg


def test_synchronization_and_aggregation_are_recorded(backend):
    v = mg.Variable([1.0, 2.0], synchronization=mg.VariableSynchronization.ON_WRITE,
                    aggregation=mg.VariableAggregation.SUM)
    assert v.synchronization is mg.VariableSynchronization.ON_WRITE
    assert v.aggregation is mg.VariableAggregation.SUM and v.trainable
    default = mg.Variable(1.0)
    assert default.synchronization is mg.VariableSynchronization.AUTO
    assert default.aggregation is mg.VariableAggregation.NONE and default.constraint is None
    assert [m.value for m in mg.VariableSynchronization] == [0, 1, 2, 3]
    assert [m.name for m in mg.VariableAggregation] == ["NONE", "SUM", "MEAN",
                                                        "ONLY_FIRST_REPLICA"]


def test_on_read_variables_are_not_trainable_by_default(backend):
    v = mg.Variable(0.0, synchronization=mg.VariableSynchronization.ON_READ,
                    aggregation=mg.VariableAggregation.MEAN)
    assert v.trainable is False
    assert mg.Variable(0.0, synchronization=3).trainable is False      # TF takes the value too
    assert mg.Variable(0.0, trainable=True,
                       synchronization=mg.VariableSynchronization.ON_READ).trainable is True


def test_invalid_modes_raise(backend):
    with pytest.raises(ValueError, match="Invalid variable aggregation mode: 'sum' for "
                                         "variable: w:0"):
        mg.Variable(1.0, name="w", aggregation="sum")
    with pytest.raises(ValueError, match="Invalid variable synchronization mode: 7"):
        mg.Variable(1.0, synchronization=7)
    with pytest.raises(ValueError, match="`constraint` must be None or a callable"):
        mg.Variable(1.0, constraint=3.0)
    with pytest.raises(ValueError, match="variable_def"):
        mg.Variable(None, variable_def=object())


def test_graph_only_arguments_are_accepted(backend):
    v = mg.Variable([1.0], caching_device="/CPU:0", import_scope="scope",
                    experimental_enable_variable_lifting=False, name="v", dtype=mg.float64)
    assert v.name == "v:0" and v.dtype == mg.float64 and v.numpy().tolist() == [1.0]


def test_initial_value_may_be_a_callable(backend):
    v = mg.Variable(lambda: mg.ones((2, 2)), dtype=mg.float32)
    assert v.shape == (2, 2) and v.dtype == mg.float32 and float(mg.reduce_sum(v)) == 4.0


def test_constraint_is_applied_by_optimizers_not_by_assign(backend):
    non_negative = lambda w: mg.maximum(w, 0.0)          # noqa: E731
    v = mg.Variable([1.0, -1.0, 2.0], constraint=non_negative)
    assert v.constraint is non_negative
    v.assign([-3.0, 1.0, 1.0])                           # TF: assign ignores the constraint
    np.testing.assert_array_equal(v.numpy(), [-3.0, 1.0, 1.0])
    opt = mg.optimizers.SGD(learning_rate=1.0)
    opt.apply_gradients([(mg.constant([-1.0, 2.0, 0.5]), v)])     # -2, -1, 0.5 before it
    np.testing.assert_array_equal(v.numpy(), [0.0, 0.0, 0.5])


def test_constraint_in_a_traced_training_step(backend):
    v = mg.Variable([0.5, 1.5], constraint=lambda w: mg.clip_by_value(w, 0.0, 1.0))
    opt = mg.optimizers.SGD(learning_rate=0.5)

    @mg.function
    def step(target):
        with mg.GradientTape() as tape:
            loss = mg.reduce_sum(mg.square(v - target))
        opt.apply_gradients(zip(tape.gradient(loss, [v]), [v]))
    for target in ([2.0, -1.0], [2.0, -1.0], [-2.0, 0.25]):
        eager = v.numpy() - 0.5 * 2 * (v.numpy() - np.array(target, np.float32))
        step(mg.constant(target))
        np.testing.assert_allclose(v.numpy(), np.clip(eager, 0.0, 1.0), rtol=1e-6)


def test_declared_shape_lets_assign_change_the_shape(backend):
    v = mg.Variable([1.0, 2.0], shape=mg.TensorShape([None]))
    v.assign([1.0, 2.0, 3.0])
    assert v.shape == (3,)
    with pytest.raises(ValueError, match=r"value of shape \(1, 1\) is not compatible with the "
                                         r"shape \(None,\) declared for variable"):
        v.assign([[1.0]])
    free = mg.Variable(0.0, validate_shape=False)
    free.assign([[1.0, 2.0]])
    assert free.shape == (1, 2)
    fixed = mg.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match=r"does not match the variable's shape \(2,\)"):
        fixed.assign([1.0, 2.0, 3.0])


def test_declared_shape_must_fit_the_initial_value(backend):
    with pytest.raises(ValueError, match=r"The initial value's shape \(2,\) is not compatible "
                                         r"with the explicitly supplied `shape` argument"):
        mg.Variable([1.0, 2.0], shape=[3])
    assert mg.Variable([1.0, 2.0], shape=[2]).shape == (2,)


def test_copies_and_pickles_keep_the_options(backend):
    v = mg.Variable([1.0], shape=[None], aggregation=mg.VariableAggregation.MEAN,
                    synchronization=mg.VariableSynchronization.ON_READ, trainable=False)
    for w in (copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        assert w.aggregation is mg.VariableAggregation.MEAN and w.trainable is False
        assert w.synchronization is mg.VariableSynchronization.ON_READ
        w.assign([1.0, 2.0])                             # the declared shape came along


# --- init_scope -----------------------------------------------------------------------------

def test_init_scope_lifts_variable_creation_out_of_the_trace(backend):
    made = []

    @mg.function
    def scaled(x):
        with mg.init_scope():
            v = mg.Variable(2.0)                         # made once, at trace time
            made.append(v)
        return v * x
    assert float(scaled(mg.constant(1.0))) == 2.0
    assert float(scaled(mg.constant(3.0))) == 6.0
    assert scaled.experimental_get_tracing_count() == 1 and len(made) == 1
    made[0].assign(5.0)
    assert float(scaled(mg.constant(2.0))) == 10.0      # the program reads the Variable


def test_without_init_scope_a_variable_made_in_the_trace_retraces(backend):
    made = []

    @mg.function
    def scaled(x):
        v = mg.Variable(2.0)
        made.append(v)
        return v * x
    scaled(mg.constant(1.0))
    scaled(mg.constant(3.0))
    assert scaled.experimental_get_tracing_count() == 2 and len(made) == 2


def test_init_scope_values_are_eager(backend):
    seen = []

    @mg.function
    def f(x):
        with mg.init_scope():
            seen.append(mg.constant([1.0, 2.0]) * 3.0)
        return x + 1.0
    f(mg.constant(1.0))
    assert seen[0].numpy().tolist() == [3.0, 6.0]       # a real value, not a traced one


def test_init_scope_pauses_tapes(backend):
    x = mg.constant(3.0)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        with mg.init_scope():
            z = x * x
    assert float(tape.gradient(y, x)) == 6.0
    assert tape.gradient(z, x) is None
    with mg.init_scope():                               # eagerly, outside tapes: no effect
        assert float(mg.constant(2.0) * 2.0) == 4.0
