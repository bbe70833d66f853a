"""TensorFlow's guides, cell by cell, with ``mg`` in place of ``tf``.

Our own programs (own values) exercising what each code cell of the guides
"Introduction to gradients and automatic differentiation" (autodiff), "Advanced automatic
differentiation" (advanced_autodiff), "Introduction to modules, layers, and models"
(intro_to_modules) and "Basic training loops" (basic_training_loops) shows, asserting the
values and semantics TensorFlow documents there. docs/tf_guides.md maps every cell to its
test (or says why it does not apply: Keras, tf.data, SavedModel, tf.function, plots).
"""

import warnings

import numpy as np
import pytest

import multigrad as mg


def close(t, expected, rtol=1e-5, atol=1e-6):
    assert t is not None
    np.testing.assert_allclose(t.numpy(), expected, rtol=rtol, atol=atol)


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-np.asarray(v, dtype=np.float64)))


# --- autodiff: computing gradients ---------------------------------------------------


def test_autodiff_variable_square(backend):
    x = mg.Variable(4.0)
    with mg.GradientTape() as tape:
        y = x ** 2
    dy_dx = tape.gradient(y, x)
    assert dy_dx.dtype == mg.float32 and dy_dx.shape == ()
    close(dy_dx, 8.0)


def _dense_loss(backend):
    mg.random.set_seed(11)
    w = mg.Variable(mg.random.normal((3, 2)), name="w")
    b = mg.Variable(mg.zeros(2, dtype=mg.float32), name="b")
    x = [[2.0, -1.0, 0.5]]
    with mg.GradientTape(persistent=True) as tape:
        y = x @ w + b                       # a Python list on the left of @
        loss = mg.reduce_mean(y ** 2)
    return tape, w, b, np.asarray(x), y.numpy(), loss


def test_autodiff_gradient_of_a_list_of_variables(backend):
    tape, w, b, x, y, loss = _dense_loss(backend)
    dl_dw, dl_db = tape.gradient(loss, [w, b])
    assert dl_dw.shape == w.shape == (3, 2) and dl_db.shape == b.shape == (2,)
    # loss = mean(y^2) over 2 entries: dl/dy = y, dl/dw = x^T y, dl/db = y
    close(dl_dw, x.T @ y, rtol=1e-5)
    close(dl_db, y[0], rtol=1e-5)


def test_autodiff_gradient_of_a_dict_of_variables(backend):
    tape, w, b, x, y, loss = _dense_loss(backend)
    grad = tape.gradient(loss, {"w": w, "b": b})
    assert set(grad) == {"w", "b"}
    close(grad["b"], y[0], rtol=1e-5)
    close(grad["w"], x.T @ y, rtol=1e-5)


# --- autodiff: controlling what the tape watches -------------------------------------


def test_autodiff_only_trainable_variables_are_watched(backend):
    x0 = mg.Variable(2.5, name="x0")
    x1 = mg.Variable(2.5, name="x1", trainable=False)
    x2 = mg.Variable(1.5, name="x2") + 1.0          # a Tensor now, not a Variable
    x3 = mg.constant(2.5, name="x3")
    with mg.GradientTape() as tape:
        y = x0 ** 2 + x1 ** 2 + x2 ** 2
    grad = tape.gradient(y, [x0, x1, x2, x3])
    close(grad[0], 5.0)
    assert grad[1:] == [None, None, None]
    assert type(x2) is mg.Tensor
    assert [v.name for v in tape.watched_variables()] == ["x0:0"]


def test_autodiff_watch_a_tensor(backend):
    x = mg.constant(-1.5)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x ** 2
    close(tape.gradient(y, x), -3.0)


def test_autodiff_watch_accessed_variables_false(backend):
    x0 = mg.Variable(0.5)
    x1 = mg.Variable(8.0)
    with mg.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x1)
        y = mg.math.sin(x0) + mg.nn.softplus(x1)
        ys = mg.reduce_sum(y)
    grad = tape.gradient(ys, {"x0": x0, "x1": x1})
    assert grad["x0"] is None
    close(grad["x1"], sigmoid(8.0))           # d softplus = sigmoid
    assert tape.watched_variables() == (x1,)


# --- autodiff: intermediate results, persistent tapes -------------------------------


def test_autodiff_gradient_with_respect_to_an_intermediate(backend):
    x = mg.constant(2.0)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    close(tape.gradient(z, y), 8.0)           # dz/dy = 2 y = 2 x^2


def test_autodiff_persistent_tape_answers_twice(backend):
    x = mg.constant([2, 0.5])                 # mixed int/float data: float32
    assert x.dtype == mg.float32
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    close(tape.gradient(z, x), [32.0, 0.5])   # 4 x^3
    close(tape.gradient(y, x), [4.0, 1.0])    # 2 x
    del tape


def test_autodiff_non_persistent_tape_answers_once(backend):
    x = mg.constant(2.0)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        tape.gradient(y, x)


# --- autodiff: gradients of non-scalar targets ---------------------------------------


def test_autodiff_two_targets_separately_and_as_a_dict(backend):
    x = mg.Variable(4.0)
    with mg.GradientTape(persistent=True) as tape:
        y0 = x ** 2
        y1 = 1 / x
    close(tape.gradient(y0, x), 8.0)
    close(tape.gradient(y1, x), -1.0 / 16)
    close(tape.gradient({"y0": y0, "y1": y1}, x), 8.0 - 1.0 / 16)   # the sum
    close(tape.gradient([y0, y1], x), 8.0 - 1.0 / 16)


def test_autodiff_vector_target_sums(backend):
    x = mg.Variable(3.0)
    with mg.GradientTape() as tape:
        y = x * [2.0, -5.0, 0.5]
    close(tape.gradient(y, x), 2.0 - 5.0 + 0.5)


def test_output_gradients_weight_the_targets(backend):
    # not a guide cell: the weighted form of the sum above (tf.GradientTape.gradient's
    # output_gradients), for a list of targets
    x = mg.Variable([1.0, 2.0])
    with mg.GradientTape() as tape:
        y0 = x * x
        y1 = 3.0 * x
    # one Tensor per target (a nested Python list would be flattened to numbers, as in TF)
    g = tape.gradient([y0, y1], x,
                      output_gradients=[mg.constant([1.0, -1.0]), mg.constant([0.5, 2.0])])
    close(g, [2 * 1.0 * 1.0 + 1.5, 2 * 2.0 * -1.0 + 6.0])


def test_autodiff_elementwise_gradient_over_a_linspace(backend):
    x = mg.linspace(-6.0, 6.0, 121)
    assert x.dtype == mg.float32 and x.shape == (121,)
    with mg.GradientTape() as tape:
        tape.watch(x)
        y = mg.nn.sigmoid(x)
    dy_dx = tape.gradient(y, x)
    s = sigmoid(x.numpy())
    close(dy_dx, s * (1 - s), rtol=1e-4)
    assert dy_dx.shape == x.shape


# --- autodiff: control flow ----------------------------------------------------------


@pytest.mark.parametrize("xv", [2.0, -2.0])
def test_autodiff_python_control_flow(backend, xv):
    x = mg.constant(xv)
    v0 = mg.Variable(1.5)
    v1 = mg.Variable(1.5)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        if x > 0.0:
            result = v0                        # the Variable itself is the target
        else:
            result = v1 ** 2
    dv0, dv1 = tape.gradient(result, [v0, v1])
    if xv > 0:
        close(dv0, 1.0)
        assert dv1 is None
    else:
        assert dv0 is None
        close(dv1, 3.0)
    assert tape.gradient(result, x) is None


def test_gradient_of_a_variable_with_respect_to_itself(backend):
    v = mg.Variable([1.0, -2.0, 4.0])
    with mg.GradientTape(persistent=True) as tape:
        pass
    close(tape.gradient(v, v), [1.0, 1.0, 1.0])
    close(tape.jacobian(v, v), np.eye(3))
    # not trainable, or not watched on access: not watched, so None (TF)
    frozen = mg.Variable(2.0, trainable=False)
    with mg.GradientTape() as tape:
        pass
    assert tape.gradient(frozen, frozen) is None
    with mg.GradientTape(watch_accessed_variables=False) as tape:
        pass
    assert tape.gradient(v, v) is None


def test_gradient_of_a_watched_tensor_with_respect_to_itself(backend):
    x = mg.constant([[1.0, 2.0]])
    with mg.GradientTape() as tape:
        tape.watch(x)
    close(tape.gradient(x, x), [[1.0, 1.0]])


# --- autodiff: cases where the gradient is None --------------------------------------


def test_autodiff_unconnected_source_is_none(backend):
    x = mg.Variable(2.0)
    y = mg.Variable(-1.0)
    with mg.GradientTape() as tape:
        z = y * y
    assert tape.gradient(z, x) is None


def test_autodiff_variable_replaced_by_a_tensor(backend):
    x = mg.Variable(2.0)
    seen = []
    for _ in range(2):
        with mg.GradientTape() as tape:
            y = x + 1
        seen.append((type(x).__name__, tape.gradient(y, x)))
        x = x + 1                              # rebinding: x is a Tensor from now on
    assert seen[0][0] == "Variable"
    close(seen[0][1], 1.0)
    assert seen[1] == ("Tensor", None)


def test_autodiff_assign_add_keeps_the_variable(backend):
    x = mg.Variable(2.0)
    for step in range(3):
        with mg.GradientTape() as tape:
            y = x * x
        close(tape.gradient(y, x), 2 * (2.0 + step))
        x.assign_add(1)
    assert type(x) is mg.Variable
    close(x, 5.0)


def test_autodiff_calculation_outside_multigrad(backend):
    """TF: a value that went through NumPy is a constant, so the gradient is None.

    multigrad goes further (README, "NumPy → multigrad"): ``np.mean`` on an ``mg.Tensor``
    is dispatched to ``mg.mean``, recorded, and its gradient is the right one.
    """
    x = mg.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=mg.float32)
    with mg.GradientTape() as tape:
        x2 = x ** 2
        y = np.mean(x2, axis=0)
        y = mg.reduce_mean(y, axis=0)
    close(y, 7.5)
    g = tape.gradient(y, x)
    close(g, x.numpy() / 2)                   # d mean(x^2) = 2 x / 4


def test_autodiff_integer_watched_tensor_warns_and_gives_none(backend):
    x = mg.constant(7)
    with mg.GradientTape() as tape:
        with pytest.warns(UserWarning, match="must be floating"):
            tape.watch(x)
        y = x * x
    assert y.dtype == mg.int32
    with pytest.warns(UserWarning) as seen:
        assert tape.gradient(y, x) is None
    messages = " | ".join(str(w.message) for w in seen)
    assert "the dtype of the target must be floating" in messages
    assert "the dtype of the source must be floating" in messages


def test_integer_variable_source_warns_and_gives_none(backend):
    x = mg.Variable(2)
    assert x.dtype == mg.int32
    with mg.GradientTape() as tape:
        y = x * x
    with pytest.warns(UserWarning) as seen:
        assert tape.gradient(y, x) is None
    messages = " | ".join(str(w.message) for w in seen)
    assert "the dtype of the source must be floating or complex (e.g. mg.float32), got int32" \
        in messages and "the dtype of the target must be floating" in messages


def test_autodiff_stateful_assign_cuts_the_path(backend):
    x0 = mg.Variable(2.0)
    x1 = mg.Variable(0.5)
    with mg.GradientTape(persistent=True) as tape:
        x1.assign_add(x0)                      # x1 = 2.5, but not as a recorded op
        y = x1 ** 2
    assert tape.gradient(y, x0) is None
    close(tape.gradient(y, x1), 5.0)


def test_autodiff_non_differentiable_op_gives_none_with_a_warning(backend):
    """TF raises LookupError for an op with no registered gradient (adjust_contrast). In
    multigrad every float op has a rule; what has none gives integer (or boolean) results,
    so the analogue is a target that went through one: None, and a warning naming the
    dtype (TF's message, as a UserWarning rather than a log line)."""
    image = mg.Variable([[0.25, 0.75, 1.5]])
    with mg.GradientTape() as tape:
        levels = mg.cast(image * 4.0, mg.int32)      # quantised: no gradient
    with pytest.warns(UserWarning, match="target.*must be floating.*int32"):
        assert tape.gradient(levels, image) is None


def test_autodiff_zeros_instead_of_none(backend):
    x = mg.Variable([2.0, -3.0])
    y = mg.Variable(1.5)
    with mg.GradientTape(persistent=True) as tape:
        z = y ** 2
    g = tape.gradient(z, x, unconnected_gradients=mg.UnconnectedGradients.ZERO)
    assert g.dtype == mg.float32
    close(g, [0.0, 0.0])
    close(tape.gradient(z, x, unconnected_gradients="zero"), [0.0, 0.0])


# --- advanced_autodiff: controlling recording ----------------------------------------


def test_advanced_stop_recording(backend):
    x = mg.Variable(1.5)
    y = mg.Variable(-2.0)
    with mg.GradientTape() as t:
        x_sq = x * x
        with t.stop_recording():
            y_sq = y * y
        z = x_sq + y_sq
    grad = t.gradient(z, {"x": x, "y": y})
    close(grad["x"], 3.0)
    assert grad["y"] is None


def test_advanced_reset(backend):
    x = mg.Variable(1.5)
    y = mg.Variable(-2.0)
    with mg.GradientTape() as t:
        y_sq = y * y
        t.reset()                              # forget what was recorded so far
        z = x * x + y_sq
    grad = t.gradient(z, {"x": x, "y": y})
    close(grad["x"], 3.0)
    assert grad["y"] is None


def test_advanced_stop_gradient(backend):
    x = mg.Variable(1.5)
    y = mg.Variable(-2.0)
    with mg.GradientTape() as t:
        z = x ** 2 + mg.stop_gradient(y ** 2)
    grad = t.gradient(z, {"x": x, "y": y})
    close(grad["x"], 3.0)
    assert grad["y"] is None


def test_advanced_custom_gradient_clips_the_upstream(backend):
    @mg.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return mg.clip_by_norm(dy, 0.25)
        return y, backward

    v = mg.Variable(3.0)
    with mg.GradientTape() as t:
        out = clip_gradients(v) * 2.0          # upstream 2.0, clipped to norm 0.25
    close(t.gradient(out, v), 0.25)


def test_advanced_multiple_tapes(backend):
    x0 = mg.constant(0.5)
    x1 = mg.constant(-1.0)
    with mg.GradientTape() as tape0, mg.GradientTape() as tape1:
        tape0.watch(x0)
        tape1.watch(x1)
        y = mg.math.sin(x0) + mg.nn.sigmoid(x1)
        ys = mg.reduce_sum(y)
    close(tape0.gradient(ys, x0), np.cos(0.5))
    s = sigmoid(-1.0)
    close(tape1.gradient(ys, x1), s * (1 - s))


def test_advanced_second_derivative_with_nested_tapes(backend):
    x = mg.Variable(2.0)
    with mg.GradientTape() as t2:
        with mg.GradientTape() as t1:
            y = x * x * x
        dy_dx = t1.gradient(y, x)              # inside t2: recorded there
    d2y_dx2 = t2.gradient(dy_dx, x)
    close(dy_dx, 12.0)
    close(d2y_dx2, 12.0)


def _dense(x, w, b, activation):
    return activation(mg.matmul(x, w) + b)


def test_advanced_input_gradient_regularisation(backend):
    """The cell uses a Keras Dense layer; the same computation with our own Variables:
    the gradient of |dy/dx|^2 with respect to the layer's parameters."""
    mg.random.set_seed(3)
    x = mg.random.normal([7, 5])
    w = mg.Variable(mg.random.normal([5, 10]), name="kernel")
    b = mg.Variable(mg.zeros([10]), name="bias")
    with mg.GradientTape() as t2:
        with mg.GradientTape() as t1:
            t1.watch(x)
            y = _dense(x, w, b, mg.nn.relu)
        g = t1.gradient(y, x)
        g_norm2 = mg.reduce_sum(g ** 2)
    dw, db = t2.gradient(g_norm2, [w, b])      # both Tensors (TF prints their shapes)
    assert g.shape == x.shape == (7, 5)
    assert dw.shape == (5, 10) and db.shape == (10,)
    # g = mask @ w^T, so d|g|^2/dw = 2 * (sum over rows of mask outer g) ... by numpy:
    mask = (x.numpy() @ w.numpy() + b.numpy() > 0).astype(np.float64)
    gx = mask @ w.numpy().T
    close(g, gx, rtol=1e-5)
    close(dw, 2 * gx.T @ mask, rtol=1e-4, atol=1e-4)
    close(db, np.zeros(10))                    # relu' is piecewise constant in b


# --- advanced_autodiff: jacobians ----------------------------------------------------


def test_advanced_jacobian_scalar_source(backend):
    x = mg.linspace(-5.0, 5.0, 41)
    delta = mg.Variable(0.0)
    with mg.GradientTape() as tape:
        y = mg.nn.sigmoid(x + delta)
    dy_dx = tape.jacobian(y, delta)
    assert y.shape == (41,) and dy_dx.shape == (41,)
    s = sigmoid(x.numpy())
    close(dy_dx, s * (1 - s), rtol=1e-4)


def test_advanced_jacobian_tensor_source(backend):
    mg.random.set_seed(5)
    x = mg.random.normal([3, 5])
    kernel = mg.Variable(mg.random.normal([5, 10]), name="kernel")
    bias = mg.Variable(mg.zeros([10]), name="bias")
    with mg.GradientTape(persistent=True) as tape:
        y = _dense(x, kernel, bias, mg.nn.relu)
    j = tape.jacobian(y, kernel)
    assert y.shape == (3, 10) and j.shape == (3, 10, 5, 10)
    g = tape.gradient(y, kernel)
    assert g.shape == (5, 10)
    j_sum = mg.reduce_sum(j, axis=[0, 1])
    delta = mg.reduce_max(abs(g - j_sum)).numpy()
    assert delta < 1e-3
    # and one entry by hand: dy[i, k]/dkernel[m, k] = x[i, m] where y[i, k] > 0
    live = (y.numpy() > 0)
    np.testing.assert_allclose(j.numpy()[2, 3, :, 3], x.numpy()[2] * live[2, 3], rtol=1e-6)


def test_advanced_hessian_and_newton_step(backend):
    """The Hessian cell (Keras layers there, our own Variables here): a jacobian of a
    gradient, flattened with reduce_prod of a shape, and one regularised Newton step."""
    mg.random.set_seed(8)
    x = mg.random.normal([7, 5])
    w1 = mg.Variable(mg.random.normal([5, 4]) * 0.5)
    b1 = mg.Variable(mg.zeros([4]))
    w2 = mg.Variable(mg.random.normal([4, 3]) * 0.5)
    b2 = mg.Variable(mg.zeros([3]))

    def loss_fn():
        h = _dense(_dense(x, w1, b1, mg.nn.relu), w2, b2, mg.math.tanh)
        return mg.reduce_mean(h ** 2)

    with mg.GradientTape() as t2:
        with mg.GradientTape() as t1:
            loss = loss_fn()
        g = t1.gradient(loss, w1)
    h = t2.jacobian(g, w1)
    assert g.shape == w1.shape == (5, 4) and h.shape == (5, 4, 5, 4)
    n_params = mg.reduce_prod(w1.shape)
    assert n_params.dtype == mg.int32 and int(n_params) == 20
    g_vec = mg.reshape(g, [n_params, 1])
    h_mat = mg.reshape(h, [n_params, n_params])
    assert g_vec.shape == (20, 1) and h_mat.shape == (20, 20)
    np.testing.assert_allclose(h_mat.numpy(), h_mat.numpy().T, atol=1e-5)   # symmetric
    # the Hessian's columns are derivatives of the gradient: central differences
    e = np.zeros((5, 4), np.float32)
    e[1, 2] = 1e-2
    w0 = w1.numpy()
    grads = []
    for sign in (1, -1):
        w1.assign(w0 + sign * e)
        with mg.GradientTape() as t:
            loss_at = loss_fn()
        grads.append(t.gradient(loss_at, w1).numpy())
    w1.assign(w0)
    fd = (grads[0] - grads[1]) / 2e-2
    np.testing.assert_allclose(h.numpy()[:, :, 1, 2], fd, rtol=2e-2, atol=2e-3)
    eye_eps = mg.eye(h_mat.shape[0]) * 1e-3
    update = mg.linalg.solve(h_mat + eye_eps, g_vec)
    w1.assign_sub(mg.reshape(update, w1.shape))
    assert w1.shape == (5, 4)
    np.testing.assert_allclose(
        w1.numpy(), w0 - np.linalg.solve(h_mat.numpy() + 1e-3 * np.eye(20),
                                         g_vec.numpy()).reshape(5, 4), rtol=1e-3, atol=1e-4)


def _two_layers(backend):
    mg.random.set_seed(13)
    x = mg.random.normal([3, 5])          # a small batch keeps the jacobians cheap on dask
    w1 = mg.Variable(mg.random.normal([5, 8]))
    b1 = mg.Variable(mg.random.normal([8]))
    w2 = mg.Variable(mg.random.normal([8, 6]))
    b2 = mg.Variable(mg.zeros([6]))
    return x, (w1, b1, w2, b2)


def test_advanced_batch_jacobian(backend):
    x, (w1, b1, w2, b2) = _two_layers(backend)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = _dense(_dense(x, w1, b1, mg.nn.elu), w2, b2, mg.nn.elu)
    assert y.shape == (3, 6)
    j = tape.jacobian(y, x)
    assert j.shape == (3, 6, 3, 5)
    j_sum = mg.reduce_sum(j, axis=2)
    j_select = mg.einsum("bxby->bxy", j)
    assert j_sum.shape == j_select.shape == (3, 6, 5)
    jb = tape.batch_jacobian(y, x)
    assert jb.shape == (3, 6, 5)
    assert mg.reduce_max(abs(jb - j_sum)).numpy() < 1e-4
    assert mg.reduce_max(abs(jb - j_select)).numpy() < 1e-4
    # rows are independent: the off-diagonal blocks are zero
    off = j.numpy()[0, :, 1, :]
    np.testing.assert_array_equal(off, np.zeros_like(off))


def test_advanced_batch_jacobian_assumes_independent_rows(backend):
    """The batch-normalisation cell (Keras there): when rows mix, batch_jacobian still runs
    and has the expected shape, but it is not the diagonal blocks: like TF's (a gradient of
    each target column summed over the batch) it is j summed over the target's batch axis."""
    x, (w1, b1, _, _) = _two_layers(backend)
    with mg.GradientTape(persistent=True) as tape:
        tape.watch(x)
        z = mg.matmul(x, w1) + b1
        mean, var = mg.nn.moments(z, axes=[0])
        y = mg.nn.elu((z - mean) / mg.sqrt(var + 1e-3))   # rows now depend on each other
    j = tape.jacobian(y, x)
    jb = tape.batch_jacobian(y, x)
    assert jb.shape == (3, 8, 5)
    j_over_targets = mg.transpose(mg.reduce_sum(j, axis=0), [1, 0, 2])   # (b', 8, 5)
    j_select = mg.einsum("bxby->bxy", j)
    assert mg.reduce_max(abs(jb - j_over_targets)).numpy() < 1e-4
    assert mg.reduce_max(abs(jb - j_select)).numpy() > 1e-2


# --- intro_to_modules ---------------------------------------------------------------


class SimpleModule(mg.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.a_variable = mg.Variable(2.0, name="train_me")
        self.non_trainable_variable = mg.Variable(-1.0, trainable=False, name="do_not_train_me")

    def __call__(self, x):
        return self.a_variable * x + self.non_trainable_variable


def test_modules_simple_module(backend):
    simple = SimpleModule(name="simple")
    close(simple(mg.constant(4.0)), 7.0)
    assert simple.name == "simple"
    assert simple.trainable_variables == (simple.a_variable,)
    assert simple.variables == (simple.a_variable, simple.non_trainable_variable)
    assert [v.name for v in simple.variables] == ["train_me:0", "do_not_train_me:0"]


class Dense(mg.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = mg.Variable(mg.random.normal([in_features, out_features]), name="w")
        self.b = mg.Variable(mg.zeros([out_features]), name="b")

    def __call__(self, x):
        return mg.nn.relu(mg.matmul(x, self.w) + self.b)


class SequentialModule(mg.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = Dense(in_features=3, out_features=3)
        self.dense_2 = Dense(in_features=3, out_features=2)

    def __call__(self, x):
        return self.dense_2(self.dense_1(x))


def test_modules_sequential_module_and_its_gradient(backend):
    mg.random.set_seed(21)
    model = SequentialModule(name="the_model")
    x = mg.constant([[1.0, -0.5, 2.0]])
    out = model(x)
    assert out.shape == (1, 2)
    d1, d2 = model.dense_1, model.dense_2
    expected = np.maximum(np.maximum(x.numpy() @ d1.w.numpy(), 0) @ d2.w.numpy(), 0)
    close(out, expected, rtol=1e-5)
    assert model.submodules == (d1, d2)
    # attributes in name order (b before w), a module's own before its submodules'
    assert model.variables == (d1.b, d1.w, d2.b, d2.w)
    with mg.GradientTape() as tape:
        loss = mg.reduce_sum(model(x) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    assert [g.shape for g in grads] == [v.shape for v in model.trainable_variables]


class FlexibleDenseModule(mg.Module):
    # Variables created on the first call, from the input's shape.
    def __init__(self, out_features, name=None):
        super().__init__(name=name)
        self.is_built = False
        self.out_features = out_features

    def __call__(self, x):
        if not self.is_built:
            self.w = mg.Variable(mg.random.normal([x.shape[-1], self.out_features]), name="w")
            self.b = mg.Variable(mg.zeros([self.out_features]), name="b")
            self.is_built = True
        return mg.nn.relu(mg.matmul(x, self.w) + self.b)


def test_modules_variables_created_on_first_call(backend):
    mg.random.set_seed(2)
    layer = FlexibleDenseModule(out_features=2)
    assert layer.variables == ()
    assert layer(mg.constant([[1.0, 2.0, 3.0, 4.0]])).shape == (1, 2)
    assert [v.shape for v in layer.variables] == [(2,), (4, 2)]


def test_modules_weights_saved_and_restored(backend, tmp_path):
    """tf.train.Checkpoint(model=m).write / restore; multigrad saves Variables by name."""
    mg.random.set_seed(4)
    model = SequentialModule()
    names = {f"v{i}": v for i, v in enumerate(model.variables)}
    mg.save(tmp_path / "ckpt", **names)
    before = [v.numpy().copy() for v in model.variables]
    for v in model.variables:
        v.assign(v * 0.0 + 9.0)
    mg.load(tmp_path / "ckpt.npz", **names)
    for v, old in zip(model.variables, before):
        np.testing.assert_array_equal(v.numpy(), old)


# --- basic_training_loops -----------------------------------------------------------


TRUE_W, TRUE_B = 3.0, 2.0


class MyModel(mg.Module):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = mg.Variable(5.0)
        self.b = mg.Variable(0.0)

    def __call__(self, x):
        return self.w * x + self.b


def loss_fn(target_y, predicted_y):
    return mg.reduce_mean(mg.square(target_y - predicted_y))


def train(model, x, y, learning_rate):
    with mg.GradientTape() as t:
        current_loss = loss_fn(y, model(x))
    dw, db = t.gradient(current_loss, [model.w, model.b])
    model.w.assign_sub(learning_rate * dw)
    model.b.assign_sub(learning_rate * db)


def test_training_loops_data(backend):
    x = mg.linspace(-2, 2, 41)                 # integer endpoints: float64, as TF
    assert x.dtype == mg.float64
    x = mg.cast(x, mg.float32)
    noise = mg.random.normal(shape=[41])
    y = x * TRUE_W + TRUE_B + noise
    assert y.dtype == mg.float32 and y.shape == (41,)


def test_training_loops_model_and_loss(backend):
    model = MyModel()
    assert model(3.0).numpy() == 15.0
    assert model.variables == (model.b, model.w)
    assert "Current loss: %1.6f" % loss_fn(mg.constant([1.0, 3.0]), mg.constant([2.0, 1.0])
                                           ).numpy() == "Current loss: 2.500000"


def test_training_loops_gradient_descent(backend):
    mg.random.set_seed(7)
    x = mg.cast(mg.linspace(-2, 2, 41), mg.float32)
    y = x * TRUE_W + TRUE_B + mg.random.normal(shape=[41]) * 0.3
    model = MyModel()
    # the same descent by hand, in float64 NumPy
    xn, yn = x.numpy().astype(np.float64), y.numpy().astype(np.float64)
    w, b = 5.0, 0.0
    lines, losses = [], []
    for epoch in range(10):
        train(model, x, y, learning_rate=0.1)
        r = w * xn + b - yn
        w, b = w - 0.1 * np.mean(2 * r * xn), b - 0.1 * np.mean(2 * r)
        current = loss_fn(y, model(x))
        losses.append(float(current))
        lines.append("Epoch %2d: W=%1.2f b=%1.2f, loss=%2.5f"
                     % (epoch, model.w.numpy(), model.b.numpy(), current))
        np.testing.assert_allclose([model.w.numpy(), model.b.numpy()], [w, b], rtol=1e-5)
    assert losses == sorted(losses, reverse=True)
    assert lines[0].startswith("Epoch  0: W=")
    assert abs(float(model.w) - TRUE_W) < 0.3 and abs(float(model.b) - TRUE_B) < 0.5
