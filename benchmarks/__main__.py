"""``python -m benchmarks``: time every workload in every column, print and save the table.

    python -m benchmarks                       # full CPU suite, writes results/<date>-cpu.md
    python -m benchmarks --smoke               # tiny sizes, one repeat, multigrad + floor
    python -m benchmarks --backend cupy        # multigrad and floor on CuPy (needs a GPU)
    python -m benchmarks --columns floor,multigrad --workloads W1,W3
"""

import argparse
import datetime
import json
import os
import shlex
import sys

from . import config, report, runner


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--smoke", action="store_true",
                   help="tiny sizes, one repeat, only the multigrad and floor columns "
                        "(add --columns to run peers too); writes nothing unless --out")
    p.add_argument("--backend", default="numpy", choices=("numpy", "cupy"),
                   help="array backend of the multigrad and floor columns (peers: CPU only)")
    p.add_argument("--columns", help="comma-separated columns, of: "
                   + ",".join(c for c, _, _ in config.COLUMNS))
    p.add_argument("--workloads", help="comma-separated, of: " + ",".join(config.WORKLOADS))
    p.add_argument("--out", help="write the Markdown table here "
                   "(default, full runs: benchmarks/results/<date>-<backend>.md)")
    p.add_argument("--rounds", type=int, default=None,
                   help="times the floor and multigrad columns run, alternating; each cell "
                        "keeps the median round (default: 5, smoke: 1)")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="wall: perf_counter (default); cpu: process CPU time, which leaves "
                        "out time spent waiting for a core on a busy machine (CPU only)")
    p.add_argument("--json", help="also write the raw results (every sample) here")
    return p.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    size = "smoke" if args.smoke else "full"
    env = config.worker_env()
    if args.backend == "cupy":
        if args.clock == "cpu":
            print("--clock cpu cannot see GPU time; use the wall clock with --backend cupy",
                  file=sys.stderr)
            return 2
        reason = runner.cupy_unavailable_reason(env)
        if reason:
            print(f"--backend cupy: {reason}", file=sys.stderr)
            return 2
        env["MULTIGRAD_BACKEND"] = "cupy"

    known = {c: (c, m, v) for c, m, v in config.COLUMNS}
    if args.columns:
        names = args.columns.split(",")
        unknown = [c for c in names if c not in known]
        if unknown:
            print(f"unknown column(s) {unknown}; known: {list(known)}", file=sys.stderr)
            return 2
    elif args.smoke or args.backend != "numpy":
        names = list(config.OWN_COLUMNS)
    else:
        names = list(known)
    if args.backend != "numpy":
        names = [c for c in names if c in config.DEVICE_COLUMNS]   # peers: the CPU only
    if "floor" not in names:
        names.insert(0, "floor")                                # ratios need it
    columns = [known[c] for c in known if c in names]
    workloads = args.workloads.split(",") if args.workloads else list(config.WORKLOADS)
    bad = [w for w in workloads if w not in config.WORKLOADS]
    if bad:
        print(f"unknown workload(s) {bad}; known: {list(config.WORKLOADS)}", file=sys.stderr)
        return 2

    runner.log(f"benchmarks: {size} sizes, backend {args.backend}, columns "
               f"{', '.join(c for c, _, _ in columns)}")
    rounds = args.rounds or (1 if args.smoke else 5)
    results = runner.run(columns, workloads, backend=args.backend, size=size, env=env,
                         rounds=rounds, clock=args.clock)
    today = datetime.date.today().isoformat()
    command = "python -m benchmarks" + "".join(" " + shlex.quote(a) for a in (argv or sys.argv[1:]))
    text = report.markdown(results, workloads, [c for c, _, _ in columns], command=command,
                           date=today, backend=args.backend, size=size)
    print(text)
    out = args.out
    if out is None and size == "full":
        device = "cpu" if args.backend == "numpy" else args.backend
        out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                           f"{today}-{device}.md")
    if out:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with open(out, "w") as f:
            f.write(text)
        runner.log(f"wrote {out}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
