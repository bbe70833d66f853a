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
    return p


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
