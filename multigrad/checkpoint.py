"""``mg.save(path, **objects)`` / ``mg.load(path, **into)``: Tensors, Variables and optimizers
in one NumPy ``.npz`` file, so that training stopped midway resumes bit-identically.

This is host I/O, not array math: values go through host NumPy arrays (``Tensor.numpy()``)
and come back onto the backend they were saved from (by name), which is why this module
imports numpy directly. The file holds plain arrays plus one JSON manifest (a string array),
and is read with ``allow_pickle=False``: loading a checkpoint never runs code from it.

An optimizer is saved with its class, its ``get_config()`` and its ``variables`` (iterations
and slots), and refers to the Variables it updates: by name when they are saved too, else as
hidden entries. ``mg.load(path)`` rebuilds everything; ``mg.load(path, w=w, opt=opt)``
restores into existing objects instead (needed for an optimizer whose learning rate is a
callable schedule, which no file can hold).
"""

import json

import numpy

from .optimizers import Optimizer
from .core.tensor import Tensor, Variable
from .ops import convert_to_tensor

__all__ = ["save", "load"]

_MANIFEST = "__multigrad__"
_FORMAT = "multigrad-checkpoint-1"


class _Writer:
    """Collects arrays under generated keys and a JSON record per object."""

    def __init__(self, objects):
        self.arrays = {}
        self.records = {}
        self.var_keys = {id(v): k for k, v in objects.items() if isinstance(v, Variable)}

    def array(self, t):
        key = f"__array_{len(self.arrays)}"
        self.arrays[key] = t.numpy()
        return {"array": key, "dtype": t.dtype.name, "backend": t.backend.name}

    def tensor(self, key, t):
        record = {"kind": "variable" if isinstance(t, Variable) else "tensor", **self.array(t)}
        if isinstance(t, Variable):
            record.update(name=t.name, trainable=t.trainable)
        self.records[key] = record

    def variable_ref(self, var):
        key = self.var_keys.get(id(var))
        if key is None:                       # not saved by name: a hidden entry
            key = self.var_keys[id(var)] = f"__variable_{len(self.var_keys)}"
            self.tensor(key, var)
        return key

    def optimizer(self, key, opt):
        config = opt.get_config()
        lr = config["learning_rate"]
        schedule = callable(lr) and not isinstance(lr, Tensor)
        # A number as the step reads it (float(lr)): a Tensor/Variable rate is saved by value.
        config["learning_rate"] = None if schedule else float(lr)
        state = opt.variables
        self.records[key] = {
            "kind": "optimizer", "class": f"{type(opt).__module__}:{type(opt).__qualname__}",
            "config": config, "schedule": schedule, "iterations": opt.iterations,
            "variables": [self.variable_ref(v) for v in opt.built_variables],
            "slots": [self.array(t) for t in state[1:]]}


def save(path, **objects):
    """Write Tensors, Variables and optimizers (keyword names become their keys) to ``path``
    (NumPy's ``.npz``; ``.npz`` is appended when missing, as ``numpy.savez`` does)."""
    writer = _Writer(objects)
    for key, obj in objects.items():
        if key.startswith("__"):
            raise ValueError(f"mg.save: names starting with '__' are reserved, got {key!r}")
        if isinstance(obj, Tensor):
            writer.tensor(key, obj)
        elif isinstance(obj, Optimizer):
            writer.optimizer(key, obj)
        else:
            raise TypeError(f"mg.save: can save Tensors, Variables and optimizers, got "
                            f"{type(obj).__name__} for {key!r}")
    manifest = json.dumps({"format": _FORMAT, "objects": writer.records})
    numpy.savez(path, **{_MANIFEST: numpy.array(manifest)}, **writer.arrays)


def load(path, **into):
    """The objects saved in ``path``, as a dict by name. Names given in ``into`` are restored
    into those objects (Variables assigned, optimizers' state loaded) and returned as such."""
    with numpy.load(path, allow_pickle=False) as data:
        if _MANIFEST not in data.files:
            raise ValueError(f"mg.load: {path!r} is not a multigrad checkpoint (no manifest)")
        manifest = json.loads(str(data[_MANIFEST]))
        if manifest.get("format") != _FORMAT:
            raise ValueError(f"mg.load: unknown checkpoint format {manifest.get('format')!r}")
        arrays = {k: data[k] for k in data.files if k != _MANIFEST}
    records = manifest["objects"]
    unknown = sorted(set(into) - set(records))
    if unknown:
        raise KeyError(f"mg.load: {path!r} holds no object named {unknown}; it holds "
                       f"{sorted(k for k in records if not k.startswith('__'))}")
    out = {}
    for key, record in records.items():        # Variables and Tensors first
        if record["kind"] != "optimizer":
            out[key] = _load_tensor(key, record, arrays, into.get(key))
    for key, record in records.items():
        if record["kind"] == "optimizer":
            out[key] = _load_optimizer(key, record, arrays, out, into.get(key))
    return {k: v for k, v in out.items() if not k.startswith("__")}


def _load_tensor(key, record, arrays, target):
    host = arrays[record["array"]]
    if target is None:
        value = convert_to_tensor(host, dtype=record["dtype"], backend=record["backend"])
        if record["kind"] == "variable":
            return Variable(value, trainable=record["trainable"], name=record["name"])
        return value
    if record["kind"] != "variable" or not isinstance(target, Variable):
        raise TypeError(f"mg.load: only Variables can be restored into an existing object; "
                        f"{key!r} is a saved {record['kind']}, given {type(target).__name__}")
    if target.dtype.name != record["dtype"] or target.shape != host.shape:
        raise ValueError(f"mg.load: variable {key!r} was saved as {record['dtype']} of shape "
                         f"{host.shape}, but the given one is {target.dtype.name} of shape "
                         f"{target.shape}")
    target.assign(host)
    return target


def _load_optimizer(key, record, arrays, loaded, target):
    cls = _optimizer_class(record["class"])
    if target is None:
        if record["schedule"]:
            raise ValueError(
                f"mg.load: optimizer {key!r} was saved with a callable learning_rate, which a "
                f"file cannot hold; build it again and restore into it: "
                f"mg.load(path, {key}={cls.__name__}(learning_rate=schedule, ...))")
        target = cls.from_config(record["config"])
    elif type(target) is not cls:
        raise TypeError(f"mg.load: optimizer {key!r} was saved as {cls.__name__}, given "
                        f"{type(target).__name__}")
    var_list = [loaded[k] for k in record["variables"]]
    slots = [arrays[s["array"]] for s in record["slots"]]
    target.load_state([record["iterations"]] + slots, var_list)
    return target


def _optimizer_class(name):
    """The Optimizer subclass saved as 'module:qualname', among those defined (no import:
    a checkpoint must not choose code to run)."""
    todo, seen = [Optimizer], {}
    while todo:
        cls = todo.pop()
        seen[f"{cls.__module__}:{cls.__qualname__}"] = cls
        todo.extend(cls.__subclasses__())
    if name not in seen:
        raise ValueError(f"mg.load: unknown optimizer class {name!r}; import the module that "
                         f"defines it before loading")
    return seen[name]
