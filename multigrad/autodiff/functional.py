"""Function transformations for NumPy/JAX users: grad, value_and_grad, jacobian, hessian,
hvp, vjp, jvp.

Each one runs the function under ``GradientTape``s, so everything the tape supports works
here (every backend, nesting: ``mg.grad(mg.grad(f))``). Arguments may be Tensors, Variables,
backend arrays or Python data; non-Tensors are converted with ``mg.constant`` (NumPy float64
arrays stay float64, Python floats become float32 as in TensorFlow).
"""

import functools

from ..core import nest
from .forward import ForwardAccumulator, tangent_for
from .tape import GradientTape
from ..core.tensor import Tensor, Variable
from ..ops import constant, convert_to_tensor, identity, multiply, sum as reduce_sum

__all__ = ["grad", "value_and_grad", "jacobian", "hessian", "hvp", "vjp", "jvp"]


def _arg(x):
    if isinstance(x, Tensor):
        return x
    return constant(x)


def _own_sources(xs, all_args=None):
    """One distinct Tensor per differentiated position, as ``jax.grad`` sees them: the
    same Tensor passed twice (or also captured by ``f``'s closure) must not add up the
    derivatives of every place it occurs. ``identity`` gives a fresh Tensor that outer
    tapes still connect to the caller's (so nesting works). A Variable passed once is
    kept (``f`` may assign to it); one also among ``all_args`` is aliased."""
    counts = {}
    for x in (xs if all_args is None else all_args):
        counts[id(x)] = counts.get(id(x), 0) + 1
    return [x if isinstance(x, Variable) and counts[id(x)] == 1 else identity(x) for x in xs]


def _argnums(argnums, nargs, what):
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    if not nums or not all(isinstance(i, int) for i in nums):
        raise TypeError(f"mg.{what}: argnums must be an int or a non-empty tuple of ints, "
                        f"got {argnums!r}")
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"mg.{what}: argnums {argnums!r} refers to argument {i}, but the "
                             f"function was called with {nargs} positional argument(s)")
    return single, tuple(i % nargs for i in nums)


def _prepare(args, nums, what):
    args = list(args)
    for i in nums:
        args[i] = _arg(args[i])
        if not args[i].dtype.is_differentiable:
            raise TypeError(f"mg.{what}: argument {i} has dtype {args[i].dtype.name}, which "
                            f"cannot be differentiated; pass floating-point values (e.g. 1.0, "
                            f"not 1)")
    for i, x in zip(nums, _own_sources([args[i] for i in nums], args)):
        args[i] = x
    return args, [args[i] for i in nums]


def _split_aux(result, has_aux, what):
    if not has_aux:
        return result, None
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError(f"mg.{what}(..., has_aux=True): the function must return a pair "
                        f"(output, auxiliary data), got {type(result).__name__}")
    return result[0], result[1]


def _scalar(out, what):
    if not isinstance(out, Tensor):
        out = convert_to_tensor(out)
    if out.size != 1:
        raise TypeError(f"mg.{what}: the function must return a scalar (one element), got a "
                        f"tensor of shape {out.shape}; reduce it (e.g. mg.reduce_sum) or use "
                        f"mg.jacobian / mg.vjp for non-scalar outputs")
    return out


def value_and_grad(f, argnums=0, has_aux=False):
    """``f`` -> a function returning ``(f(*args), gradient)``; ``((value, aux), gradient)``
    with ``has_aux=True``. The gradient is for argument ``argnums`` (an int), or a tuple
    for a tuple of argnums. ``f`` must return a scalar."""

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        single, nums = _argnums(argnums, len(args), "value_and_grad")
        args, xs = _prepare(args, nums, "value_and_grad")
        with GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(xs)
            out, aux = _split_aux(f(*args, **kwargs), has_aux, "value_and_grad")
            out = _scalar(out, "grad")
        grads = tape.gradient(out, xs, unconnected_gradients="zero")
        grads = grads[0] if single else tuple(grads)
        return ((out, aux) if has_aux else out), grads
    return wrapped


def grad(f, argnums=0, has_aux=False):
    """``f`` -> a function returning the gradient of the scalar ``f`` with respect to
    argument ``argnums`` (a tuple of gradients for a tuple); with ``has_aux=True``,
    ``(gradient, aux)``. Unconnected arguments get zeros (as in JAX)."""
    vg = value_and_grad(f, argnums, has_aux)

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        value, g = vg(*args, **kwargs)
        return (g, value[1]) if has_aux else g
    return wrapped


def jacobian(f, argnums=0, has_aux=False):
    """``f`` -> a function returning d f / d args[argnums] (reverse mode, one backward pass
    per output tensor). For an output of shape S and an argument of shape A the jacobian
    has shape S + A. A nested output gives the same nesting, each leaf replaced by the
    jacobian (or a tuple of them for a tuple of argnums)."""

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        single, nums = _argnums(argnums, len(args), "jacobian")
        args, xs = _prepare(args, nums, "jacobian")
        with GradientTape(persistent=True, watch_accessed_variables=False) as tape:
            tape.watch(xs)
            out, aux = _split_aux(f(*args, **kwargs), has_aux, "jacobian")
        leaves = []
        for o in nest.flatten(out):
            o = _arg(o)
            jac = tape.jacobian(o, xs, unconnected_gradients="zero")
            leaves.append(jac[0] if single else tuple(jac))
        result = nest.pack_like(out, leaves)
        return (result, aux) if has_aux else result
    return wrapped


def hessian(f, argnums=0):
    """``f`` -> a function returning the Hessian of the scalar ``f``: ``jacobian(grad(f))``
    (reverse over reverse). For an argument of shape A the Hessian has shape A + A; for a
    tuple of argnums, a tuple of tuples of blocks."""
    return jacobian(grad(f, argnums), argnums)


def _tangents_like(xs, tangents, what):
    ts = list(tangents) if isinstance(tangents, (tuple, list)) else [tangents]
    if len(ts) != len(xs):
        raise ValueError(f"mg.{what}: got {len(xs)} primals but {len(ts)} tangents; give one "
                         f"tangent per primal")
    return [tangent_for(x, t, f"mg.{what}") for x, t in zip(xs, ts)]


def _primals(primals):
    single = not isinstance(primals, (tuple, list))
    return single, _own_sources([_arg(p) for p in ([primals] if single else primals)])


def hvp(f, primals, tangents):
    """Hessian-vector product of the scalar ``f`` at ``primals`` along ``tangents``, without
    forming the Hessian (reverse over reverse: the gradient of <grad f, v>).

    ``primals`` and ``tangents`` are tuples (one entry per argument of ``f``) or single
    values; the result has the structure of ``primals``.
    """
    single, xs = _primals(primals)
    ts = _tangents_like(xs, tangents, "hvp")
    with GradientTape(watch_accessed_variables=False) as outer:
        outer.watch(xs)
        with GradientTape(watch_accessed_variables=False) as inner:
            inner.watch(xs)
            out = _scalar(f(*xs), "hvp")
        grads = inner.gradient(out, xs, unconnected_gradients="zero")
        dot = None
        for g, t in zip(grads, ts):
            term = reduce_sum(multiply(g, t))
            dot = term if dot is None else dot + term
    result = outer.gradient(dot, xs, unconnected_gradients="zero")
    return result[0] if single else tuple(result)


def vjp(f, *primals):
    """``(f(*primals), vjp_fn)``; ``vjp_fn(cotangent)`` returns a tuple with one
    vector-Jacobian product per primal. ``cotangent`` has the structure and shapes of
    the output; ``vjp_fn`` may be called any number of times."""
    xs = _own_sources([_arg(p) for p in primals])
    tape = GradientTape(persistent=True, watch_accessed_variables=False)
    with tape:
        tape.watch(xs)
        out = f(*xs)

    def vjp_fn(cotangent):
        if len(nest.flatten(cotangent)) != len(nest.flatten(out)):
            raise ValueError(f"vjp_fn: the cotangent must have the structure of the output "
                             f"({len(nest.flatten(out))} tensor(s)), got "
                             f"{len(nest.flatten(cotangent))}")
        return tuple(tape.gradient(out, xs, output_gradients=cotangent,
                                   unconnected_gradients="zero"))
    return out, vjp_fn


def jvp(f, primals, tangents):
    """``(f(*primals), J·tangents)``: forward-mode directional derivative
    (``mg.ForwardAccumulator`` underneath). ``primals`` and ``tangents`` are tuples with
    one entry per argument of ``f`` (or single values); the tangent output has the
    structure of the output."""
    single, xs = _primals(primals)
    ts = _tangents_like(xs, tangents, "jvp")
    with ForwardAccumulator(xs, ts) as acc:
        out = f(*xs)
    return out, acc.jvp(out, unconnected_gradients="zero")
