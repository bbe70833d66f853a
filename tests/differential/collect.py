"""Long runs: ``python -m differential.collect --backend numpy -n 2000`` (from tests/);
``--generator spectral`` or ``empty`` draws from issue 22's generators only.

Runs N programs per backend with every check (known failures included) and writes one
JSON line per failure: check, backend, dtype, ops, message and the repro.
"""

import argparse
import json
import sys
import time
import warnings
from collections import Counter

from hypothesis import HealthCheck, given, settings

import multigrad as mg

from .generate import empty_programs, programs
from .known import known_failure
from .runner import run_program


GENERATORS = {"all": programs, "empty": empty_programs,
              "spectral": lambda: programs(dtypes=("float64", "complex128"), ops=["spectral"],
                                           max_ops=2)}


def collect(backend, n, seed, out, generator="all"):
    stats = Counter()

    @settings(max_examples=n, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(GENERATORS[generator]())
    def one(program):
        stats["programs"] += 1
        with mg.use_backend(backend):
            results = run_program(program, backend, use_known=False)
        for check, r in results.items():
            stats[f"ran:{check}"] += 1
            if isinstance(r, str):          # skipped, with the reason
                stats[f"skipped:{check}"] += 1
            if isinstance(r, Exception):
                stats[f"fail:{check}"] += 1
                stats["failed_programs"] += check == next(
                    k for k, v in results.items() if isinstance(v, Exception))
                out.write(json.dumps({
                    "backend": backend, "check": check, "dtype": program.dtype,
                    "ops": sorted(program.ops), "n_nodes": len(program.nodes),
                    "empty": program.has_empty(), "error": type(r).__name__,
                    "known": known_failure(check, program, backend),
                    "message": str(r)[:400], "repro": program.repro()}) + "\n")
                out.flush()

    one._hypothesis_internal_use_seed = seed
    one()
    return stats


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--backend", default="numpy")
    p.add_argument("-n", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="-")
    p.add_argument("--generator", default="all", choices=sorted(GENERATORS))
    a = p.parse_args(argv)
    warnings.simplefilter("ignore")
    out = sys.stdout if a.out == "-" else open(a.out, "a")
    t = time.time()
    stats = collect(a.backend, a.n, a.seed, out, a.generator)
    print(json.dumps({"backend": a.backend, "generator": a.generator, "seconds": round(time.time() - t, 1),
                      **stats}), file=sys.stderr)


if __name__ == "__main__":
    main()
