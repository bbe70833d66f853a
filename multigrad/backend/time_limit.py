"""Calling third-party plugin code with a time limit (registry discovery).

Python cannot stop a thread, so a call that never returns is left running in a daemon
thread (it does not keep the process alive at exit) and reported as timed out; its result,
should it ever come, is dropped. An import stuck that way holds the import lock of the
module being imported only: the rest of the process keeps importing and running.
"""

import os
import threading

__all__ = ["TIMEOUT_ENV", "DEFAULT_TIMEOUT", "TimedOut", "plugin_timeout", "call_with_limit"]

TIMEOUT_ENV = "MULTIGRAD_PLUGIN_TIMEOUT"
DEFAULT_TIMEOUT = 10.0


class TimedOut(Exception):
    """The call did not return within ``seconds``."""

    def __init__(self, seconds):
        super().__init__(f"did not finish within {seconds:g} s")
        self.seconds = seconds


def plugin_timeout(value=None):
    """Seconds a plugin's import (or hook) may take: ``value``, else ``MULTIGRAD_PLUGIN_TIMEOUT``,
    else 10. ``0`` means no limit (the call runs in the calling thread)."""
    source = "plugin_timeout"
    if value is None:
        text = os.environ.get(TIMEOUT_ENV, "").strip()
        if not text:
            return DEFAULT_TIMEOUT
        source, value = TIMEOUT_ENV, text
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not seconds >= 0 or seconds == float("inf"):       # NaN, negative, inf
        raise ValueError(f"{source}={value!r}: expected a number of seconds >= 0 (e.g. 10), "
                         f"or 0 for no limit")
    return seconds


def call_with_limit(fn, seconds, name):
    """``fn()``, or ``TimedOut`` after ``seconds`` (``fn`` then keeps running in a daemon
    thread named ``name``); ``seconds == 0`` calls it here, without a limit."""
    if not seconds:
        return fn()
    outcome = {}

    def target():
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, name=name, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimedOut(seconds)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
