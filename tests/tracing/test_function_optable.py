"""Every row of every op table, run inside ``mg.function``: one traced function returns the
op's value, its first-order gradients, its second-order gradients (nested tapes) and its
jacobian (batched cotangents); a second call on new inputs replays the program and must
agree with the eager call on those inputs to the last bit, or within 1 ulp. Each row also
runs with each of its inputs in turn closed over as a constant made outside the trace."""

import numpy as np
import pytest

import multigrad as mg

from optable import Case, core_sweep_row, op_tables, table_name

TABLES = op_tables()
CASES = [case for table in TABLES for case in table.CASES]
# Two tables share a few row names: the table's name keeps each test id unique.
IDS = [f"{table_name(table)}-{case.id}" for table in TABLES for case in table.CASES]
ROW = dict(zip(map(id, CASES), IDS))
# Each input of a multi-input row in turn made outside the traced function (a closure's
# constant): it reaches the ops as a raw array next to traced ones (``constant * traced``).
CONSTANT_INPUTS = [(case, k) for case in CASES if len(case.shapes) > 1
                   for k in range(len(case.shapes))]


def _projection(like, k):
    """A fixed weight per first-order gradient (k-th input), so the second-order check sees
    every element of it (a plain sum could hide errors that cancel)."""
    rng = np.random.default_rng(100 + k)
    w = rng.standard_normal(like.shape)
    return mg.cast(mg.to_backend(w, like.backend), like.dtype)


def derivatives(case):
    """The function traced for ``case``: value, gradients, jacobians (and second order)."""
    def all_of_it(*args):
        with mg.GradientTape() as outer:
            outer.watch(args)
            with mg.GradientTape(persistent=True) as tape:
                tape.watch(args)
                out = case.fn(*args)
            grads = tape.gradient(out, args, unconnected_gradients="zero")
            if case.order >= 2:
                projected = mg.add_n([mg.reduce_sum(g * _projection(g, k))
                                      for k, g in enumerate(grads)])
        second = (outer.gradient(projected, args, unconnected_gradients="zero")
                  if case.order >= 2 else [])
        jacobians = tape.jacobian(out, args, unconnected_gradients="zero")
        return out, list(grads), list(second), list(jacobians)
    return all_of_it


def _flat(results):
    out, grads, second, jacobians = results
    named = [("value", out)]
    named += [(f"gradient[{k}]", g) for k, g in enumerate(grads)]
    named += [(f"second-order[{k}]", g) for k, g in enumerate(second)]
    named += [(f"jacobian[{k}]", j) for k, j in enumerate(jacobians)]
    return named


def assert_within_one_ulp(got, want, what):
    """Bit-identical, or floats within 1 ulp (complex: each part); ints and bools exact."""
    assert got.dtype == want.dtype and got.shape == want.shape, \
        f"{what}: {got.dtype}{got.shape} replayed, {want.dtype}{want.shape} eager"
    if got.dtype.kind == "c":
        assert_within_one_ulp(got.real, want.real, what + " (real part)")
        assert_within_one_ulp(got.imag, want.imag, what + " (imaginary part)")
        return
    if got.dtype.kind != "f":
        np.testing.assert_array_equal(got, want, err_msg=what)
        return
    if np.array_equal(got, want, equal_nan=True):
        return
    finite = np.isfinite(want)
    np.testing.assert_array_equal(got[~finite], want[~finite], err_msg=what + " (non-finite)")
    try:
        np.testing.assert_array_max_ulp(got[finite], want[finite], maxulp=1)
    except AssertionError as e:
        raise AssertionError(f"{what}: replay differs from eager by more than 1 ulp\n{e}")


def _host(results):
    named = _flat(results)
    return [(name, t.numpy()) for name, t in zip([n for n, _ in named],
                                                 mg.compute(*[t for _, t in named]))]


# Rows whose trace reads a Python value from data (a guard) that inputs B change: the
# second call traces again (one program per outcome, as designed); a third call on B
# replays that program. Every other row replays on its second call.
RETRACE_ON_NEW_INPUTS = {
    "ops_grad-getitem-bool-mask": "x[x > 0]: the result's length is the number of positive "
                                  "entries (a shape guard on the masked result)",
    "linalg-svd-wide": "the SVD rule skips its singular-vector terms when their cotangent is "
                       "exactly zero (ops/linalg/matrix_tools.absent reads a bool from data)",
    "numpy_functions-piecewise": "each branch gets the entries its condition selects; how "
                                 "many is an int read from data",
}
# (quantile with a traced q replays since the index bounds check became one guard, "in
# bounds", instead of a guard on the indices' values.)


def test_the_retrace_list_names_table_rows():
    variants = {f"{ROW[id(c)]}-constant{k}" for c, k in CONSTANT_INPUTS}
    assert set(RETRACE_ON_NEW_INPUTS) <= set(IDS) | variants


def test_the_comparison_allows_one_ulp_and_no_more():
    one = np.array([1.0, 2.0])
    assert_within_one_ulp(np.nextafter(one, 3.0), one, "1 ulp")
    assert_within_one_ulp(one * 1j, one * 1j, "complex")
    with pytest.raises(AssertionError, match="more than 1 ulp"):
        assert_within_one_ulp(np.nextafter(np.nextafter(one, 3.0), 3.0), one, "2 ulps")
    with pytest.raises(AssertionError, match="imaginary"):
        assert_within_one_ulp(one + 1.5j, one + 1j, "complex")
    with pytest.raises(AssertionError):
        assert_within_one_ulp(np.array([1, 2]), np.array([1, 3]), "ints")
    with pytest.raises(AssertionError, match="non-finite"):
        assert_within_one_ulp(np.array([np.nan]), np.array([np.inf]), "nan")


def assert_replay_equals_eager(case, row, inputs_a, inputs):
    """Traced on ``inputs_a``, replayed on ``inputs``: equal to eager on ``inputs``."""
    fn = derivatives(case)
    traced = mg.function(fn, name="derivatives")
    traced(*inputs_a)                                   # traces
    result = traced(*inputs)                            # replays the program
    if row in RETRACE_ON_NEW_INPUTS:
        assert traced.experimental_get_tracing_count() == 2, \
            f"expected a guard to trace again: {RETRACE_ON_NEW_INPUTS[row]}"
        result = traced(*inputs)                        # now replays the second program
        assert traced.experimental_get_tracing_count() == 2
    else:
        assert traced.experimental_get_tracing_count() == 1
    replayed, eager = _host(result), _host(fn(*inputs))
    assert [n for n, _ in replayed] == [n for n, _ in eager]
    for (name, got), (_, want) in zip(replayed, eager):
        assert_within_one_ulp(got, want, f"{row}: {name}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_replayed_derivatives_equal_eager(backend, case):
    core_sweep_row(backend, CASES, case)
    assert_replay_equals_eager(case, ROW[id(case)], case.args(backend, seed=0),
                               case.args(backend, seed=1))


def with_constant(case, k, constant):
    """``case`` with input ``k`` fixed to ``constant``, which the function closes over."""
    def fn(*args):
        return case.fn(*args[:k], constant, *args[k:])
    shapes = case.shapes[:k] + case.shapes[k + 1:]
    return Case(case.id, fn, shapes, order=case.order)


@pytest.mark.parametrize("case,k", CONSTANT_INPUTS,
                         ids=[f"{ROW[id(c)]}-constant{k}" for c, k in CONSTANT_INPUTS])
def test_replayed_derivatives_with_a_constant_input(backend, case, k):
    core_sweep_row(backend, CONSTANT_INPUTS, (case, k))
    a, b = case.args(backend, seed=0), case.args(backend, seed=1)
    fixed = with_constant(case, k, b[k])
    assert_replay_equals_eager(fixed, f"{ROW[id(case)]}-constant{k}", a[:k] + a[k + 1:],
                               b[:k] + b[k + 1:])
