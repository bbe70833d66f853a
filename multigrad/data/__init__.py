"""``mg.data``: TensorFlow's ``tf.data`` for in-memory data (``Dataset`` and its constants).

Modules: ``structure`` (nested elements, ``TensorSpec``), ``pipeline`` (the element
streams), ``dataset`` (the ``Dataset`` class).
"""

import types as _types

from .dataset import (AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset,
                      DatasetIterator)
from .structure import TensorSpec

# tf.data.experimental.AUTOTUNE and the cardinality constants under their older names.
experimental = _types.SimpleNamespace(AUTOTUNE=AUTOTUNE,
                                      INFINITE_CARDINALITY=INFINITE_CARDINALITY,
                                      UNKNOWN_CARDINALITY=UNKNOWN_CARDINALITY,
                                      cardinality=lambda dataset: dataset.cardinality())

__all__ = ["Dataset", "DatasetIterator", "TensorSpec", "AUTOTUNE", "INFINITE_CARDINALITY",
           "UNKNOWN_CARDINALITY", "experimental"]
