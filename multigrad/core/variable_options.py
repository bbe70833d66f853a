"""The ``tf.Variable`` constructor arguments beyond the value: checked and normalised here.

``synchronization`` and ``aggregation`` are TensorFlow's enums (``mg.VariableSynchronization``,
``mg.VariableAggregation``): they tell a distribution strategy how replicas share a
variable. multigrad has one replica, so they are recorded (``v.synchronization``,
``v.aggregation``) and otherwise change nothing, as in TF without a strategy. ``constraint``
is a callable that optimizers apply after each update (Keras's rule; ``assign`` does not).
``shape`` (or ``validate_shape=False``, an unknown shape) is the shape ``assign`` accepts.
``caching_device``, ``import_scope`` and ``experimental_enable_variable_lifting`` are
accepted and have no effect (TF 1 graph options).
"""

import enum

from .tensor_shape import TensorShape, as_shape

__all__ = ["VariableSynchronization", "VariableAggregation", "VariableOptions",
           "variable_options"]


class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronised (``tf.VariableSynchronization``)."""
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    """How updates from replicas are combined (``tf.VariableAggregation``)."""
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class VariableOptions:
    """What a Variable keeps of those arguments (one object, shared by the defaults)."""

    __slots__ = ("synchronization", "aggregation", "constraint", "shape")

    def __init__(self, synchronization, aggregation, constraint, shape):
        self.synchronization = synchronization
        self.aggregation = aggregation
        self.constraint = constraint
        self.shape = shape          # the declared shape assign checks, or None: the value's


DEFAULT = VariableOptions(VariableSynchronization.AUTO, VariableAggregation.NONE, None, None)


def _enum(cls, value, what, name):
    if value is None:
        return next(iter(cls))
    try:
        return cls(value)
    except ValueError:
        pass
    if isinstance(value, enum.Enum):      # another enum of the same name (e.g. TF's own)
        try:
            return cls[value.name]
        except KeyError:
            pass
    choices = ", ".join(f"mg.{cls.__name__}.{m.name}" for m in cls)
    raise ValueError(f"Invalid variable {what} mode: {value!r} for variable: {name}; "
                     f"expected one of {choices}")


def variable_options(name, trainable, synchronization, aggregation, constraint, shape,
                     validate_shape, variable_def):
    """(trainable, VariableOptions) from ``tf.Variable``'s keyword arguments; ValueError
    for values TF refuses. ``trainable=None`` is True unless synchronization is ON_READ."""
    if variable_def is not None:
        raise ValueError("Creating a Variable from a variable_def (a TF 1 graph protocol "
                         "buffer) is not supported: pass initial_value")
    sync = _enum(VariableSynchronization, synchronization, "synchronization", name)
    agg = _enum(VariableAggregation, aggregation, "aggregation", name)
    if trainable is None:
        trainable = sync is not VariableSynchronization.ON_READ
    if constraint is not None and not callable(constraint):
        raise ValueError(f"Variable {name}: the argument `constraint` must be None or a "
                         f"callable (applied by optimizers after each update), got "
                         f"{type(constraint).__name__}: {constraint!r:.60}")
    declared = TensorShape(None) if not validate_shape else (
        None if shape is None else as_shape(shape))
    if (sync, agg, constraint, declared) == (DEFAULT.synchronization, DEFAULT.aggregation,
                                             None, None):
        return bool(trainable), DEFAULT
    return bool(trainable), VariableOptions(sync, agg, constraint, declared)


def check_initial_shape(options, shape):
    """ValueError unless the initial value's shape fits the declared ``shape=``."""
    if options.shape is not None and not options.shape.is_compatible_with(shape):
        raise ValueError(f"The initial value's shape {shape} is not compatible with the "
                         f"explicitly supplied `shape` argument {options.shape}.")
