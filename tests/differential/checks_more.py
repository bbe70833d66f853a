"""Checks added by issue 22: repeated arguments in the functional API, empty axes cut
unevenly on Dask, and an independent oracle (JAX) beside finite differences.

Each check returns None when it passed, or a string saying why it did not apply (the
runner records it as skipped); a failure raises ``Mismatch``.
"""

import numpy as np

import multigrad as mg

from .checks import Mismatch, assert_close, host_gradient, tensors
from .program import loss


def _run(program, args):
    return program.run(mg, list(args))


def check_functional_repeated(program, backend):
    """One Tensor passed in two positions of ``mg.grad``/``mg.vjp``/``mg.jacobian``/``mg.jvp``:
    each position gets its own derivative, as ``jax.grad`` gives. f(xs..., y0) is the loss
    at xs plus half the loss with y0 in the first input's place; with y0 = x0 the
    gradients are L's (first input), 1.5 times L's (the others) and half of L's for the
    first input (the repeated position)."""
    args = tensors(program)
    want = host_gradient(program)

    def f(*ys):
        xs, again = list(ys[:-1]), ys[-1]
        return loss(mg, _run(program, xs)) + 0.5 * loss(mg, _run(program, [again] + xs[1:]))
    nums = tuple(range(len(args) + 1))
    grads = mg.grad(f, argnums=nums)(*args, args[0])
    value, vjp_fn = mg.vjp(f, *args, args[0])
    pulled = vjp_fn(mg.ones_like(value))
    expect = [want[0]] + [1.5 * w for w in want[1:]] + [0.5 * want[0]]
    for how, got in (("mg.grad", grads), ("mg.vjp", pulled)):
        for k, (g, w, a) in enumerate(zip(got, expect, list(args) + [args[0]])):
            assert_close(g.numpy(), w.astype(a.dtype.name), a.dtype.name,
                         f"functional_repeated: {how}, position {k}")
    if not args[0].dtype.is_complex:
        tangents = [mg.zeros_like(a) for a in args] + [mg.ones_like(args[0])]
        _, jvp = mg.jvp(f, tuple(args) + (args[0],), tuple(tangents))
        want_jvp = 0.5 * float(np.sum(want[0]))
        assert_close(np.asarray(float(jvp)), np.asarray(want_jvp), args[0].dtype.name,
                     "functional_repeated: mg.jvp along the repeated position")


def _uneven(array, da):
    """``array`` on Dask cut unevenly: a 0-length chunk on every non-empty axis, an empty
    axis in two (0, 0) chunks; what masks and rolls leave behind."""
    chunks = tuple((0, 0) if n == 0 else (1, 0, n - 1) if n > 1 else (1, 0)
                   for n in array.shape)
    return da.from_array(array, chunks=chunks)


def check_uneven_chunks(program, backend):
    """On Dask, a program with an empty value run on inputs cut unevenly: every Tensor's
    shape is its computed shape, and the results equal those of evenly cut inputs."""
    if backend != "dask":
        return "skipped: Dask only"
    if not program.has_empty():
        return "skipped: no empty value"
    import dask.array as da
    even = tensors(program)
    odd = [mg.to_backend(_uneven(np.asarray(a), da), "dask") for a in program.input_arrays()]
    results = []
    for args in (even, odd):
        with mg.GradientTape() as tape:
            tape.watch(args)
            out = _run(program, args)
            value = loss(mg, out)
        grads = tape.gradient(value, args, unconnected_gradients="zero")
        results.append([out] + list(grads))
    for k, (e, o) in enumerate(zip(*results)):
        got = o.numpy()
        if got.shape != o.shape:
            raise Mismatch(f"uneven_chunks: result {k} says shape {o.shape}, computes to "
                           f"{got.shape}")
        assert_close(got, e.numpy(), o.dtype.name, f"uneven_chunks: result {k}")


# --- JAX, an independent oracle (optional) -------------------------------------------------

def _jax():
    try:
        import jax
    except ImportError as exc:
        return None, f"skipped: JAX is not installed ({exc}); pip install jax"
    jax.config.update("jax_enable_x64", True)
    return jax, None


class _JaxNamespace:
    """multigrad's names over jax.numpy (the subset the programs use; others raise
    AttributeError and the check is skipped for that program)."""

    def __init__(self, jax):
        import jax.numpy as jnp
        import jax.scipy.special as special
        self._jnp, self.linalg, self.fft = jnp, _JaxLinalg(jnp), jnp.fft
        self.erf, self.logsumexp = special.erf, special.logsumexp
        self.constant = jnp.asarray
        self.index_update = lambda x, i, v: x.at[i].set(v)
        self.index_add = lambda x, i, v: x.at[i].add(v)
        self.nn = _JaxNN(jax)

    def __getattr__(self, name):
        return getattr(self._jnp, name)


class _JaxLinalg:
    """jnp.linalg, with eigh/eigvalsh reading one triangle as NumPy (and multigrad) do;
    JAX's own symmetrize the input, a different function off symmetric matrices."""

    def __init__(self, jnp):
        self._jnp = jnp

    def _read(self, a, uplo):
        jnp = self._jnp
        a = jnp.conj(jnp.swapaxes(a, -1, -2)) if uplo.upper() == "U" else a
        low = jnp.tril(a, -1)
        return low + jnp.conj(jnp.swapaxes(low, -1, -2)) + jnp.real(
            jnp.diagonal(a, axis1=-2, axis2=-1))[..., None] * jnp.eye(a.shape[-1])

    def eigh(self, a, UPLO="L"):
        return self._jnp.linalg.eigh(self._read(a, UPLO), symmetrize_input=False)

    def eigvalsh(self, a, UPLO="L"):
        return self.eigh(a, UPLO)[0]

    def __getattr__(self, name):
        return getattr(self._jnp.linalg, name)


class _JaxNN:
    def __init__(self, jax):
        self.sigmoid, self.softmax, self.log_softmax = (jax.nn.sigmoid, jax.nn.softmax,
                                                        jax.nn.log_softmax)
        self.relu, self.softplus, self.elu = jax.nn.relu, jax.nn.softplus, jax.nn.elu
        self.gelu = jax.nn.gelu
        self.leaky_relu = lambda x, alpha=0.2: jax.nn.leaky_relu(x, alpha)


def check_jax_oracle(program, backend):
    """The tape's gradient against ``jax.grad`` of the same program (conjugated: JAX's
    gradient of a real loss is dL/dx - i dL/dy, TensorFlow's dL/dx + i dL/dy)."""
    jax, why = _jax()
    if jax is None:
        return why
    xp = _JaxNamespace(jax)
    xs = [jax.numpy.asarray(a) for a in program.input_arrays("float64")]
    try:
        want = jax.grad(lambda *ys: jax.numpy.real(loss(xp, program.run(xp, list(ys)))),
                        argnums=tuple(range(len(xs))))(*xs)
    except Exception as exc:        # noqa: BLE001  an op JAX spells otherwise: not a finding
        return f"skipped: the program does not run on jax.numpy ({type(exc).__name__})"
    args = tensors(program)
    with mg.GradientTape() as tape:
        tape.watch(args)
        value = loss(mg, _run(program, args))
    got = tape.gradient(value, args, unconnected_gradients="zero")
    for k, (g, w, a) in enumerate(zip(got, want, args)):
        w = np.conj(np.asarray(w)) if a.dtype.is_complex else np.asarray(w)
        assert_close(g.numpy(), w.astype(a.dtype.name), a.dtype.name,
                     f"jax_oracle: grad of input {k}")


MORE = {"functional_repeated": check_functional_repeated,
        "uneven_chunks": check_uneven_chunks, "jax_oracle": check_jax_oracle}
