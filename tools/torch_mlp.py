#!/usr/bin/env python3
"""PyTorch eager on the benchmark suite's MLPs (BENCHMARKS.md), one thread, for comparison.

Same shapes, losses and precision (float64) as benchmarks/DiffGen.Benchmarks/Workloads:
  MLP 2-16-16-1 (tanh, binary cross-entropy with logits), one sample;
  MLP 784-128-10 (relu, softmax cross-entropy), one sample and a batch of 64 in one loss.
Times the forward pass alone ("primal", under no_grad) and forward + backward ("gradient": loss.backward(),
gradients reset to None first, as a training step does). Prints one JSON object on stdout, read by
tools/regen_benchmarks.py. Run it with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset (tools/regen-benchmarks.sh
does), so OpenBLAS picks its kernels for this CPU.
"""
import json
import os
import platform
import statistics
import sys
import time

# One thread for OpenBLAS's pthreads and OpenMP too (torch.set_num_threads does not reach OpenBLAS); read
# when the libraries load, so set before importing torch.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import torch  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(2026)
DTYPE = torch.float64


def small_mlp():
    w1 = torch.randn(16, 2, dtype=DTYPE) * 0.5
    b1 = torch.randn(16, dtype=DTYPE) * 0.5
    w2 = torch.randn(16, 16, dtype=DTYPE) * 0.5
    b2 = torch.randn(16, dtype=DTYPE) * 0.5
    w3 = torch.randn(1, 16, dtype=DTYPE) * 0.5
    b3 = torch.randn(1, dtype=DTYPE) * 0.5
    params = [p.requires_grad_() for p in (w1, b1, w2, b2, w3, b3)]
    x = torch.tensor([[0.8, -0.3]], dtype=DTYPE)
    y = torch.tensor([1.0], dtype=DTYPE)

    def loss():
        h = torch.tanh(torch.nn.functional.linear(x, w1, b1))
        h = torch.tanh(torch.nn.functional.linear(h, w2, b2))
        z = torch.nn.functional.linear(h, w3, b3).squeeze(1)
        return torch.nn.functional.binary_cross_entropy_with_logits(z, y)

    return params, loss


def mnist_mlp(batch):
    w1 = (torch.rand(128, 784, dtype=DTYPE) * 2 - 1) * (6 / 784) ** 0.5
    b1 = torch.zeros(128, dtype=DTYPE)
    w2 = (torch.rand(10, 128, dtype=DTYPE) * 2 - 1) * (6 / 128) ** 0.5
    b2 = torch.zeros(10, dtype=DTYPE)
    params = [p.requires_grad_() for p in (w1, b1, w2, b2)]
    images = torch.rand(batch, 784, dtype=DTYPE)
    labels = torch.randint(0, 10, (batch,))

    def loss():
        h = torch.relu(torch.nn.functional.linear(images, w1, b1))
        logits = torch.nn.functional.linear(h, w2, b2)
        return torch.nn.functional.cross_entropy(logits, labels)

    return params, loss


def measure(fn, seconds=0.6, rounds=7):
    """Per-call seconds: median and minimum over rounds, each round timing a loop sized to ~seconds/rounds."""
    fn()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed > 0.02:
            break
        calls *= 4
    calls = max(1, int(calls * (seconds / rounds) / elapsed))
    per_call = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        per_call.append((time.perf_counter() - start) / calls)
    return statistics.median(per_call), min(per_call)


def workload(params, loss):
    def primal():
        with torch.no_grad():
            return loss()

    def gradient():
        for p in params:
            p.grad = None
        loss().backward()

    return {"primal": measure(primal), "gradient": measure(gradient)}


def blas_library():
    """The BLAS torch loaded (Debian's libblas.so.3 alternative), from the process's mappings."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted(os.path.realpath(p) for p in paths)


def main():
    results = {}
    for name, (params, loss), samples in (
        ("MLP 2-16-16-1, one sample", small_mlp(), 1),
        ("MLP 784-128-10, one sample", mnist_mlp(1), 1),
        ("MLP 784-128-10, batch 64", mnist_mlp(64), 64),
    ):
        timings = workload(params, loss)
        results[name] = {
            "samples": samples,
            **{f"{kind}_{stat}_us": value * 1e6 for kind, (median, minimum) in timings.items()
               for stat, value in (("median", median), ("min", minimum))},
        }
    json.dump({
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "dtype": str(DTYPE),
        "blas": blas_library(),
        "results": results,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
