"""Command line: ``multigrad backends`` and ``multigrad demo`` (or ``python -m multigrad ...``)."""

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
    notes = [line for lines in mg.backend.select.REGISTRY.plugin_manager.hook.multigrad_diagnostics()
             for line in lines]
    if notes:
        print()
        for line in notes:
            print(line)
    return 0


def _parser():
    parser = argparse.ArgumentParser(
        prog="multigrad",
        description="multigrad: TensorFlow-style GradientTape autodiff on NumPy, CuPy and "
                    "plugin backends.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("backends", help="list the registered backends, whether each can run here "
                                    "(and why not), and the state of companion libraries")
    demo = sub.add_parser("demo",
                          help="run the README walkthrough and print its values",
                          description="Run the README walkthrough (gradients, a persistent "
                                      "tape, a 100-epoch linear fit) and print its values.")
    demo.add_argument("--backend", default=None,
                      help="backend to run it on (see 'multigrad backends'); default: the "
                           "active one (MULTIGRAD_BACKEND, else numpy)")
    demo.add_argument("--function", action="store_true",
                      help="run the training step as mg.function: traced once, then replayed "
                           "(the same values)")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "backends":
        return _backends_table()
    import multigrad as mg
    from multigrad import demo as demo_module
    if args.backend:
        try:
            mg.set_backend(args.backend)
        except mg.BackendError as exc:     # unknown or unavailable: one line, usage-error code
            print(f"multigrad demo: error: {exc}", file=sys.stderr)
            return 2
    demo_module.run(function=args.function)
    return 0


if __name__ == "__main__":
    sys.exit(main())
