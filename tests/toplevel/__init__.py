"""Tests of the modules around the core: optimizers, module, checkpoint, random, debugging."""
