#!/usr/bin/python3
"""Fault injection for `exp run`: SIGKILL at many points, resume, compare (issue 8).

Runs a small sweep once without interruption (the reference), then for every trial starts
from an empty results directory and alternates `exp run` + SIGKILL at a chosen point until a
run of `exp run` ends by itself (exit 0). After every kill it checks that runs completed
before the kill are unchanged (same bytes of every file), and at the end that every run is
bit-identical to the reference: every dataset of metrics.h5 and weights.h5 except
/epoch/seconds, every PNG, the same set of files, no temporaries left behind.

Kill points: random delays, and targeted ones found by polling the results tree: a
metrics.h5 / weights.h5 / checkpoint.h5 temporary exists (HDF5 rewrite, before the checkpoint
rename), an epoch's image directory is being staged (kernels/ or activations/epoch_NNNN.tmp.<pid>), just after checkpoint.h5 changed (after the rename), a new
epoch in status.json (between epochs), mid-epoch steps, the first run completed and the next
not started (between runs).

usage: fault_injection.py [--trials N] [--exp PATH] [--seed S] [--keep DIR]
"""
import argparse, hashlib, json, os, random, shutil, signal, subprocess, sys, tempfile, time

import h5py
import numpy as np

SWEEP = {"name": "fi", "seeds": [0, 1],
         "base": {"dataset": {"train_limit": 256, "test_limit": 100},
                  "training": {"epochs": 3, "batch_size": 64, "momentum": 0.9},
                  "exports": {"activation_images": [0]}}}
TARGETS = ["random", "metrics-tmp", "weights-tmp", "checkpoint-tmp", "checkpoint-renamed", "png-tmp",
           "epoch-boundary", "mid-epoch", "between-runs"]


def files(root):
    out = {}
    for base, _, names in os.walk(root):
        for n in names:
            p = os.path.join(base, n)
            out[os.path.relpath(p, root)] = p
    return out


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def h5_datasets(path):
    result = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and name != "epoch/seconds":
                result[name] = np.asarray(obj[()]).tobytes()
        f.visititems(visit)
    return result


def status(run_dir):
    try:
        with open(os.path.join(run_dir, "status.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def run_dirs(results):
    sweep = os.path.join(results, "fi")
    if not os.path.isdir(sweep):
        return []
    return sorted(os.path.join(sweep, d) for d in os.listdir(sweep) if os.path.isdir(os.path.join(sweep, d)))


def snapshot_completed(results):
    """Digest of every file of every completed run (lock excluded)."""
    snap = {}
    for d in run_dirs(results):
        s = status(d)
        if s and s.get("status") == "completed":
            # The lock of a process killed after its final status.json is removed by the next one.
            snap[d] = {rel: digest(p) for rel, p in files(d).items() if rel != "lock"}
    return snap


def triggered(target, results, state):
    """True when the kill point `target` is reached (polled every ~0.5 ms)."""
    dirs = run_dirs(results)
    if target == "random":
        return time.monotonic() >= state["deadline"]
    for d in dirs:
        names = os.listdir(d) if os.path.isdir(d) else []
        if target.endswith("-tmp") and target != "png-tmp":
            prefix = target[:-4] + ".h5.tmp."
            if any(n.startswith(prefix) for n in names):
                return True
        elif target == "png-tmp":
            # An epoch's image directory being staged (kernels|activations/epoch_NNNN.tmp.<pid>).
            for base, subdirs, ns in os.walk(d):
                if any(".tmp." in n for n in subdirs) or any(".png.tmp." in n for n in ns):
                    return True
        elif target == "checkpoint-renamed":
            p = os.path.join(d, "checkpoint.h5")
            try:
                m = os.stat(p).st_mtime_ns
            except OSError:
                continue
            if state.setdefault(p, m) != m:
                return True
        elif target in ("epoch-boundary", "mid-epoch"):
            # status.json changes at every epoch end; mid-epoch = a random fraction of an epoch later.
            s = status(d)
            if s and s.get("status") == "running" and state.setdefault("epoch:" + d, s["epoch"]) != s["epoch"]:
                if target == "epoch-boundary":
                    return True
                due = state.setdefault("due:" + d, time.monotonic() + state["epoch_seconds"] * state["fraction"])
                if time.monotonic() >= due:
                    return True
    if target == "between-runs" and dirs:
        first = status(dirs[0])
        if first and first.get("status") == "completed" and (len(dirs) < 2 or status(dirs[1]) is None):
            return True
    return False


def trial(exp, workdir, target, rng, log, reference_seconds):
    """Kills `exp run` at `target` until a run finishes by itself. Returns (kills, problems)."""
    results = os.path.join(workdir, "results")
    shutil.rmtree(results, ignore_errors=True)
    kills, problems = 0, []
    for attempt in range(12):
        before = snapshot_completed(results)
        proc = subprocess.Popen([exp, "run", os.path.join(workdir, "sweep.json"), "--results", results],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        state = {"deadline": time.monotonic() + rng.uniform(0.05, 0.6) * reference_seconds,
                 "epoch_seconds": reference_seconds / 8, "fraction": rng.uniform(0.15, 0.85)}
        hit = False
        while proc.poll() is None:
            if attempt < 6 and triggered(target, results, state):
                proc.send_signal(signal.SIGKILL)
                hit = True
                break
            time.sleep(0.0005)
        code = proc.wait()
        after = snapshot_completed(results)
        for d, snap in before.items():
            if after.get(d) != snap:
                changed = sorted(k for k in set(snap) | set(after.get(d, {})) if snap.get(k) != after.get(d, {}).get(k))
                problems.append(f"{target}: completed run {os.path.basename(d)} changed after a kill: {changed}")
        if hit:
            kills += 1
            log(f"  {target}: kill {kills} (attempt {attempt})")
            continue
        if code != 0:
            problems.append(f"{target}: exp run exited {code} without a kill")
        return kills, problems
    problems.append(f"{target}: did not finish in 12 attempts")
    return kills, problems


def compare(reference, results):
    problems = []
    ref_runs = {os.path.basename(d): d for d in run_dirs(reference)}
    got_runs = {os.path.basename(d): d for d in run_dirs(results)}
    if set(ref_runs) != set(got_runs):
        return [f"run directories differ: {sorted(ref_runs)} vs {sorted(got_runs)}"]
    for name, ref in ref_runs.items():
        got = got_runs[name]
        ref_files, got_files = files(ref), files(got)
        leftovers = [f for f in got_files if ".tmp." in f]
        if leftovers:
            problems.append(f"{name}: temporaries left behind: {leftovers}")
        if set(ref_files) != set(got_files) - set(leftovers):
            problems.append(f"{name}: files differ: {sorted(set(ref_files) ^ set(got_files))}")
        for rel in ref_files:
            if rel not in got_files:
                continue
            if rel.endswith(".h5"):
                a, b = h5_datasets(ref_files[rel]), h5_datasets(got_files[rel])
                if a != b:
                    diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
                    problems.append(f"{name}/{rel}: datasets differ: {diff[:5]}")
            elif rel.endswith(".png") or rel == "config.json":
                if digest(ref_files[rel]) != digest(got_files[rel]):
                    problems.append(f"{name}/{rel}: bytes differ")
        s = status(got)
        if not s or s.get("status") != "completed":
            problems.append(f"{name}: status {s and s.get('status')}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=len(TARGETS))
    parser.add_argument("--exp", default=".build/debug/exp")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep")
    args = parser.parse_args()
    exp = os.path.abspath(args.exp)
    rng = random.Random(args.seed)
    workdir = args.keep or tempfile.mkdtemp(prefix="exp-fault-")
    os.makedirs(workdir, exist_ok=True)
    with open(os.path.join(workdir, "sweep.json"), "w") as f:
        json.dump(SWEEP, f)
    log = lambda m: print(m, flush=True)
    reference = os.path.join(workdir, "reference")
    shutil.rmtree(reference, ignore_errors=True)
    started = time.monotonic()
    subprocess.run([exp, "run", os.path.join(workdir, "sweep.json"), "--results", reference],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    reference_seconds = time.monotonic() - started  # 2 runs x (epoch 0 + 3 epochs) ~ 8 epoch ends
    log(f"reference sweep: {reference_seconds:.1f} s")
    total_kills, failures, tally = 0, [], {}
    for i in range(args.trials):
        target = TARGETS[i % len(TARGETS)]
        kills, problems = trial(exp, workdir, target, rng, log, reference_seconds)
        problems += compare(reference, os.path.join(workdir, "results"))
        total_kills += kills
        tally[target] = tally.get(target, 0) + kills
        log(f"trial {i + 1}/{args.trials} {target}: {kills} kills, {'OK' if not problems else 'FAILED'}")
        for p in problems:
            log("  " + p)
        failures += problems
    log(f"kill points tried: {total_kills} in {args.trials} trials; by target: {json.dumps(tally)}")
    log(f"trials failed: {len(failures)} problems" if failures else "every resumed run bit-identical to the reference; completed runs unchanged")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
