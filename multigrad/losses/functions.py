"""Keras's loss functions (``keras.losses.mean_squared_error`` ...): one loss per sample.

Each reduces the last axis (the features or classes) and keeps the batch axes. ``y_true`` is
cast to ``y_pred``'s dtype; where their ranks differ by one, a trailing axis of size 1 is
evened out first (``same_rank``: Keras's rule).
Probabilities are clipped to ``[epsilon, 1 - epsilon]`` (``mg.keras.backend.epsilon()``)
as Keras does; with ``from_logits=True`` the stable log-softmax / softplus forms are used.
"""

from ..core.convert import as_tensor
from ..keras_settings import epsilon
from ..ops.nn import log_softmax, sigmoid_cross_entropy_with_logits
from ..ops import abs, cast, clip, expand_dims, log, mean, squeeze, sum
from ..ops.nn import sparse_softmax_cross_entropy_with_logits

__all__ = ["mean_squared_error", "mean_absolute_error", "categorical_crossentropy",
           "sparse_categorical_crossentropy", "binary_crossentropy", "mse", "mae", "MSE", "MAE"]


def same_rank(a, b):
    """Keras's rule where two ranks differ by one and the longer ends in an axis of size 1:
    a rank-1 partner gains that axis ((n,) with (n, 1)), else the axis is dropped."""
    if a.ndim == b.ndim + 1 and a.shape[-1:] == (1,):
        return (a, expand_dims(b, -1)) if b.ndim == 1 else (squeeze(a, -1), b)
    if b.ndim == a.ndim + 1 and b.shape[-1:] == (1,):
        return (expand_dims(a, -1), b) if a.ndim == 1 else (a, squeeze(b, -1))
    return a, b


def _pair(y_true, y_pred):
    y_pred = as_tensor(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = cast(y_pred, "float32")
    y_true, y_pred = same_rank(as_tensor(y_true), y_pred)
    if y_true.dtype != y_pred.dtype:
        y_true = cast(y_true, y_pred.dtype)
    return y_true, y_pred


def _probabilities(y_pred):
    eps = epsilon()
    return clip(y_pred, eps, 1.0 - eps)


def mean_squared_error(y_true, y_pred):
    """mean((y_pred - y_true)**2) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    d = y_pred - y_true
    return mean(d * d, axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_pred - y_true|) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    return mean(abs(y_pred - y_true), axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """-sum(y_true * log(p)) over ``axis``: ``p`` is softmax(y_pred) with ``from_logits``,
    else y_pred scaled to sum to 1 and clipped. ``label_smoothing`` s mixes the labels with
    the uniform distribution: y_true * (1 - s) + s / num_classes."""
    y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"categorical_crossentropy: y_true of shape {y_true.shape} and "
                         f"y_pred of shape {y_pred.shape} must have the same shape (one-hot "
                         f"labels; for integer labels use sparse_categorical_crossentropy)")
    y_true = cast(y_true, y_pred.dtype)
    if label_smoothing:
        s = float(label_smoothing)
        y_true = y_true * (1.0 - s) + s / y_pred.shape[axis]
    if from_logits:
        return -sum(y_true * log_softmax(y_pred, axis=axis), axis=axis)
    p = _probabilities(y_pred / sum(y_pred, axis=axis, keepdims=True))
    return -sum(y_true * log(p), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """-log(p[label]) for integer labels; ``p`` is softmax(y_pred) with ``from_logits``, else
    y_pred clipped to [eps, 1 - eps] and scaled to sum to 1 (Keras's order)."""
    if ignore_class is not None:
        raise NotImplementedError("sparse_categorical_crossentropy: ignore_class is not "
                                  "supported; mask the per-sample losses (reduction='none')")
    if axis != -1:
        raise NotImplementedError("sparse_categorical_crossentropy: only axis=-1 (classes "
                                  "last) is supported")
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1:] == (1,):
        y_true = squeeze(y_true, -1)            # labels of shape (n, 1), as Keras allows
    if not y_true.dtype.is_integer:
        y_true = cast(y_true, "int64")          # Keras casts float labels to integers
    logits = y_pred if from_logits else log(_probabilities(y_pred))
    return sparse_softmax_cross_entropy_with_logits(labels=y_true, logits=logits)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """mean over ``axis`` of -(y log p + (1 - y) log(1 - p)); ``p`` is sigmoid(y_pred) with
    ``from_logits`` (computed stably), else y_pred clipped. ``label_smoothing`` s moves the
    labels towards 1/2: y * (1 - s) + s / 2."""
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        s = float(label_smoothing)
        y_true = y_true * (1.0 - s) + 0.5 * s
    if from_logits:
        return mean(sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred), axis=axis)
    p = _probabilities(y_pred)
    return mean(-(y_true * log(p) + (1.0 - y_true) * log(1.0 - p)), axis=axis)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
