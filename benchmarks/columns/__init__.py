"""One module per column. Each module offers:

``prepare(variant, backend)``  import the library, pin its threads; returns a dict of facts
                               (version, ...) for the report. ImportError: column missing.
``build(workload, d, variant)`` a ``Case`` for one workload, from the inputs ``d`` of
                               ``benchmarks.data.inputs`` (host NumPy arrays).

Every library records the same sequence of ops; differences are noted where an API forces one.
"""

from collections import namedtuple

# step():          value and gradient(s), once; returns library objects.
# to_numpy(r):     dict of output name -> host NumPy array, compared with the floor's.
# sync(r):         wait until r is really computed (async backends); called before reading
#                  the clock, never inside the timed loop of a synchronous library.
Case = namedtuple("Case", "step to_numpy sync")


def no_sync(result):
    return None


def w1_block(xp, a, x):
    """W1's block of ten elementwise ops, written once for every column: ``xp`` is the
    library's namespace (``mg``, ``torch``, ``tf``, ``jax.numpy``, ``autograd.numpy``), so
    every library records exactly the same sequence."""
    a = xp.sin(a)
    a = a * 0.9
    a = a + 0.1
    a = xp.abs(a)
    a = -a
    a = xp.exp(a)
    a = xp.tanh(a)
    a = a * x
    a = xp.cos(a)
    return a + 0.1
