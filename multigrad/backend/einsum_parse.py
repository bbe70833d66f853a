"""Parsing einsum subscripts (pure Python).

Subscripts are normalised to explicit form: ``...`` becomes fresh letters (right-aligned,
NumPy's broadcasting of ellipsis dimensions) and the output is always given after ``->``.
"""

import string

__all__ = ["parse", "from_interleaved", "LETTERS"]

LETTERS = string.ascii_letters


def _error(subscripts, what):
    return ValueError(f"mg.einsum: {what} (subscripts {subscripts!r})")


def parse(subscripts, shapes):
    """(one letter string per operand, output letters, {letter: size}); all explicit."""
    if not isinstance(subscripts, str):
        raise TypeError(f"mg.einsum: subscripts must be a str such as 'ij,jk->ik', got "
                        f"{type(subscripts).__name__}")
    s = subscripts.replace(" ", "")
    bad = sorted(set(s) - set(LETTERS) - set(".,->"))
    if bad:
        raise _error(subscripts, f"invalid character(s) {''.join(bad)!r}; use letters a-z, "
                                 f"A-Z, ',', '->' and '...'")
    lhs, arrow, out = s.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise _error(subscripts, f"the subscripts name {len(terms)} operand(s) but "
                                 f"{len(shapes)} were given")
    used = set(c for c in s if c in LETTERS)
    fresh = [c for c in LETTERS if c not in used]
    n_ell = 0
    for term, shape in zip(terms, shapes):
        if "..." in term:
            n_ell = max(n_ell, len(shape) - (len(term) - 3))
    ell = "".join(fresh[:n_ell])
    expanded, sizes = _expand_terms(subscripts, terms, shapes, ell, n_ell)
    out = _output(subscripts, out if arrow else None, expanded, sizes, ell)
    return expanded, out, sizes


def _expand_terms(subscripts, terms, shapes, ell, n_ell):
    """Each operand's letters with ``...`` spelled out, and every letter's size."""
    expanded, sizes = [], {}
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        named = term
        if "..." in term:
            k = len(shape) - (len(term) - 3)
            if k < 0:
                raise _error(subscripts, f"operand {i} has {len(shape)} dimension(s), fewer "
                                         f"than its subscripts {named!r} name")
            term = term.replace("...", ell[n_ell - k:], 1)
        if "." in term:
            raise _error(subscripts, f"'.' may only appear as '...' (in {named!r})")
        if len(term) != len(shape):
            raise _error(subscripts, f"operand {i} has shape {tuple(shape)} ({len(shape)} "
                                     f"dimension(s)) but its subscripts {named!r} name "
                                     f"{len(term)}")
        for c, n in zip(term, shape):
            old = sizes.get(c)
            if old is None or old == 1:
                sizes[c] = n
            elif n not in (1, old):     # size 1 broadcasts, as NumPy's einsum allows
                raise _error(subscripts, f"index {c!r} has size {old} in one place and {n} "
                                         f"in operand {i} (shape {tuple(shape)})")
        expanded.append(term)
    return expanded, sizes


def _output(subscripts, out, expanded, sizes, ell):
    """The output letters: as given (checked), or NumPy's implicit order."""
    if out is not None:
        if "." in out.replace("...", ""):
            raise _error(subscripts, "'.' may only appear as '...'")
        out = out.replace("...", ell, 1)
        for c in out:
            if c not in sizes:
                raise _error(subscripts, f"output index {c!r} appears in no operand")
            if out.count(c) > 1:
                raise _error(subscripts, f"output index {c!r} is repeated")
    else:
        counts = {}
        for term in expanded:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    return out




def _sublist_letters(sublist):
    out = ""
    for item in sublist:
        if item is Ellipsis:
            out += "..."
            continue
        if isinstance(item, bool) or not hasattr(type(item), "__index__"):
            raise TypeError(f"mg.einsum: sublist entries must be integers in [0, 52) or "
                            f"Ellipsis, got {item!r}")
        k = int(item)
        if not 0 <= k < len(LETTERS):
            raise ValueError(f"mg.einsum: sublist entry {k} is out of range; use integers in "
                             f"[0, {len(LETTERS)})")
        out += LETTERS[k]
    return out


def from_interleaved(args):
    """NumPy's interleaved form ``(op0, sublist0, op1, sublist1, ..., [out_sublist])`` as
    ``(subscripts, operands)``."""
    args = list(args)
    out = _sublist_letters(args.pop()) if len(args) % 2 else None
    operands, terms = args[0::2], [_sublist_letters(sub) for sub in args[1::2]]
    subscripts = ",".join(terms) + ("" if out is None else "->" + out)
    return subscripts, operands
