"""Dask's graph building warns where nothing is lost: it makes an output's empty "meta"
array by casting the input's, and a complex input with a real or integer output (eigh's
eigenvalues, argsort's indices, a fancy index of a complex array) gives NumPy's
ComplexWarning on that empty array. Only the dtype is used; the data are never cast."""

import contextlib
import warnings

import numpy

__all__ = ["quiet_meta"]


@contextlib.contextmanager
def quiet_meta():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", numpy.exceptions.ComplexWarning)
        yield
