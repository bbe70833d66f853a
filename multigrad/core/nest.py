"""Nested structures of tensors (lists, tuples, namedtuples, dicts), as tf.nest handles them."""

__all__ = ["flatten", "pack_like"]


# What is structure (the rest are leaves). tf.data counts only tuples: a list is data there.
SEQUENCES = (list, tuple)


def flatten(structure, sequences=SEQUENCES):
    """The leaves of ``structure`` in a fixed order (dicts by sorted key, as tf.nest)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure)
                for leaf in flatten(structure[key], sequences)]
    if isinstance(structure, sequences):
        return [leaf for item in structure for leaf in flatten(item, sequences)]
    return [structure]


def pack_like(structure, leaves, sequences=SEQUENCES):
    """Rebuild ``structure`` with ``leaves`` (from ``flatten``) in place of its leaves."""
    it = iter(leaves)
    return _pack(structure, it, sequences)


def _pack(structure, it, sequences):
    if isinstance(structure, dict):
        packed = {key: _pack(structure[key], it, sequences) for key in sorted(structure)}
        return type(structure)((key, packed[key]) for key in structure)
    if isinstance(structure, sequences):
        items = [_pack(item, it, sequences) for item in structure]
        if hasattr(structure, "_fields"):       # namedtuple
            return type(structure)(*items)
        return type(structure)(items)
    return next(it)
