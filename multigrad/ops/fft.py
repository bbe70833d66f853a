"""``mg.fft``: differentiable discrete Fourier transforms (NumPy's names and arguments).

Three primitives cover the twelve functions: complex-to-complex (fftn/ifftn), real-to-complex
(rfftn) and complex-to-real (irfftn); the 1-D and 2-D forms are those with one or two axes.
Gradients follow TensorFlow's complex convention (dL/dx + i dL/dy), so the rule of a linear
transform is its adjoint: fftn with norm N has adjoint ifftn with the dual norm
("backward" <-> "forward", "ortho" itself), and zero-padding (``n``/``s`` larger than the
input) has cropping as adjoint, and the other way round. A real input gets the real part.
"""

import sys

from .. import dtypes as _dt
from ..core.convert import as_tensor
from .fft_frequencies import fftfreq, fftshift, ifftshift, rfftfreq
from .define import defop
from ..core.primitive import Primitive, apply
from ..core.vocabulary import tensor_ops

__all__ = ["fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2",
           "rfftn", "irfftn", "hfft", "ihfft", "fftshift", "ifftshift", "fftfreq", "rfftfreq"]

_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}
_COMPLEX = {"float32": _dt.complex64, "float64": _dt.complex128, "float16": _dt.complex64}
_REAL = {"complex64": _dt.float32, "complex128": _dt.float64}



def _resize(ns, h, axis, size):
    """Crop or zero-pad ``h`` along the negative ``axis`` to ``size`` (mutual adjoints)."""
    n = h.shape[axis]
    if n == size:
        return h
    index = (Ellipsis, slice(0, min(n, size))) + (slice(None),) * (-axis - 1)
    if n > size:
        return h[index]
    shape = list(h.shape)
    shape[axis] = size
    return ns.index_add(tuple(shape), index, h)


def _resize_all(ns, h, axes, sizes):
    for axis, size in zip(axes, sizes):
        h = _resize(ns, h, axis, size)
    return h


# --- complex to complex ----------------------------------------------------------------------

def _c2c_forward(ns, x, s, axes, norm, inverse, cdtype):
    if cdtype is not None:                      # the standard transforms complex arrays only
        x = ns.astype(x, cdtype)
    return (ns.fft.ifftn if inverse else ns.fft.fftn)(x, s=s, axes=axes, norm=norm)


def _c2c_vjp(ns, g, ans, x, s, axes, norm, inverse, cdtype):
    h = (ns.fft.fftn if inverse else ns.fft.ifftn)(g, axes=axes, norm=_DUAL[norm])
    h = _resize_all(ns, h, axes, [x.shape[a] for a in axes])
    return ns.real(h) if cdtype is not None else h


_C2C = Primitive("fftn", _c2c_forward).defvjp(_c2c_vjp)

# --- real to complex (rfftn) ---------------------------------------------------------------------


def _rfftn_vjp(ns, g, ans, x, s, axes, norm):
    h = _resize(ns, g, axes[-1], s[-1])          # the dropped half of the spectrum: zeros
    h = ns.fft.ifftn(h, axes=axes, norm=_DUAL[norm])
    return _resize_all(ns, ns.real(h), axes, [x.shape[a] for a in axes])


_R2C = Primitive("rfftn", lambda ns, x, s, axes, norm: ns.fft.rfftn(x, s=s, axes=axes, norm=norm))
_R2C.defvjp(_rfftn_vjp)

# --- complex to real (irfftn) --------------------------------------------------------------------


def _irfftn_forward(ns, x, s, axes, norm, cdtype, weights):
    if cdtype is not None:
        x = ns.astype(x, cdtype)
    return ns.fft.irfftn(x, s=s, axes=axes, norm=norm)


def _irfftn_vjp(ns, g, ans, x, s, axes, norm, cdtype, weights):
    # Each bin k of the half spectrum other than 0 and n/2 stands for itself and its mirror
    # image, so it is weighted twice: the cotangent is weights * rfftn(g) (dual norm).
    h = ns.fft.rfftn(g, axes=axes, norm=_DUAL[norm]) * weights
    h = _resize_all(ns, h, axes, [x.shape[a] for a in axes])
    return ns.real(h) if cdtype is not None else h


_C2R = Primitive("irfftn", _irfftn_forward).defvjp(_irfftn_vjp)


# --- argument handling -------------------------------------------------------------------------

def _norm(norm, opname):
    norm = "backward" if norm is None else norm
    if norm not in _DUAL:
        raise ValueError(f"mg.fft.{opname}: norm must be 'backward', 'ortho' or 'forward', got "
                         f"{norm!r}")
    return norm


def _axes_sizes(x, s, axes, opname, default_size):
    """Negative axes and their output sizes; NumPy's defaults for missing s or axes."""
    if axes is None:
        axes = tuple(range(x.ndim)) if s is None else tuple(range(x.ndim - len(s), x.ndim))
    axes = tuple(int(a) for a in axes)
    for a in axes:
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f"mg.fft.{opname}: axis {a} is out of bounds for a tensor of "
                             f"shape {x.shape}")
    axes = tuple(a % x.ndim - x.ndim for a in axes)
    if len(set(axes)) != len(axes) or not axes:
        raise ValueError(f"mg.fft.{opname}: axes {axes} must be distinct and not empty")
    if s is None:
        s = [x.shape[a] for a in axes]
        s[-1] = default_size(x.shape[axes[-1]])
    s = tuple(int(n) for n in s)
    if len(s) != len(axes):
        raise ValueError(f"mg.fft.{opname}: s has {len(s)} entries for {len(axes)} axes")
    if any(n < 1 for n in s):
        raise ValueError(f"mg.fft.{opname}: transform sizes must be positive, got {s}")
    return s, axes


def _same(n):
    return n


def _complex_dtype(x):
    """The complex dtype to cast a real input to (None when already complex)."""
    if x.dtype.is_complex:
        return None
    if not x.dtype.is_floating:
        raise TypeError(f"mg.fft: expected a floating or complex tensor, got {x.dtype.name}")
    return _COMPLEX[x.dtype.name]


def _c2c(x, s, axes, norm, inverse, opname):
    x = as_tensor(x)
    s, axes = _axes_sizes(x, s, axes, opname, _same)
    return apply(_C2C, (x,), {"s": s, "axes": axes, "norm": _norm(norm, opname),
                              "inverse": inverse, "cdtype": _complex_dtype(x)})


def _r2c(x, s, axes, norm, opname):
    x = as_tensor(x)
    if not x.dtype.is_floating:
        raise TypeError(f"mg.fft.{opname} expects a real floating tensor, got "
                        f"{x.dtype.name}; use mg.fft.fftn for complex input")
    s, axes = _axes_sizes(x, s, axes, opname, _same)
    return apply(_R2C, (x,), {"s": s, "axes": axes, "norm": _norm(norm, opname)})


def _c2r(x, s, axes, norm, opname):
    x = as_tensor(x)
    s, axes = _axes_sizes(x, s, axes, opname, lambda m: 2 * (m - 1))
    cdtype = _complex_dtype(x)
    real = _REAL[(cdtype or x.dtype).name]
    n = s[-1]
    half = n // 2 + 1
    w = [1.0 if k == 0 or 2 * k == n else 2.0 for k in range(half)]
    b = x.backend
    weights = b.ops.reshape(b.asarray(w, real), (half,) + (1,) * (-axes[-1] - 1))
    return apply(_C2R, (x,), {"s": s, "axes": axes, "norm": _norm(norm, opname),
                              "cdtype": cdtype, "weights": weights})


def _one(n, axis):
    return None if n is None else (n,), (axis,)


@defop()
def fft(x, n=None, axis=-1, norm=None):
    """1-D discrete Fourier transform along ``axis`` (cropped or zero-padded to ``n``)."""
    return _c2c(x, *_one(n, axis), norm, False, "fft")


@defop()
def ifft(x, n=None, axis=-1, norm=None):
    """1-D inverse discrete Fourier transform."""
    return _c2c(x, *_one(n, axis), norm, True, "ifft")


@defop()
def fft2(x, s=None, axes=(-2, -1), norm=None):
    """2-D transform over ``axes``."""
    return _c2c(x, s, axes, norm, False, "fft2")


@defop()
def ifft2(x, s=None, axes=(-2, -1), norm=None):
    """2-D inverse transform over ``axes``."""
    return _c2c(x, s, axes, norm, True, "ifft2")


@defop()
def fftn(x, s=None, axes=None, norm=None):
    """N-D transform (all axes, or the last len(s), by default)."""
    return _c2c(x, s, axes, norm, False, "fftn")


@defop()
def ifftn(x, s=None, axes=None, norm=None):
    """N-D inverse transform."""
    return _c2c(x, s, axes, norm, True, "ifftn")


@defop()
def rfft(x, n=None, axis=-1, norm=None):
    """1-D transform of real input: the n//2 + 1 non-negative frequencies."""
    return _r2c(x, *_one(n, axis), norm, "rfft")


@defop()
def irfft(x, n=None, axis=-1, norm=None):
    """Inverse of rfft: a real signal of length ``n`` (2 * (m - 1) by default)."""
    return _c2r(x, *_one(n, axis), norm, "irfft")


@defop()
def rfft2(x, s=None, axes=(-2, -1), norm=None):
    """2-D transform of real input (the last axis halved)."""
    return _r2c(x, s, axes, norm, "rfft2")


@defop()
def irfft2(x, s=None, axes=(-2, -1), norm=None):
    """Inverse of rfft2."""
    return _c2r(x, s, axes, norm, "irfft2")


@defop()
def rfftn(x, s=None, axes=None, norm=None):
    """N-D transform of real input (the last transformed axis halved)."""
    return _r2c(x, s, axes, norm, "rfftn")


@defop()
def irfftn(x, s=None, axes=None, norm=None):
    """Inverse of rfftn: real output, the last axis 2 * (m - 1) long by default."""
    return _c2r(x, s, axes, norm, "irfftn")


# Rules name this extension as ``ns.fft.<name>``: on Tensors it is this module (on raw
# arrays, the namespace's own extension). Registered here so it loads only when used.
tensor_ops.fft = sys.modules[__name__]


@defop()
def hfft(x, n=None, axis=-1, norm=None):
    """The FFT of a Hermitian-symmetric signal given by its first half: a real spectrum of
    length ``n`` (``2 (m - 1)`` by default); ``irfft`` of the conjugate with the dual norm."""
    x = as_tensor(x)
    norm = "backward" if norm is None else norm
    if norm not in _DUAL:
        raise ValueError(f"mg.fft.hfft: norm must be 'backward', 'ortho' or 'forward', got "
                         f"{norm!r}")
    return irfft(tensor_ops.conj(x) if x.dtype.is_complex else x, n, axis, _DUAL[norm])


@defop()
def ihfft(x, n=None, axis=-1, norm=None):
    """The inverse of ``hfft`` for real input: the conjugate of ``rfft`` with the dual norm."""
    norm = "backward" if norm is None else norm
    if norm not in _DUAL:
        raise ValueError(f"mg.fft.ihfft: norm must be 'backward', 'ortho' or 'forward', got "
                         f"{norm!r}")
    return tensor_ops.conj(rfft(x, n, axis, _DUAL[norm]))

