"""Finite-difference gradient checking on any backend."""

import numpy as np  # host-side random directions only; the math runs on the backend

import multigrad as mg

__all__ = ["check_grads", "numerical_jvp"]

# Tolerances depend on the dtype only (never on the backend).
_TOLERANCES = {"float64": (1e-5, 1e-6), "float32": (2e-2, 2e-3), "float16": (1e-1, 5e-2),
               "complex128": (1e-5, 1e-6), "complex64": (2e-2, 2e-3)}


def _random_like(t, rng):
    t = t._known_shape()      # host-side values need the size (Dask: unknown after a mask)
    values = rng.standard_normal(t.shape)
    if t.dtype.is_complex:
        values = values + 1j * rng.standard_normal(t.shape)
    return mg.to_backend(values.astype(t.dtype.name), t.backend)


def _inner(a, b):
    """The real inner product sum(Re(a conj(b))): plain sum(a * b) for real tensors."""
    a, b = a._known_shape(), b._known_shape()    # Dask: sizes unknown after a mask
    if a.dtype.is_complex or b.dtype.is_complex:
        return mg.sum(mg.real(a * mg.conj(b)))
    return mg.sum(a * b)


def numerical_jvp(f, args, directions, eps):
    """Central difference of ``f`` along ``directions`` (None: that input held fixed)."""
    plus = [a if d is None else a + eps * d for a, d in zip(args, directions)]
    minus = [a if d is None else a - eps * d for a, d in zip(args, directions)]
    return (f(*plus) - f(*minus)) / (2 * eps)


def check_grads(f, args, order=1, eps=None, rtol=None, atol=None, seed=0):
    """Assert that the tape's derivatives of ``f`` up to ``order`` match finite differences.

    ``f`` takes Tensors and returns a Tensor. Floating and complex arguments are
    differentiated, the others held fixed. Complex arguments and outputs follow
    TensorFlow's convention (the gradient is dL/dx + i dL/dy): the check compares
    the real and imaginary parts against finite differences along x and y.
    Tolerances follow the dtype (use float64 for tight checks).
    Each order compares a vector-Jacobian product from the tape with a numerical
    Jacobian-vector product along a random direction; order k differentiates the
    order k-1 check itself, through nested tapes.
    """
    rng = np.random.default_rng(seed)
    args = [a if isinstance(a, mg.Tensor) else mg.constant(a) for a in args]
    diff = [a.dtype.is_differentiable for a in args]
    if not any(diff):
        raise ValueError("check_grads: no floating-point or complex argument to differentiate")
    dtype = next(a.dtype for a, d in zip(args, diff) if d)
    default_rtol, default_atol = _TOLERANCES.get(dtype.name, (1e-5, 1e-6))
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    real_size = dtype.itemsize // 2 if dtype.is_complex else dtype.itemsize
    eps = (1e-6 if real_size >= 8 else 1e-2) if eps is None else eps
    for level in range(1, order + 1):
        f = _check_one_order(f, args, diff, level, eps, rtol, atol, rng)


def _check_one_order(f, args, diff, level, eps, rtol, atol, rng):
    """Check one order; return the directional derivative, the function of the next."""
    cotangent = _random_like(f(*args), rng)
    directions = [_random_like(a, rng) if d else None for a, d in zip(args, diff)]

    def scalar(*xs):
        return _inner(f(*xs), cotangent)

    def directional(*xs):
        """The tape's derivative of ``scalar`` along ``directions`` (recordable)."""
        with mg.GradientTape() as tape:
            tape.watch([x for x, d in zip(xs, diff) if d])
            value = scalar(*xs)
        grads = tape.gradient(value, [x for x, d in zip(xs, diff) if d],
                              unconnected_gradients="zero")
        total = mg.zeros((), dtype=value.dtype, backend=value.backend)
        for g, v in zip(grads, [v for v in directions if v is not None]):
            total = total + _inner(g, v)
        return total

    analytic = float(directional(*args))
    numeric = float(numerical_jvp(scalar, args, directions, eps))
    if not abs(analytic - numeric) <= atol + rtol * abs(numeric):
        raise AssertionError(
            f"check_grads: order-{level} derivative mismatch: the tape gives {analytic!r}, "
            f"finite differences give {numeric!r} (rtol={rtol}, atol={atol})")
    return directional
