"""The README walkthrough: gradients of a matmul, a persistent tape, and TensorFlow's
linear-regression tutorial loop.

    python examples/walkthrough.py [--backend numpy] [--epochs 100]
"""

import warnings

from _common import parser, select_backend

import multigrad as mg


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=100, help="passes over the 4 data points")
    args = p.parse_args(argv)
    backend = select_backend(args.backend)
    print(f"backend: {backend.name}")

    x = mg.reshape(mg.Variable(range(4), dtype=mg.float32), (4, 1))
    with mg.GradientTape() as t:
        t.watch(x)
        y = 2 * mg.matmul(mg.transpose(x), x)
    dy_dx = t.gradient(y, x)
    print(f"dy_dx = {dy_dx.numpy().tolist()}")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mg.PerformanceWarning)
        with mg.GradientTape(persistent=True) as g:
            g.watch(x)
            y = x * x
            z = y * y
            dz_dx = g.gradient(z, x)
    print(f"dz_dx = {dz_dx.numpy().tolist()}")

    W = mg.Variable(1.0)
    b = mg.Variable(1.0)

    def model(x):
        return W * x + b

    def loss(p, y):
        return mg.reduce_mean(mg.square(p - y))

    for _ in range(args.epochs):
        for xi, yi in zip([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]):
            with mg.GradientTape() as t:
                current = loss(model(xi), yi)
            dW, db = t.gradient(current, [W, b])
            W.assign_sub(0.01 * dW)
            b.assign_sub(0.01 * db)
    final = loss(model(mg.constant([1.0, 2.0, 3.0, 4.0])), mg.constant([2.0, 4.0, 6.0, 8.0]))
    print(f"W = {float(W):.7f}, b = {float(b):.7f}, loss = {float(final):.7f}")


if __name__ == "__main__":
    main()
