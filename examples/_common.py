"""Shared command-line handling for the examples (not part of the library)."""

import argparse
import os
import sys

# Run from a checkout without installing: make the repository importable.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (_ROOT, os.path.join(_ROOT, "backends")):
    if _path not in sys.path:
        sys.path.insert(0, _path)


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--backend", default=None,
                   help="multigrad backend to run on (default: MULTIGRAD_BACKEND or numpy); "
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
    import multigrad as mg
    if name:
        mg.set_backend(name)
    return mg.get_backend()


def progress_bar(done, total, width=30, suffix=""):
    """One line of text: [#####.....] done/total suffix (redrawn in place on a terminal)."""
    filled = int(width * done / total) if total else width
    line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {suffix}"
    end = "\n" if done == total or not sys.stdout.isatty() else ""
    print("\r" + line if sys.stdout.isatty() else line, end=end, flush=True)
