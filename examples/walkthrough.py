"""The README walkthrough: gradients of a matmul, a persistent tape, and TensorFlow's
linear-regression tutorial loop (the same program as ``python -m multigrad demo``, whose
source, ``multigrad/demo.py``, is the one to read).

    python examples/walkthrough.py [--backend numpy] [--epochs 100] [--function]
"""

from _common import parser, select_backend

from multigrad import demo


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--epochs", type=int, default=100, help="passes over the 4 data points")
    args = p.parse_args(argv)
    select_backend(args.backend)
    demo.run(epochs=args.epochs, function=args.function)


if __name__ == "__main__":
    main()
