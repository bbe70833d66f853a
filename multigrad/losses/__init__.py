"""``mg.losses`` (also ``mg.keras.losses``): Keras's loss classes and functions.

Modules: ``functions`` (one loss per sample), ``classes`` (``Loss`` objects with a reduction).
"""

from .classes import (BinaryCrossentropy, CategoricalCrossentropy, Loss, MeanAbsoluteError,
                      MeanSquaredError, SparseCategoricalCrossentropy)
from .functions import (MAE, MSE, binary_crossentropy, categorical_crossentropy, mae,
                        mean_absolute_error, mean_squared_error, mse,
                        sparse_categorical_crossentropy)

_BY_NAME = {
    "mean_squared_error": mean_squared_error, "mse": mse, "MSE": MSE,
    "mean_absolute_error": mean_absolute_error, "mae": mae, "MAE": MAE,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "binary_crossentropy": binary_crossentropy,
    **{cls.__name__: cls for cls in (MeanSquaredError, MeanAbsoluteError,
                                      CategoricalCrossentropy, SparseCategoricalCrossentropy,
                                      BinaryCrossentropy)},
}


def get(identifier):
    """A loss by name (``"mse"``, ``"MeanSquaredError"``), or a callable as it is."""
    if callable(identifier):
        return identifier
    if identifier in _BY_NAME:
        return _BY_NAME[identifier]
    raise ValueError(f"mg.losses.get: unknown loss {identifier!r}; known: "
                     f"{sorted(_BY_NAME)}")


__all__ = ["Loss", "MeanSquaredError", "MeanAbsoluteError", "CategoricalCrossentropy",
           "SparseCategoricalCrossentropy", "BinaryCrossentropy", "mean_squared_error", "mse",
           "MSE", "mean_absolute_error", "mae", "MAE", "categorical_crossentropy",
           "sparse_categorical_crossentropy", "binary_crossentropy", "get"]
