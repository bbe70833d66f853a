"""Command line: ``python -m multigrad backends`` and ``python -m multigrad demo``."""

import argparse
import sys


def _backends_table():
    import multigrad as mg
    rows = [("backend", "version", "device", "description", "status")]
    for r in mg.list_backends():
        rows.append((r["name"], r["version"] or "-", r["device"] or "-", r["description"] or "-",
                     "available" if r["available"] else f"unavailable: {r['reason']}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:     # the status (a reason can be long) last, unpadded
        print("  ".join(c.ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4])
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="multigrad", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("backends", help="list registered backends and whether they can run here")
    demo = sub.add_parser("demo", help="run the README walkthrough and print its values")
    demo.add_argument("--backend", default=None, help="backend to run it on")
    demo.add_argument("--function", action="store_true",
                      help="run its training step as mg.function (traced once, replayed)")
    args = parser.parse_args(argv)
    if args.command == "backends":
        return _backends_table()
    import multigrad as mg
    from multigrad import demo as demo_module
    if args.backend:
        mg.set_backend(args.backend)
    demo_module.run(function=args.function)
    return 0


if __name__ == "__main__":
    sys.exit(main())
