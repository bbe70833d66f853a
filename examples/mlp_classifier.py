"""A two-layer MLP classifying a synthetic 2-D dataset (concentric noisy rings, one per
class: not linearly separable), trained with mg.optimizers.Adam and softmax cross-entropy.

    python examples/mlp_classifier.py [--backend numpy] [--samples 300] [--classes 3]
                                      [--hidden 32] [--epochs 200] [--lr 0.05]
                                      [--function]
"""

import numpy as np  # data generation and accuracy on the host only

from _common import parser, progress_bar, report_tracing, select_backend, step_function

import multigrad as mg


def make_data(rng, samples, classes):
    """Class k lies on a ring of radius k + 1 (with radial noise): a linear model cannot
    separate the classes, a hidden layer can."""
    labels = rng.integers(0, classes, size=samples)
    angles = rng.uniform(0, 2 * np.pi, size=samples)
    radii = labels + 1.0 + 0.15 * rng.standard_normal(samples)
    points = np.stack([np.cos(angles), np.sin(angles)], axis=1) * radii[:, None]
    return points.astype(np.float32), labels


def cross_entropy(logits, one_hot):
    """Mean softmax cross-entropy, computed stably (log-sum-exp with the max removed)."""
    shift = mg.stop_gradient(mg.reduce_max(logits, axis=1, keepdims=True))
    log_z = mg.log(mg.reduce_sum(mg.exp(logits - shift), axis=1)) + mg.squeeze(shift, 1)
    return mg.reduce_mean(log_z - mg.reduce_sum(logits * one_hot, axis=1))


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--samples", type=int, default=300, help="data points")
    p.add_argument("--classes", type=int, default=3, help="classes (one ring each)")
    p.add_argument("--hidden", type=int, default=32, help="hidden units")
    p.add_argument("--epochs", type=int, default=200, help="full-batch Adam steps")
    p.add_argument("--lr", type=float, default=0.05, help="learning rate")
    p.add_argument("--seed", type=int, default=0, help="random seed for the data")
    args = p.parse_args(argv)
    backend = select_backend(args.backend).name

    rng = np.random.default_rng(args.seed)
    points, labels = make_data(rng, args.samples, args.classes)
    X = mg.to_backend(points, backend)
    Y = mg.to_backend(np.eye(args.classes, dtype=np.float32)[labels], backend)

    def init(shape):
        scale = np.sqrt(2.0 / shape[0])
        return mg.Variable(mg.to_backend((rng.standard_normal(shape) * scale)
                                         .astype(np.float32), backend))
    W1, b1 = init((2, args.hidden)), mg.Variable(mg.zeros((args.hidden,), backend=backend))
    W2, b2 = init((args.hidden, args.classes)), mg.Variable(mg.zeros((args.classes,),
                                                                     backend=backend))
    params = [W1, b1, W2, b2]

    def logits():
        hidden = mg.tanh(mg.matmul(X, W1) + b1)
        return mg.matmul(hidden, W2) + b2

    def loss():
        return cross_entropy(logits(), Y)

    def accuracy():
        return float(np.mean(np.argmax(logits().numpy(), axis=1) == labels))

    opt = mg.optimizers.Adam(learning_rate=args.lr)

    def train_step():
        return opt.minimize(loss, params)

    step = step_function(train_step, args)
    print(f"backend: {backend}; {args.samples} points, {args.classes} classes, "
          f"{args.hidden} hidden units")
    first = float(loss())
    every = max(1, args.epochs // 20)
    for epoch in range(1, args.epochs + 1):
        current = step()
        if epoch % every == 0 or epoch == args.epochs:
            progress_bar(epoch, args.epochs, suffix=f"loss {float(current):.4f}")
    print(f"loss: {first:.4f} -> {float(loss()):.4f}")
    print(f"final accuracy: {accuracy():.3f}")
    report_tracing(step)


if __name__ == "__main__":
    main()
