"""Testing helpers: a finite-difference gradient checker and the backend matrix.

``check_grads`` compares the tape's gradients with central finite differences in
float64 along a random direction (a vector-Jacobian product against a numerical
Jacobian-vector product), to first or higher order.
"""

from .gradcheck import check_grads, numerical_jvp

__all__ = ["check_grads", "numerical_jvp"]
