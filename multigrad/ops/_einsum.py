"""Parsing einsum subscripts (pure Python), and a fallback for namespaces without einsum.

Subscripts are normalised to explicit form: ``...`` becomes fresh letters (right-aligned,
NumPy's broadcasting of ellipsis dimensions) and the output is always given after ``->``.
"""

import string

__all__ = ["parse", "einsum_fallback"]

_LETTERS = string.ascii_letters


def _error(subscripts, what):
    return ValueError(f"mg.einsum: {what} (subscripts {subscripts!r})")


def parse(subscripts, shapes):
    """(one letter string per operand, output letters, {letter: size}); all explicit."""
    if not isinstance(subscripts, str):
        raise TypeError(f"mg.einsum: subscripts must be a str such as 'ij,jk->ik', got "
                        f"{type(subscripts).__name__}")
    s = subscripts.replace(" ", "")
    bad = sorted(set(s) - set(_LETTERS) - set(".,->"))
    if bad:
        raise _error(subscripts, f"invalid character(s) {''.join(bad)!r}; use letters a-z, "
                                 f"A-Z, ',', '->' and '...'")
    lhs, arrow, out = s.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise _error(subscripts, f"the subscripts name {len(terms)} operand(s) but "
                                 f"{len(shapes)} were given")
    used = set(c for c in s if c in _LETTERS)
    fresh = [c for c in _LETTERS if c not in used]
    n_ell = 0
    for term, shape in zip(terms, shapes):
        if "..." in term:
            n_ell = max(n_ell, len(shape) - (len(term) - 3))
    ell = "".join(fresh[:n_ell])
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
    if arrow:
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
    return expanded, out, sizes


def _diagonals(xp, x, term):
    """Resolve an index repeated within one operand (``ii``) by taking that diagonal."""
    while len(set(term)) != len(term):
        c = next(ch for ch in term if term.count(ch) > 1)
        i = term.index(c)
        j = term.index(c, i + 1)
        rest = [k for k in range(len(term)) if k not in (i, j)]
        x = xp.permute_dims(x, tuple(rest) + (i, j))
        n = x.shape[-1]
        # where(), not a multiply by eye: an inf off the diagonal must not become NaN.
        on_diagonal = xp.astype(xp.eye(n, dtype=xp.int8), xp.bool)
        x = xp.sum(xp.where(on_diagonal, x, xp.zeros((), dtype=x.dtype)), axis=-1)
        term = "".join(term[k] for k in rest) + c
    return x, term


def einsum_fallback(xp, subscripts, *operands):
    """einsum through broadcasting multiply and sum (Array API only; not memory-frugal)."""
    terms, out, _ = parse(subscripts, [tuple(x.shape) for x in operands])
    order = sorted(set("".join(terms)), key=lambda c: (c not in out, out.find(c), c))
    total = None
    for term, x in zip(terms, operands):
        x, term = _diagonals(xp, x, term)
        mine = sorted(term, key=order.index)
        x = xp.permute_dims(x, tuple(term.index(c) for c in mine))
        shape = [1] * len(order)
        for c, n in zip(mine, x.shape):
            shape[order.index(c)] = n
        x = xp.reshape(x, tuple(shape))
        total = x if total is None else total * x
    summed = tuple(range(len(out), len(order)))
    if summed:
        total = xp.sum(total, axis=summed)
    return total
