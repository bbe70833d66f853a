"""Newton's method with mg.hessian on a smooth strictly convex function
f(x) = sum(exp(x)) - b.x + x.A.x / 2 (A symmetric positive definite): a few steps reach
the minimum to machine precision (quadratic convergence).

    python examples/newton.py [--backend numpy] [--dim 4] [--tol 1e-10] [--max-steps 20]
                              [--function]
"""

import numpy as np  # problem set-up on the host

from _common import parser, report_tracing, select_backend, step_function

import multigrad as mg


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--dim", type=int, default=4, help="dimension of the problem")
    p.add_argument("--tol", type=float, default=1e-10, help="stop when |grad| < tol")
    p.add_argument("--max-steps", type=int, default=20, help="give up after this many Newton steps")
    p.add_argument("--seed", type=int, default=0, help="random seed for the data")
    args = p.parse_args(argv)
    backend = select_backend(args.backend).name

    rng = np.random.default_rng(args.seed)
    M = rng.standard_normal((args.dim, args.dim))
    A = mg.to_backend(M @ M.T / args.dim + np.eye(args.dim), backend)
    b = mg.to_backend(rng.standard_normal(args.dim) * 3, backend)

    def f(x):
        return mg.sum(mg.exp(x)) - mg.sum(b * x) + 0.5 * mg.sum(x * mg.matmul(A, x))

    grad_f = mg.grad(f)
    hess_f = mg.hessian(f)

    def newton_step(x):
        x = x - mg.linalg.solve(hess_f(x), grad_f(x))       # the Newton step
        return x, f(x), mg.linalg.norm(grad_f(x))

    newton = step_function(newton_step, args)
    x = mg.to_backend(np.zeros(args.dim), backend)          # float64 throughout
    print(f"backend: {backend}; dimension {args.dim}")
    for step in range(1, args.max_steps + 1):
        x, value, norm = newton(x)
        norm = float(norm)
        print(f"step {step}: f = {float(value):.12f}  |grad| = {norm:.3e}")
        if norm < args.tol:
            print(f"converged in {step} steps: x = {np.round(x.numpy(), 6).tolist()}")
            report_tracing(newton)
            return 0
    print(f"not converged after {args.max_steps} steps")
    report_tracing(newton)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
