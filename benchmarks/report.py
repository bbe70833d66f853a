"""The results table (Markdown): per workload, each column's median and its ratio to the floor."""

import os
import platform

from . import config

ROW_UNITS = {"W1": "per op", "W2": "per step", "W3": "400 steps", "W4a": "per HVP",
             "W4b": "per jacobian", "W5": "per call", "W5mem": "one call", "W7": "per step",
             "W6": "import time"}


def fmt_time(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt_bytes(n):
    return f"{n / 2**20:.0f} MiB"


def _quantity(workload, cell):
    """The number a cell compares on (seconds or bytes) and its text."""
    if workload == "W5mem":
        return cell["peak_bytes"], fmt_bytes(cell["peak_bytes"])
    t = cell["time_s"]
    if workload == "W1":
        t = t / cell["ops"]
    return t, fmt_time(t)


def _cell(workload, cell, floor_value):
    if cell is None:
        return "—"
    status = cell.get("status")
    if status != "ok":
        return status
    value, text = _quantity(workload, cell)
    if workload == "W6" or not floor_value:
        return text
    return f"{text} ({value / floor_value:.2f}x)"


def _target(workload, cell, floor_value):
    if workload == "W6":
        goal = config.W6_TARGET_MS
        if not cell or cell.get("status") != "ok":
            return f"<= {goal:g} ms"
        ms = cell["time_s"] * 1e3
        clean = not cell.get("loaded")
        verdict = "met" if ms <= goal and clean else "MISSED"
        return f"<= {goal:g} ms: {verdict}"
    goal = config.TARGETS.get(workload)
    if goal is None:
        return ""
    if not cell or cell.get("status") != "ok" or not floor_value:
        return f"<= {goal:g}x"
    ratio = _quantity(workload, cell)[0] / floor_value
    return f"<= {goal:g}x: {'met' if ratio <= goal else 'MISSED'}"


def rows_of(results, workloads):
    rows = [w for w in config.WORKLOADS if w in workloads and w != "W6"]
    if "W5" in rows:
        rows.insert(rows.index("W5") + 1, "W5mem")
    if "W6" in workloads:
        rows.append("W6")
    return rows


def table(results, workloads, columns, verdicts=True):
    present = [c for c in columns if "missing" not in results["columns"].get(c, {})]
    header = ["id", "workload"] + [("multigrad" if c == "multigrad" else c) for c in present]
    if "multigrad" in header:
        header.insert(header.index("multigrad") + 1, "target")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for w in rows_of(results, workloads):
        cells = {c: (results.get("W6", {}).get(c) if w == "W6"
                     else results["columns"].get(c, {}).get("results", {}).get(w))
                 for c in present}
        floor = cells.get("floor")
        floor_value = (_quantity(w, floor)[0]
                       if floor and floor.get("status") == "ok" and w != "W6" else None)
        row = [w, f"{config.DESCRIPTIONS[w]} ({ROW_UNITS[w]})"]
        for c in present:
            row.append(_cell(w, cells[c], floor_value))
            if c == "multigrad":
                row.append(_target(w, cells[c], floor_value) if verdicts
                           else _target(w, None, None))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def notes(results, workloads, columns):
    out = []
    missing = [f"{c} ({results['columns'][c]['missing']})" for c in columns
               if "missing" in results["columns"].get(c, {})]
    if missing:
        out.append("Missing columns: " + "; ".join(missing) + ".")
    for c in columns:
        col = results["columns"].get(c, {})
        for w, cell in col.get("results", {}).items():
            if cell.get("status") not in (None, "ok"):
                out.append(f"{c} {w}: {cell['status']}: {cell.get('detail', '')}")
    for c, cell in results.get("W6", {}).items():
        if cell.get("status") != "ok":
            out.append(f"{c} W6: {cell.get('detail', '')}")
        elif c == "multigrad":
            loaded = cell.get("loaded") or []
            out.append("W6: `import multigrad` loaded "
                       + (", ".join(loaded) if loaded else "no cupy and no peer library")
                       + " (checked in sys.modules).")
    for c in config.OWN_COLUMNS:
        spread = []
        for w, cell in results["columns"].get(c, {}).get("results", {}).items():
            rm = cell.get("round_medians")
            if rm and len(rm) > 1:
                spread.append(f"{w} {max(rm) / min(rm):.2f}")
        if spread:
            out.append(f"{c}: slowest / fastest round median: " + ", ".join(spread) + ".")
    w5 = results["columns"].get("multigrad", {}).get("results", {}).get("W5mem", {})
    if w5.get("status") == "ok":
        out.append(f"W5 input: {fmt_bytes(w5['input_bytes'])}; peak memory is the resident "
                   f"set's high-water mark during one call minus the resident set before it"
                   + ("" if w5.get("hwm_reset") else " (VmHWM could not be reset)") + ".")
    return out


def environment(results, columns):
    lines = [f"- machine: {_cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()} "
             f"{platform.release()}; Python {platform.python_version()}; every thread pool "
             f"pinned to one thread",
             f"- clock: {results.get('clock', 'wall')}; load average (1, 5, 15 min) before "
             f"{_load(results.get('load_before'))}, after {_load(results.get('load_after'))}"]
    for c in columns:
        info = results["columns"].get(c, {}).get("info")
        if info:
            extra = ", ".join(f"{k} {v}" for k, v in info.items() if k != "version")
            lines.append(f"- {c}: {info.get('version', '?')}" + (f" ({extra})" if extra else ""))
    return lines


def _load(values):
    return "/".join(f"{v:.2f}" for v in values) if values else "?"


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def markdown(results, workloads, columns, *, command, date, backend, size):
    if size == "smoke":
        command += "  (smoke sizes and one repeat: the times mean nothing, the checks do)"
    parts = [f"# multigrad benchmarks: {date}, {backend}{' (smoke sizes)' if size == 'smoke' else ''}",
             "", f"Command: `{command}`", "",
             "Each cell: the median time (W5mem: peak memory), and in parentheses its ratio to "
             "the floor (hand-written NumPy forward + backward) measured in the same run. "
             "`target` is multigrad's goal for that ratio (for the report only).", "",
             table(results, workloads, columns, verdicts=size != "smoke"), ""]
    extra = notes(results, workloads, columns)
    if extra:
        parts += ["Notes:", ""] + [f"- {n}" for n in extra] + [""]
    parts += ["Environment:", ""] + environment(results, columns) + [""]
    return "\n".join(parts)
