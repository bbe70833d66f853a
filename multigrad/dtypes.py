"""Backend-neutral dtype objects.

A Tensor's ``.dtype`` is one of these whatever the backend, so user code can
compare ``x.dtype == mg.float32`` on NumPy, CuPy or any Array-API namespace.
Each backend maps names to its own native dtype objects.
"""

__all__ = [
    "DType", "as_dtype", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16",
    "uint32", "uint64", "float16", "float32", "float64", "complex64", "complex128",
    "python_kind", "python_data_dtype",
]


class DType:
    """A dtype known to every backend by its NumPy/Array-API name."""

    __slots__ = ("name", "kind", "itemsize")

    def __init__(self, name, kind, itemsize):
        self.name = name
        self.kind = kind          # "b" bool, "i" signed, "u" unsigned, "f" float, "c" complex
        self.itemsize = itemsize

    @property
    def is_floating(self):
        return self.kind == "f"

    @property
    def is_complex(self):
        return self.kind == "c"

    @property
    def is_integer(self):
        return self.kind in "iu"

    @property
    def is_bool(self):
        return self.kind == "b"

    @property
    def is_differentiable(self):
        """Only floating and complex tensors carry gradients (as in TensorFlow)."""
        return self.kind in "fc"

    def __eq__(self, other):
        if isinstance(other, DType):
            return other is self
        try:
            return as_dtype(other) is self
        except TypeError:
            return NotImplemented

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return f"mg.{self.name}"

    def __str__(self):
        return self.name

    def __reduce__(self):
        return as_dtype, (self.name,)


bool_ = DType("bool", "b", 1)
int8 = DType("int8", "i", 1)
int16 = DType("int16", "i", 2)
int32 = DType("int32", "i", 4)
int64 = DType("int64", "i", 8)
uint8 = DType("uint8", "u", 1)
uint16 = DType("uint16", "u", 2)
uint32 = DType("uint32", "u", 4)
uint64 = DType("uint64", "u", 8)
float16 = DType("float16", "f", 2)
float32 = DType("float32", "f", 4)
float64 = DType("float64", "f", 8)
complex64 = DType("complex64", "c", 8)
complex128 = DType("complex128", "c", 16)

ALL_DTYPES = (bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
              float16, float32, float64, complex64, complex128)
_BY_NAME = {d.name: d for d in ALL_DTYPES}
_BY_NAME.update({"bool_": bool_, "half": float16, "float": float32, "double": float64})
_PYTHON_TYPES = {bool: bool_, int: int32, float: float32, complex: complex128}


def as_dtype(value):
    """Turn a DType, a name ("float32"), a Python type or a native dtype into a DType."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str):
        found = _BY_NAME.get(value)
        if found is None:
            raise TypeError(
                f"unknown dtype {value!r}; use one of: {', '.join(d.name for d in ALL_DTYPES)}")
        return found
    if isinstance(value, type) and value in _PYTHON_TYPES:
        return _PYTHON_TYPES[value]
    # A native dtype (numpy.dtype, numpy.float32, cupy's, array-api-strict's ...):
    # all of them expose the standard name, directly or via str().
    name = getattr(value, "name", None)
    if not isinstance(name, str):
        text = str(value)
        name = text.rsplit(".", 1)[-1] if "." in text else text
    if isinstance(value, type):  # numpy scalar types such as numpy.float32
        name = value.__name__
    found = _BY_NAME.get(name)
    if found is None:
        kind = getattr(value, "kind", None)
        if kind in ("U", "S", "O", "V"):     # NumPy's str, bytes, object, structured
            raise TypeError(f"cannot interpret {value!r} as a multigrad dtype: multigrad "
                            f"tensors hold numbers and booleans only (no string tensors, "
                            f"unlike TensorFlow's tf.string, and no Python objects); "
                            f"convert the data to a numeric array first")
        raise TypeError(f"cannot interpret {value!r} as a multigrad dtype")
    return found


# --- Python data: TensorFlow's defaults (float32 for floats, int32 for ints) ---------

_KIND_DTYPE = {"b": bool_, "i": int32, "f": float32, "c": complex128}
_KIND_ORDER = "bifc"


def python_kind(data):
    """"b", "i", "f" or "c" for Python numbers and (nested) lists of them; else None."""
    if isinstance(data, bool):
        return "b"
    if isinstance(data, int):
        return "i"
    if isinstance(data, float):
        return "f"
    if isinstance(data, complex):
        return "c"
    if isinstance(data, range):
        return "i"
    if isinstance(data, (list, tuple)):
        kinds = [python_kind(item) for item in data]
        if any(k is None for k in kinds):
            return None
        return max(kinds, key=_KIND_ORDER.index) if kinds else "f"
    return None


def python_data_dtype(data):
    """TensorFlow's default dtype for Python data, or None for anything else; ints beyond
    int32 give int64 (``tf.constant(2**40)``) instead of failing to fit."""
    kind = python_kind(data)
    if kind is None:
        return None
    return int64 if kind == "i" and needs_int64(data) else _KIND_DTYPE[kind]


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

