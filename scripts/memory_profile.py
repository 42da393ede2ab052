#!/usr/bin/python3
"""Peak memory of `exp run` per epoch (issue 8, "Resource use").

Runs a sweep of 2 runs × EPOCHS epochs on an MNIST subset (train_limit 2000, test_limit 1000)
and samples /proc/<pid>/status (VmRSS, VmHWM) every 20 ms; the epoch is read from the run's
status.json (written at every epoch end). Prints, per run and epoch, the largest RSS seen while
that epoch trained and was evaluated, and whether memory stays flat: the peak of the last five
epochs of the last run may exceed that of epochs 2–6 of the first run by at most 5 %.

usage: memory_profile.py [--exp PATH] [--epochs N]
"""
import argparse, json, os, subprocess, sys, tempfile, time


def kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exp", default=".build/debug/exp")
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="exp-memory-")
    sweep = {"name": "mem", "seeds": [0, 1],
             "base": {"dataset": {"train_limit": 2000, "test_limit": 1000},
                      "training": {"epochs": args.epochs, "batch_size": 64},
                      "exports": {"activation_images": [0, 1]}}}
    path = os.path.join(work, "sweep.json")
    with open(path, "w") as f:
        json.dump(sweep, f)
    results = os.path.join(work, "results")
    proc = subprocess.Popen([os.path.abspath(args.exp), "run", path, "--results", results],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks = {}  # (run, epoch in progress) -> max RSS KiB
    started = time.monotonic()
    while proc.poll() is None:
        rss = kib(proc.pid, "VmRSS")
        runs = sorted(d for d in os.listdir(os.path.join(results, "mem"))
                      if os.path.isdir(os.path.join(results, "mem", d))) if os.path.isdir(os.path.join(results, "mem")) else []
        key = None
        for i, d in enumerate(runs):
            try:
                with open(os.path.join(results, "mem", d, "status.json")) as f:
                    s = json.load(f)
            except (OSError, ValueError):
                continue
            if s["status"] == "running":
                key = (i, s["epoch"] + 1)
        if rss is not None and key is not None:
            peaks[key] = max(peaks.get(key, 0), rss)
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    print(f"exp run exited {proc.returncode} after {elapsed:.0f} s; peak RSS (MiB) per epoch while it trained:")
    for run in sorted({r for r, _ in peaks}):
        row = [f"{peaks[(run, e)] / 1024:.1f}" for e in range(1, args.epochs + 1) if (run, e) in peaks]
        print(f"  run {run}: " + " ".join(row))
    first = [peaks[(0, e)] for e in range(2, 7) if (0, e) in peaks]
    last_run = max(r for r, _ in peaks)
    last = [peaks[(last_run, e)] for e in range(args.epochs - 4, args.epochs + 1) if (last_run, e) in peaks]
    growth = max(last) / max(first) - 1
    print(f"epochs 2-6 of run 0: {max(first) / 1024:.1f} MiB; last 5 epochs of run {last_run}: "
          f"{max(last) / 1024:.1f} MiB; growth {growth * 100:+.1f} %")
    ok = proc.returncode == 0 and growth <= 0.05
    print("memory flat" if ok else "MEMORY GROWS (or the run failed)")
    subprocess.run(["rm", "-rf", work])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
