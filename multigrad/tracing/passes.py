"""The compiler's passes, in the order they run over a trace (``program.py`` emits the
result). Each pass is one function ``pass(plan)`` in its own module, whose docstring says
what the pass may change and what it must keep; a new pass (fusion, say) is one module and
one entry in ``PASSES``.
"""

from .frees import plan_frees
from .fuse import fuse_kernels
from .inplace import reuse_buffers
from .liveness import drop_dead_steps
from .simplify import simplify_steps

__all__ = ["Plan", "PASSES", "run_passes"]


class Plan:
    """What the passes work on: the trace, its steps in program order, the ids the program
    returns (``outputs``) and writes into Variables (``writes``: (Variable, id) pairs), the
    ids it takes in (``inputs``: alive for the whole call), the size from which a value is
    worth freeing or reusing (``min_bytes``), and what the passes decide for the emitter
    (``frees``, ``inplace``); ``jit_compile`` turns fusion on."""

    def __init__(self, trace, nodes, outputs, writes, inputs, min_bytes, jit_compile=False):
        self.trace = trace
        self.nodes = list(nodes)
        self.outputs = list(outputs)
        self.writes = list(writes)
        self.inputs = set(inputs)
        self.min_bytes = min_bytes
        self.jit_compile = jit_compile     # mg.function(jit_compile=True): fuse kernels
        self.frees = {}        # node index -> ids to ``del`` after it
        self.inplace = {}      # node index -> (ufunc, id of the operand it writes into)

    def results(self):
        """The ids the program hands back: its outputs, then the values of its writes."""
        return self.outputs + [i for _, i in self.writes]

    def keep(self):
        """Ids that live to the end of the call: results and inputs."""
        return set(self.results()) | self.inputs


PASSES = [
    drop_dead_steps,       # liveness.py
    simplify_steps,        # simplify.py
    drop_dead_steps,       # what the simplifications left unused
    fuse_kernels,          # fuse.py (jit_compile=True only)
    plan_frees,            # frees.py
    reuse_buffers,         # inplace.py
]


def run_passes(plan):
    for compiler_pass in PASSES:
        compiler_pass(plan)
    return plan
