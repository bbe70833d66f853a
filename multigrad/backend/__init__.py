"""The backend contract: what a backend is and how one is found and chosen.

``spec`` (``BackendSpec``, ``Backend``, ``ArrayOps``: the raw rule vocabulary and its
extras), ``fallbacks`` (the extras written in standard Array API terms), ``conj``
(complex-aware helpers free on real data), ``einsum_parse``, ``registry`` (plugins found
through pluggy), ``time_limit`` (a plugin's load deadline), ``select`` (the backend in use),
``array_api`` (any Array API namespace as a backend). Imports nothing above it.
"""
