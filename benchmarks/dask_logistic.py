"""Logistic-loss gradient on the dask backend, on a LocalCluster, versus plain dask.array.

    python benchmarks/dask_logistic.py [--rows 30000000] [--features 20] [--chunk-rows 500000]
        [--steps 3] [--workers 2] [--memory-limit 1GiB] [--check-rows 200000]

1. Accuracy: the tape's loss and gradient in float64 on the cluster against the NumPy
   backend on the same data held in memory (--check-rows rows): relative error.
2. Scale: float32 data of --rows x --features (larger than one worker's --memory-limit),
   generated chunk by chunk inside the graph (never materialised). Time per step for
   (a) multigrad: GradientTape on the dask backend, loss and gradients in one mg.compute;
   (b) the floor: the same loss and its hand-derived gradient in plain dask.array code,
   one dask.compute. Steps alternate between (a) and (b). Both regenerate the data each step.
3. Peak resident memory of each worker process (its lifetime maximum), against the limit.
"""

import argparse
import os
import sys
import time

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _p in (_ROOT, os.path.join(_ROOT, "backends")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import numpy as np  # noqa: E402

import multigrad as mg  # noqa: E402


def data(rows, features, chunk_rows, dtype, seed=0):
    import dask.array as da
    rng = da.random.default_rng(seed)
    X = rng.standard_normal((rows, features), chunks=(chunk_rows, features), dtype=dtype)
    true_w = np.linspace(-1, 1, features).astype(dtype).reshape(features, 1)
    u = rng.random((rows, 1), chunks=(chunk_rows, 1), dtype=dtype)
    y = (u < 1 / (1 + da.exp(-(X @ true_w)))).astype(dtype)
    return X, y


def tape_step(X, y, w, b):
    with mg.GradientTape() as tape:
        logits = mg.matmul(X, w) + b
        loss = mg.reduce_mean(mg.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    gw, gb = tape.gradient(loss, [w, b])
    return loss, gw, gb


def floor_step(X, y, w, b):
    import dask
    import dask.array as da
    z = X @ w + b
    n = X.shape[0]
    loss = da.mean(da.maximum(z, 0) + da.log1p(da.exp(-da.abs(z))) - z * y)
    r = (1 / (1 + da.exp(-z)) - y) / n
    return dask.compute(loss, X.T @ r, r.sum())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=30_000_000)
    p.add_argument("--features", type=int, default=20)
    p.add_argument("--chunk-rows", type=int, default=500_000)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--memory-limit", default="1GiB")
    p.add_argument("--check-rows", type=int, default=200_000)
    args = p.parse_args()

    from dask.distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, host="127.0.0.1",
                           memory_limit=args.memory_limit, dashboard_address=None)
    client = Client(cluster)
    mg.set_backend("dask")
    try:
        # 1. accuracy, float64
        Xc, yc = data(args.check_rows, args.features, args.check_rows // 4, np.float64, seed=1)
        w0 = np.linspace(0.3, -0.2, args.features).reshape(args.features, 1)
        lazy = tape_step(mg.constant(Xc), mg.constant(yc), mg.Variable(w0), mg.Variable(0.1,
                         dtype=mg.float64))
        got = [t.numpy() for t in mg.compute(*lazy)]
        Xh, yh = client.compute([Xc, yc], sync=True)
        with mg.use_backend("numpy"):
            want = [t.numpy() for t in tape_step(mg.constant(Xh), mg.constant(yh),
                                                 mg.Variable(w0), mg.Variable(0.1,
                                                 dtype=mg.float64))]
        rel = max(float(np.max(np.abs(g - h)) / np.max(np.abs(h))) for g, h in zip(got, want))
        print(f"accuracy (float64, {args.check_rows} x {args.features}): max relative error "
              f"of loss and gradients vs the numpy backend = {rel:.2e}")

        # 2. scale, float32
        X, y = data(args.rows, args.features, args.chunk_rows, np.float32)
        gb = args.rows * (args.features + 1) * 4 / 2**30
        print(f"data: {args.rows} x {args.features} float32 + labels = {gb:.2f} GiB in "
              f"{X.numblocks[0]} chunks; {args.workers} workers, memory limit "
              f"{args.memory_limit} each")
        Xt, yt = mg.constant(X), mg.constant(y)
        times = {"multigrad": [], "floor": []}
        for step in range(args.steps):
            # New weights every step (as in training): no result of an earlier step can be
            # reused by the scheduler.
            w = np.full((args.features, 1), 0.01 * (step + 1), np.float32)
            wv, bv = mg.Variable(w), mg.Variable(0.0)
            t0 = time.perf_counter()
            loss, gw, gbias = mg.compute(*tape_step(Xt, yt, wv, bv))
            lm = float(loss)
            gw_m = gw.numpy()
            times["multigrad"].append(time.perf_counter() - t0)
            del loss, gw, gbias
            t0 = time.perf_counter()
            lf, gw_f, _ = floor_step(X, y, w, np.float32(0.0))
            times["floor"].append(time.perf_counter() - t0)
            diff = float(np.max(np.abs(gw_m - gw_f)) / np.max(np.abs(gw_f)))
            print(f"step {step + 1}/{args.steps}: multigrad {times['multigrad'][-1]:.2f} s, "
                  f"floor {times['floor'][-1]:.2f} s, loss {lm:.6f} vs {float(lf):.6f}, "
                  f"gradient rel. diff {diff:.1e}", flush=True)
        best = {k: min(v) for k, v in times.items()}
        print(f"time per step (best of {args.steps}): multigrad {best['multigrad']:.2f} s, "
              f"floor {best['floor']:.2f} s, ratio {best['multigrad'] / best['floor']:.3f}")

        # 3. memory
        def peak_rss():
            import resource
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        peaks = client.run(peak_rss)
        from dask.utils import parse_bytes
        limit = parse_bytes(args.memory_limit)
        for addr, peak in sorted(peaks.items()):
            print(f"worker {addr}: peak RSS {peak / 2**30:.2f} GiB (limit {limit / 2**30:.2f} "
                  f"GiB): {'under' if peak < limit else 'OVER'} the limit")
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
