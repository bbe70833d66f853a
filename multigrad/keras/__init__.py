"""``mg.keras``: the parts of ``tf.keras`` that are functions of arrays, over multigrad.

``optimizers`` is ``mg.optimizers`` and ``losses`` is ``mg.losses`` (the same modules);
``activations``, ``initializers`` and ``backend`` are here. No layers or models: multigrad is
a GradientTape autodiff library, and Keras's layer/model machinery is a framework of its own
(write models as ``mg.Module`` subclasses with Variables).
"""

from .. import losses, optimizers
from . import activations, backend, initializers

__all__ = ["optimizers", "losses", "activations", "initializers", "backend"]
