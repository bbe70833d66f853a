"""The NumPy reference namespace: the same names as ``multigrad`` on host arrays.

A program's op is written once, ``fn(xp, *args)``, and runs with ``xp = multigrad`` (the
backend under test) or ``xp = REF`` (plain NumPy, the oracle). ``REF`` is NumPy plus the
few functions multigrad has and NumPy lacks (erf, logsumexp, mg.nn, index updates).
"""

import math
import types

import numpy as np


def _erf(x):
    x = np.asarray(x)
    return np.vectorize(math.erf, otypes=[x.dtype])(x) if x.size else x.copy()


def _logsumexp(x, axis=None, keepdims=False):
    x = np.asarray(x)
    top = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    top = np.where(np.isfinite(top), top, 0)
    out = np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True)) + top
    return out if keepdims else np.squeeze(out, axis=axis if axis is not None
                                          else tuple(range(x.ndim)))


def _index_update(x, index, values):
    out = np.array(x, copy=True)
    out[index] = values
    return out


def _index_add(x, index, values):
    out = np.array(x, copy=True)
    np.add.at(out, index, values)
    return out


def _take(x, indices, axis=None):
    """np.take, with the bounds check NumPy's indexing makes (np.take skips it when the
    result is empty; multigrad, like x[idx] and tf.gather, raises IndexError)."""
    x, indices = np.asarray(x), np.asarray(indices)
    n = x.size if axis is None else x.shape[axis]
    if indices.size and (indices.min() < -n or indices.max() >= n):
        bad = indices.min() if indices.min() < -n else indices.max()
        raise IndexError(f"index {bad} is out of bounds for axis {axis} with size {n}")
    return np.take(x, indices, axis=axis)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    return x - _logsumexp(x, axis=axis, keepdims=True)


def _gelu(x, approximate=False):
    if approximate:
        c = np.sqrt(2 / np.pi).astype(x.dtype)
        return 0.5 * x * (1 + np.tanh(c * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + _erf(x / np.sqrt(2).astype(x.dtype)))


def _sig_xent(labels=None, logits=None):
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def _softmax_xent(labels=None, logits=None, axis=-1):
    return -np.sum(labels * _log_softmax(logits, axis=axis), axis=axis)


NN = types.SimpleNamespace(
    sigmoid=_sigmoid, softmax=_softmax, log_softmax=_log_softmax, gelu=_gelu,
    relu=lambda x: np.maximum(x, 0),
    leaky_relu=lambda x, alpha=0.2: np.where(x > 0, x, alpha * x),
    elu=lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))),
    softplus=lambda x: np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))),
    sigmoid_cross_entropy_with_logits=_sig_xent,
    softmax_cross_entropy_with_logits=_softmax_xent,
)


class _Reference(types.SimpleNamespace):
    """NumPy, with multigrad's extras; attribute lookups fall through to NumPy."""

    def __getattr__(self, name):
        return getattr(np, name)


REF = _Reference(erf=_erf, logsumexp=_logsumexp, take=_take, index_update=_index_update,
                 index_add=_index_add, nn=NN, linalg=np.linalg, fft=np.fft,
                 constant=np.asarray, is_reference=True)


def is_reference(xp):
    return getattr(xp, "is_reference", False) is True


def const(xp, value):
    """A host constant (mask, condition, labels) as an argument of ``xp``'s ops."""
    return np.asarray(value) if is_reference(xp) else xp.constant(np.asarray(value))
