"""The contract a backend plugin implements (pluggy hook specifications).

A plugin is a module (or object) with a function marked ``@multigrad.hookimpl``
named ``multigrad_backends``. Built-in plugins live in ``backends/`` and are
registered directly; third-party ones are found through the entry-point group
``multigrad.backends``. Hooks are called when backends are looked up, never per
operation: what a plugin hands over is a ``BackendSpec`` whose ``load()`` builds
the ``multigrad.Backend`` object the core then calls directly.
"""

import pluggy

PROJECT = "multigrad"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def multigrad_backends():
    """Return an iterable of ``multigrad.BackendSpec``, one per backend this plugin provides.

    This hook must be cheap and must not import the array library: the library is
    imported by ``BackendSpec.load`` when the backend is first selected or used.
    """


@hookspec
def multigrad_diagnostics():
    """Return lines (strings) about libraries the plugin's backends work with, for
    ``python -m multigrad backends`` (e.g. a companion library that is installed but broken).

    Optional; called only by that command, so it may import what it checks.
    """
