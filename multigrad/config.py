"""``mg.config`` (``tf.config``): process-wide settings. Each group lives in its own module;
this one only gathers their names."""

from .config_functions import functions_run_eagerly, run_functions_eagerly

__all__ = ["run_functions_eagerly", "functions_run_eagerly"]
