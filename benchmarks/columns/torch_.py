"""PyTorch, CPU eager (``torch.autograd.grad``); one intra-op and one inter-op thread."""

import numpy as np

from . import Case, no_sync, w1_block

torch = None


def prepare(variant, backend="numpy"):
    global torch
    import torch as _torch
    torch = _torch
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:           # already set (only possible once per process)
        pass
    return {"version": torch.__version__, "threads": torch.get_num_threads()}


def _t(a, grad=False):
    t = torch.from_numpy(np.ascontiguousarray(a))
    return t.requires_grad_() if grad else t


def _case(step, names):
    def to_numpy(result):
        return {k: r.detach().numpy() for k, r in zip(names, result)}
    return Case(step, to_numpy, no_sync)


def _block(a, x):
    return w1_block(torch, a, x)


def w1(d, variant):
    x, blocks = _t(d["x"], grad=True), d["blocks"]

    def step():
        a = x
        for _ in range(blocks):
            a = _block(a, x)
        value = torch.sum(a)
        return (value, *torch.autograd.grad(value, x))
    return _case(step, ("value", "grad"))


def w2(d, variant):
    X, Y = _t(d["X"]), _t(d["Y"])
    params = [_t(d[k], grad=True) for k in ("W1", "b1", "W2", "b2")]
    batch = d["X"].shape[0]

    def step():
        W1, b1, W2, b2 = params
        h = torch.tanh(torch.matmul(X, W1) + b1)
        logits = torch.matmul(h, W2) + b2
        z = logits - torch.amax(logits, dim=1, keepdim=True).detach()
        lse = torch.log(torch.sum(torch.exp(z), dim=1, keepdim=True))
        loss = -torch.sum(Y * (z - lse)) / batch
        return (loss, *torch.autograd.grad(loss, params))
    return _case(step, ("loss", "W1", "b1", "W2", "b2"))


def w3(d, variant):
    pairs = list(zip(d["xs"], d["ys"]))
    epochs, lr = d["epochs"], d["lr"]

    def step():
        W = torch.tensor(1.0, dtype=torch.float32, requires_grad=True)
        b = torch.tensor(1.0, dtype=torch.float32, requires_grad=True)

        def model(x):
            return W * x + b

        def loss(predicted_y, target_y):
            return torch.mean(torch.square(predicted_y - target_y))

        for _ in range(epochs):
            for x, y in pairs:
                current = loss(model(x), y)
                dW, db = torch.autograd.grad(current, (W, b))
                with torch.no_grad():           # the in-place assign_sub
                    W.sub_(lr * dW)
                    b.sub_(lr * db)
        return W, b
    return _case(step, ("W", "b"))


def w4a(d, variant):
    x, v = _t(d["x"], grad=True), _t(d["v"])

    def step():
        y = torch.sum(x ** 4)
        (g,) = torch.autograd.grad(y, x, create_graph=True)
        gv = torch.sum(g * v)
        return torch.autograd.grad(gv, x)
    return _case(step, ("hvp",))


def w4b(d, variant):
    A, x = _t(d["A"]), _t(d["x"])

    def f(x):
        return torch.tanh(torch.matmul(A, x))

    def step():
        # vectorize=True: one batched backward pass (vmap over the VJP), like tape.jacobian.
        return (torch.autograd.functional.jacobian(f, x, vectorize=True),)
    return _case(step, ("jac",))


def w5(d, variant):
    x = _t(d["x"], grad=True)

    def step():
        value = torch.sum(torch.tanh(x) * x)
        return (value, *torch.autograd.grad(value, x))
    return _case(step, ("value", "grad"))


BUILDERS = {"W1": w1, "W2": w2, "W3": w3, "W4a": w4a, "W4b": w4b, "W5": w5}


def build(workload, d, variant="eager"):
    return BUILDERS[workload](d, variant)
