"""Warnings raised inside an op (NumPy's RuntimeWarnings, a backend's own) point at the
user's line, not at multigrad's internals.

NumPy warns from C with the location of the Python frame that called the ufunc, which is
always somewhere in multigrad. Catching warnings around every op would cost each op a few
microseconds, so instead ``warnings.showwarning`` is wrapped once: when a warning is about to
be shown from a file inside multigrad or a built-in backend plugin, the location shown is the
first frame outside them (the user's code). Nothing runs unless a warning is shown.
"""

import os
import sys
import warnings

# multigrad/ (this file is in multigrad/core/).
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _internal_roots():
    """multigrad's folder and those of the backend plugins loaded so far (multigrad_*)."""
    roots = [_PACKAGE]
    for name, module in list(sys.modules.items()):
        if name.startswith("multigrad_") and "." not in name and getattr(module, "__file__", None):
            roots.append(os.path.dirname(os.path.abspath(module.__file__)) + os.sep)
    return tuple(roots)


def _is_internal(filename):
    # "<mg.function name>": the code mg.function generates, replayed for the user's call.
    return filename.startswith("<mg.function") or \
        os.path.abspath(filename).startswith(_internal_roots())


def _array_library_roots():
    """Folders of the array libraries loaded so far (their Python wrappers call the ufunc)."""
    roots = []
    for name in ("numpy", "cupy", "dask", "array_api_strict"):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None):
            roots.append(os.path.dirname(module.__file__) + os.sep)
    return tuple(roots)


def _user_frame():
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not (_is_internal(filename) or filename == warnings.__file__
                or filename.startswith(_array_library_roots()) or filename.startswith("<frozen")):
            return frame
        frame = frame.f_back
    return None


def install():
    """Wrap ``warnings.showwarning`` (once; the previous function is still called)."""
    shown = warnings.showwarning
    if getattr(shown, "_multigrad_wrapper", False):
        return

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if _is_internal(filename):
            frame = _user_frame()
            if frame is not None:
                filename, lineno, line = frame.f_code.co_filename, frame.f_lineno, None
        shown(message, category, filename, lineno, file, line)

    showwarning._multigrad_wrapper = True
    warnings.showwarning = showwarning
