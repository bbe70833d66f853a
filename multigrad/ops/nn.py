"""Neural-network functions (``mg.nn``), TensorFlow's names and defaults.

Every function is numerically stable in float32 at extreme inputs (|x| ~ 1e4): no
overflow in values or gradients. Primitives with their own rules where stability needs
them (sigmoid, softplus, softmax, log_softmax); compositions of stable ops elsewhere.
"""

import math as _m

from ..backend.conj import is_complex, maybe_conj
from .real_only import refuse_complex
from ..core.args import normalize_axis
from ..core.convert import as_tensor
from .. import any as _any, erf, expm1, logical_or, sum, tanh, where
from .define import defop
from ..core.primitive import Primitive, apply
from .tf.functions import one_hot
from .tf.math_functions import l2_loss, l2_normalize, moments, softsign  # noqa: F401 - tf.nn

__all__ = ["sigmoid", "relu", "leaky_relu", "elu", "gelu", "softplus", "softmax", "log_softmax",
           "sigmoid_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
           "sparse_softmax_cross_entropy_with_logits", "moments", "l2_loss", "l2_normalize",
           "softsign"]


def _sigmoid_forward(ns, x):
    if is_complex(x):                       # tf.math.sigmoid's complex form
        return 1 / (1 + ns.exp(-x))
    e = ns.exp(-ns.abs(x))                  # never overflows
    return ns.where(x >= 0, 1 / (1 + e), e / (1 + e))


# Holomorphic on complex input: the rule takes the conjugate derivative (TF's convention).
_SIGMOID = Primitive("sigmoid", _sigmoid_forward).defvjp(
    lambda ns, g, ans, x: g * maybe_conj(ns, ans * (1 - ans)))


@defop(_SIGMOID)
def sigmoid(x, name=None):
    """1 / (1 + exp(-x)); complex input as ``tf.math.sigmoid`` (the same formula)."""
    return apply(_SIGMOID, (x,))


def _softplus_forward(ns, x):
    refuse_complex(x)
    return ns.maximum(x, 0.0) + ns.log1p(ns.exp(-ns.abs(x)))


# d softplus = sigmoid(x) = exp(x - softplus(x)): stable, and in both rule vocabularies.
_SOFTPLUS = Primitive("softplus", _softplus_forward).defvjp(
    lambda ns, g, ans, x: g * ns.exp(x - ans))


@defop(_SOFTPLUS)
def softplus(x, name=None):
    """log(1 + exp(x))."""
    return apply(_SOFTPLUS, (x,))


# sign(relu(x)) is relu's derivative (0 at 0, as TF) and, unlike a mask, a differentiable
# function of x (with zero derivative): a second-order pass reaches x and gives zeros, as
# TF's ReluGrad does, where a mask would leave x unconnected (None).
def _relu_forward(ns, x):
    refuse_complex(x, what="real or integer input")     # TF's relu: no complex
    return ns.where(x > 0, x, ns.zeros_like(x))


_RELU = Primitive("relu", _relu_forward).defvjp(
    lambda ns, g, ans, x: g * ns.sign(ans))


@defop(_RELU)
def relu(x, name=None):
    """max(x, 0); the gradient at 0 is 0 (as TensorFlow)."""
    return apply(_RELU, (x,))


def _leaky_relu_vjp(ns, g, ans, x, alpha):
    # The slope 1 where x > 0, alpha elsewhere (at 0 too, as TF), written with sign(x) for the
    # reason relu's rule is: a where(x > 0, ...) mask would leave the second order None.
    s = ns.sign(x)
    return g * (alpha + (1 - alpha) * ((s + s * s) / 2))


def _leaky_relu_forward(ns, x, alpha):
    refuse_complex(x)
    return ns.where(x > 0, x, x * alpha)


_LEAKY_RELU = Primitive("leaky_relu", _leaky_relu_forward).defvjp(_leaky_relu_vjp)


@defop(_LEAKY_RELU)
def leaky_relu(x, alpha=0.2, name=None):
    """x for x > 0, alpha * x otherwise (TensorFlow's default alpha=0.2)."""
    return apply(_LEAKY_RELU, (as_tensor(x),), {"alpha": float(alpha)})


@defop()
def elu(x, alpha=1.0, name=None):
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    x = as_tensor(x)
    refuse_complex(x, "nn.elu")
    positive = x > 0
    return where(positive, x, expm1(where(positive, 0.0, x)) * alpha)  # no exp of large x


@defop()
def gelu(features, approximate=False, name=None):
    """x * Phi(x): exact with erf, or the tanh approximation (``approximate=True``)."""
    x = as_tensor(features)
    refuse_complex(x, "nn.gelu")
    if approximate:
        inner = (x + 0.044715 * (x * x * x)) * _m.sqrt(2 / _m.pi)
        return 0.5 * x * (1 + tanh(inner))
    return 0.5 * x * (1 + erf(x * (1 / _m.sqrt(2))))


# --- softmax family: the axis is stored negative so rules also fit batched cotangents ---

def _softmax_forward(ns, x, axis):
    refuse_complex(x)
    if x.shape[axis] == 0:      # an empty axis: nothing to normalise, an empty result
        return ns.zeros_like(x)
    e = ns.exp(x - ns.max(x, axis=axis, keepdims=True))
    return e / ns.sum(e, axis=axis, keepdims=True)


def _log_softmax_forward(ns, x, axis):
    refuse_complex(x)
    if x.shape[axis] == 0:
        return ns.zeros_like(x)
    shifted = x - ns.max(x, axis=axis, keepdims=True)
    return shifted - ns.log(ns.sum(ns.exp(shifted), axis=axis, keepdims=True))


_SOFTMAX = Primitive("softmax", _softmax_forward).defvjp(
    lambda ns, g, ans, x, axis: ans * (g - ns.sum(g * ans, axis=axis, keepdims=True)))
_LOG_SOFTMAX = Primitive("log_softmax", _log_softmax_forward).defvjp(
    lambda ns, g, ans, x, axis: g - ns.exp(ans) * ns.sum(g, axis=axis, keepdims=True))


def _negative_axis(x, axis, opname):
    if x.ndim == 0:
        raise ValueError(f"mg.nn.{opname} needs at least one dimension, got a scalar")
    if not isinstance(axis, int):
        raise TypeError(f"mg.nn.{opname}: axis must be an int, got {axis!r}")
    (a,) = normalize_axis(axis, x.ndim, f"nn.{opname}")
    return a - x.ndim


@defop(_SOFTMAX)
def softmax(logits, axis=-1, name=None):
    """exp(x) / sum(exp(x)) along ``axis``."""
    x = as_tensor(logits)
    return apply(_SOFTMAX, (x,), {"axis": _negative_axis(x, axis, "softmax")})


@defop(_LOG_SOFTMAX)
def log_softmax(logits, axis=-1, name=None):
    """x - logsumexp(x) along ``axis``."""
    x = as_tensor(logits)
    return apply(_LOG_SOFTMAX, (x,), {"axis": _negative_axis(x, axis, "log_softmax")})


# --- losses --------------------------------------------------------------------------------

def _labels_logits(labels, logits, opname):
    if labels is None or logits is None:
        raise ValueError(f"mg.nn.{opname} needs both labels= and logits= (as keywords, "
                         f"like TensorFlow)")
    labels, logits = as_tensor(labels), as_tensor(logits)
    if labels.shape != logits.shape:
        raise ValueError(f"mg.nn.{opname}: labels of shape {labels.shape} and logits of shape "
                         f"{logits.shape} must have the same shape")
    return labels, logits


@defop()
def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise -z log(sigmoid(x)) - (1 - z) log(1 - sigmoid(x)) = softplus(x) - x z."""
    labels, logits = _labels_logits(labels, logits, "sigmoid_cross_entropy_with_logits")
    return softplus(logits) - logits * labels


@defop()
def softmax_cross_entropy_with_logits(labels=None, logits=None, axis=-1, name=None):
    """-sum(labels * log_softmax(logits)) along ``axis`` (the class axis is reduced)."""
    labels, logits = _labels_logits(labels, logits, "softmax_cross_entropy_with_logits")
    return -sum(labels * log_softmax(logits, axis=axis), axis=axis)


@defop()
def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """-log_softmax(logits)[label] for integer class ``labels`` of shape ``logits.shape[:-1]``.

    Labels outside [0, num_classes) raise (TensorFlow on CPU); the gradient w.r.t. the
    logits is softmax(logits) - one_hot(labels), at every order through log_softmax.
    """
    opname = "sparse_softmax_cross_entropy_with_logits"
    if labels is None or logits is None:
        raise ValueError(f"mg.nn.{opname} needs both labels= and logits= (as keywords, like "
                         f"TensorFlow)")
    labels, logits = as_tensor(labels), as_tensor(logits)
    if not labels.dtype.is_integer:
        raise TypeError(f"mg.nn.{opname}: labels must be integer class indices, got dtype "
                        f"{labels.dtype.name} (for one-hot or probability labels use "
                        f"softmax_cross_entropy_with_logits)")
    if logits.ndim == 0 or labels.shape != logits.shape[:-1]:
        raise ValueError(f"mg.nn.{opname}: labels must have the shape of logits without its "
                         f"last (class) axis; got labels {labels.shape} and logits "
                         f"{logits.shape}")
    n = logits.shape[-1]
    if bool(_any(logical_or(labels < 0, labels >= n))):
        raise ValueError(f"mg.nn.{opname}: a label is outside the valid range [0, {n}) of "
                         f"the {n} classes")
    picked = one_hot(labels, n, dtype=logits.dtype)
    return -sum(picked * log_softmax(logits), axis=-1)
