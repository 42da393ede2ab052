#!/bin/sh
# What a real epoch costs against what `exp bench` predicts (issue 7: at most 15 % more).
#
#   benchmarks/epoch_overhead.sh [ROUNDS] [EPOCHS]     (from anywhere; default 3 rounds, 4 epochs)
#
# Per round, one after the other (so that load from other processes hits them alike):
#   1. `exp bench --batch-sizes 64 --threads 2 --inference-batch-sizes none`: the prediction,
#      60,000 / samples-per-second seconds per epoch;
#   2. `exp run` of the default configuration (full MNIST, lenet5, n = 64, every default plugin
#      and export) with 1 and with EPOCHS epochs, each into a fresh results directory;
#   3. the same two runs with the file-writing plugins off (metrics-hdf5, weights-hdf5,
#      kernels-png, activations-png).
# Measured seconds per epoch = (wall(EPOCHS) - wall(1)) / (EPOCHS - 1): start-up, dataset
# loading and epoch 0 cancel out. The split, per epoch: training = metrics.h5's /epoch/seconds
# (epochs 2…EPOCHS of the long run); outputs = default minus plugins-off; evaluation + rest =
# plugins-off minus training (the 10,000-image test evaluation, checkpoint.h5, status.json).
# Prints every round and the medians over rounds. Needs /usr/bin/python3 with h5py.
# Environment: THREADS (2), EXP (default .build/release/exp, built here).
set -eu
ROUNDS=${1:-3}
EPOCHS=${2:-4}
THREADS=${THREADS:-2}
cd "$(dirname "$0")/.."
if [ -z "${EXP:-}" ]; then
    swift build -c release --product exp >&2
    EXP=.build/release/exp
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
uptime >&2
/usr/bin/python3 - "$EXP" "$OUT" "$ROUNDS" "$EPOCHS" "$THREADS" <<'PY'
import json, os, shutil, statistics, subprocess, sys, time
import h5py

exp, out, rounds, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
assert epochs >= 2, "EPOCHS must be at least 2"
writers = ["metrics-hdf5", "weights-hdf5", "kernels-png", "activations-png"]
sweeps = {
    "default": {"name": "overhead"},
    "bare": {"name": "overhead", "base": {"plugins": [{"name": n, "enabled": False} for n in writers]}},
}
for kind, sweep in sweeps.items():
    with open(os.path.join(out, kind + ".json"), "w") as f:
        json.dump(sweep, f)


def run(kind, n):
    """Wall seconds of `exp run` with n epochs into a fresh results directory, and its directory."""
    results = os.path.join(out, f"results-{kind}-{n}")
    shutil.rmtree(results, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([exp, "run", os.path.join(out, kind + ".json"), "--results", results,
                    "--set", f"training.epochs={n}", "--set", f"training.threads={threads}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, results


def training_seconds(results):
    """Mean of /epoch/seconds over epochs 2… of the run in `results`."""
    (run_dir,) = [d for d in os.listdir(os.path.join(results, "overhead")) if d != "sweep.json"]
    with h5py.File(os.path.join(results, "overhead", run_dir, "metrics.h5"), "r") as f:
        return statistics.mean(f["epoch/seconds"][2:])


def loadavg():
    return float(open("/proc/loadavg").read().split()[0])


rows = []
for r in range(1, rounds + 1):
    bench = json.loads(subprocess.run([exp, "bench", "--batch-sizes", "64", "--threads", threads,
                                       "--inference-batch-sizes", "none", "--format", "json"],
                                      check=True, capture_output=True, text=True).stdout)
    predicted = bench["train"][0]["seconds_per_epoch"]
    load = [loadavg()]
    wall = {}
    for kind in ("default", "bare"):
        one, _ = run(kind, 1)
        many, results = run(kind, epochs)
        wall[kind] = (many - one) / (epochs - 1)
        if kind == "default":
            training = training_seconds(results)
        load.append(loadavg())
    row = {"predicted": predicted, "measured": wall["default"], "ratio": wall["default"] / predicted,
           "training": training, "evaluation_rest": wall["bare"] - training,
           "outputs": wall["default"] - wall["bare"], "load": max(load)}
    rows.append(row)
    print(f"round {r}: predicted {predicted:.3f} s, measured {row['measured']:.3f} s/epoch "
          f"(ratio {row['ratio']:.3f}); training {training:.3f}, evaluation + rest "
          f"{row['evaluation_rest']:.3f}, outputs {row['outputs']:.3f}; 1-min load ≤ {row['load']:.2f}",
          file=sys.stderr)

med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
print(f"epoch overhead, {rounds} rounds, epochs 1 and {epochs}, {threads} threads (medians over rounds):")
print(f"  predicted by exp bench (n = 64): {med['predicted']:.3f} s/epoch")
print(f"  measured in exp run:             {med['measured']:.3f} s/epoch "
      f"[{min(r['measured'] for r in rows):.3f}–{max(r['measured'] for r in rows):.3f}]")
print(f"  ratio measured / predicted:      {med['ratio']:.3f} (issue 7: ≤ 1.15)")
print(f"  split: training {med['training']:.3f} s, evaluation + checkpoint + status "
      f"{med['evaluation_rest']:.3f} s, outputs (metrics.h5, weights.h5, PNGs) {med['outputs']:.3f} s")
print(f"  1-minute load average during the rounds: ≤ {max(r['load'] for r in rows):.2f}")
PY
