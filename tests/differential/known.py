"""KNOWN_FAILURES: the failure classes found by the differential test and not fixed yet.

Each row names a bug (see FINDINGS.md) and the narrowest set of programs it excludes:
the check, the backends, the program dtypes, and either ops (the program uses one of
them) or a predicate. Delete the row when the bug is fixed: the seeded CI run then
checks those programs again.
"""

ANY = None
ALL = ("forward", "raises", "grad", "grad_dtype", "hvp", "jvp", "forward_accumulator",
       "jacobian")
GRADIENTS = ALL[2:]
FFT = ("fft.fft", "fft.ifft", "fft.rfft", "fft.irfft", "fft.fft2", "fft.fftn", "fft.rfftn")

def _complex_input(program):
    return any(a.dtype.kind == "c" for _, a in program.inputs)


KNOWN_FAILURES = [
    {"bug": "F1: forward mode conjugates complex tangents (mg.jvp, ForwardAccumulator)",
     "checks": ("jvp", "forward_accumulator"), "dtypes": ("complex128",),
     "when": _complex_input},
    {"bug": "F2: the gradient reaching a complex input through mg.real has a real dtype",
     "checks": ("grad_dtype", "hvp", "jacobian"), "dtypes": ("complex128",),
     "ops": ("real",)},
    {"bug": "F3: array_api_strict: indexing with a NumPy index array raises AttributeError",
     "checks": ALL, "backends": ("array_api_strict",), "tags": ("np_index",)},
    {"bug": "F4: array_api_strict: slice bounds outside the axis raise IndexError "
            "(NumPy clamps them)",
     "checks": ALL, "backends": ("array_api_strict",), "tags": ("oob_slice",)},
    {"bug": "F5: array_api_strict: a real cotangent reaching an fft's rule raises TypeError "
            "(a real array reaches fftn): forward mode, second order, and first order "
            "after mg.real / mg.imag",
     "checks": GRADIENTS, "backends": ("array_api_strict",),
     "ops": FFT},
    {"bug": "F7: array_api_strict: the gradient of take on a size-0 array raises "
            "ValueError (cannot reshape array of size 0)",
     "checks": GRADIENTS, "backends": ("array_api_strict",), "ops": ("take",),
     "when": lambda p: p.has_empty()},
    {"bug": "F8: the gradient of var/std over a zero-length axis raises ZeroDivisionError",
     "checks": GRADIENTS, "ops": ("var", "std"), "when": lambda p: p.has_empty()},
    {"bug": "F9: power(real x, complex y): the gradient for y is wrong (drops log(x)'s "
            "complex factor)",
     "checks": ("grad", "hvp", "jvp", "forward_accumulator"), "dtypes": ("complex128",),
     "tags": ("real_base_complex_exponent",)},
    {"bug": "F10: logsumexp, log_softmax, softmax (and softmax cross-entropy) over an empty "
            "axis raise ValueError (NumPy: -inf, or an empty result)",
     "checks": ALL, "ops": ("logsumexp", "nn.log_softmax", "nn.softmax",
                            "nn.softmax_cross_entropy_with_logits"),
     "when": lambda p: p.has_empty()},
    {"bug": "F11: mg.clip rejects a None bound (np.clip(x, lo, None) is NumPy's one-sided "
            "clip)",
     "checks": ALL, "tags": ("clip_none",)},
    {"bug": "F12: dask: take and x[idx] with an out-of-range index return values instead of "
            "raising IndexError (silently wrong)",
     "checks": ("raises",), "backends": ("dask",), "ops": ("take_oob", "getitem_oob")},
    {"bug": "F13: dask: after a boolean mask (sizes unknown, NaN) forward mode fails, and so "
            "do gradients where the masked values meet broadcasting",
     "checks": GRADIENTS, "backends": ("dask",), "ops": ("getitem_mask",)},
    {"bug": "F14: dask: index_add / index_update with an empty index array fail in the "
            "forward pass (Dask reshape of a size-0 array)",
     "checks": ALL, "backends": ("dask",), "ops": ("index_add", "index_update"),
     "when": lambda p: p.has_empty()},
    {"bug": "F6: dask: gradients of slicing (getitem, array_split, cross) of an array with "
            "a zero-length axis raise ValueError in the index_add scatter",
     "checks": GRADIENTS, "backends": ("dask",), "when": lambda p: p.has_empty()},
]


def _matches(row, check, program, backend):
    if check not in row["checks"]:
        return False
    if row.get("backends") not in (ANY, None) and backend not in row["backends"]:
        return False
    if row.get("dtypes") and program.dtype not in row["dtypes"]:
        return False
    if row.get("ops") and not (program.ops & set(row["ops"])):
        return False
    if row.get("tags") and not (program.tags & set(row["tags"])):
        return False
    when = row.get("when")
    return when is None or bool(when(program))


def known_failure(check, program, backend):
    """The bug text of the first row that covers this check of ``program``, else None."""
    for row in KNOWN_FAILURES:
        if _matches(row, check, program, backend):
            return row["bug"]
    return None
