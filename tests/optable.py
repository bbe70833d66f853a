"""Table-driven gradient tests: one row per (op, input shapes), checked on every backend.

A row is ``Case(id, fn, shapes, domain)``; ``fn`` takes Tensors and returns a Tensor,
``shapes`` gives each input's shape, ``domain`` maps a standard-normal draw into the
op's domain (e.g. positive for log). Rows run at order 1 and 2 against float64
finite differences via ``mg.testing.check_grads``.
"""

import numpy as np

import multigrad as mg


class Case:
    def __init__(self, id, fn, shapes, domain=None, order=2, ints=None):
        self.id = id
        self.fn = fn
        self.shapes = shapes
        self.domain = domain or (lambda a: a)
        self.order = order

    def args(self, backend, seed=0):
        rng = np.random.default_rng(seed)
        return [mg.to_backend(self.domain(rng.standard_normal(s)), backend)
                for s in self.shapes]

    def __repr__(self):
        return self.id


def positive(a):
    return np.abs(a) + 0.5


def away_from_zero(a):
    return np.sign(a) * (np.abs(a) + 0.5) + (a == 0)


def unit_interval(a):
    return np.tanh(a) * 0.9


def distinct(a):
    """Values far apart, so max/min/sort are not near a tie."""
    flat = np.arange(a.size, dtype=np.float64)
    np.random.default_rng(1).shuffle(flat)
    return (flat.reshape(a.shape) - a.size / 2) * 0.7 + 0.1


def ids(cases):
    return [c.id for c in cases]
