"""NumPy's dispatch protocols on Tensor: ``np.sin(t)`` is ``mg.sin(t)``.

``__array_ufunc__`` (NEP 13) and ``__array_function__`` (NEP 18) hand a NumPy call with a
Tensor argument to multigrad's op of the same meaning, so it is recorded on the active
tapes, differentiable, and stays on the tensor's backend (a Dask Tensor stays lazy).
TensorFlow's tape silently loses NumPy calls (they return host arrays); here they are ops.

``numpy_table()`` is the one table from NumPy's names (``"sin"``, ``"linalg.inv"``) to the
ops, built from the public ops, their aliases (``ops/aliases.py``), ``mg.linalg`` and
``mg.fft``; docs/ops.md is tested against it. A NumPy function missing from it raises a
TypeError naming it; arguments NumPy has and multigrad cannot honour (``out=``, ``where=``)
raise instead of being ignored. ``np.asarray(t)`` still gives a host array (``__array__``).
"""

import functools

import sys

from .. import ops as _ops
from ..dtypes import as_dtype
from .aliases import ALIASES
from ..core.tensor import Tensor
from .linalg.eig import numpy_form

__all__ = ["numpy_table", "install"]

# NumPy functions that never receive a Tensor to dispatch on (they build from a shape) or
# mean something else (np.identity makes an identity matrix; mg.identity is tf.identity;
# np.linalg.lstsq returns (x, residuals, rank, sv), mg.linalg.lstsq TensorFlow's x).
_EXCLUDED = frozenset({"asarray", "zeros", "ones", "full", "arange", "linspace", "eye",
                       "identity", "linalg.lstsq"})
# NumPy spellings with no multigrad alias.
_NUMPY_ONLY = {"around": "round"}
# Functions whose result is a Python value or a file, never a tensor a gradient could flow
# through: they run on host copies (np.allclose(t, u) keeps working).
_HOST = frozenset({"shape", "ndim", "size", "allclose", "array_equal", "array_equiv",
                   "iscomplexobj", "isrealobj", "save", "savetxt"})
# NumPy's dtype= on these is the accumulation dtype: casting the input first is the same.
_CAST_FIRST = frozenset({"sum", "prod", "mean", "std", "var", "cumsum", "cumprod", "trace",
                         "cumulative_sum", "cumulative_prod"})
# Keywords NumPy spells differently from the op (np.clip's min=, max=).
_RENAMED = {"clip": {"min": "a_min", "max": "a_max"}}
# ufunc methods: np.add.reduce(t) is mg.sum(t, axis=0), np.add.accumulate(t) mg.cumsum.
_REDUCE = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min",
           "logical_and": "all", "logical_or": "any"}
_ACCUMULATE = {"add": "cumsum", "multiply": "cumprod"}


@functools.cache
def numpy_table():
    """``{NumPy's name: the op}``: NumPy's own names (``np.abs`` is ``"absolute"``), with
    ``"linalg."`` / ``"fft."`` for the submodules."""
    import numpy                          # numpy called us (or a test asks): loaded already
    from . import fft, linalg             # the optional pieces, loaded on first use
    top = {n: getattr(_ops, n) for n in _ops.__all__}
    top.update({n: getattr(_ops, name) for n, name in _NUMPY_ONLY.items()})
    sources = [("", numpy, top),
               ("linalg.", numpy.linalg, {n: getattr(linalg, n) for n in linalg.__all__}),
               ("fft.", numpy.fft, {n: getattr(fft, n) for n in fft.__all__})]
    table = {}
    for prefix, np_namespace, ours in sources:
        for name, op in ours.items():
            theirs = getattr(np_namespace, name, None)
            key = prefix + getattr(theirs, "__name__", name)
            if theirs is not None and prefix + name not in _EXCLUDED and key not in _EXCLUDED:
                table[key] = op
    assert set(ALIASES) <= set(top)      # aliases are public ops' other names
    return table


def _qualified(func):
    """``"sum"``, ``"linalg.inv"``: a NumPy function's key in ``numpy_table()``."""
    sub = (getattr(func, "__module__", None) or "numpy").split(".")[1:2]
    return (sub[0] + "." if sub and sub[0] in ("linalg", "fft") else "") + func.__name__


def _lookup(key):
    op = numpy_table().get(key)
    if op is None:
        raise TypeError(
            f"numpy.{key} is not supported on mg.Tensor: multigrad has no version of it, so "
            f"a tape could not record it. For a value that needs no gradient, call it on "
            f"host data: np.{key}(t.numpy(), ...)")
    return op


# --- ufuncs --------------------------------------------------------------------------------

def _check_ufunc_kwargs(call, kwargs):
    for key, value in kwargs.items():
        if key == "out" and all(o is None for o in value):
            continue
        if key == "where" and value is True:
            continue
        raise TypeError(_unsupported_keyword(call, key))


def _unsupported_keyword(call, key):
    why = {
        "out": f"tensors are immutable, so there is nothing to write into (only a NumPy "
               f"array, and not from a lazy backend); use the result "
               f"(y = {call.replace('numpy.', 'np.')}(...))",
        "where": "compute everywhere and select: mg.where(mask, result, fallback)",
        "dtype": "cast the inputs instead: mg.cast(t, dtype)",
    }.get(key, "multigrad does not implement it")
    return f"{call}(..., {key}=...) is not supported on mg.Tensor: {why}"


def array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """NEP 13: ``np.add(a, t)``, ``np.add.reduce(t)``, ``np.multiply.outer(t, u)``."""
    name = ufunc.__name__
    if method == "__call__":
        out = kwargs.pop("out", None)
        _check_ufunc_kwargs(f"numpy.{name}", kwargs)
        result = _lookup(name)(*inputs)
        return result if out is None else _write_out(f"numpy.{name}", result, out)
    if method in ("reduce", "accumulate") and name in (_REDUCE, _ACCUMULATE)[
            method == "accumulate"]:
        return _reduce(name, method, inputs, kwargs)
    if method == "outer" and len(inputs) == 2:
        _check_ufunc_kwargs(f"numpy.{name}.outer", kwargs)
        a, b = (_ops.asarray(v) if not isinstance(v, Tensor) else v for v in inputs)
        return _lookup(name)(_ops.reshape(a, a.shape + (1,) * b.ndim), b)
    raise TypeError(f"numpy.{name}.{method} is not supported on mg.Tensor; "
                    f"ufunc methods supported: {name}(...), {name}.outer, and reduce / "
                    f"accumulate of add, multiply (and reduce of maximum, minimum, "
                    f"logical_and, logical_or). For a value that needs no gradient: "
                    f"np.{name}.{method}(t.numpy(), ...)")


def _write_out(call, result, out):
    """``np.add(a, t, out=a)``, which is what ``a += t`` on a NumPy array runs: the values are
    written into the host array as NumPy writes them (its same-kind casting), and the result
    is the Tensor, so ``a += t`` rebinds ``a`` to a differentiable Tensor with those values."""
    if all(o is None for o in out):
        return result
    numpy = sys.modules.get("numpy")    # loaded: NumPy is the one calling this protocol
    if len(out) != 1 or not isinstance(out[0], numpy.ndarray) or result.backend.lazy:
        raise TypeError(_unsupported_keyword(call, "out"))
    numpy.copyto(out[0], result.numpy(), casting="same_kind")
    return result


def _reduce(name, method, inputs, kwargs):
    kwargs = dict(kwargs)
    axis, keepdims = kwargs.pop("axis", 0), kwargs.pop("keepdims", False)
    dtype = kwargs.pop("dtype", None)
    _check_ufunc_kwargs(f"numpy.{name}.{method}", kwargs)
    x = inputs[0] if isinstance(inputs[0], Tensor) else _ops.asarray(inputs[0])
    if dtype is not None and as_dtype(dtype) != x.dtype:
        x = _ops.cast(x, dtype)
    if method == "reduce":
        return getattr(_ops, _REDUCE[name])(x, axis=axis, keepdims=keepdims)
    if keepdims:
        raise TypeError(_unsupported_keyword(f"numpy.{name}.accumulate", "keepdims"))
    return getattr(_ops, _ACCUMULATE[name])(x, axis=axis)


# --- functions -----------------------------------------------------------------------------

def array_function(self, func, types, args, kwargs):
    """NEP 18: ``np.sum(t, axis=0)``, ``np.concatenate([t, u])``, ``np.linalg.inv(t)``."""
    key = _qualified(func)
    if key in _HOST:
        return func(*_host(args), **dict(zip(kwargs, _host(kwargs.values()))))
    op = _lookup(key)
    if key == "linalg.svd":
        args, kwargs = _svd_form(args, kwargs)
    args, kwargs = _translate(key, func, op, args, kwargs)
    if key in ("linalg.eig", "linalg.eigvals"):     # NumPy's real results for real spectra
        return numpy_form(args[0] if args else kwargs["a"], op(*args, **kwargs))
    return op(*args, **kwargs)


def _svd_form(args, kwargs):
    """NumPy's default full SVD is the reduced one for square matrices; otherwise it needs
    full_matrices=False, which is all mg.linalg.svd offers."""
    kwargs = {**dict(zip(("full_matrices", "compute_uv", "hermitian"), args[1:])), **kwargs}
    full = kwargs.get("full_matrices", True)
    shape = getattr(args[0], "shape", ())
    if full and len(shape) >= 2 and shape[-1] != shape[-2]:
        raise ValueError(
            f"np.linalg.svd of a {shape[-2]}x{shape[-1]} mg.Tensor: the full SVD (NumPy's "
            f"default, full_matrices=True) is not offered, its extra singular vectors are not "
            f"unique; pass full_matrices=False for the reduced SVD")
    return args[:1], {**kwargs, "full_matrices": False}


def _host(values):
    return [v.numpy() if isinstance(v, Tensor) else v for v in values]


@functools.cache
def _parameters(fn):
    import inspect              # here, not at import: it costs ~10 ms (benchmark W6)
    try:
        return inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return None


def _is_default(value, default):
    return value is default or (type(value) is type(default)
                                and isinstance(value, (str, int, float)) and value == default)


def _translate(key, func, op, args, kwargs):
    """NumPy's call as a call of ``op``: positions whose NumPy name the op spells otherwise
    become keywords, keywords left at NumPy's default are dropped, and anything else the
    op does not take raises (rather than being ignored)."""
    theirs, ours = _parameters(func), _parameters(op)
    if theirs is None or ours is None:
        return args, kwargs
    their_names, our_names = list(theirs), list(ours)
    positional, given = [], {}
    for i, value in enumerate(args):
        p = theirs[their_names[i]] if i < len(their_names) else None
        if p is None or p.kind is p.VAR_POSITIONAL:
            positional.extend(args[i:])
            break
        if i == 0 or p.kind is p.POSITIONAL_ONLY or i < len(our_names) and our_names[i] == p.name:
            positional.append(value)
        else:
            given[p.name] = value
    given.update(kwargs)
    return positional, _keywords(key, theirs, ours, given, positional)


def _keywords(key, theirs, ours, given, positional):
    out, renamed = {}, _RENAMED.get(key, {})
    takes_any = any(p.kind is p.VAR_KEYWORD for p in ours.values())
    for name, value in given.items():
        if name == "dtype" and "dtype" not in ours and key in _CAST_FIRST:
            if value is not None and as_dtype(value) != _ops.asarray(positional[0]).dtype:
                positional[0] = _ops.cast(positional[0], value)
            continue
        if (name in theirs and _is_default(value, theirs[name].default)
                or name == "where" and value is True):
            continue          # NumPy's default, spelled out (out=None, mode="raise")
        name = renamed.get(name, name)
        if name not in ours and not takes_any or name in ("out", "where"):
            raise TypeError(_unsupported_keyword(f"numpy.{key}", name))
        out[name] = value
    return out


def install(tensor_type):
    """Bind the two protocols onto ``tensor_type`` (``multigrad/__init__`` calls this)."""
    tensor_type.__array_ufunc__ = array_ufunc
    tensor_type.__array_function__ = array_function
