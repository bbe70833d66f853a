"""Tests of multigrad/core."""
