"""The strict Array API backend: ``array-api-strict`` (the standard and nothing else).

It exists to keep the core honest: every op and VJP rule must run on a namespace that
offers exactly the Python Array API standard, so any NumPy-only habit fails the matrix.
It is one ``array_api_spec`` call: no extras, the generic fallbacks are what it uses.
Install with ``pip install "multigrad-tape[array-api]"`` (it is also in the ``test`` extra).
"""

import multigrad
from multigrad.hookspecs import hookimpl

NAME = "array_api_strict"


@hookimpl
def multigrad_backends():
    return [multigrad.array_api_spec(NAME, "array_api_strict",
                                     description="array-api-strict (the standard only, CPU)")]
