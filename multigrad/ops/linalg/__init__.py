"""``mg.linalg``: differentiable linear algebra on stacks of matrices (the last two axes).

One module per dependency level, so none reaches back up: ``matrix_tools`` (checks,
transposes, the absent-cotangent test), ``spectral_values`` (``eigvalsh``, ``svdvals``),
``spectral`` (``eigh``, ``svd``), ``solve`` (inverses, determinants, solves,
factorizations), ``norms``, ``compositions`` (the rest, built from those).
"""

import sys

from ...core.vocabulary import tensor_ops
from .solve import *  # noqa: F401,F403
from .solve import __all__

# Rules name this extension as ``ns.linalg.<name>``: on Tensors it is this package (on raw
# arrays, the namespace's own extension). Registered here so it loads only when used.
tensor_ops.linalg = sys.modules[__name__]
