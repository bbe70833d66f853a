"""How ``mg.print`` writes a tensor: TensorFlow's ``tf.print`` format.

``[1 2 3]``; rows of a matrix on their own lines (``[[1 2]\\n [3 4]]``); more than
``2 * summarize`` elements along a dimension show the first and last ``summarize`` with
``...`` between (``summarize=-1``: all). Floats as TF writes them: the shortest of 6 (float32,
float16) or 15 (float64) significant digits that reads back as the same number, else 9 or
17; booleans as 1 and 0 (TF's C++ formatting).
"""

import numpy

__all__ = ["format_array"]


def format_array(host, summarize=3):
    """The text of one host (NumPy) array."""
    host = numpy.asarray(host)
    if host.ndim == 0:
        return _element(host[()], host.dtype)
    return _nested(host, summarize, 1)


def _picks(n, summarize):
    if summarize < 0 or n <= 2 * summarize:
        return list(range(n))
    return list(range(summarize)) + [None] + list(range(n - summarize, n))


def _nested(a, summarize, depth):
    picks = _picks(a.shape[0], summarize)
    if a.ndim == 1:
        return "[" + " ".join("..." if i is None else _element(a[i], a.dtype)
                              for i in picks) + "]"
    between = "\n" * (a.ndim - 1) + " " * depth
    rows = ["..." if i is None else _nested(a[i], summarize, depth + 1) for i in picks]
    return "[" + between.join(rows) + "]"


def _element(x, dtype):
    if dtype.kind == "b":
        return "1" if x else "0"
    if dtype.kind == "f":
        short, full = (15, 17) if dtype.itemsize == 8 else (6, 9)
        text = f"{float(x):.{short}g}"
        return text if dtype.type(text) == x or x != x else f"{float(x):.{full}g}"
    if dtype.kind == "c":
        return f"({_element(x.real, numpy.dtype(x.real.dtype))},"\
               f"{_element(x.imag, numpy.dtype(x.imag.dtype))})"
    return str(x)
