"""``mg.Module``: TensorFlow's ``tf.Module``, a container that finds its Variables.

Subclass it, keep Variables (and other Modules) as attributes, and write ``__call__``;
``model.trainable_variables`` then lists what ``tape.gradient`` and ``mg.optimizers`` need.
Collection walks the instance's attributes in sorted name order, looking inside lists,
tuples and dicts (dict keys sorted); a module's own attributes come before those of its
submodules, which are walked in the order they were found. Each Variable and Module is
reported once even when referenced several times, and reference cycles are harmless.
"""

import re

from .core.tensor import Variable

__all__ = ["Module"]


def _snake_case(name):
    """'MyDenseLayer' -> 'my_dense_layer' (TF derives default module names this way)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


class _NameScope:
    """What ``Module.name_scope`` returns. multigrad has no name scopes (Variable names are
    not prefixed), so entering it changes nothing; it exists so TF code runs unchanged."""

    def __init__(self, name):
        self.name = name + "/"

    def __enter__(self):
        return self.name

    def __exit__(self, *exc):
        return False


class Module:
    """Base class for models and layers holding Variables (``tf.Module``)."""

    def __init__(self, name=None):
        if name is None:
            name = _snake_case(type(self).__name__)
        elif not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"{name!r} is not a valid module name: module names must be valid "
                             f"Python identifiers (letters, digits and _, not starting with a "
                             f"digit), e.g. 'dense_1'")
        self._name = name

    @property
    def name(self):
        # getattr: a subclass that forgot super().__init__() still has a name
        return getattr(self, "_name", None) or _snake_case(type(self).__name__)

    @property
    def name_scope(self):
        return _NameScope(self.name)

    @classmethod
    def with_name_scope(cls, method):
        """TF's decorator for methods that should run in the module's name scope: here
        the identity (see ``name_scope``)."""
        return method

    @property
    def variables(self):
        """Every Variable of this module and its submodules, each once (a tuple)."""
        return tuple(_walk(self, lambda v: isinstance(v, Variable)))

    @property
    def trainable_variables(self):
        return tuple(_walk(self, lambda v: isinstance(v, Variable) and v.trainable))

    @property
    def non_trainable_variables(self):
        return tuple(_walk(self, lambda v: isinstance(v, Variable) and not v.trainable))

    @property
    def submodules(self):
        """Every Module reachable from this one's attributes (not itself), each once."""
        return tuple(_walk(self, lambda v: isinstance(v, Module)))

    def __repr__(self):
        return f"<mg.Module {self.name!r} ({type(self).__name__})>"


def _leaves(value, open_containers):
    """The non-container values inside ``value`` (lists, tuples, dicts), in order."""
    if isinstance(value, (list, tuple, dict)):
        if id(value) in open_containers:      # a container that holds itself
            return
        open_containers.add(id(value))
        if isinstance(value, dict):
            try:
                items = [value[k] for k in sorted(value)]
            except TypeError:                 # keys of mixed types: insertion order
                items = list(value.values())
        else:
            items = value
        for item in items:
            yield from _leaves(item, open_containers)
        open_containers.discard(id(value))
    else:
        yield value


def _walk(module, predicate, seen=None):
    """Values of ``module``'s attribute tree matching ``predicate``: its own attributes
    first, then each submodule's, recursively; ``seen`` (ids) makes each one appear once."""
    seen = {id(module)} if seen is None else seen
    submodules = []
    attributes = vars(module)
    for key in sorted(attributes):
        for leaf in _leaves(attributes[key], set()):
            # ids, not ==: Tensors compare elementwise and are unhashable
            if not isinstance(leaf, (Variable, Module)) or id(leaf) in seen:
                continue
            seen.add(id(leaf))
            if predicate(leaf):
                yield leaf
            if isinstance(leaf, Module):
                submodules.append(leaf)
    for sub in submodules:
        yield from _walk(sub, predicate, seen)
