"""Optimizers with Keras 3's update rules: SGD, Adam, AdamW, RMSprop, Adagrad.

``opt.apply_gradients(zip(grads, variables))`` updates ``mg.Variable``s in place (through
``Variable.assign``); ``opt.minimize(loss_fn, var_list)`` computes the gradients of the
zero-argument ``loss_fn`` with a ``GradientTape`` first. ``opt.iterations`` counts the
applied steps. The per-variable state ("slots") lives in the optimizer, on the variable's
backend and in its dtype; hyperparameters are Python floats, so float32 variables stay float32
(the learning rate of a step is a float64 0-d Tensor cast to each variable's dtype, which
NumPy does to a Python float too: a traced step reads it on every call).

Common to all (Keras 3's base optimizer), with ``lr`` the learning rate of this step (a
number, or ``learning_rate(iterations)`` when ``learning_rate`` is callable):

- a ``None`` gradient skips its variable with a warning; no gradient at all is an error;
- ``weight_decay`` (default None; AdamW: 0.004) first applies ``var <- var - var * wd * lr``.

The exact update of each optimizer is in its docstring; ``g`` is the gradient.

State for resuming: ``opt.variables`` (iterations, then each built variable's slots in build
order), ``opt.load_state(values, var_list)``, ``get_config``/``from_config``; ``mg.save`` /
``mg.load`` (``multigrad/checkpoint.py``) write all of it to one ``.npz``.
"""

import warnings

from ..autodiff.tape import GradientTape, stop_recording_all
from ..core.compute import compute
from ..core.tensor import Variable
from ..ops import cast, constant, convert_to_tensor, full_like, maximum, sqrt, zeros_like
from ..tracing.captured import read_per_call, value_per_call
from .checks import (check_learning_rate, check_unit, check_weight_decay,
                     iterations_value, slot_value)

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]


class Optimizer:
    """Base class: validation, weight decay, slots and the step counter."""

    def __init__(self, learning_rate, weight_decay=None, name=None):
        self.name = name or type(self).__name__
        self.learning_rate = check_learning_rate(learning_rate, self.name)
        self.weight_decay = check_weight_decay(weight_decay, self.name)
        self._counter = None    # the step count: an int64 Variable once a step has run
        self.iterations = 0
        self._slots = {}        # var._id -> {slot name: Tensor}, in build order
        self._slot_vars = {}    # var._id -> the Variable (kept: state refers to it)

    # --- public API -----------------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """Apply one update step to each variable with a gradient; returns ``iterations``."""
        pairs = []
        for item in grads_and_vars:
            if not isinstance(item, (tuple, list)) or len(item) != 2:
                raise TypeError(f"{self.name}.apply_gradients expects (gradient, variable) "
                                f"pairs, e.g. zip(grads, variables); got {item!r:.80}")
            g, var = item
            if not isinstance(var, Variable):
                raise TypeError(f"{self.name}.apply_gradients: can only update mg.Variable, got "
                                f"{type(var).__name__}; create the parameter with mg.Variable")
            if g is None:
                warnings.warn(f"{self.name}: no gradient for variable '{var.name}' (it did not "
                              f"take part in the loss); it is left unchanged", stacklevel=2)
                continue
            g = convert_to_tensor(g, dtype=var.dtype, backend=var.backend)
            if g.shape != var.shape:
                raise ValueError(
                    f"{self.name}.apply_gradients: the gradient for variable '{var.name}' has "
                    f"shape {g.shape} but the variable has shape {var.shape}; pass the "
                    f"gradients in the same order as the variables")
            pairs.append((g, var))
        if not pairs:
            raise ValueError(f"{self.name}.apply_gradients: no gradient provided for any "
                             f"variable (all were None): the loss does not depend on them")
        lazy = any(var.backend.lazy for _, var in pairs)
        if lazy:
            # A lazy backend (Dask): all the gradients in one pass, so the forward pass they
            # share runs once (not once per variable assign).
            pairs = list(zip(compute(*(g for g, _ in pairs)), (var for _, var in pairs)))
        # Read on every call of a traced step too: the learning rate (a number or a
        # schedule's value) as an input of the program, the other hyperparameters as a
        # guard, so changing one after tracing (opt.learning_rate = 0) takes effect.
        read_per_call(self._hyperparameters)
        counter = self._counter_on(pairs[0][1].backend)
        self._step_factors = {}
        with stop_recording_all():
            for g, var in pairs:
                lr = self._lr_on(var.backend)
                if self.weight_decay:
                    var.assign(var - var * self._in(lr * self.weight_decay, var, "wd"))
                self._update(var, g, lr, self._slots_for(var))
                if var.constraint is not None:      # Keras: after the update, never in assign
                    var.assign(var.constraint(var))
            counter.assign_add(1)
        self._step_factors = None
        return counter

    def minimize(self, loss, var_list, tape=None):
        """One step on ``loss``: a zero-argument callable (evaluated under a new tape), or a
        Tensor recorded on ``tape``. ``var_list`` may be a callable returning the list.
        Returns the loss value."""
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        if callable(loss):
            with GradientTape() as tape:
                tape.watch(var_list)
                loss = loss()
        elif tape is None:
            raise TypeError(f"{self.name}.minimize: loss must be a zero-argument callable "
                            f"returning the loss, or a Tensor together with tape=")
        grads = tape.gradient(loss, var_list)
        self.apply_gradients(zip(grads, var_list))
        return loss

    @property
    def iterations(self):
        """The number of steps applied (a Python int; the state is an int64 Variable, so
        that a step traced by ``mg.function`` advances it on every replay)."""
        return self._count if self._counter is None else int(self._counter)

    @iterations.setter
    def iterations(self, value):
        self._count = int(value)
        if self._counter is not None:
            self._counter.assign(self._count)

    def _counter_on(self, backend):
        if self._counter is None:
            self._counter = Variable(constant(self._count, dtype="int64", backend=backend),
                                     trainable=False, name="iterations")
        return self._counter

    def _hyperparameters(self):
        """The hyperparameters but the learning rate (an input of the step)."""
        return tuple(getattr(self, k) for k in self._config_keys
                     if k not in ("name", "learning_rate"))

    def _lr_on(self, backend):
        """This step's learning rate as a float64 0-d Tensor on ``backend`` (once per step
        and backend); in a traced step, read again on every call."""
        lr = self._step_factors.get(("lr", backend))
        if lr is None:
            lr = self._step_factors[("lr", backend)] = value_per_call(
                self.current_learning_rate, backend, "float64")
        return lr

    def _in(self, value, var, what):
        """A float64 factor of this step in ``var``'s dtype (the value a Python float
        would have become: NumPy converts it to the array's dtype the same way)."""
        key = (what, var.backend, var.dtype)
        out = self._step_factors.get(key)
        if out is None:
            out = self._step_factors[key] = cast(value, var.dtype)
        return out

    def current_learning_rate(self):
        lr = self.learning_rate
        return float(lr(self.iterations) if callable(lr) else lr)

    def get_slot(self, var, name):
        """The optimizer state ``name`` (e.g. "m", "v", "momentum") kept for ``var``."""
        return self._slots_for(var)[name]

    # --- state: save, restore, resume ---------------------------------------------------

    def build(self, var_list):
        """Create the slots of each variable not seen yet, in ``var_list``'s order (the order
        ``variables`` lists them in; apply_gradients builds in order of first appearance)."""
        for var in var_list:
            if not isinstance(var, Variable):
                raise TypeError(f"{self.name}.build: expected mg.Variables, got "
                                f"{type(var).__name__}")
            self._slots_for(var)

    @property
    def built_variables(self):
        """The Variables this optimizer keeps state for, in build order."""
        return list(self._slot_vars.values())

    @property
    def variables(self):
        """The whole state as a list of Tensors (Keras' ``optimizer.variables``):
        ``iterations`` (int64) first, then each built variable's slots in build order, slot
        names in a fixed order per optimizer. ``load_state`` takes the same list back."""
        backend = self.built_variables[0].backend if self._slot_vars else None
        state = [constant(self.iterations, dtype="int64", backend=backend)]
        for slots in self._slots.values():
            state.extend(slots.values())
        return state

    def load_state(self, values, var_list=None):
        """Restore ``variables`` (a list like it: Tensors or host arrays). With ``var_list``
        the state becomes that of those Variables, in that order (a fresh optimizer given the
        saved one's ``built_variables``, in order, continues exactly where it stopped);
        without, the values are for ``built_variables``. Nothing changes if a value is wrong."""
        var_list = self.built_variables if var_list is None else list(var_list)
        for var in var_list:
            if not isinstance(var, Variable):
                raise TypeError(f"{self.name}.load_state: var_list must hold mg.Variables, "
                                f"got {type(var).__name__}")
        slots = [(var, name) for var in var_list
                 for name in self._slots.get(var._id) or self._init_slots(var)]
        values = list(values)
        if len(values) != 1 + len(slots):
            raise ValueError(
                f"{self.name}.load_state: got {len(values)} values, expected {1 + len(slots)} "
                f"(iterations, then the slots of {len(var_list)} variable(s) in order); pass "
                f"var_list, in the order the saved optimizer built them")
        checked = [slot_value(value, name, var, self.name)
                   for value, (var, name) in zip(values[1:], slots)]
        iterations = iterations_value(values[0], self.name)
        restored = {var._id: {} for var in var_list}
        for value, (var, name) in zip(checked, slots):
            old = self._slots.get(var._id, {}).get(name)
            if old is not None and old.dtype == value.dtype and old.shape == value.shape:
                old.assign(value)   # the same Variable: a traced step that updates it
                restored[var._id][name] = old       # keeps working after a restore
            else:
                restored[var._id][name] = _slot(value, var, name)
        self.iterations = iterations
        self._slots = restored
        self._slot_vars = {var._id: var for var in var_list}

    def get_config(self):
        """The constructor's arguments (Keras' ``get_config``); ``from_config`` inverts it."""
        return {key: getattr(self, key) for key in self._config_keys}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    _config_keys = ("learning_rate", "weight_decay", "name")

    def __getstate__(self):
        # Slots are keyed by variable ids, which mean nothing in another process: pickle
        # (variable, slots) pairs and re-key on load.
        state = dict(self.__dict__)
        state["_slots"] = [(self._slot_vars[i], slots) for i, slots in self._slots.items()]
        del state["_slot_vars"]
        return state

    def __setstate__(self, state):
        pairs = state.pop("_slots")
        self.__dict__.update(state)
        self._slots = {var._id: slots for var, slots in pairs}
        self._slot_vars = {var._id: var for var, _ in pairs}

    def __repr__(self):
        return f"<mg.optimizers.{type(self).__name__} iterations={self.iterations}>"

    # --- for subclasses ---------------------------------------------------------------

    def _slots_for(self, var):
        slots = self._slots.get(var._id)
        if slots is None:
            slots = self._slots[var._id] = self._init_slots(var)
            self._slot_vars[var._id] = var
        return slots

    def _init_slots(self, var):
        return {}

    def _update(self, var, g, lr, slots):
        raise NotImplementedError


def _slot(value, var, name):
    """Optimizer state for ``var``: a non-trainable Variable, updated with ``assign`` (so
    ``mg.function`` sees it as state, as Keras keeps its slots in Variables)."""
    return Variable(value, trainable=False, name=f"{var._name}/{name}")


def _zeros(var, name):
    return _slot(zeros_like(var), var, name)


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    momentum == 0:  ``var <- var - lr * g``
    momentum > 0:   ``m <- momentum * m - lr * g`` (m starts at 0), then
                    ``var <- var + m`` or, with nesterov, ``var <- var + momentum * m - lr * g``
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 name=None):
        super().__init__(learning_rate, weight_decay, name)
        check_unit("momentum", momentum, "SGD")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    _config_keys = ("learning_rate", "momentum", "nesterov", "weight_decay", "name")

    def _init_slots(self, var):
        return {"momentum": _zeros(var, "momentum")} if self.momentum else {}

    def _update(self, var, g, lr, slots):
        lr = self._in(lr, var, "lr")
        if not self.momentum:
            var.assign(var - g * lr)
            return
        m = slots["momentum"] * self.momentum - g * lr
        slots["momentum"].assign(m)
        var.assign(var + (m * self.momentum - g * lr if self.nesterov else m))


class Adam(Optimizer):
    """Adam (Kingma & Ba), in Keras 3's form; ``t`` is the 1-based step number.

    ``m <- m + (g - m) * (1 - beta_1)``; ``v <- v + (g² - v) * (1 - beta_2)``;
    with amsgrad ``v_hat <- max(v_hat, v)`` and ``v_hat`` replaces ``v`` below;
    ``alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)``;
    ``var <- var - alpha * m / (sqrt(v) + epsilon)``.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, name=None):
        super().__init__(learning_rate, weight_decay, name)
        check_unit("beta_1", beta_1, type(self).__name__)
        check_unit("beta_2", beta_2, type(self).__name__)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)
        self.amsgrad = bool(amsgrad)

    _config_keys = ("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay",
                    "name")

    def _init_slots(self, var):
        slots = {"m": _zeros(var, "m"), "v": _zeros(var, "v")}
        if self.amsgrad:
            slots["v_hat"] = _zeros(var, "v_hat")
        return slots

    def _alpha(self, lr, dtype):
        """``lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`` in float64 from the step counter
        (a tensor, not a Python number: a traced step must not bake ``t`` in), then in the
        variable's dtype; once per dtype and step."""
        alpha = self._step_factors.get(dtype)
        if alpha is None:
            t = cast(self._counter, "float64") + 1.0
            alpha = lr * sqrt(1.0 - self.beta_2 ** t) / (1.0 - self.beta_1 ** t)
            alpha = self._step_factors[dtype] = cast(alpha, dtype)
        return alpha

    def _update(self, var, g, lr, slots):
        alpha = self._alpha(lr, var.dtype)
        m = slots["m"] + (g - slots["m"]) * (1 - self.beta_1)
        v = slots["v"] + (g * g - slots["v"]) * (1 - self.beta_2)
        slots["m"].assign(m)
        slots["v"].assign(v)
        if self.amsgrad:
            v = maximum(slots["v_hat"], v)
            slots["v_hat"].assign(v)
        var.assign(var - m * alpha / (sqrt(v) + self.epsilon))


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): each step first applies
    ``var <- var - var * weight_decay * lr``, then the Adam update (see ``Adam``)."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, name=None):
        if weight_decay is None:
            raise ValueError("AdamW: weight_decay must be a number (use mg.optimizers.Adam "
                             "for no weight decay)")
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay, name)


class RMSprop(Optimizer):
    """RMSprop (Hinton), in Keras 3's form.

    ``s <- rho * s + (1 - rho) * g²``;
    centered: ``a <- rho * a + (1 - rho) * g`` and ``d = s - a² + epsilon``, else
    ``d = s + epsilon``; ``step = lr * g / sqrt(d)``;
    momentum > 0: ``mom <- momentum * mom + step``, ``var <- var - mom``;
    else ``var <- var - step``.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, weight_decay=None, name=None):
        super().__init__(learning_rate, weight_decay, name)
        check_unit("rho", rho, "RMSprop")
        check_unit("momentum", momentum, "RMSprop")
        self.rho = float(rho)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.centered = bool(centered)

    _config_keys = ("learning_rate", "rho", "momentum", "epsilon", "centered", "weight_decay",
                    "name")

    def _init_slots(self, var):
        slots = {"velocity": _zeros(var, "velocity")}
        if self.momentum:
            slots["momentum"] = _zeros(var, "momentum")
        if self.centered:
            slots["average_gradient"] = _zeros(var, "average_gradient")
        return slots

    def _update(self, var, g, lr, slots):
        rho = self.rho
        s = slots["velocity"] * rho + g * g * (1 - rho)
        slots["velocity"].assign(s)
        if self.centered:
            a = slots["average_gradient"] * rho + g * (1 - rho)
            slots["average_gradient"].assign(a)
            denominator = s - a * a + self.epsilon
        else:
            denominator = s + self.epsilon
        step = g * self._in(lr, var, "lr") / sqrt(denominator)
        if self.momentum:
            step = slots["momentum"] * self.momentum + step
            slots["momentum"].assign(step)
        var.assign(var - step)


class Adagrad(Optimizer):
    """Adagrad (Duchi et al.), in Keras 3's form.

    ``acc`` starts at ``initial_accumulator_value``;
    ``acc <- acc + g²``; ``var <- var - lr * g / sqrt(acc + epsilon)``.
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, name=None):
        super().__init__(learning_rate, weight_decay, name)
        if initial_accumulator_value < 0:
            raise ValueError(f"Adagrad: initial_accumulator_value must be >= 0, got "
                             f"{initial_accumulator_value!r}")
        self.initial_accumulator_value = float(initial_accumulator_value)
        self.epsilon = float(epsilon)

    _config_keys = ("learning_rate", "initial_accumulator_value", "epsilon", "weight_decay",
                    "name")

    def _init_slots(self, var):
        return {"accumulator": _slot(full_like(var, self.initial_accumulator_value), var,
                                     "accumulator")}

    def _update(self, var, g, lr, slots):
        acc = slots["accumulator"] + g * g
        slots["accumulator"].assign(acc)
        var.assign(var - g * self._in(lr, var, "lr") / sqrt(acc + self.epsilon))
