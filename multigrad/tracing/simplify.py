"""Algebraic simplifications of a recorded program, before it is compiled.

Each one rewrites a pattern that the VJP rules produce often into fewer or cheaper array
operations with the same value:

- a step whose inputs are all constants (after the rewrites below), or whose value depends
  only on constants and on shapes the signature fixes (``zeros_like``, ``ones_like``,
  ``full_like``, ``broadcast_like``): a constant, its value seen while tracing (only small
  values and broadcasts, which the trace keeps: a large folded array would stay in memory
  for the program's life). A guard on a constant always passes and goes.
- a step equal to an earlier one (the same function of the same values): that value.
- ``x * 1`` (a constant of ones that changes neither shape nor dtype): ``x`` itself. Every
  gradient starts from a ones seed.
- ``reshape(x, x.shape)`` and ``x ** 1``: ``x`` itself. (``x * 1`` and ``x ** 1`` only
  where ``x`` has the result's chunks and memory order, and that order shows: on Dask,
  ``x * ones`` takes the ones' chunks, on NumPy the operands' order, and both decide how
  later sums round. So these two apply on NumPy and CuPy only.)
- ``matmul(v * I, M)`` with ``I`` a constant identity matrix: ``v[:, None] * M``, and
  ``matmul(M, v * I)``: ``M * v``. ``tape.jacobian`` seeds the backward pass with the
  identity, so the jacobian of a dense layer would otherwise cost a matrix product. (Only
  where ``M`` is known to be C-ordered, as matmul's result is: NumPy and CuPy.)

The last one computes the exact products where ``matmul`` adds zeros to them; the two
differ only where ``M`` holds an infinity or NaN (``0 * inf`` is NaN in the product) and
in the sign of a zero. Programs that write into arrays in place (``setitem``) are left as
they are: an alias could see the write.

As a pass (``simplify_steps``): may change steps, drop them, and rename outputs and writes
to the values that replace them; must keep every guard on a non-constant, every write and
random draw, program order, and each value's bits on NumPy and CuPy (the exceptions above).
"""

import operator

from .trace import STATEFUL, Node, Ref, refs_in as _refs

__all__ = ["simplify", "simplify_steps"]


def simplify(trace, nodes):
    """(new nodes, alias): ``alias`` maps the id of a value that was dropped to the id of
    the value that replaces it (outputs and Variable writes must be looked up in it)."""
    if any(node.kind == "setitem" for node in nodes):
        return nodes, {}
    rules = _Rules(trace)
    alias, out, seen = {}, [], {}
    dynamic = rules.dynamic
    for node in nodes:
        node = node._replace(args=_renamed(node.args, alias),
                             kwargs=_renamed(node.kwargs, alias) if node.kwargs else None)
        if dynamic and any(i in dynamic for i in _node_refs(node)):
            if node.kind == "guard" and node.fn == "shape":
                continue                      # a loop's history: its length may change
            if node.out is not None:
                dynamic.add(node.out)         # its shape may change too
        refs = _refs(node.args, [])
        if node.kind == "guard" and refs and all(i in trace.consts for i in refs):
            continue                        # it saw a constant: it always passes
        if node.kind in ("guard", "setitem", "raises") or node.extra == STATEFUL:
            out.append(node)
            continue
        if rules.fold(node):
            continue
        # The shape-based rewrites hold for the traced sizes only: not in a relaxed trace.
        same = None if trace.relaxed else rules.same_value(node)
        if same is None:
            key = _step_key(node)
            same = seen.setdefault(key, node.out) if key is not None else None
            same = None if same == node.out else same
        if same is not None:
            alias[node.out] = same
            continue
        out.extend([node] if trace.relaxed else rules.rewrite(node))
    return out, alias


# Calls whose value depends only on these positional arguments (and on the shapes and
# dtypes of the others, which the signature fixes).
_VALUE_ARGS = {"zeros_like": (), "ones_like": (), "empty_like": (), "full_like": (1,),
               "broadcast_like": (0, 1)}


def _node_refs(node):
    refs = _refs(node.args, [])
    return _refs(node.kwargs, refs) if node.kwargs else refs


def _step_key(node):
    """A hashable description of what a step computes, or None (not comparable)."""
    try:
        key = (node.kind, node.fn, _key(node.args), _key(node.kwargs), node.extra)
        hash(key)
    except TypeError:
        return None
    return key


def _key(obj):
    t = type(obj)
    if t is Ref:
        return ("ref", obj.id)
    if t is tuple or t is list:
        return (t, tuple(_key(x) for x in obj))
    if t is dict:
        return (t, tuple((k, _key(v)) for k, v in obj.items()))
    if t is slice:
        return (t, _key(obj.start), _key(obj.stop), _key(obj.step))
    if t is float:              # by bits: x * 0.0 and x * -0.0 are two steps
        return (t, obj.hex())
    if t is complex:
        return (t, obj.real.hex(), obj.imag.hex())
    if hasattr(obj, "dtype") and getattr(obj, "shape", None) == ():
        return (t, repr(obj), str(obj.dtype))     # a NumPy scalar: -0.0 == 0.0 too
    return (t, obj)


def _renamed(obj, alias):
    t = type(obj)
    if t is Ref:
        return Ref(alias[obj.id]) if obj.id in alias else obj
    if t is tuple or t is list:
        return t(_renamed(x, alias) for x in obj)
    if t is dict:
        return {k: _renamed(v, alias) for k, v in obj.items()}
    return obj


def _alike(x, out):
    """``x`` can stand for ``out``: the same shape, dtype, chunks and a known, equal memory
    order (on Dask, ``x * 1`` takes the chunks of the ones; on NumPy, the order of both
    operands; either decides how later sums round). Where the order does not show (the
    strict backend, Dask), nothing stands for anything."""
    return x is not None and x.shape == out.shape and x.dtype == out.dtype \
        and x.chunks == out.chunks and x.c_order == out.c_order and x.c_order is not None


def _is_product(node):
    return (node.kind == "op" and node.extra == "*") or \
        (node.kind == "call" and node.extra == "multiply" and not node.kwargs)


class _Rules:
    def __init__(self, trace):
        self.trace = trace
        self.diagonal = {}       # id of v * I -> id of v
        self.dynamic = set(trace.dynamic)   # shapes that change between calls: no fold

    def meta(self, ref):
        """Shape, dtype and size of a program value (None: not an array)."""
        if type(ref) is Ref:
            return self.trace.meta.get(ref.id)
        return self.trace.meta.get(ref)

    def constant(self, ref):
        return self.trace.consts.get(ref.id) if type(ref) is Ref else None

    def namespace(self, array):
        return self.trace.ops_for(type(array))

    def _all(self, array, want):
        ns = self.namespace(array)
        return ns is not None and bool(ns.all(array == want))

    def is_ones(self, array):
        return array is not None and self._all(array, 1)

    def is_identity(self, array):
        if array is None or array.ndim != 2 or array.shape[0] != array.shape[1]:
            return False
        ns = self.namespace(array)
        return ns is not None and self._all(array, ns.eye(array.shape[0], dtype=array.dtype))

    def fold(self, node):
        """Make ``node``'s value a constant if it depends on constants only (True if so);
        only values the trace kept (small ones) can be."""
        real = self.trace.small.get(node.out)
        if real is None or node.out in self.dynamic:
            return False
        args = node.args
        if node.kind == "call" and node.extra in _VALUE_ARGS:
            args = tuple(args[i] for i in _VALUE_ARGS[node.extra] if i < len(args))
        refs = _refs(args, [])
        if node.kwargs:
            _refs(node.kwargs, refs)
        if not all(i in self.trace.consts for i in refs):
            return False
        self.trace.consts[node.out] = real
        return True

    def same_value(self, node):
        """The id of an existing value equal to this node's result, or None."""
        out = self.meta(node.out)
        if out is None:
            return None
        if _is_product(node) and len(node.args) == 2:
            for this, other in (node.args, node.args[::-1]):
                x = self.meta(other)
                if _alike(x, out) and self.is_ones(self.constant(this)):
                    return other.id
        if node.kind == "op" and node.extra == "**" and type(node.args[1]) in (int, float) \
                and node.args[1] == 1:
            if _alike(self.meta(node.args[0]), out):
                return node.args[0].id
        if node.kind == "call" and node.extra == "reshape" and not node.kwargs:
            x = self.meta(node.args[0])
            if x is not None and x.shape == out.shape and x.chunks == out.chunks:
                return node.args[0].id
        return None

    def rewrite(self, node):
        """The nodes that compute ``node``'s value (``[node]`` when no rule applies)."""
        if _is_product(node) and len(node.args) == 2:
            self._note_diagonal(node)
            return [node]
        if node.kind == "call" and node.extra == "matmul" and not node.kwargs \
                and len(node.args) == 2:
            return self._diagonal_matmul(node) or [node]
        return [node]

    def _note_diagonal(self, node):
        out = self.meta(node.out)
        for this, other in (node.args, node.args[::-1]):
            v = self.meta(other)
            if v is not None and out is not None and len(v.shape) == 1 \
                    and out.shape == v.shape * 2 and v.dtype == out.dtype \
                    and self.constant(other) is None and self.is_identity(self.constant(this)):
                self.diagonal[node.out] = other.id

    def _diagonal_matmul(self, node):
        a, b = node.args
        out = self.meta(node.out)
        for diag, m, left in ((a, b, True), (b, a, False)):
            v_id = self.diagonal.get(diag.id) if type(diag) is Ref else None
            matrix = self.meta(m)
            if v_id is None or matrix is None or len(matrix.shape) < 2 or out is None \
                    or matrix.shape != out.shape or matrix.dtype != out.dtype \
                    or out.chunks is not None or matrix.c_order is not True:
                continue    # chunked, or not C order: the product's layout could differ
            if not left:                    # M @ diag(v) scales M's columns
                return [Node("op", node.out, operator.mul, (m, Ref(v_id)), None, "*")]
            column = self.trace._new_id()   # diag(v) @ M scales M's rows
            return [Node("op", column, operator.getitem,
                         (Ref(v_id), (slice(None), None)), None, "[]"),
                    Node("op", node.out, operator.mul, (Ref(column), m), None, "*")]
        return None


def simplify_steps(plan):
    """The pass: ``simplify`` on the plan's steps, outputs and writes renamed to what
    replaced them."""
    plan.nodes, alias = simplify(plan.trace, plan.nodes)
    plan.outputs = [alias.get(i, i) for i in plan.outputs]
    plan.writes = [(var, alias.get(i, i)) for var, i in plan.writes]
