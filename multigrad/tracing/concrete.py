"""``ConcreteFunction``: one traced signature of an ``mg.function`` (``tf.function``'s).

It describes what was traced (``structured_input_signature``: the arguments with a
``TensorSpec`` for each Tensor; ``structured_outputs``: the result with a ``TensorSpec``
for each Tensor) and is callable with arguments that fit that signature only (TypeError
otherwise); a call goes through the ``Function``'s cache.
"""

import inspect

from ..core import state as _state, nest
from ..core.tensor import Tensor
from .signature import substitute
from .spec import TensorSpec, spec_of

__all__ = ["ConcreteFunction", "output_specs"]


def output_specs(result, input_shapes, spec):
    """The result with each Tensor replaced by its TensorSpec (sizes unknown in a relaxed
    trace: None)."""
    relaxed = any(None in s for s in input_shapes)

    def one(leaf):
        if not isinstance(leaf, Tensor):
            return leaf
        return spec_of(leaf, (None,) * leaf.ndim if relaxed else None)
    if result is None:
        return None
    return nest.pack_like(result, [one(x) for x in nest.flatten(result)])


class ConcreteFunction:
    """One traced signature of a Function; call it like the function."""

    def __init__(self, function, key, leaves, args, kwargs, outputs):
        self._function = function
        self._key = key
        specs = [TensorSpec(shape, leaf.dtype) for leaf, shape in zip(leaves, key[1])]
        if function.input_signature is not None:
            self.structured_input_signature = (tuple(function.input_signature), {})
        else:
            self.structured_input_signature = substitute(args, kwargs, specs)
        self._flat_specs = specs
        self.structured_outputs = outputs

    @property
    def function_type(self):
        return self.structured_input_signature

    def __call__(self, *args, **kwargs):
        if _state.active_tapes.get():           # one op on the tape: the Function's way
            return self._function(*args, **kwargs)
        for form in _call_forms(self._function.python_function, args, kwargs):
            key, leaves, bound, named = self._function._signature(*form)
            fits = key[0] == self._key[0] and all(
                s.is_compatible_with(t) for s, t in zip(self._flat_specs, leaves))
            if fits:
                return self._function._run(self._key, leaves, bound, named)
        raise TypeError(f"ConcreteFunction {self._function._name!r}: the arguments do not "
                        f"fit its signature {self.pretty_printed_signature(False)!r}; "
                        f"call the mg.function itself for other arguments")

    def pretty_printed_signature(self, verbose=True):
        """The traced signature in TF's layout: input parameters, output type, captures."""
        args, kwargs = self.structured_input_signature
        try:
            params = list(inspect.signature(self._function.python_function).parameters.values())
        except (TypeError, ValueError):
            params = []
        lines = ["Input Parameters:"]
        for i, value in enumerate(args):
            p = params[i] if i < len(params) else None
            name, kind = (p.name, p.kind.name) if p else (f"arg{i}", "POSITIONAL_ONLY")
            lines.append(f"  {name} ({kind}): {_show(value)}")
        for k in kwargs:
            lines.append(f"  {k} (KEYWORD_ONLY): {_show(kwargs[k])}")
        lines += ["Output Type:", f"  {_show(self.structured_outputs)}", "Captures:", "  None"]
        text = "\n".join(lines)
        return text if verbose else text.replace("\n", " ")

    def __repr__(self):
        return f"<ConcreteFunction {self._function._name}>"


def _call_forms(fn, args, kwargs):
    """The call as given, then with its arguments all positional, then with every
    positional-or-keyword one named (TF binds ``cf(b=y, a=x)`` to a concrete function
    traced as ``f(x, y)``, and the other way round)."""
    yield args, kwargs
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return
    yield bound.args, bound.kwargs
    params = inspect.signature(fn).parameters.values()
    names = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    if len(bound.args) <= len(names):
        yield (), dict(zip(names, bound.args), **bound.kwargs)


def _show(value):
    if isinstance(value, TensorSpec):
        return repr(value)
    if isinstance(value, (list, tuple, dict)) or value is None:
        return repr(value)
    return f"Literal[{value!r}]"
