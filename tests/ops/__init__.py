"""Tests of multigrad/ops."""
