"""A call's arguments bound to ``input_signature`` (TF's rules): every argument the
signature covers is converted to a Tensor of its spec's dtype and must fit its shape; a
call that does not fit raises TypeError. All fitting calls share one key (one trace)."""

import inspect

from ..core import nest
from ..core.convert import convert_to_tensor
from ..core.tensor import Tensor
from .spec import TensorSpec, compatible

__all__ = ["check_signature", "bind_signature"]


def check_signature(specs, name):
    """The input signature as a tuple; TypeError unless it is a structure of TensorSpecs."""
    specs = tuple(specs)
    for spec in nest.flatten(list(specs)):
        if type(spec) is not TensorSpec:
            raise TypeError(f"mg.function {name!r}: input_signature must be a list of "
                            f"mg.TensorSpec (nested lists allowed), got {spec!r:.60}")
    return specs


def _fail(name, what, spec, value):
    shown = (f"Tensor(shape={value.shape}, dtype=mg.{value.dtype.name})"
             if isinstance(value, Tensor) else repr(value)[:60])
    raise TypeError(f"Binding inputs to mg.function {name!r} failed: {what} {shown} does not "
                    f"match its input_signature entry {spec!r}") from None


def _leaf(spec, value, name, what):
    if not isinstance(value, Tensor):
        try:
            value = convert_to_tensor(value, dtype=spec.dtype)
        except (TypeError, ValueError):
            _fail(name, what, spec, value)
    elif type(value) is not Tensor:
        value = convert_to_tensor(value)            # a Variable: its current value
    if value.dtype != spec.dtype or (spec.shape is not None and
                                     not compatible(spec.shape, value.shape)):
        _fail(name, what, spec, value)
    return value


def bind_signature(fn, specs, name, args, kwargs):
    """(Tensor leaves in the signature's order, the arguments to call ``fn`` with)."""
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        params = []
    values = list(args)
    for k in params[len(values):len(specs)]:
        if k in kwargs:
            values.append(kwargs[k])
    extra = set(kwargs) - set(params[len(args):len(specs)])
    if len(values) != len(specs) or extra:
        raise TypeError(f"Binding inputs to mg.function {name!r} failed: the input_signature "
                        f"has {len(specs)} argument(s), got {len(args)} positional and "
                        f"keywords {sorted(kwargs)}; pass exactly the arguments it describes")
    leaves = []
    for i, (spec, value) in enumerate(zip(specs, values)):
        what = f"argument {params[i] if i < len(params) else i!r}"
        flat_specs = nest.flatten(spec)
        flat_values = nest.flatten(value) if not isinstance(spec, TensorSpec) else [value]
        if len(flat_specs) != len(flat_values):
            _fail(name, what, spec, value)
        leaves += [_leaf(s, v, name, what) for s, v in zip(flat_specs, flat_values)]
    return leaves


def rebuild_call(specs, leaves):
    """The positional arguments of a traced call: the signature's structure, new leaves."""
    it = iter(leaves)
    out = []
    for spec in specs:
        if isinstance(spec, TensorSpec):
            out.append(next(it))
        else:
            flat = nest.flatten(spec)
            out.append(nest.pack_like(spec, [next(it) for _ in flat]))
    return tuple(out)
