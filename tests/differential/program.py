"""Random programs: a small DAG of ops over host-generated inputs, ending in a real loss.

A ``Program`` runs on any namespace with multigrad's names (``xp = mg`` or the NumPy
reference ``REF``) and prints itself as a few lines of ``mg`` code (the repro). The
``Builder`` grows one while it is being drawn: each op sees the NumPy values of its
arguments, so it can keep away from kinks, ties and domain edges by construction (a
guard on the value, or a fresh input drawn inside the op's domain).
"""

import warnings

import numpy as np

from .refns import REF, const, is_reference

REAL_DTYPES = ("float32", "float64")
DTYPES = REAL_DTYPES + ("complex128",)
MAX_SIZE = 24


class Reject(Exception):
    """The drawn op cannot apply here (the builder tries another)."""


class ExpectedError(Exception):
    """NumPy raised, as the op meant it to (an out-of-range index): the program ends."""


class Const:
    """A host constant argument (a condition, labels, a weight): not differentiated."""

    def __init__(self, value):
        self.value = np.asarray(value)

    def text(self):
        return f"mg.constant({_array_text(self.value)})"


class Val:
    """A value of the program: an input or a node's output, with its reference value."""

    def __init__(self, name, ref):
        self.name, self.ref = name, ref

    shape = property(lambda self: self.ref.shape)
    dtype = property(lambda self: self.ref.dtype.name)
    is_complex = property(lambda self: self.ref.dtype.kind == "c")
    ndim = property(lambda self: self.ref.ndim)


class Node:
    def __init__(self, name, op, fn, args, text, tags=()):
        self.name, self.op, self.fn, self.args, self.text = name, op, fn, args, text
        self.tags = frozenset(tags)     # facts KNOWN_FAILURES can match (e.g. "oob_slice")


def _array_text(a):
    a = np.asarray(a)
    if a.size == 0:
        return f"np.zeros({a.shape}, dtype='{a.dtype.name}')"
    return f"np.array({a.tolist()!r}, dtype='{a.dtype.name}')"


def literal(v):
    """Python source for a parameter value (arrays as np.array)."""
    if isinstance(v, np.ndarray):
        return _array_text(v)
    if isinstance(v, Const):
        return v.text()
    return repr(v)


def loss_terms(xp, y):
    """Per-element real loss terms: Re(y * y) (y * y for real y)."""
    return xp.real(y * y)


def loss(xp, y):
    return xp.sum(loss_terms(xp, y))


class Program:
    def __init__(self, dtype, inputs, nodes, out, expect_error=None):
        self.dtype, self.inputs, self.nodes, self.out = dtype, inputs, nodes, out
        self.expect_error = expect_error        # the exception NumPy raises, if any

    @property
    def ops(self):
        return {n.op for n in self.nodes}

    @property
    def tags(self):
        return set().union(*[n.tags for n in self.nodes])

    def input_arrays(self, dtype=None):
        """Host input arrays; ``dtype="float64"`` upcasts float32 inputs (the FD oracle)."""
        out = []
        for _, a in self.inputs:
            out.append(a.astype("float64") if dtype == "float64" and a.dtype.kind == "f" else a)
        return out

    empty = False           # set by the generator: some value of the program has size 0

    def has_empty(self):
        return self.empty or any(a.size == 0 for _, a in self.inputs)

    def run(self, xp, args):
        env = {name: a for (name, _), a in zip(self.inputs, args)}
        for node in self.nodes:
            env[node.name] = node.fn(xp, *[_arg(xp, env, a) for a in node.args])
        return env[self.out]

    def reference(self, dtype=None):
        return np.asarray(self.run(REF, self.input_arrays(dtype)))

    def repro(self):
        lines = ["import numpy as np, multigrad as mg"]
        for name, a in self.inputs:
            lines.append(f"{name} = mg.constant({_array_text(a)})")
        for node in self.nodes:
            texts = [a.text() if isinstance(a, Const) else a for a in node.args]
            lines.append(f"{node.name} = " + node.text.format(*texts))
        lines.append(f"loss = mg.sum(mg.real({self.out} * {self.out}))")
        if self.expect_error:
            lines.append(f"# NumPy raises {self.expect_error}")
        return "\n".join(lines)

    def __repr__(self):
        return self.repro()


def _arg(xp, env, a):
    return const(xp, a.value) if isinstance(a, Const) else env[a]


class Builder:
    """Grows a program while hypothesis draws it (``draw``) from a host RNG (``rng``)."""

    def __init__(self, draw, rng, dtype):
        self.draw, self.rng, self.dtype = draw, rng, dtype
        self.inputs, self.nodes, self.pool = [], [], []
        self.expect_error = None
        self.real_only = False      # set while a real-only op plans: its fresh inputs are real

    def _name(self, prefix):
        return f"{prefix}{len(self.inputs) + len(self.nodes)}"

    def fresh(self, shape, domain="normal", real=False, dtype=None):
        """A new input of ``shape`` with values in ``domain`` (see ``domains.sample``)."""
        from .domains import sample
        dtype = dtype or self.dtype
        real = real or self.real_only
        if dtype == "complex128" and (real or self.rng.random() < 0.2):
            dtype = "float64"           # a real input meeting complex ones
        a = sample(self.rng, tuple(shape), domain, dtype)
        v = Val(self._name("x"), a)
        self.inputs.append((v.name, a))
        self.pool.append(v)
        return v

    def ensure(self, x, domain, real=False):
        """``x`` when its values lie well inside ``domain``; else, for real values, ``x``
        mapped there by smooth ops (so the chain goes on); else a fresh input."""
        from .domains import ADAPTERS, inside
        if (not real or not x.is_complex) and inside(x.ref, domain):
            return x
        if not x.is_complex and domain in ADAPTERS and self.rng.random() < 0.8:
            fn, text = ADAPTERS[domain]
            y = self.apply("adapt_" + domain, fn, [x], text)
            if inside(y.ref, domain):
                return y
        return self.fresh(x.shape, domain, real=real)

    def apply(self, op, fn, args, text, tags=()):
        """Record ``fn(xp, *args)`` (``args``: Vals and Consts) and return its output Val."""
        name = self._name("v")
        node = Node(name, op, fn, [a.name if isinstance(a, Val) else a for a in args], text,
                    tags)
        env = {n: a for n, a in self.inputs}
        env.update({v.name: v.ref for v in self.pool})
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = np.asarray(node.fn(REF, *[_arg(REF, env, a) for a in node.args]))
        except (IndexError, ValueError, np.linalg.LinAlgError) as e:
            if not op.endswith("_oob"):
                raise Reject(op) from e
            self.expect_error = type(e).__name__
            self.nodes.append(node)
            raise ExpectedError(op) from e
        if ref.size > 4 * MAX_SIZE or not np.all(np.isfinite(ref)) and op != "logsumexp":
            raise Reject(op)
        if ref.dtype.kind not in "fc":
            raise Reject(op)
        self.nodes.append(node)
        v = Val(name, ref)
        self.pool.append(v)
        return v

    def call(self, op, path, *args, **kw):
        """``mg.<path>(*args, **kw)``: positional and keyword values mix Vals, Consts and
        literals; the Vals and Consts are the node's arguments. ``_tags``: the node's tags."""
        tags = kw.pop("_tags", ())
        items = list(enumerate(args)) + list(kw.items())
        slots = [k for k, v in items if isinstance(v, (Val, Const))]
        fixed = {k: v for k, v in items if k not in slots}

        def fn(xp, *values):
            f = xp
            for part in path.split("."):
                f = getattr(f, part)
            got = {**fixed, **dict(zip(slots, values))}
            return f(*[got[i] for i in range(len(args))],
                     **{k: got[k] for k in kw})

        where = {k: "{%d}" % i for i, k in enumerate(slots)}
        shown = [where.get(i) or literal(a) for i, a in enumerate(args)]
        shown += [f"{k}=" + (where.get(k) or literal(v)) for k, v in kw.items()]
        return self.apply(op, fn, [dict(items)[k] for k in slots],
                          f"mg.{path}(" + ", ".join(shown) + ")", tags)

    def program(self, out):
        return Program(self.dtype, self.inputs, self.nodes, out.name if out else
                       self.nodes[-1].name, self.expect_error)


def reference_namespace(xp):
    return is_reference(xp)
