"""Root conftest: the whole suite runs through multigrad's backend matrix plugin."""

pytest_plugins = ["multigrad.testing.pytest_plugin"]
