"""Tests of multigrad/tracing."""
