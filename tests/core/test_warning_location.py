"""A NumPy warning raised inside an op points at the user's line (issue 16)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """\
import multigrad as mg
x = mg.constant([0.0, 1.0])
y = mg.log(x)
def helper(t):
    return t / 0.0
z = helper(x)
with mg.GradientTape() as tape:
    tape.watch(x)
    s = mg.reduce_sum(mg.sqrt(x))
g = tape.gradient(s, x)
"""


def test_runtime_warnings_point_at_the_callers_line(tmp_path):
    script = tmp_path / "user_code.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "backends")]),
               MULTIGRAD_BACKEND="numpy")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=env, check=True)
    lines = [line for line in out.stderr.splitlines() if "Warning" in line]
    assert lines[0] == f"{script}:3: RuntimeWarning: divide by zero encountered in log"
    assert lines[1] == f"{script}:5: RuntimeWarning: divide by zero encountered in divide"
    # The backward pass's warning points at the gradient call.
    assert lines[-1].startswith(f"{script}:10: RuntimeWarning: divide by zero")
    assert "multigrad" + os.sep not in out.stderr
