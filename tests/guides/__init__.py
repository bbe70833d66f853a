"""Tests of what users read first: README, docs, examples, guides, benchmarks."""
