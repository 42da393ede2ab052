#!/usr/bin/python3
"""The PyTorch side of `exp bench` (issue 7): the same network, batches and SGD step.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch_lenet.py [--threads 2] ...
    benchmarks/.venv/bin/python benchmarks/pytorch_lenet.py ...        (torch 2.13.0+cpu)

Network: lenet5 of docs/ARCHITECTURE.md (paper "Deep learning for pedestrians", Table 1) with
batch norm after the activation (--bn after|before|none), PyTorch's default initialisation
(torch.manual_seed(0)), BN momentum 0.1 and eps 1e-5. Training: mean cross-entropy, plain SGD
(lr 0.1, no momentum, no weight decay), training mode, one step = zero_grad, forward, loss,
backward, step, loss.item() (the engine also reads the loss every step). Inference: eval mode,
no_grad, logits and the summed loss over test batches.

Batches: real MNIST from data/mnist (or --mnist DIR), standardised with the training set's mean
and standard deviation as the engine's default `dataset.normalize = standardize`; a seeded
permutation (numpy, seed 0) — not the engine's Philox order, which only changes which images
are seen, not the work. Timing as `exp bench`: warm-up steps, then --repetitions timings of
--steps consecutive steps; median, min and max of samples/s. Peak RSS from getrusage.

Prints the JSON of `exp bench --format json` (SPEC.md), with "config" describing this side.
The BLAS pool: Debian's torch 1.13 uses OpenBLAS, whose own thread pool fights torch's
(PLATFORM.md: 2.5x slower unpinned); OPENBLAS_NUM_THREADS defaults to 1 here, set before
torch loads. torch.set_num_threads(--threads) sets the intra-op pool.
"""

import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load_mnist(directory):
    tr = read_idx(os.path.join(directory, "train-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28)
    trl = read_idx(os.path.join(directory, "train-labels-idx1-ubyte.gz"), 8).astype(np.int64)
    te = read_idx(os.path.join(directory, "t10k-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28)
    tel = read_idx(os.path.join(directory, "t10k-labels-idx1-ubyte.gz"), 8).astype(np.int64)
    mean = tr.mean(dtype=np.float64) / 255.0
    std = np.sqrt((tr.astype(np.float32) / np.float32(255)).var(dtype=np.float64))

    def norm(x):  # in place, Float32: the peak is the uint8 file plus one Float32 copy
        y = x.astype(np.float32)
        y /= np.float32(255)
        y -= np.float32(mean)
        y /= np.float32(std)
        return torch.from_numpy(y)
    return norm(tr), torch.from_numpy(trl), norm(te), torch.from_numpy(tel)


def build(bn):
    torch.manual_seed(0)
    layers = []

    def unit(linear, features, image):
        norm = nn.BatchNorm2d(features) if image else nn.BatchNorm1d(features)
        layers.append(linear)
        if bn == "before":
            layers.append(norm)
        layers.append(nn.ReLU())
        if bn == "after":
            layers.append(norm)

    unit(nn.Conv2d(1, 6, 5), 6, True)
    layers.append(nn.MaxPool2d(2, 2))
    unit(nn.Conv2d(6, 16, 5), 16, True)
    layers.append(nn.MaxPool2d(2, 2))
    layers.append(nn.Flatten())
    unit(nn.Linear(256, 120), 120, False)
    unit(nn.Linear(120, 84), 84, False)
    layers.append(nn.Linear(84, 10))
    return nn.Sequential(*layers)


def row(rates, n, threads, epoch):
    med = statistics.median(rates)
    return {"batch_size": n, "threads": threads, "samples_per_second": med,
            "samples_per_second_min": min(rates), "samples_per_second_max": max(rates),
            "seconds_per_epoch": epoch / med}


def timed(step, count, samples, warmup, repetitions):
    for _ in range(warmup):
        step()
    rates = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(count):
            step()
        rates.append(samples * count / (time.perf_counter() - start))
    return rates


def ints(text):
    return [] if text == "none" else [int(x) for x in text.split(",") if x.strip()]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch-sizes", default="16,64,256")
    p.add_argument("--inference-batch-sizes", default="1000")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--bn", default="after", choices=["after", "before", "none"])
    p.add_argument("--mnist", default=os.path.join(ROOT, "data", "mnist"))
    a = p.parse_args()
    xtr, ytr, xte, yte = load_mnist(a.mnist)
    perm = torch.from_numpy(np.random.default_rng(0).permutation(len(ytr)))
    train, inference = [], []
    for threads in ints(a.threads):
        torch.set_num_threads(threads)
        for n in ints(a.batch_sizes):
            model = build(a.bn).train()
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            count = min(len(ytr) // n, a.warmup + a.steps)
            batches = [(xtr[perm[i * n:(i + 1) * n]].contiguous(), ytr[perm[i * n:(i + 1) * n]]) for i in range(count)]
            state = {"i": 0}

            def step():
                x, y = batches[state["i"] % len(batches)]
                state["i"] += 1
                opt.zero_grad()
                loss = F.cross_entropy(model(x), y)
                loss.backward()
                opt.step()
                loss.item()

            train.append(row(timed(step, a.steps, n, a.warmup, a.repetitions), n, threads, 60_000))
            print(f"torch train n={n} threads={threads}: {train[-1]['samples_per_second']:.0f} samples/s", file=sys.stderr)
        for n in ints(a.inference_batch_sizes):
            model = build(a.bn).eval()
            batches = [(xte[i * n:(i + 1) * n], yte[i * n:(i + 1) * n]) for i in range(max(1, len(yte) // n))]
            state = {"i": 0}

            def forward():
                x, y = batches[state["i"] % len(batches)]
                state["i"] += 1
                with torch.no_grad():
                    F.cross_entropy(model(x), y, reduction="sum").item()

            passes = max(10, a.steps * 64 // n)
            inference.append(row(timed(forward, passes, n, max(1, a.warmup // 2), a.repetitions), n, threads, 10_000))
            print(f"torch inference n={n} threads={threads}: {inference[-1]['samples_per_second']:.0f} samples/s", file=sys.stderr)
    config = {"framework": "pytorch", "torch_version": torch.__version__, "python": sys.executable,
              "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
              "model": {"architecture": "lenet5", "bn": a.bn},
              "training": {"learning_rate": 0.1, "loss_reduction": "mean", "momentum": 0, "weight_decay": 0}}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"config": config, "peak_rss_bytes": peak, "train": train, "inference": inference}))


if __name__ == "__main__":
    main()
