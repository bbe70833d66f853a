"""Keras's loss classes: ``MeanSquaredError()(y_true, y_pred, sample_weight=None)``.

As in Keras 3, a loss object converts both arguments to its ``dtype`` (``floatx()``,
float32, unless given), computes one loss per sample with the function of the same name,
weights them by ``sample_weight`` and reduces: ``"sum_over_batch_size"`` (the default: the
weighted sum divided by the number of per-sample losses), ``"sum"``, or ``"none"`` / None.
"""

from ..core.convert import as_tensor
from ..dtypes import as_dtype
from ..keras_settings import floatx
from ..ops import cast, sum
from . import functions as _f

__all__ = ["Loss", "MeanSquaredError", "MeanAbsoluteError", "CategoricalCrossentropy",
           "SparseCategoricalCrossentropy", "BinaryCrossentropy", "reduce_weighted"]

_REDUCTIONS = ("sum_over_batch_size", "sum", "none", None, "mean", "auto")


def reduce_weighted(losses, sample_weight, reduction):
    """Per-sample ``losses`` times ``sample_weight`` (broadcast as Keras evens ranks), then
    reduced as ``reduction`` says."""
    if sample_weight is not None:
        weight = cast(as_tensor(sample_weight), losses.dtype)
        losses, weight = _f.same_rank(losses, weight)
        losses = losses * weight
    if reduction in ("none", None):
        return losses
    total = sum(losses)
    if reduction == "sum" or losses.size == 0:
        return total
    return total / losses.size


class Loss:
    """A loss: ``__call__(y_true, y_pred, sample_weight=None)`` -> the reduced loss."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"{type(self).__name__}: reduction must be one of "
                             f"'sum_over_batch_size', 'sum', 'none' (or None), got "
                             f"{reduction!r}")
        self.name = name or type(self).__name__
        self.reduction = "sum_over_batch_size" if reduction in ("auto", "mean") else reduction
        self.dtype = as_dtype(floatx() if dtype is None else dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must define call(y_true, y_pred)")

    def _convert_labels(self, y_true):
        return cast(as_tensor(y_true), self.dtype)

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = cast(as_tensor(y_pred), self.dtype)
        losses = self.call(self._convert_labels(y_true), y_pred)
        return reduce_weighted(losses, sample_weight, self.reduction)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction, "dtype": self.dtype.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        options = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({options})"


class MeanSquaredError(Loss):
    """mean((y_pred - y_true)**2) over the last axis, per sample."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(name, reduction, dtype)

    def call(self, y_true, y_pred):
        return _f.mean_squared_error(y_true, y_pred)


class MeanAbsoluteError(Loss):
    """mean(|y_pred - y_true|) over the last axis, per sample."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error",
                 dtype=None):
        super().__init__(name, reduction, dtype)

    def call(self, y_true, y_pred):
        return _f.mean_absolute_error(y_true, y_pred)


class _ProbabilisticLoss(Loss):
    """A cross-entropy: ``from_logits`` (and where Keras has them ``label_smoothing``,
    ``axis``) are passed to its function."""

    function = None
    options = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name=None, dtype=None):
        super().__init__(name, reduction, dtype)
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)
        self.axis = axis

    def call(self, y_true, y_pred):
        kwargs = {k: getattr(self, k) for k in self.options}
        return type(self).function(y_true, y_pred, **kwargs)

    def get_config(self):
        return {**super().get_config(), **{k: getattr(self, k) for k in self.options}}


class CategoricalCrossentropy(_ProbabilisticLoss):
    """Cross-entropy against one-hot (or probability) labels."""

    function = staticmethod(_f.categorical_crossentropy)

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(from_logits, label_smoothing, axis, reduction, name, dtype)


class BinaryCrossentropy(_ProbabilisticLoss):
    """Cross-entropy of independent yes/no labels, averaged over the last axis."""

    function = staticmethod(_f.binary_crossentropy)

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(from_logits, label_smoothing, axis, reduction, name, dtype)


class SparseCategoricalCrossentropy(_ProbabilisticLoss):
    """Cross-entropy against integer class labels."""

    function = staticmethod(_f.sparse_categorical_crossentropy)
    options = ("from_logits", "ignore_class")

    def __init__(self, from_logits=False, ignore_class=None,
                 reduction="sum_over_batch_size", name="sparse_categorical_crossentropy",
                 dtype=None):
        super().__init__(from_logits, 0.0, -1, reduction, name, dtype)
        self.ignore_class = ignore_class

    def _convert_labels(self, y_true):
        return as_tensor(y_true)            # integer labels stay integers
