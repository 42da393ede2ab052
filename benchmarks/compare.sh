#!/bin/sh
# Side-by-side speed of `exp bench` and PyTorch (benchmarks/pytorch_lenet.py), issue 7.
#
#   benchmarks/compare.sh [ROUNDS]        (from the repository root; default 3 rounds)
#
# Every round runs, configuration by configuration, in the same environment, `exp bench` (release build),
# Debian's torch 1.13 (/usr/bin/python3, its OpenBLAS pool pinned to one thread) and, when
# benchmarks/.venv exists, torch 2.13.0+cpu (see docs/PERFORMANCE.md for how to create it);
# rounds interleave the tools so that load from other processes hits all of them alike. All
# use $THREADS threads (default 2). The summary takes, per tool and configuration, the median over rounds of each
# run's median, and prints the ratio exp / (the faster PyTorch) per configuration.
# Environment: STEPS (50), REPETITIONS (5), BATCH_SIZES (16,64,256), INFERENCE (1000),
# THREADS (2: the acceptance setting; 1 compares one core with one core).
set -eu
ROUNDS=${1:-3}
STEPS=${STEPS:-50}
REPETITIONS=${REPETITIONS:-5}
BATCH_SIZES=${BATCH_SIZES:-16,64,256}
INFERENCE=${INFERENCE:-1000}
THREADS=${THREADS:-2}
cd "$(dirname "$0")/.."
swift build -c release --product exp >&2
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
COMMON="--threads $THREADS --steps $STEPS --repetitions $REPETITIONS"
# One configuration at a time, every tool in turn, so that load from other processes (which
# comes and goes) hits the tools alike.
CONFIGS=""
for n in $(echo "$BATCH_SIZES" | tr ',' ' '); do CONFIGS="$CONFIGS train:$n"; done
for n in $(echo "$INFERENCE" | tr ',' ' '); do CONFIGS="$CONFIGS inference:$n"; done
round=1
while [ "$round" -le "$ROUNDS" ]; do
    echo "round $round/$ROUNDS" >&2
    for config in $CONFIGS; do
        n=${config#*:}
        if [ "${config%%:*}" = train ]; then ARGS="--batch-sizes $n --inference-batch-sizes none"; else ARGS="--batch-sizes none --inference-batch-sizes $n"; fi
        tag="$round.${config%%:*}$n"
        .build/release/exp bench $ARGS $COMMON --format json > "$OUT/exp.$tag.json"
        OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch_lenet.py $ARGS $COMMON > "$OUT/torch1.$tag.json"
        if [ -x benchmarks/.venv/bin/python ]; then
            OPENBLAS_NUM_THREADS=1 benchmarks/.venv/bin/python benchmarks/pytorch_lenet.py $ARGS $COMMON > "$OUT/torch2.$tag.json"
        fi
    done
    round=$((round + 1))
done
/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
tools = {}
for path in sorted(glob.glob(os.path.join(out, "*.json"))):
    tool = os.path.basename(path).split(".")[0]
    report = json.load(open(path))
    t = tools.setdefault(tool, {"rss": [], "rows": {}})
    t["version"] = report["config"].get("torch_version", "exp")
    t["rss"].append(report["peak_rss_bytes"])
    for kind in ("train", "inference"):
        for r in report[kind]:
            t["rows"].setdefault((kind, r["batch_size"], r["threads"]), []).append(r["samples_per_second"])
names = {"exp": "exp", "torch1": "torch " + tools.get("torch1", {}).get("version", "-"),
         "torch2": "torch " + tools.get("torch2", {}).get("version", "-")}
keys = sorted(tools["exp"]["rows"], key=lambda k: (k[0] != "train", k[1], k[2]))
present = [t for t in ("exp", "torch1", "torch2") if t in tools]
print("%-10s %5s %3s  " % ("kind", "n", "thr") + "  ".join("%22s" % names[t] for t in present) + "   exp/best-torch")
for key in keys:
    cells, med = [], {}
    for t in present:
        v = tools[t]["rows"].get(key, [])
        if v:
            med[t] = statistics.median(v)
            cells.append("%10.0f [%5.0f-%5.0f]" % (med[t], min(v), max(v)))
        else:
            cells.append("%22s" % "-")
    best = max((med[t] for t in med if t != "exp"), default=None)
    ratio = "%.2fx" % (med["exp"] / best) if best else "-"
    print("%-10s %5d %3d  " % key + "  ".join(cells) + "   " + ratio)
print("peak RSS (MiB, max over rounds): " + ", ".join("%s %.0f" % (names[t], max(tools[t]["rss"]) / 2**20) for t in present))
rounds = len(tools["exp"]["rss"]) // max(1, len(keys))
print("samples/s: median over %d rounds of each run's median [min-max of those medians]; %d threads" % (rounds, keys[0][2] if keys else 0))
PY
