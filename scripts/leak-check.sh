#!/usr/bin/env bash
# LeakSanitizer (with AddressSanitizer) on `exp run`: a small sweep with diagnostics and
# early-stopping, interrupted by SIGINT and resumed, then `exp status`. Builds exp with
# -sanitize=address into .build/asan. Fails when any leak is reported.
# Swift runtime noise: the only suppression (fuzz/lsan.supp) is `once_slow`, the one-time
# initialisers of globals and static properties (swift_once); every other allocation that is
# not freed at exit is reported, from Swift code or from libhdf5/libpng/zlib/OpenBLAS alike.
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 10 swift build --build-path .build/asan -Xswiftc -sanitize=address --product exp >/dev/null
exp=.build/asan/debug/exp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/sweep.json" <<'JSON'
{"name": "leak", "seeds": [0, 1],
 "base": {"dataset": {"train_limit": 128, "test_limit": 50},
          "training": {"epochs": 2, "batch_size": 32, "momentum": 0.9}, "exports": {"activation_images": [0]},
          "plugins": [{"name": "diagnostics"}, {"name": "early-stopping", "patience": 5}]}}
JSON
export ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=fuzz/lsan.supp:print_suppressions=1 SWIFT_BACKTRACE=enable=no
"$exp" run "$work/sweep.json" --results "$work/results" >"$work/1.txt" 2>&1 & pid=$!
sleep 2.5; kill -INT $pid; wait $pid || true
"$exp" run "$work/sweep.json" --results "$work/results" >"$work/2.txt" 2>&1
"$exp" status --results "$work/results" >"$work/3.txt" 2>&1
status=0
for f in 1 2 3; do
    if grep -q "ERROR: LeakSanitizer\|ERROR: AddressSanitizer" "$work/$f.txt"; then cat "$work/$f.txt"; status=1; fi
    echo "step $f: $(grep -E '^ +[0-9]+ +[0-9]+ once_slow' "$work/$f.txt" | awk '{print $1 " allocations, " $2 " bytes in swift_once initialisers (suppressed)"}')"
done
[ $status -eq 0 ] && echo "no leaks reported (interrupted run, resumed run, exp status)"
exit $status
