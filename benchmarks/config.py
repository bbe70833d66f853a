"""What the suite runs: workloads, columns, sizes, targets, and the one-thread environment."""

import os

WORKLOADS = ("W1", "W2", "W3", "W4a", "W4b", "W5", "W7", "W6")

DESCRIPTIONS = {
    "W1": "tiny ops: x (4,), 60 elementwise ops + sum; value+grad",
    "W2": "MLP step: 128 x 784 -> 256 tanh -> 10, softmax CE; loss+4 grads",
    "W3": "README linear regression: 400 tape steps + assign_sub (float32)",
    "W4a": "HVP of sum(x**4), x (100,), grad of grad",
    "W4b": "Jacobian of tanh(A @ x), A (100, 100)",
    "W5": "sum(tanh(x) * x), x (10**7,); value+grad",
    "W5mem": "W5 peak memory above the input",
    "W6": "import multigrad on top of numpy",
    "W7": "MLP train step, batch 1024: GELU + LayerNorm chains, loss+5 grads+SGD",
}

# Targets for multigrad, as a ratio to the floor measured in the same run (W6: absolute).
# For the report only: nothing asserts them.
TARGETS = {"W1": 2.5, "W2": 1.15, "W3": 25.0, "W4a": 15.0, "W4b": 40.0, "W5": 1.3,
           "W5mem": 1.35}
W6_TARGET_MS = 50.0

# Columns in table order: (column name, module in benchmarks.columns, variant).
COLUMNS = (
    ("floor", "floor", "eager"),
    ("multigrad", "multigrad_", "eager"),
    ("mg.function", "multigrad_", "function"),
    ("mg.function(jit_compile=True)", "multigrad_", "jit"),
    ("autograd", "autograd_", "eager"),
    ("torch", "torch_", "eager"),
    ("jax", "jax_", "eager"),
    ("jax.jit", "jax_", "jit"),
    ("tf", "tensorflow_", "eager"),
    ("tf.function", "tensorflow_", "function"),
)
OWN_COLUMNS = ("floor", "multigrad")      # run in alternating rounds
DEVICE_COLUMNS = ("floor", "multigrad", "mg.function", "mg.function(jit_compile=True)")   # the ones --backend cupy runs

# The import name that decides whether a column can run here.
REQUIRES = {"floor": "numpy", "multigrad_": "multigrad", "autograd_": "autograd",
            "torch_": "torch", "jax_": "jax", "tensorflow_": "tensorflow"}

SIZES = {
    "full": {"W1_n": 4, "W1_blocks": 6, "W2_batch": 128, "W2_in": 784, "W2_hidden": 256,
             "W2_out": 10, "W3_epochs": 100, "W4_n": 100, "W5_n": 10**7,
             "W7_batch": 1024, "W7_in": 128, "W7_hidden": 512, "W7_out": 16},
    "smoke": {"W1_n": 4, "W1_blocks": 6, "W2_batch": 8, "W2_in": 12, "W2_hidden": 6,
              "W2_out": 3, "W3_epochs": 100, "W4_n": 5, "W5_n": 1000,
              "W7_batch": 8, "W7_in": 6, "W7_hidden": 10, "W7_out": 3},
}

# Timing. A sample runs the step `loops` times (calibrated so a sample lasts at least
# `sample_s`); the reported time is the median over `repeat` samples, per step.
TIMING = {
    "full": {"warmup_s": 0.2, "warmup_min": 3, "sample_s": 0.05, "repeat": 9},
    "smoke": {"warmup_s": 0.0, "warmup_min": 1, "sample_s": 0.0, "repeat": 1},
}
IMPORT_REPEAT = {"full": 9, "smoke": 2}
PEER_IMPORT_REPEAT = {"full": 3, "smoke": 1}

THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "JAX_PLATFORMS": "cpu",
    "JAX_ENABLE_X64": "1",
}


def worker_env():
    """The environment every subprocess runs in: one thread everywhere."""
    env = dict(os.environ)
    env.update(THREAD_ENV)
    return env
