"""The randomized differential tester behind tests/tracing/test_differential.py.

- ``program``: Program (a DAG of ops, runnable on mg or NumPy, printable as a repro), Builder
- ``domains``: how inputs are drawn, and when a value is safely inside an op's domain
- ``catalogue``, ``ops_elementwise``, ``ops_structure``, ``ops_algebra``, ``ops_spectral``
  (eigh/svd and their family on real and complex matrices): the ops
- ``generate``: the hypothesis strategies ``programs()`` and ``empty_programs()``
- ``checks``, ``runner``: the checks and their host oracles; ``checks_more``: repeated
  arguments in the functional API, uneven Dask chunks of empty axes, JAX as an optional
  second oracle
- ``known``: KNOWN_FAILURES (unfixed bug classes, skipped narrowly); see FINDINGS.md
- ``collect``: long runs that tally every failure (``python -m differential.collect``)
"""
