"""The inputs of every workload, as host NumPy arrays (the same bytes for every column)."""

import numpy as np

# README's linear regression (TensorFlow's tutorial): its published result after 400 steps.
W3_XS = (1.0, 2.0, 3.0, 4.0)
W3_YS = (2.0, 4.0, 6.0, 8.0)
W3_README = {"W": 1.8927366, "b": 0.3451546}
W3_LR = 0.01

# W1's block of ten elementwise ops, repeated: (op, constant). "mulx" multiplies by x.
W1_BLOCK = (("sin", None), ("scale", 0.9), ("shift", 0.1), ("abs", None), ("neg", None),
            ("exp", None), ("tanh", None), ("mulx", None), ("cos", None), ("shift", 0.1))


def inputs(workload, sizes):
    """A dict of the workload's inputs (float64 NumPy arrays unless stated)."""
    rng = np.random.default_rng(20261127)
    if workload == "W1":
        return {"x": rng.uniform(-1.0, 1.0, sizes["W1_n"]), "blocks": sizes["W1_blocks"]}
    if workload == "W2":
        b, i, h, o = (sizes[k] for k in ("W2_batch", "W2_in", "W2_hidden", "W2_out"))
        labels = rng.integers(0, o, b)
        return {"X": rng.uniform(0.0, 1.0, (b, i)),
                "Y": np.eye(o)[labels],
                "W1": rng.normal(0.0, 1.0 / np.sqrt(i), (i, h)),
                "b1": rng.normal(0.0, 0.1, h),
                "W2": rng.normal(0.0, 1.0 / np.sqrt(h), (h, o)),
                "b2": rng.normal(0.0, 0.1, o)}
    if workload == "W3":
        return {"xs": W3_XS, "ys": W3_YS, "epochs": sizes["W3_epochs"], "lr": W3_LR}
    if workload == "W4a":
        n = sizes["W4_n"]
        return {"x": rng.uniform(-1.0, 1.0, n), "v": rng.uniform(-1.0, 1.0, n)}
    if workload == "W4b":
        n = sizes["W4_n"]
        return {"A": rng.normal(0.0, 1.0 / np.sqrt(n), (n, n)), "x": rng.uniform(-1.0, 1.0, n)}
    if workload == "W5":
        return {"x": rng.uniform(-2.0, 2.0, sizes["W5_n"])}
    if workload == "W7":
        b, i, h, o = (sizes[k] for k in ("W7_batch", "W7_in", "W7_hidden", "W7_out"))
        return {"X": rng.normal(0.0, 1.0, (b, i)), "T": rng.normal(0.0, 1.0, (b, o)),
                "W1": rng.normal(0.0, 1.0 / np.sqrt(i), (i, h)),
                "b1": rng.normal(0.0, 0.1, h),
                "gamma": rng.normal(1.0, 0.1, h), "beta": rng.normal(0.0, 0.1, h),
                "W2": rng.normal(0.0, 1.0 / np.sqrt(h), (h, o)), "lr": 0.01}
    raise KeyError(workload)


def w1_op_count(blocks):
    """Ops per W1 step: the elementwise chain plus the final sum."""
    return blocks * len(W1_BLOCK) + 1


# How each workload's outputs are compared with the floor's: (rtol, atol).
TOLERANCE = {"W1": (1e-9, 1e-12), "W2": (1e-8, 1e-12), "W3": (2e-5, 2e-6),
             "W4a": (1e-9, 1e-12), "W4b": (1e-9, 1e-12), "W5": (1e-8, 1e-9),
             "W7": (1e-8, 1e-12)}
