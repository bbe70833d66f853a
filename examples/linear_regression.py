"""Linear regression on synthetic data (y = X w + b + noise), trained with mg.optimizers.SGD.

    python examples/linear_regression.py [--backend numpy] [--samples 200] [--features 3]
                                         [--steps 200] [--lr 0.1] [--function]
"""

import numpy as np  # data generation on the host only

from _common import parser, report_tracing, select_backend, step_function

import multigrad as mg


def _fmt(values):
    return "[" + ", ".join(f"{v:.3f}" for v in values.ravel()) + "]"


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--samples", type=int, default=200, help="data points")
    p.add_argument("--features", type=int, default=3, help="features per row")
    p.add_argument("--steps", type=int, default=200, help="gradient steps")
    p.add_argument("--lr", type=float, default=0.1, help="learning rate")
    p.add_argument("--seed", type=int, default=0, help="random seed for the data")
    args = p.parse_args(argv)
    backend = select_backend(args.backend)

    rng = np.random.default_rng(args.seed)
    true_w = rng.uniform(-3, 3, size=(args.features, 1)).astype(np.float32)
    true_b = np.float32(0.5)
    X_host = rng.standard_normal((args.samples, args.features)).astype(np.float32)
    y_host = X_host @ true_w + true_b + 0.01 * rng.standard_normal((args.samples, 1))
    X = mg.to_backend(X_host, backend.name)
    y = mg.to_backend(y_host.astype(np.float32), backend.name)

    w = mg.Variable(mg.zeros((args.features, 1), backend=backend.name), name="w")
    b = mg.Variable(mg.zeros((), backend=backend.name), name="b")
    opt = mg.optimizers.SGD(learning_rate=args.lr, momentum=0.5)

    def loss():
        return mg.reduce_mean(mg.square(mg.matmul(X, w) + b - y))

    def train_step():
        return opt.minimize(loss, [w, b])

    step = step_function(train_step, args)
    first = float(loss())
    for _ in range(args.steps):
        current = step()
    error = float(np.max(np.abs(w.numpy() - true_w)))
    print(f"backend: {backend.name}")
    print(f"loss: {first:.6f} -> {float(current):.6f} after {args.steps} steps")
    print(f"learned w = {_fmt(w.numpy())}, b = {float(b):.3f}")
    print(f"true    w = {_fmt(true_w)}, b = {float(true_b):.3f}")
    print(f"max |w - true_w| = {error:.4f}")
    report_tracing(step)


if __name__ == "__main__":
    main()
