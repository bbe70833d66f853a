"""Tests of multigrad/autodiff."""
