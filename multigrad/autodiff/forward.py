"""Forward-mode differentiation: ``mg.ForwardAccumulator`` (``tf.autodiff.ForwardAccumulator``).

Jacobian-vector products come from the "double VJP" identity instead of per-op JVP rules.
The accumulator records the ops it sees on a private persistent tape. For a target ``y``,
``vjp(u) = J^T u`` is linear in the cotangent ``u``; computing it with ``u`` watched by a
second tape and differentiating ``<vjp(u), t>`` with respect to ``u`` gives ``J t``. Because
the core records backward passes whenever a tape is active, this works for every op whose
VJP rules are themselves differentiable, and it composes with ``GradientTape`` both ways:

- accumulator outside a tape (forward-over-reverse): the tape's backward pass runs while the
  accumulator records, so ``acc.jvp(tape.gradient(...))`` is a Hessian-vector product;
- tape outside an accumulator: ``acc.jvp`` runs while the tape records, so the JVP itself
  can be differentiated.

The price is one extra backward pass per ``jvp`` call (the cost of reverse mode, not of a
true forward pass).

Complex numbers. Under multigrad's (TensorFlow's) convention the VJP is ``J^T u`` with C read
as R^2: for a real loss ``L = <u, y>_R`` the tape returns dL/dx + i dL/dy. So the scalar to
differentiate is the *real* pairing ``<J^T u, t>_R = sum(Re(conj(J^T u) * t)) = <u, J t>_R``,
whose tape gradient with respect to ``u`` is ``J t`` itself, for holomorphic and
non-holomorphic ops alike. Pairing with ``g * t`` instead (no conj, a complex scalar)
conjugates the tangent.
"""

from ..core import nest
from ..backend.conj import is_complex
from ..ops import add, conj, convert_to_tensor, multiply, real, sum as reduce_sum, zeros, zeros_like
from .tape import GradientTape, UnconnectedGradients, _unconnected_mode
from ..core.tensor import Tensor

__all__ = ["ForwardAccumulator"]


class ForwardAccumulator:
    """Compute Jacobian-vector products of the ops run inside its context.

    ``primals``: a Tensor/Variable or a nested structure of them; ``tangents``: the same
    structure, one direction per primal (same shape; converted to the primal's dtype).
    ``acc.jvp(target)`` is d target / d primals applied to the tangents, for any target
    computed from the primals inside the context (or the primals themselves).
    """

    def __init__(self, primals, tangents):
        flat_p = nest.flatten(primals)
        flat_t = nest.flatten(tangents)
        if len(flat_p) != len(flat_t):
            raise ValueError(
                f"ForwardAccumulator: got {len(flat_p)} primals but {len(flat_t)} tangents; "
                f"give one tangent per primal, in the same nested structure")
        self._primals = []
        self._tangents = []
        for p, t in zip(flat_p, flat_t):
            if not isinstance(p, Tensor):
                raise TypeError(f"ForwardAccumulator: primals must be Tensors or Variables, got "
                                f"{type(p).__name__}; wrap data with mg.constant first")
            if not p.dtype.is_differentiable:
                raise TypeError(f"ForwardAccumulator: primal of dtype {p.dtype.name} cannot "
                                f"carry a tangent; use a floating dtype (e.g. mg.float32)")
            t = tangent_for(p, t, "ForwardAccumulator")
            self._primals.append(p)
            self._tangents.append(t)
        self._tape = GradientTape(persistent=True, watch_accessed_variables=False)
        self._tape.watch(self._primals)

    def __reduce_ex__(self, protocol):
        raise TypeError("a ForwardAccumulator cannot be pickled or copied (it holds a "
                        "GradientTape); pickle its primals, tangents or JVPs instead")

    def __enter__(self):
        self._tape.__enter__()
        return self

    def __exit__(self, *exc):
        return self._tape.__exit__(*exc)

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The JVP of each tensor in ``primals`` (a Tensor or nested structure), same structure.

        A target that does not depend on the accumulator's primals gives None (zeros with
        ``unconnected_gradients="zero"``).
        """
        unconnected = _unconnected_mode(unconnected_gradients)
        targets = nest.flatten(primals)
        out = [self._jvp_one(t, unconnected) for t in targets]
        return nest.pack_like(primals, out)

    def _jvp_one(self, target, unconnected):
        if not isinstance(target, Tensor):
            raise TypeError(f"ForwardAccumulator.jvp: expected Tensors, got "
                            f"{type(target).__name__}")
        result = None
        if target.dtype.is_differentiable and target._id and target._id in self._tape._tracked:
            result = self._double_vjp(target)
        if result is None and unconnected is UnconnectedGradients.ZERO:
            result = zeros_like(target) if target.dtype.is_differentiable else \
                zeros(target.shape, target.dtype, target.backend)
        return result

    def _double_vjp(self, target):
        recording = self._tape._recording
        # The accumulator must not record its own JVP computation.
        if recording:
            self._tape._pop()
        try:
            u = zeros_like(target)            # the value of u is irrelevant: vjp is linear in u
            with GradientTape(watch_accessed_variables=False) as outer:
                outer.watch(u)
                grads = self._tape.gradient(target, self._primals, output_gradients=u)
                total = None
                for g, t in zip(grads, self._tangents):
                    if g is None:
                        continue
                    if not isinstance(g, Tensor):
                        g = Tensor._make(g, t.backend)
                    term = reduce_sum(_real_pairing(g, t))
                    total = term if total is None else add(total, term)
            if total is None:
                return None
            # J^T u is linear in u: if it does not depend on u (rules whose derivative is
            # zero, like relu's sign), it is 0 for every u, so J = 0 and J t is zeros.
            return outer.gradient(total, u, unconnected_gradients="zero")
        finally:
            if recording:
                self._tape._push()
            # The private tape is persistent: gradient() does not consume it.
            self._tape._used = False

    def __repr__(self):
        return f"<mg.ForwardAccumulator with {len(self._primals)} primal(s)>"


def tangent_for(primal, tangent, what):
    """``tangent`` as a Tensor of ``primal``'s dtype, backend and shape.

    A complex tangent for a real primal is refused: casting would drop its imaginary part.
    """
    if is_complex(tangent) and not primal.dtype.is_complex:
        raise TypeError(f"{what}: a complex tangent for a real primal "
                        f"({primal.dtype.name}) would lose its imaginary part; make the primal "
                        f"complex (mg.cast(x, mg.complex128)) or pass a real tangent")
    tangent = convert_to_tensor(tangent, dtype=primal.dtype, backend=primal.backend)
    if tangent.shape != primal.shape:
        raise ValueError(f"{what}: tangent of shape {tangent.shape} does not match its "
                         f"primal's shape {primal.shape}")
    return tangent


def _real_pairing(g, t):
    """Elementwise terms of the real inner product <g, t>_R (C as R^2): Re(conj(g) * t)."""
    if g.dtype.is_complex:
        return real(multiply(conj(g), t))
    return multiply(g, t)
