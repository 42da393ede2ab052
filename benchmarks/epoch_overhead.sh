#!/bin/sh
# What a real epoch costs against what `exp bench` predicts (issue 7: at most 15 % more).
#
#   benchmarks/epoch_overhead.sh [ROUNDS] [EPOCHS]     (from anywhere; default 3 rounds, 5 epochs)
#
# Per round, one after the other (so that load from other processes hits them alike):
#   1. `exp bench --batch-sizes 64 --threads 2 --inference-batch-sizes none`: the prediction,
#      60,000 / samples-per-second seconds per epoch;
#   2. `exp run` of the default configuration (full MNIST, lenet5, n = 64, every default plugin
#      and export) with 1 and with EPOCHS epochs, each into a fresh results directory;
#   3. `exp bench` again, also between the two runs: the round's prediction is the mean of the
#      three; when they differ by more than STEADY (5 %), the machine's speed changed during the
#      round (another tenant of the host, invisible in the load average) and the round is left
#      out of the medians;
#   4. the same two runs with the file-writing plugins off (metrics-hdf5, weights-hdf5,
#      kernels-png, activations-png).
# Two measures of a real epoch, both with nothing added to the product:
#   - the difference of wall times, (wall(EPOCHS) - wall(1)) / (EPOCHS - 1): start-up, dataset
#     loading and epoch 0 cancel out (issue 7's definition; noisy on a shared machine, since one
#     slow second in either run moves it);
#   - the time between epoch ends: checkpoint.h5 is replaced at every epoch end, after the
#     evaluation and every plugin's outputs; the driver polls its mtime every 50 ms and takes the
#     median over epochs 2…EPOCHS of the long run.
# The split of the second, per epoch: training = metrics.h5's /epoch/seconds; outputs = default
# minus plugins-off; evaluation + rest = plugins-off minus training (the 10,000-image test
# evaluation, checkpoint.h5, status.json). Prints every round and the medians over the steady
# rounds. Needs /usr/bin/python3 with h5py. Environment: THREADS (2), EXP (default
# .build/release/exp, built here), STEADY (0.05).
#
# On a journal-less ext4 (this machine's root file system), the kernel skips inodes deleted in
# the last 60 s (6 minutes while their inode-table block is dirty) each time it allocates a new
# one, so after removing many files (a results tree; this script's own results, removed at
# exit) creating an epoch's ~150 images costs 2-4× more for minutes (activations-png 35-40 ms
# instead of 10-12 ms per epoch; `perf`: recently_deleted, find_get_block_common). Measure
# again only ≥ 6 minutes after large deletions.
set -eu
ROUNDS=${1:-3}
EPOCHS=${2:-5}
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
import json, os, statistics, subprocess, sys, tempfile, time
import h5py

exp, out, rounds, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
STEADY = float(os.environ.get("STEADY", "0.05"))
assert epochs >= 3, "EPOCHS must be at least 3"
writers = ["metrics-hdf5", "weights-hdf5", "kernels-png", "activations-png"]
sweeps = {
    "default": {"name": "overhead"},
    "bare": {"name": "overhead", "base": {"plugins": [{"name": n, "enabled": False} for n in writers]}},
}
for kind, sweep in sweeps.items():
    with open(os.path.join(out, kind + ".json"), "w") as f:
        json.dump(sweep, f)


def run(kind, n):
    """Runs `exp run` with n epochs into a fresh results directory. Returns its wall seconds,
    the directory, and the epoch-end times: checkpoint.h5 is replaced at every epoch end, after
    the evaluation and every plugin's outputs, so the times between its successive versions
    (polled every 50 ms; the mtime itself is the time of the write) are whole epochs as the run
    lived them. Polling every 2 ms, as this script first did, took a third thread's share of the
    two cores: the run's epochs trained 16-25 ms slower (instrumented build, 3 interleaved
    rounds, 2026-11-30) — the measurement inflated what it measured."""
    # A new directory every time, all removed at the end: ext4 scans past recently deleted
    # inodes when it allocates new ones, which made creating the 136 PNGs of an epoch several
    # times slower in rounds that followed a removal of the previous round's results.
    results = tempfile.mkdtemp(prefix=f"results-{kind}-{n}-", dir=out)
    start = time.perf_counter()
    process = subprocess.Popen([exp, "run", os.path.join(out, kind + ".json"), "--results", results,
                                "--set", f"training.epochs={n}", "--set", f"training.threads={threads}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ends, last = [], None
    while process.poll() is None:
        try:
            (run_dir,) = [d for d in os.listdir(os.path.join(results, "overhead")) if d != "sweep.json"]
            mtime = os.stat(os.path.join(results, "overhead", run_dir, "checkpoint.h5")).st_mtime_ns
            if mtime != last:
                ends.append(mtime / 1e9)
                last = mtime
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"exp run failed ({process.returncode})")
    return wall, results, ends


def training_seconds(results):
    """/epoch/seconds of every epoch of the run in `results` (row 0: 0)."""
    (run_dir,) = [d for d in os.listdir(os.path.join(results, "overhead")) if d != "sweep.json"]
    with h5py.File(os.path.join(results, "overhead", run_dir, "metrics.h5"), "r") as f:
        return list(f["epoch/seconds"][()])


def epoch_walls(ends):
    """Epoch k's wall time (checkpoint k-1 to checkpoint k) for the epochs 2… seen whole."""
    return {k: ends[k] - ends[k - 1] for k in range(2, len(ends))}


def loadavg():
    return float(open("/proc/loadavg").read().split()[0])


def predict():
    """exp bench's prediction: 60,000 / the median samples per second, in seconds per epoch."""
    bench = json.loads(subprocess.run([exp, "bench", "--batch-sizes", "64", "--threads", threads,
                                       "--inference-batch-sizes", "none", "--format", "json"],
                                      check=True, capture_output=True, text=True).stdout)
    return bench["train"][0]["seconds_per_epoch"]


rows = []
for r in range(1, rounds + 1):
    # The prediction is taken before, between and after the default runs: when the three differ
    # by more than STEADY, the machine's speed changed during the round (another tenant of the
    # host), and the round is left out of the medians.
    before = predict()
    load = [loadavg()]
    wall, epoch = {}, {}
    for kind in ("default", "bare"):
        one, _, _ = run(kind, 1)
        if kind == "default":
            between = predict()
        many, results, ends = run(kind, epochs)
        wall[kind] = (many - one) / (epochs - 1)
        walls = epoch_walls(ends)
        epoch[kind] = statistics.median(walls.values())
        if kind == "default":
            seconds = training_seconds(results)
            training = statistics.median(seconds[k] for k in walls)
            after = predict()
        load.append(loadavg())
    predicted = (before + between + after) / 3
    steady = max(before, between, after) - min(before, between, after) <= STEADY * min(before, between, after)
    row = {"predicted": predicted, "measured": wall["default"], "ratio": wall["default"] / predicted,
           "epoch": epoch["default"], "epoch_ratio": epoch["default"] / predicted, "training": training,
           "evaluation_rest": epoch["bare"] - training, "outputs": epoch["default"] - epoch["bare"],
           "load": max(load), "steady": steady}
    rows.append(row)
    print(f"round {r}: predicted {before:.3f} s before, {between:.3f} between, {after:.3f} after ({'steady' if steady else 'UNSTEADY: left out'}); "
          f"wall difference {row['measured']:.3f} s/epoch "
          f"(ratio {row['ratio']:.3f}); epoch-end intervals {row['epoch']:.3f} s (ratio {row['epoch_ratio']:.3f}): "
          f"training {training:.3f}, evaluation + rest {row['evaluation_rest']:.3f}, outputs {row['outputs']:.3f}; "
          f"1-min load ≤ {row['load']:.2f}", file=sys.stderr)

counted = [r for r in rows if r["steady"]]
if not counted:
    print(f"no steady round (the three predictions of every round differ by more than {STEADY:.0%}): "
          "the medians below are over all rounds and say little", file=sys.stderr)
    counted = rows
med = {k: statistics.median(r[k] for r in counted) for k in rows[0] if k != "steady"}
print(f"epoch overhead, {len(counted)} of {rounds} rounds steady, epochs 1 and {epochs}, {threads} threads (medians over those):")
print(f"  predicted by exp bench (n = 64):        {med['predicted']:.3f} s/epoch")
print(f"  exp run, difference of wall times:      {med['measured']:.3f} s/epoch "
      f"[{min(r['measured'] for r in counted):.3f}–{max(r['measured'] for r in counted):.3f}], "
      f"ratio {med['ratio']:.3f} (issue 7: ≤ 1.15)")
print(f"  exp run, between epoch ends (2…{epochs}):   {med['epoch']:.3f} s/epoch "
      f"[{min(r['epoch'] for r in counted):.3f}–{max(r['epoch'] for r in counted):.3f}], ratio {med['epoch_ratio']:.3f}")
print(f"  split: training {med['training']:.3f} s, evaluation + checkpoint + status "
      f"{med['evaluation_rest']:.3f} s, outputs (metrics.h5, weights.h5, PNGs) {med['outputs']:.3f} s")
print(f"  1-minute load average during the rounds: ≤ {max(r['load'] for r in counted):.2f}")
