"""GradientTape: records operations and runs the backward pass (TensorFlow 2 semantics)."""

import contextlib
import enum
import warnings

from ..core import state as _state
from ..core import nest
from .. import ops as _ops
from ..errors import PerformanceWarning
from .jacobian_chunks import check_jacobian_size, chunk_size, chunked_backward
from ..core.recorder import Recorder
from ..core.tape_entry import entry_cotangents, multi_output_cotangent
from ..core.tensor import Tensor, Variable

__all__ = ["GradientTape", "UnconnectedGradients", "stop_recording_all"]

_check_numerics = None   # late-bound slot (multigrad/slots.py): set by mg.debugging


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source the target does not depend on."""
    NONE = "none"
    ZERO = "zero"


class GradientTape(Recorder):
    """Record operations for automatic differentiation, as ``tf.GradientTape``.

    Trainable Variables read inside the context are watched automatically (unless
    ``watch_accessed_variables=False``); other tensors need ``watch``. A non-persistent
    tape answers one ``gradient``/``jacobian`` call and then frees what it recorded.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed_variables = bool(watch_accessed_variables)
        self._tracked = set()          # ids of watched tensors and recorded outputs
        self._watched = set()          # ids watched explicitly or as accessed Variables
        self._entries = []             # see primitive.record for the layout
        self._variables = {}           # id -> Variable, in watch order
        self._recording = False
        self._used = False

    # --- context --------------------------------------------------------------------

    def __enter__(self):
        self._push()
        return self

    def __exit__(self, *exc):
        if self._recording:
            self._pop()
        return False

    def __reduce_ex__(self, protocol):
        # A tape holds saved intermediates and ids of one process; it is not state to keep.
        raise TypeError("a GradientTape cannot be pickled or copied; pickle the Tensors and "
                        "Variables it computed (or their gradients) instead")

    def _push(self):
        if self._recording:
            raise ValueError("this GradientTape is already recording; tapes cannot be re-entered")
        _state.active_tapes.set(_state.active_tapes.get() + (self,))
        self._recording = True

    def _pop(self):
        tapes = _state.active_tapes.get()
        _state.active_tapes.set(tuple(t for t in tapes if t is not self))
        self._recording = False

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stop recording on this tape (ops inside are not differentiated)."""
        if not self._recording:
            raise RuntimeError("GradientTape.stop_recording() can only be used while the tape "
                               "is recording (inside its 'with' block)")
        self._pop()
        try:
            yield
        finally:
            self._push()

    def reset(self):
        """Forget everything recorded so far (the tape keeps recording if it was)."""
        self._tracked = set()
        self._watched = set()
        self._entries = []
        self._variables = {}
        self._used = False

    # --- watching -------------------------------------------------------------------

    def watch(self, tensor):
        """Track a tensor (or a nested structure of them) so gradients can be taken."""
        for t in nest.flatten(tensor):
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"GradientTape.watch expects Tensors or Variables (or nested lists, "
                    f"tuples, dicts of them), got {type(t).__name__}; wrap arrays with "
                    f"mg.constant first")
            if not t.dtype.is_differentiable:
                warnings.warn(f"the dtype of a watched tensor must be floating or complex "
                              f"(e.g. mg.float32), got {t.dtype.name}; it gets no gradient",
                              stacklevel=2)
                continue
            if type(t) is Variable:
                self._watch_variable(t)
            else:
                if t._id == 0:
                    t._id = _state.next_id()
                self._tracked.add(t._id)
                self._watched.add(t._id)

    def _watch_variable(self, var):
        if var._id not in self._variables:
            self._variables[var._id] = var
            self._tracked.add(var._id)
            self._watched.add(var._id)

    def _read_variable_targets(self, targets):
        # TF reads a Variable target under the tape, which watches it (trainable, with
        # watch_accessed_variables): tape.gradient(v, v) is ones, not None.
        if self._watch_accessed_variables:
            for t in targets:
                if type(t) is Variable and t.trainable:
                    self._watch_variable(t)

    def watched_variables(self):
        """The Variables this tape watched, in the order they were first watched."""
        return tuple(self._variables.values())

    # --- gradients ------------------------------------------------------------------

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of target)/d(sources), in the nested structure of ``sources``."""
        self._start_backward("gradient")
        unconnected = _unconnected_mode(unconnected_gradients)
        targets = nest.flatten(target)
        source_list = nest.flatten(sources)
        for t in targets:
            if not isinstance(t, Tensor):
                raise TypeError(f"GradientTape.gradient: target must be a Tensor (or a nested "
                                f"structure of Tensors), got {type(t).__name__}")
        _check_sources(source_list, "gradient")
        _warn_not_differentiable(targets, "target", "it gives no gradient")
        _warn_not_differentiable(source_list, "source", "its gradient is None")
        self._read_variable_targets(targets)
        seeds = _seeds(targets, output_gradients)
        grads = self._backward(targets, seeds, source_list)
        out = [_finish(g, s, unconnected) for g, s in zip(grads, source_list)]
        self._end_backward()
        return nest.pack_like(sources, out)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """d target[i...] / d source[j...] for each source: shape target.shape + source.shape.

        One backward pass with a batch of one-hot cotangents (not one pass per element);
        ``parallel_iterations=K``: K rows of that batch per pass. A pass that would need more
        than ``jacobian_chunks.MEMORY_LIMIT_BYTES`` raises, saying why, unless K is given.
        """
        unconnected = _unconnected_mode(unconnected_gradients)
        if not isinstance(target, Tensor):
            raise TypeError(f"GradientTape.jacobian: target must be a Tensor, got "
                            f"{type(target).__name__}")
        source_list = _check_sources(nest.flatten(sources), "jacobian")
        self._read_variable_targets([target])
        size = target._known_shape().size
        chunk = chunk_size(parallel_iterations)
        check_jacobian_size(target, source_list, size, chunk)   # before the tape is used
        self._start_backward("jacobian")
        out = []
        if size and chunk is not None and chunk < size:
            grads = chunked_backward(self, target, source_list, size, chunk)
        elif size:
            seed = _ops.reshape(_ops.eye(size, dtype=target.dtype, backend=target._backend),
                           (size,) + target.shape)
            grads = self._backward([target], [seed], source_list)
        else:
            grads = [None] * len(source_list)
        for g, s in zip(grads, source_list):
            shape = target.shape + s.shape
            if not s.dtype.is_differentiable:
                out.append(None)
            elif g is None:
                out.append(_ops.zeros(shape, s.dtype, s._backend)
                           if unconnected is UnconnectedGradients.ZERO or not size else None)
            else:
                out.append(_ops.reshape(_as_tensor(g, s), shape))
        self._end_backward()
        return nest.pack_like(sources, out)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example jacobians: shape (batch,) + target.shape[1:] + source.shape[1:].

        Assumes example i of ``target`` depends only on example i of ``source`` (as
        TensorFlow does), which lets one backward pass serve the whole batch.
        """
        self._start_backward("batch_jacobian")
        unconnected = _unconnected_mode(unconnected_gradients)
        if not isinstance(target, Tensor) or not isinstance(source, Tensor):
            raise TypeError("GradientTape.batch_jacobian: target and source must be Tensors")
        self._read_variable_targets([target])
        target._known_shape()
        if target.ndim < 1 or source.ndim < 1 or target.shape[0] != source.shape[0]:
            raise ValueError(
                f"GradientTape.batch_jacobian: the first dimension of target (shape "
                f"{target.shape}) and source (shape {source.shape}) must match: it is the "
                f"batch dimension")
        batch = target.shape[0]
        per_target = target.size // batch if batch else 0
        shape = (batch,) + target.shape[1:] + source.shape[1:]
        g = None
        if per_target and batch:
            one_hot = _ops.reshape(_ops.eye(per_target, dtype=target.dtype, backend=target._backend),
                              (per_target, 1, per_target))
            seed = _ops.reshape(_ops.broadcast_to(one_hot, (per_target, batch, per_target)),
                           (per_target,) + target.shape)
            (g,) = self._backward([target], [seed], [source])
        if not source.dtype.is_differentiable:
            result = None
        elif g is None:
            result = (_ops.zeros(shape, source.dtype, source._backend)
                      if unconnected is UnconnectedGradients.ZERO or not per_target else None)
        else:
            g = _ops.reshape(_as_tensor(g, source), (per_target, batch, -1))
            result = _ops.reshape(_ops.transpose(g, (1, 0, 2)), shape)
        self._end_backward()
        return result

    def _start_backward(self, what):
        if self._used and not self._persistent:
            raise RuntimeError(
                f"A non-persistent GradientTape can only be used to compute one set of "
                f"gradients (or jacobians); GradientTape.{what} was called again. Create the "
                f"tape with mg.GradientTape(persistent=True) to call it more than once.")
        if self._recording:
            if self._persistent:
                warnings.warn(
                    f"Calling GradientTape.{what} on a persistent tape inside its context is "
                    f"much less efficient than calling it outside: the backward pass is "
                    f"recorded on the tape. Only do it to take higher-order derivatives.",
                    PerformanceWarning, stacklevel=3)
            else:
                self._pop()   # as in TF: a non-persistent tape stops recording here
        self._used = True

    def _end_backward(self):
        if not self._persistent:
            self._entries = []
            self._tracked = set()
            self._watched = set()

    def _backward(self, targets, seeds, sources, keep=False):
        """Cotangents for ``sources`` (None where unconnected); raw arrays or Tensors.

        Walk the entries back from the targets; for each one whose output received a
        cotangent, apply its rules, accumulate the input cotangents, and (on a
        non-persistent tape) free the entry as soon as it has been used.
        """
        higher = bool(_state.active_tapes.get())   # an outer tape records this pass
        entries = self._entries
        source_ids = [s._id if s.dtype.is_differentiable else 0 for s in sources]
        wanted = {i for i in source_ids if i and i in self._tracked}
        if not wanted:
            return [None] * len(sources)
        # Everything recorded descends from a watched value; prune only when some
        # watched value is not asked for (its descendants need no cotangent).
        relevant = self._tracked if self._watched <= wanted else _depends_on(entries, wanted)
        ns = _ops.tensor_ops if higher else targets[0]._backend.ops
        grads, found = {}, {}
        for t, seed in zip(targets, seeds):
            if t._id in relevant:
                _accumulate(grads, t._id, seed if higher else seed._value)
        release = not (self._persistent or keep)   # keep: more chunked passes follow
        self._walk_back(grads, found, wanted, relevant, ns, higher, release)
        return [found.get(i, grads.get(i)) if i else None for i in source_ids]

    def _walk_back(self, grads, found, wanted, relevant, ns, higher, release):
        """The backward loop: walk back over the entries, apply each one's rules to its
        output's cotangent, accumulate the input cotangents, free the entry."""
        entries = self._entries
        pop, get = grads.pop, grads.get
        check = _check_numerics
        canonical = None if higher or ns._backend.canonical is None else ns.canonical
        for i in range(len(entries) - 1, -1, -1):
            entry = entries[i]
            if entry is None:
                continue
            result = entry.result
            if type(result) is tuple:           # a multi-output primitive
                g, ans = multi_output_cotangent(result, pop, wanted, found, higher, ns)
                if g is None:
                    continue
            else:
                g = pop(result._id, None)
                if g is None:
                    continue
                if result._id in wanted:
                    found[result._id] = g
                ans = result if higher else result._value
            if release:
                entries[i] = None   # free saved arrays as soon as they have been used
            pairs = entry_cotangents(entry, ns, g, ans, entry.inputs if higher else entry.raws,
                                     relevant, check)
            g = ans = entry = result = None     # drop this step's arrays before the sums
            for x_id, gx in pairs:
                if canonical is not None:       # raw arrays from the rules (Dask: empties)
                    gx = canonical(gx)
                old = get(x_id)
                grads[x_id] = gx if old is None else old + gx


def _accumulate(grads, key, g):
    old = grads.get(key)
    grads[key] = g if old is None else old + g


def _depends_on(entries, wanted):
    """Ids of every recorded value that depends on one of ``wanted`` (forward sweep)."""
    relevant = set(wanted)
    for entry in entries:
        if entry is None or not any(x in relevant for x in entry.ids if x is not None):
            continue
        result = entry.result
        if isinstance(result, tuple):
            relevant.update(o._id for o in result)
        else:
            relevant.add(result._id)
    return relevant


def _ones_like(t):
    # From the shape, not the value, where it is known: mg.function folds it to a constant.
    shape = t.shape
    ops = t._backend.ops
    if all(d == d for d in shape):
        return Tensor._make(ops.full(shape, 1, t.dtype), t._backend)
    return Tensor._make(ops.ones_like(t._value), t._backend)


def _seeds(targets, output_gradients):
    if output_gradients is None:
        return [_ones_like(t) for t in targets]
    given = nest.flatten(output_gradients)
    if len(given) != len(targets):
        raise ValueError(f"GradientTape.gradient: output_gradients has {len(given)} entries "
                         f"but target has {len(targets)}; give one per target tensor")
    seeds = []
    for t, g in zip(targets, given):
        if g is None:
            seeds.append(_ones_like(t))
            continue
        g = _ops.convert_to_tensor(g, dtype=t.dtype, backend=t._backend)
        if g.shape != t.shape:
            raise ValueError(f"GradientTape.gradient: output_gradients entry of shape {g.shape} "
                             f"does not match its target's shape {t.shape}")
        seeds.append(g)
    return seeds


def _check_sources(sources, what):
    for s in sources:
        if not isinstance(s, Tensor):
            raise TypeError(f"GradientTape.{what}: sources must be Tensors or Variables "
                            f"(or nested structures of them), got {type(s).__name__}")
    return sources


def _warn_not_differentiable(tensors, what, consequence):
    for t in tensors:
        if not t.dtype.is_differentiable:
            warnings.warn(f"GradientTape.gradient: the dtype of the {what} must be floating or "
                          f"complex (e.g. mg.float32), got {t.dtype.name}; {consequence}",
                          stacklevel=3)


def _as_tensor(g, source):
    return g if isinstance(g, Tensor) else Tensor._make(g, source._backend)


def _finish(g, source, unconnected):
    if not source.dtype.is_differentiable:
        return None
    if g is None:
        return _ops.zeros_like(source) if unconnected is UnconnectedGradients.ZERO else None
    return _as_tensor(g, source)


def _unconnected_mode(value):
    if value is UnconnectedGradients.NONE or value == "none":    # the default, cheaply
        return UnconnectedGradients.NONE
    try:
        return UnconnectedGradients(value.value if isinstance(value, UnconnectedGradients)
                                    else str(value).lower())
    except ValueError:
        raise ValueError(f"unconnected_gradients must be 'none' or 'zero' "
                         f"(or mg.UnconnectedGradients.NONE/ZERO), got {value!r}") from None


@contextlib.contextmanager
def stop_recording_all():
    """Pause every tape in this context: what runs inside is not recorded anywhere
    (optimizers apply their updates under it)."""
    token = _state.active_tapes.set(())
    try:
        yield
    finally:
        _state.active_tapes.reset(token)
