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


KNOWN_FAILURES = [
    # F1-F16 are fixed (FINDINGS.md): their rows are gone, so CI checks them again.
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
