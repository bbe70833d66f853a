"""Tests of multigrad/backend."""
