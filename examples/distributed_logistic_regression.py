"""Logistic regression on a Dask cluster: data larger than a worker's memory, gradients from the tape.

    python examples/distributed_logistic_regression.py [--rows 50000000] [--features 20]
        [--chunk-rows 1000000] [--steps 5] [--lr 4.0] [--workers 2] [--memory-limit 2GiB]
        [--scheduler tcp://host:8786] [--function]

The dataset (default 50 million rows x 20 float32 features, 4 GB) is generated chunk by chunk
on the workers from a seed, inside the task graph: it is never materialised in one place
(each worker holds a few chunks at a time, well under its memory limit). Each training step
builds the loss and its gradients lazily with mg.GradientTape on the dask backend and
evaluates both in one pass over the data with mg.compute. Without --scheduler it starts a
LocalCluster with --workers worker processes, each limited to --memory-limit; with
--scheduler it connects to that running cluster (dask.distributed.Client(address)).
"""

import math
import time

from _common import parser, progress_bar, report_tracing, step_function

import multigrad as mg


def make_data(rows, features, chunk_rows, seed):
    """X (rows x features, standard normal) and labels y from a known logistic model,
    both lazy Dask arrays generated per chunk (the same values on every pass)."""
    import dask.array as da
    import numpy as np

    rng = da.random.default_rng(seed)
    X = rng.standard_normal((rows, features), chunks=(chunk_rows, features), dtype=np.float32)
    true_w = np.linspace(-1.0, 1.0, features, dtype=np.float32).reshape(features, 1)
    true_b = np.float32(0.25)
    z = X @ true_w + true_b
    u = rng.random((rows, 1), chunks=(chunk_rows, 1), dtype=np.float32)
    y = (u < 1 / (1 + da.exp(-z))).astype(np.float32)
    return X, y, true_w, true_b


def start_client(args):
    from dask.distributed import Client, LocalCluster
    if args.scheduler:
        return Client(args.scheduler), None
    # Loopback only; with --threads-only the workers talk in-process (no sockets at all).
    where = {"processes": False} if args.threads_only else {"host": "127.0.0.1"}
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=args.threads,
                           memory_limit=args.memory_limit, dashboard_address=None, **where)
    return Client(cluster), cluster


def main(argv=None):
    p = parser(__doc__)
    p.set_defaults(backend="dask")
    p.add_argument("--rows", type=int, default=50_000_000, help="rows of synthetic data")
    p.add_argument("--features", type=int, default=20, help="features per row")
    p.add_argument("--chunk-rows", type=int, default=1_000_000, help="rows per Dask chunk")
    p.add_argument("--steps", type=int, default=5, help="gradient steps")
    p.add_argument("--lr", type=float, default=4.0, help="learning rate")
    p.add_argument("--seed", type=int, default=0, help="random seed for the data")
    p.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    p.add_argument("--threads", type=int, default=1, help="threads per worker")
    p.add_argument("--memory-limit", default="2GiB", help="per worker (LocalCluster only)")
    p.add_argument("--threads-only", action="store_true",
                   help="LocalCluster workers as threads of this process (no worker processes)")
    p.add_argument("--scheduler", default=None,
                   help="address of a running Dask scheduler, e.g. tcp://scheduler:8786")
    args = p.parse_args(argv)
    if args.backend != "dask":
        p.error("this example runs on the dask backend (--backend dask)")
    mg.set_backend("dask")

    client, cluster = start_client(args)
    try:
        X_raw, y_raw, true_w, true_b = make_data(args.rows, args.features, args.chunk_rows,
                                                 args.seed)
        size_gb = args.rows * args.features * 4 / 1e9
        print("backend: dask")
        print(f"data: {args.rows} x {args.features} float32 ({size_gb:.2f} GB) in "
              f"{X_raw.numblocks[0]} chunks of {args.chunk_rows} rows; workers: "
              f"{len(client.scheduler_info()['workers'])}"
              + (f", memory limit {args.memory_limit} each" if cluster is not None else ""))
        X, y = mg.constant(X_raw), mg.constant(y_raw)     # lazy: wraps the graphs, no copy
        w = mg.Variable(mg.zeros((args.features, 1)), name="w")
        b = mg.Variable(0.0, name="b")
        opt = mg.optimizers.SGD(learning_rate=args.lr)

        def train_step():
            with mg.GradientTape() as tape:
                logits = mg.matmul(X, w) + b
                loss = mg.reduce_mean(mg.nn.sigmoid_cross_entropy_with_logits(labels=y,
                                                                              logits=logits))
            grads = tape.gradient(loss, [w, b])        # still a graph: nothing ran yet
            loss, *grads = mg.compute(loss, *grads)    # one pass over the data: loss + grads
            opt.apply_gradients(zip(grads, [w, b]))
            return loss

        step_fn = step_function(train_step, args)
        losses = []
        start = time.perf_counter()
        for step in range(1, args.steps + 1):
            losses.append(float(step_fn()))
            progress_bar(step, args.steps, suffix=f"loss {losses[-1]:.5f} "
                                                  f"({time.perf_counter() - start:.1f} s)")
        w_host = w.numpy().ravel()
        cos = float((w_host @ true_w.ravel()) /
                    (math.sqrt(float(w_host @ w_host)) * math.sqrt(float(true_w.ravel() @
                                                                         true_w.ravel()))))
        print(f"loss: {losses[0]:.5f} -> {losses[-1]:.5f} after {args.steps} steps")
        print(f"cosine(w, true_w) = {cos:.4f}; b = {float(b):.3f} (true {float(true_b):.3f})")
        print(f"time per step: {(time.perf_counter() - start) / args.steps:.2f} s")
        report_tracing(step_fn)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()
