"""Python ints beyond int32: TensorFlow infers int64 for them (``tf.constant(2**40)``)
instead of failing to fit them into its default int32."""

__all__ = ["needs_int64"]

_LOW, _HIGH = -2 ** 31, 2 ** 31


def needs_int64(data):
    """Whether Python integer data (an int, a range, nested lists) holds a value outside
    int32. Values beyond int64 are left to the array library (an OverflowError)."""
    if isinstance(data, bool):
        return False
    if isinstance(data, int):
        return not _LOW <= data < _HIGH
    if isinstance(data, range):
        return len(data) > 0 and (needs_int64(data[0]) or needs_int64(data[-1]))
    if isinstance(data, (list, tuple)):
        return any(needs_int64(item) for item in data)
    return False
