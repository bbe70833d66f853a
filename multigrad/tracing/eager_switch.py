"""``mg.config.run_functions_eagerly``: TF's debugging switch for ``mg.function``.

While it is on, every ``mg.function`` runs its Python function as it is, on every call
(nothing is traced or replayed), so ``print``, breakpoints and ``.numpy()`` work inside.
Process-wide, as in TensorFlow.
"""

__all__ = ["run_functions_eagerly", "functions_run_eagerly", "EAGER"]

EAGER = [False]     # read by every mg.function call (one list item: the cheapest test)


def run_functions_eagerly(run_eagerly):
    """Run every ``mg.function`` eagerly (True) or traced (False, the default)."""
    EAGER[0] = bool(run_eagerly)


def functions_run_eagerly():
    """Whether ``mg.function``s currently run eagerly."""
    return EAGER[0]
