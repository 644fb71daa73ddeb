#!/usr/bin/env python3
"""PyTorch peer for the tfjs benchmarks: the same workloads, measured the same way.

Workloads (fp32, TF32 off, all CPU cores, CUDA when available):
  mlp-train, mlp-infer        MLP 784-800-10, ReLU, Adam lr 1e-3, cross-entropy
  lenet5-train, lenet5-infer  LeNet-5 on 28x28x1: conv 6@5x5 'same' + ReLU + maxpool 2,
                              conv 16@5x5 'valid' + ReLU + maxpool 2, dense 120, 84 (ReLU), 10
  matmul                      square fp32 matmul at 1024 and 2048

Training is an own loop with no read-back per step (like the tfjs own-loop measurements); inputs
are random tensors already on the device. Each workload warms up, then runs timed chunks of
steps, synchronising the device after each chunk, until --seconds have passed.

Prints ONE JSON object on stdout:
  {"peer": "pytorch", "torch": "2.x", "device": "...", "threads": 16, "seconds": 2.0,
   "records": [{"workload": "lenet5-train", "batch": 64, "value": 6612.3, "unit": "img/s",
                "device": "cpu: AMD EPYC"}, ...,
               {"workload": "matmul", "size": 1024, "value": 61.8, "unit": "GFLOP/s", ...}]}

Usage: python3 lib/bench/torch_peer.py --batches 64,512 --seconds 2 --workloads all
On Debian the system interpreter has python3-torch: /usr/bin/python3 lib/bench/torch_peer.py
"""

import argparse
import json
import os
import platform
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

WORKLOADS = ("mlp-train", "mlp-infer", "lenet5-train", "lenet5-infer", "matmul")
MATMUL_SIZES = (1024, 2048)
WARMUP_STEPS = 3
LEARNING_RATE = 1e-3
POSITIVE_INTEGERS = "expected comma-separated positive integers"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", default="64,512", help="comma-separated batch sizes")
    parser.add_argument("--seconds", type=float, default=2.0, help="timed seconds per workload")
    parser.add_argument(
        "--workloads",
        default="all",
        help=f"'all' or a comma-separated subset of {','.join(WORKLOADS)}",
    )
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    args = parser.parse_args(argv)
    try:
        args.batches = [int(b) for b in args.batches.split(",") if b.strip()]
    except ValueError:
        parser.error(f"--batches: {POSITIVE_INTEGERS}, found {args.batches!r}")
    if not args.batches or any(b < 1 for b in args.batches):
        parser.error(f"--batches: {POSITIVE_INTEGERS}, found {args.batches}")
    if args.seconds <= 0:
        parser.error(f"--seconds: expected a positive number, found {args.seconds}")
    names = WORKLOADS if args.workloads == "all" else tuple(
        w.strip() for w in args.workloads.split(",")
    )
    unknown = [w for w in names if w not in WORKLOADS]
    if unknown:
        parser.error(
            f"--workloads: expected 'all' or names from {', '.join(WORKLOADS)}, "
            f"found {', '.join(unknown)}"
        )
    args.workloads = names
    return args


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def setup_device(choice):
    # Same arithmetic as tfjs: plain fp32, no TF32 tensor-core shortcuts.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if hasattr(torch, "set_float32_matmul_precision"):
        torch.set_float32_matmul_precision("highest")
    torch.set_num_threads(os.cpu_count() or 1)
    use_cuda = choice == "cuda" or (choice == "auto" and torch.cuda.is_available())
    if use_cuda:
        if not torch.cuda.is_available():
            sys.exit("--device cuda: expected a CUDA device, found none")
        return torch.device("cuda"), torch.cuda.get_device_name(0)
    return torch.device("cpu"), f"cpu: {cpu_model()}"


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def steps_per_second(step, device, seconds):
    """Runs `step` WARMUP_STEPS times, then in doubling chunks until `seconds` have passed."""
    for _ in range(WARMUP_STEPS):
        step()
    synchronize(device)
    steps, chunk = 0, 1
    start = time.perf_counter()
    while True:
        for _ in range(chunk):
            step()
        synchronize(device)
        steps += chunk
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return steps / elapsed
        chunk = min(chunk * 2, max(1, int(steps / elapsed * (seconds - elapsed)) + 1))


def create_mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 800), nn.ReLU(), nn.Linear(800, 10))


def create_lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # 28x28 -> 14x14
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),  # 10x10 -> 5x5
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def measure_model(name, create, input_shape, batch, train, device, seconds):
    torch.manual_seed(1)
    model = create().to(device)
    images = torch.randn(batch, *input_shape, device=device)
    labels = torch.randint(0, 10, (batch,), device=device)
    if train:
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

        def step():
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()
    else:
        model.eval()

        def step():
            with torch.inference_mode():
                model(images)

    rate = steps_per_second(step, device, seconds) * batch
    workload = f"{name}-{'train' if train else 'infer'}"
    return {"workload": workload, "batch": batch, "value": rate, "unit": "img/s"}


def measure_matmul(size, device, seconds):
    torch.manual_seed(1)
    a = torch.randn(size, size, device=device)
    b = torch.randn(size, size, device=device)
    rate = steps_per_second(lambda: torch.mm(a, b), device, seconds)
    gigaflops = rate * 2 * size**3 / 1e9
    return {"workload": "matmul", "size": size, "value": gigaflops, "unit": "GFLOP/s"}


def main(argv):
    args = parse_args(argv)
    device, device_name = setup_device(args.device)
    models = {"mlp": (create_mlp, (784,)), "lenet5": (create_lenet5, (1, 28, 28))}
    records = []
    for workload in args.workloads:
        if workload == "matmul":
            records += [measure_matmul(size, device, args.seconds) for size in MATMUL_SIZES]
            continue
        name, mode = workload.split("-")
        create, input_shape = models[name]
        for batch in args.batches:
            records.append(
                measure_model(
                    name, create, input_shape, batch, mode == "train", device, args.seconds
                )
            )
    for record in records:
        record["value"] = round(record["value"], 1)
        record["device"] = device_name
    result = {
        "peer": "pytorch",
        "torch": torch.__version__,
        "device": device_name,
        "threads": torch.get_num_threads(),
        "seconds": args.seconds,
        "records": records,
    }
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
