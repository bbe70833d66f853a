"""Nested structures of tensors (lists, tuples, namedtuples, dicts), as tf.nest handles them."""

__all__ = ["flatten", "pack_like"]


def flatten(structure):
    """The leaves of ``structure`` in a fixed order (dicts by sorted key, as tf.nest)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_like(structure, leaves):
    """Rebuild ``structure`` with ``leaves`` (from ``flatten``) in place of its leaves."""
    it = iter(leaves)
    return _pack(structure, it)


def _pack(structure, it):
    if isinstance(structure, dict):
        packed = {key: _pack(structure[key], it) for key in sorted(structure)}
        return type(structure)((key, packed[key]) for key in structure)
    if isinstance(structure, (list, tuple)):
        items = [_pack(item, it) for item in structure]
        if hasattr(structure, "_fields"):       # namedtuple
            return type(structure)(*items)
        return type(structure)(items)
    return next(it)
