"""Shared command-line handling for the examples (not part of the library)."""

import argparse
import os
import sys

# Run from a checkout without installing: make the repository importable.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (_ROOT, os.path.join(_ROOT, "backends")):
    if _path not in sys.path:
        sys.path.insert(0, _path)


class _DefaultsShown(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each option's default, except where there is none (None, a flag's False)."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False:
            return action.help
        return super()._get_help_string(action)


def parser(doc):
    """The example's argument parser: its docstring's first paragraph as the description,
    and every option's default in ``--help``."""
    description = doc.strip().split("\n\n")[0].replace("\n", " ")
    p = argparse.ArgumentParser(description=description,
                                formatter_class=_DefaultsShown)
    p.add_argument("--backend", default=None,
                   help="multigrad backend to run on (default: MULTIGRAD_BACKEND, else numpy); "
                        "see 'python -m multigrad backends'")
    p.add_argument("--function", action="store_true",
                   help="run the training step as mg.function: traced once, then replayed "
                        "(prints the same values as the eager run)")
    return p


def step_function(step, args):
    """``step`` itself, or ``mg.function(step)`` under ``--function``."""
    import multigrad as mg
    return mg.function(step) if args.function else step


def report_tracing(step):
    """Under ``--function``, one line saying how often the step was traced (a step that
    creates an optimizer's slots traces twice, as tf.function does); else nothing."""
    import multigrad as mg
    if isinstance(step, mg.Function):
        n = step.experimental_get_tracing_count()
        print(f"mg.function: {step.__name__} traced {n} time{'' if n == 1 else 's'}")


def select_backend(name):
    """Select the backend named on the command line; an unknown or unavailable one is a
    one-line error and exit code 2, as for any other bad argument."""
    import multigrad as mg
    if name:
        try:
            mg.set_backend(name)
        except mg.BackendError as exc:
            print(f"{os.path.basename(sys.argv[0])}: error: {exc}", file=sys.stderr)
            sys.exit(2)
    return mg.get_backend()


def progress_bar(done, total, width=30, suffix=""):
    """One line of text: [#####.....] done/total suffix (redrawn in place on a terminal)."""
    filled = int(width * done / total) if total else width
    line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {suffix}"
    end = "\n" if done == total or not sys.stdout.isatty() else ""
    print("\r" + line if sys.stdout.isatty() else line, end=end, flush=True)
