"""Complex-aware helpers for rules, free for real dtypes.

multigrad follows TensorFlow's convention for complex gradients: for a real loss L of
z = x + iy the gradient is dL/dx + i dL/dy, so a holomorphic op's rule is
``g * maybe_conj(ns, f'(z))``. ``maybe_conj`` skips the call entirely on real data.
"""

from ..dtypes import as_dtype

__all__ = ["is_complex", "maybe_conj"]


def is_complex(x):
    """True for complex arrays, Tensors and Python complex numbers."""
    dt = getattr(x, "dtype", None)
    if dt is None:
        return isinstance(x, complex)
    kind = getattr(dt, "kind", None)        # numpy/cupy dtypes and mg.DType have it
    if kind is not None:
        return kind == "c"
    return as_dtype(dt).is_complex          # other namespaces: by the standard name


def maybe_conj(ns, x):
    """``ns.conj(x)`` for complex ``x``, ``x`` itself otherwise."""
    try:
        if x.dtype.kind != "c":        # the common case, inline: numpy, cupy, mg Tensors
            return x
    except AttributeError:
        if not is_complex(x):
            return x
    return x.conjugate() if isinstance(x, complex) else ns.conj(x)
