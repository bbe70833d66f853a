"""The walkthrough from the README, runnable as ``python -m multigrad demo``."""

import warnings

import multigrad as mg


def _rows(t):
    return str(t.numpy().tolist())


def run(print=print, epochs=100, function=False):  # noqa: A002 - injectable for tests
    """The walkthrough; ``function=True`` runs its training step as ``mg.function`` (traced
    once, then replayed: the same values) and says how often it was traced."""
    print(f"backend: {mg.get_backend().name}")
    x = mg.reshape(mg.Variable(range(4), dtype=mg.float32), (4, 1))
    with mg.GradientTape() as t:
        t.watch(x)
        y = 2 * mg.matmul(mg.transpose(x), x)
    dy_dx = t.gradient(y, x)
    print(f"dy_dx = {_rows(dy_dx)}  (shape {dy_dx.shape}, {dy_dx.dtype.name})")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mg.PerformanceWarning)
        with mg.GradientTape(persistent=True) as g:
            g.watch(x)
            y = x * x
            z = y * y
            dz_dx = g.gradient(z, x)
            dy_dx = g.gradient(y, x)
    print(f"dz_dx = {_rows(dz_dx)}")
    print(f"dy_dx = {_rows(dy_dx)}")

    W = mg.Variable(1.0)
    b = mg.Variable(1.0)

    def model(x):
        return W * x + b

    def loss(p, y):
        return mg.reduce_mean(mg.square(p - y))

    def train_step(xi, yi):
        with mg.GradientTape() as t:
            current = loss(model(xi), yi)
        dW, db = t.gradient(current, [W, b])
        W.assign_sub(0.01 * dW)
        b.assign_sub(0.01 * db)

    data = list(zip([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]))
    if function:
        train_step = mg.function(train_step)
        # float32 tensors, not Python floats: one signature (a number is traced per value);
        # float32 arithmetic with them gives the same bits as with the floats.
        data = [(mg.constant(xi), mg.constant(yi)) for xi, yi in data]
    for _ in range(epochs):
        for xi, yi in data:
            train_step(xi, yi)
    final = loss(model(mg.constant([1.0, 2.0, 3.0, 4.0])), mg.constant([2.0, 4.0, 6.0, 8.0]))
    print(f"W = {float(W):.7f}, b = {float(b):.7f}, loss = {float(final):.7f}")
    if function:
        n = train_step.experimental_get_tracing_count()
        print(f"mg.function: train_step traced {n} time{'' if n == 1 else 's'}")
