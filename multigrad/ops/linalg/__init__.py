"""``mg.linalg``: differentiable linear algebra on stacks of matrices (the last two axes).

One module per dependency level, each importing only those above it in this list, so none
reaches back up: ``matrix_tools`` (checks, transposes, the absent-cotangent test),
``spectral_values`` (``eigvalsh``, ``svdvals``), ``spectral`` (``eigh``, ``svd``),
``solve`` (inverses, determinants, solves, factorizations), ``norms``, ``compositions``
(the rest, built from those); ``eig`` (``eig``, ``eigvals``: general matrices).
"""

import sys

from ...core.vocabulary import tensor_ops
from . import (compositions as _compositions, eig as _eig, norms as _norms, solve as _solve,
               spectral as _spectral, spectral_values as _spectral_values)
from .compositions import *  # noqa: F401,F403
from .eig import *  # noqa: F401,F403
from .norms import *  # noqa: F401,F403
from .solve import *  # noqa: F401,F403
from .spectral import *  # noqa: F401,F403
from .spectral_values import *  # noqa: F401,F403

__all__ = [name for module in (_solve, _spectral, _norms, _spectral_values, _compositions,
                                      _eig)
           for name in module.__all__]

# Rules name this extension as ``ns.linalg.<name>``: on Tensors it is this package (on raw
# arrays, the namespace's own extension). Registered here so it loads only when used.
tensor_ops.linalg = sys.modules[__name__]
