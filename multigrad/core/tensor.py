"""Tensor (an immutable value on one backend) and Variable (mutable, trainable state)."""

from . import state as _state
from ..dtypes import as_dtype
from ..errors import BackendMismatchError
from .tensor_shape import TensorShape as _TensorShape
from .variable_options import check_initial_shape, variable_options

__all__ = ["Tensor", "Variable"]

_new_tuple = tuple.__new__

# Late-bound slots (multigrad/slots.py): the ops, the proxy type of traced values, and
# (only while some mg.function is tracing) the hook that Variable reads and writes go through.
_ops = None
_traced_type = None
_variable_hook = None


class Tensor:
    """An immutable array on one backend, recordable by a GradientTape."""

    __slots__ = ("_value", "_backend", "_id", "__weakref__")
    __array_priority__ = 1000

    def __init__(self, value, dtype=None):
        t = _ops.constant(value, dtype=dtype)
        self._value = t._value
        self._backend = t._backend
        self._id = 0

    @staticmethod
    def _make(value, backend, id_=0):
        t = object.__new__(Tensor)
        t._value = value
        t._backend = backend
        t._id = id_
        return t

    # --- metadata --------------------------------------------------------------------

    @property
    def shape(self):
        """A ``TensorShape``: a tuple with TensorFlow's methods (``as_list``, ``rank`` ...)."""
        return _new_tuple(_TensorShape, self._value.shape)    # no checks: the hot path

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def size(self):
        n = 1
        for d in self._value.shape:
            n *= d
        return n

    @property
    def dtype(self):
        return self._backend.dtype_of(self._value)

    @property
    def backend(self):
        return self._backend

    @property
    def device(self):
        """TF's name of the device holding the value:
        ``/job:localhost/replica:0/task:0/device:CPU:0`` (``GPU:<i>`` on CuPy)."""
        return self._backend.device_name(self._value)

    backing_device = device     # TF: where the memory is; the same device here

    @property
    def T(self):
        return _ops.transpose(self)

    def _known_shape(self):
        """This tensor, its shape worked out where a lazy backend left sizes unknown."""
        if any(d != d for d in self._value.shape):       # NaN: Dask after a boolean mask
            self._value = self._backend.ops.known_shape(self._value)
        return self

    def numpy(self):
        """The value as a host ``numpy.ndarray`` (a copy, whatever the backend)."""
        value = self._value
        if type(value) is _traced_type:
            return value.host(self._backend)     # an error while its mg.function traces
        return self._backend.to_numpy(value)

    def _host_data(self):
        """The value on the host for a Python decision an op makes from data (a count, a
        pad width): while mg.function traces, read as a guard (a new value traces again)
        where ``numpy()`` refuses."""
        value = self._value
        if type(value) is _traced_type:
            return value.guarded_host(self._backend)
        return self._backend.to_numpy(value)

    def __array__(self, dtype=None, copy=None):
        out = self.numpy()
        return out if dtype is None else out.astype(dtype)

    def __dlpack__(self, *args, **kwargs):
        return self._value.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self._value.__dlpack_device__()

    # --- Python protocol ----------------------------------------------------------------

    def _scalar(self, kind):
        if self.size != 1:
            raise TypeError(
                f"only a tensor with exactly one element can be converted to a Python {kind}; "
                f"this one has shape {self.shape}. Reduce it first (e.g. mg.reduce_sum) or "
                f"index one element.")
        value = self._value
        if type(value) is _traced_type:
            return value.scalar(self._backend)   # while tracing: recorded as a guard
        return self.numpy().reshape(()).item()

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __index__(self):
        if not self.dtype.is_integer:
            raise TypeError(f"only integer tensors can be used as an index, not {self.dtype}")
        return int(self._scalar("int"))

    def __bool__(self):
        return bool(self._scalar("bool"))

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor (a scalar) is undefined")
        return self._value.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor (a scalar) is undefined")
        for i in range(self._value.shape[0]):
            yield _ops.getitem(self, i)

    # --- copying and pickling -------------------------------------------------------------

    def __copy__(self):
        return self              # immutable: a copy would be indistinguishable

    def __deepcopy__(self, memo):
        # On the device (no host round trip); id 0: the copy is not the tape's tensor.
        return Tensor._make(_device_copy(self), self._backend)

    def __reduce__(self):
        # Host data + dtype + backend name: the backend object itself (a module namespace,
        # maybe a GPU) does not pickle; unpickling selects the backend of that name.
        return _rebuild_tensor, (self.numpy(), self.dtype.name, self._backend.name)

    __hash__ = None  # like TensorFlow: == is elementwise, so tensors are not hashable

    def __repr__(self):
        if type(self._value) is _traced_type:       # inside mg.function: as TF's graph
            return self._value.describe(self)       # tensors, Tensor("x:0", shape=...)
        return (f"<mg.Tensor: shape={self.shape}, dtype={self.dtype.name}, "
                f"backend={self._backend.name}, numpy={_numpy_text(self)}>")

    def __str__(self):
        if type(self._value) is _traced_type:
            return self._value.describe(self)
        return str(self.numpy())

    def __format__(self, spec):
        """``f"{loss:.4f}"`` formats a scalar's value (as TF); an empty spec is ``str``."""
        if not spec:
            return str(self)
        if self.ndim != 0:
            raise TypeError(
                f"cannot format a tensor of shape {self.shape} with the format spec {spec!r}: "
                f"only scalar (0-d) tensors take one. Format an element (f\"{{t[0]:{spec}}}\"), "
                f"reduce first (mg.reduce_mean), or use an empty spec (f\"{{t}}\")")
        return format(self.numpy().item(), spec)

    # Arithmetic, comparison and logical operators (``__add__`` ...) are installed by
    # ``multigrad.ops``: bound straight to the op functions, one call per operator.

    def __pos__(self):
        return self

    def __getitem__(self, index):
        return _ops.getitem(self, index)

    def __setitem__(self, index, value):
        raise TypeError(
            "mg.Tensor is immutable; use mg.index_update(x, index, value) (or "
            "mg.tensor_scatter_nd_update) for a new tensor, or Variable.assign for state")

    # ndarray's methods and attributes (``sum``, ``reshape``, ``real``, ``mT`` ...) are
    # installed by ``multigrad.tensor_methods``; NumPy's ``__array_ufunc__`` and
    # ``__array_function__`` (np.sin(t) -> mg.sin(t)) by ``multigrad.numpy_dispatch``.


class Variable(Tensor):
    """Mutable state with TensorFlow's semantics.

    ``assign*`` swap in a new array rather than writing in place, so tensors computed
    earlier, and what a tape saved, keep the old value. A trainable Variable used in an
    op while a tape records is watched automatically (``watch_accessed_variables``).
    """

    __slots__ = ("trainable", "_name", "_array", "_options")

    # The array lives in ``_array``; ``_value`` is how everything reads and swaps it, so a
    # tracing mg.function can see each read and assign (``_variable_hook``, else direct).
    @property
    def _value(self):
        hook = _variable_hook
        return self._array if hook is None else hook.read(self)

    @_value.setter
    def _value(self, value):
        hook = _variable_hook
        if hook is None:
            self._array = value
        else:
            hook.write(self, value)

    def __init__(self, initial_value, dtype=None, trainable=None, name=None, *,
                 synchronization=None, aggregation=None, constraint=None, shape=None,
                 validate_shape=True, caching_device=None, variable_def=None,
                 import_scope=None, experimental_enable_variable_lifting=True):
        # TF 2 eager: names are not made unique, and every default name is "Variable".
        self._name = "Variable" if name is None else str(name)
        # TF's other arguments (multigrad/variable_options.py says what each does here).
        trainable, self._options = variable_options(
            self.name, trainable, synchronization, aggregation, constraint, shape,
            validate_shape, variable_def)
        if callable(initial_value):     # TF: a function returning the initial value
            initial_value = initial_value()
        if dtype is not None:       # Variable(2.7, dtype="int32") must not truncate silently
            _check_initial_value(initial_value, as_dtype(dtype), self.name)
        t = _ops.constant(initial_value, dtype=dtype)
        check_initial_shape(self._options, t.shape)
        self._value = t._value
        self._backend = t._backend
        self._id = _state.next_id()
        self.trainable = trainable

    @property
    def synchronization(self):
        return self._options.synchronization

    @property
    def aggregation(self):
        return self._options.aggregation

    @property
    def constraint(self):
        """A callable optimizers apply to the Variable after each update (or None)."""
        return self._options.constraint

    @property
    def name(self):
        """TensorFlow's name, with the output suffix: ``Variable(1., name="w").name == "w:0"``
        (a name given with its suffix, such as another variable's ``.name``, keeps it)."""
        base, colon, index = self._name.rpartition(":")
        return self._name if colon and base and index.isdigit() else self._name + ":0"

    def _snapshot(self):
        """The current value as a Tensor that the tape identifies with this Variable."""
        return Tensor._make(self._value, self._backend, self._id)

    def read_value(self):
        return _ops.identity(self)

    def value(self):
        return self.read_value()

    def _coerce(self, value, what):
        probe = _ops.convert_to_tensor(value, backend=self._backend)
        if probe._backend is not self._backend:
            # Casting would mix another backend's array into this one's state.
            raise BackendMismatchError(
                f"Variable.{what}: the value lives on backend {probe._backend.name!r} but "
                f"variable '{self.name}' lives on {self._backend.name!r}; move it first: "
                f"mg.to_backend(value, {self._backend.name!r})")
        _check_lossless(probe, value, self.dtype, self._backend, f"Variable.{what}", self.name)
        new = probe if probe.dtype == self.dtype else _ops.convert_to_tensor(
            probe if isinstance(value, Tensor) else value, dtype=self.dtype,
            backend=self._backend)
        declared = self._options.shape     # the constructor's shape=, if it was given
        if declared is not None:
            if not declared.is_compatible_with(new.shape):
                raise ValueError(
                    f"Variable.{what}: value of shape {new.shape} is not compatible with the "
                    f"shape {declared} declared for variable '{self.name}'")
        elif tuple(new._value.shape) != tuple(self._value.shape):    # raw: the hot path
            raise ValueError(
                f"Variable.{what}: value of shape {new.shape} does not match the variable's "
                f"shape {self.shape}")
        return new._value

    def _store(self, value):
        # A lazy backend (Dask) evaluates the new state (its ops.compute): otherwise the
        # graph behind a Variable would grow with every training step.
        self._value = self._backend.ops.compute(value)[0] if self._backend.lazy else value

    def assign(self, value, read_value=True):
        self._store(self._coerce(value, "assign"))
        return self if read_value else None

    def assign_add(self, delta, read_value=True):
        self._store(self._value + self._coerce(delta, "assign_add"))
        return self if read_value else None

    def assign_sub(self, delta, read_value=True):
        self._store(self._value - self._coerce(delta, "assign_sub"))
        return self if read_value else None

    def __copy__(self):
        return self              # TensorFlow: copy.copy(v) is v (the same state)

    def __deepcopy__(self, memo):
        # An independent Variable: its own id (so tapes and optimizers tell them apart).
        new = Variable(Tensor._make(_device_copy(self), self._backend),
                       trainable=self.trainable, name=self.name)
        new._options = self._options
        memo[id(self)] = new
        return new

    def __reduce__(self):
        o = self._options           # its constraint (often a lambda) is not pickled
        return _rebuild_variable, (self.numpy(), self.dtype.name, self._backend.name,
                                   self.name, self.trainable, o.synchronization.value,
                                   o.aggregation.value, None if o.shape is None else
                                   (None if o.shape.rank is None else o.shape.as_list()),
                                   o.shape is not None and o.shape.rank is None)

    def __repr__(self):
        if _variable_hook is not None and type(self._value) is _traced_type:
            return f"<mg.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"
        return (f"<mg.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, "
                f"backend={self._backend.name}, numpy={_numpy_text(self)}>")


def _device_copy(t):
    return t._backend.ops.asarray(t._value, copy=True)


def _rebuild_tensor(data, dtype, backend):
    return _ops.convert_to_tensor(data, dtype=dtype, backend=backend)


def _rebuild_variable(data, dtype, backend, name, trainable, synchronization=None,
                      aggregation=None, shape=None, unknown_shape=False):
    return Variable(_rebuild_tensor(data, dtype, backend), trainable=trainable, name=name,
                    synchronization=synchronization, aggregation=aggregation, shape=shape,
                    validate_shape=not unknown_shape)


_KIND_RANK = {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}


def _check_initial_value(value, dtype, name):
    try:
        probe = _ops.constant(value)      # its own dtype (Python data: TF's defaults)
    except (OverflowError, ValueError):
        return       # e.g. 2**40 needs the requested int64: the conversion itself decides
    _check_lossless(probe, value, dtype, probe._backend, "Variable", name)


def _check_lossless(probe, value, dst, backend, where, name):
    """TypeError where converting to a variable's dtype would silently drop information
    (TensorFlow raises too): complex into real, float into int, numbers into bool. Host
    float data with integral values may go into an int variable (as mg.constant)."""
    src = probe.dtype
    if _KIND_RANK[src.kind] <= _KIND_RANK[dst.kind]:
        return
    if not isinstance(value, Tensor) and src.is_floating and dst.is_integer:
        exact = probe if hasattr(value, "dtype") else _ops.convert_to_tensor(
            value, dtype="float64", backend=backend)   # Python floats are float64
        if bool(_ops.all(_ops.logical_and(_ops.isfinite(exact),
                                          _ops.equal(exact, _ops.floor(exact))))):
            return
        raise TypeError(
            f"{where}: float data with a fractional part (or inf/nan) cannot be assigned to "
            f"{dst.name} variable '{name}': it would be truncated; round it first (e.g. "
            f"mg.round) or cast explicitly with mg.cast")
    raise TypeError(
        f"{where}: cannot assign {src.name} values to {dst.name} variable '{name}': "
        f"converting would lose information; cast explicitly with "
        f"mg.cast(value, {dst.name!r}) if that is intended")


def _numpy_text(t):
    text = repr(t.numpy())
    if text.startswith("array("):
        return "\n" + text if "\n" in text else text
    return text

