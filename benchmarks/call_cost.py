"""The fixed cost of calling an ``mg.function``: ``python -m benchmarks.call_cost``.

A traced ``f(x, y) = x + y`` on two 0-d float32 Tensors, its cost per call taken apart by
timing, in one process and interleaved rounds, what each layer adds:

- ``x + y`` on the raw arrays (the work itself; the floor);
- the generated program called directly (its signature checks, the body, the Tensor it
  returns);
- ``f(x, y)``: the program through ``Function.__call__``'s fast path (two context-variable
  reads and the argument count);
- ``f(x, y=y)``: a keyword argument takes the general path (the signature key, the cache
  lookup).

Prints one Markdown table, in µs per call and as a ratio to the floor.
"""

import argparse
import os
import time

from .config import THREAD_ENV

for _k, _v in THREAD_ENV.items():
    os.environ.setdefault(_k, _v)


def _per_call(fn, calls):
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def measure(calls=200_000, rounds=5):
    import multigrad as mg

    @mg.function
    def f(x, y):
        return x + y

    x, y = mg.constant(1.5), mg.constant(2.0)
    f(x, y)
    f(x, y=y)
    program = f._fast[1]
    a, b = x._value, y._value
    rows = {
        "x + y on the arrays (floor)": lambda: a + b,
        "the program, called directly": lambda: program(x, y),
        "f(x, y): the fast path": lambda: f(x, y),
        "f(x, y=y): the signature key": lambda: f(x, y=y),
    }
    best = {name: float("inf") for name in rows}
    for _ in range(rounds):                       # interleaved: noise hits every row
        for name, fn in rows.items():
            best[name] = min(best[name], _per_call(fn, calls))
    return best


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.call_cost", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--calls", type=int, default=200_000)
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args(argv)
    best = measure(args.calls, args.rounds)
    floor = best["x + y on the arrays (floor)"]
    print("| call | µs per call (best of rounds) | ratio to the floor |")
    print("|---|---|---|")
    for name, seconds in best.items():
        print(f"| {name} | {seconds * 1e6:.3f} | {seconds / floor:.2f}x |")


if __name__ == "__main__":
    main()
