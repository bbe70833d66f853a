"""Differentiation: ``tape`` (``GradientTape``, the backward pass), ``jacobian_chunks`` (the
jacobian memory guard and chunked passes), ``forward`` (``ForwardAccumulator``),
``functional`` (``grad``, ``jvp``, ``hvp``, ...), ``custom_gradients``
(``custom_gradient``, ``recompute_grad``). Built on ``core`` and ``ops``.
"""
