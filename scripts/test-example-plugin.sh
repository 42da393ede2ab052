#!/usr/bin/env bash
# Builds the example plugin package (examples/confusion-matrix) against this checkout, runs
# its sweep on a small MNIST subset and checks the confusion matrices it wrote.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cd "$root/examples/confusion-matrix"
swift build --scratch-path "$root/.build-example" 2>&1 | tail -1
EXP_DATA_DIR="$root/data" "$root/.build-example/debug/exp-confusion" run sweep.json --results "$out" 2>/dev/null
csv=$(ls "$out"/confusion-demo/*/confusion/epoch_0002.csv)
total=$(tr ',' '\n' < "$csv" | awk '{s += $1} END {print s}')
rows=$(wc -l < "$csv")
[ "$rows" -eq 10 ] || { echo "FAIL: $csv has $rows rows, expected 10"; exit 1; }
[ "$total" -eq 500 ] || { echo "FAIL: $csv counts $total test images, expected 500"; exit 1; }
echo "confusion matrix $csv: 10×10, 500 test images"
echo "example-plugin: 1 passed, 0 failed"
