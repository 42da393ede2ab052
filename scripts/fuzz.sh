#!/usr/bin/env bash
# libFuzzer targets for the sweep parser (JSONParser → Sweep → expansion) and the IDX reader.
#
#   scripts/fuzz.sh [--seconds N] [sweep|idx]...   (default: both, 60 s each)
#
# SwiftPM cannot build a fuzzer entry point next to the normal products, so each target is
# compiled directly with `swiftc -sanitize=fuzzer,address` from the module sources it needs
# (copied into .build/fuzz/, with `import Datasets` dropped where the files become one module).
# Corpus: fuzz/corpus/<target> (committed seeds) + .build/fuzz/corpus-<target> (grown).
# Crashes land in .build/fuzz/artifacts-<target>/; each becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        sweep|idx) targets+=("$1"); shift ;;
        *) echo "usage: $0 [--seconds N] [sweep|idx]..." >&2; exit 64 ;;
    esac
done
[ ${#targets[@]} -eq 0 ] && targets=(sweep idx)
out=.build/fuzz
mkdir -p "$out"

build() {
    local target=$1 src="$out/src-$1"
    rm -rf "$src"; mkdir -p "$src"
    case "$target" in
        sweep)
            cp Sources/Experiments/Configuration/*.swift Sources/Datasets/SHA256.swift "$src/"
            # The typed views need Layers/Model/Training; parsing and expansion do not.
            rm -f "$src/ResolvedConfiguration+Typed.swift" "$src/ResolvedConfiguration+Run.swift"
            cp fuzz/sweep/*.swift "$src/" ;;
        idx)
            cp Sources/Datasets/*.swift "$src/"
            rm -f "$src/Batcher.swift" "$src/Minibatch.swift"   # need Tensor
            cp fuzz/idx/*.swift "$src/" ;;
    esac
    sed -i '/^import Datasets$/d' "$src"/*.swift
    nice -n 19 swiftc -parse-as-library -O -g -sanitize=fuzzer,address -module-name "Fuzz_$target" -swift-version 5 \
        -I Sources/CCrypto -I Sources/CZlib -lcrypto -lz "$src"/*.swift -o "$out/fuzz-$target"
}

for target in "${targets[@]}"; do
    echo "== building fuzz-$target"
    build "$target"
    mkdir -p "$out/corpus-$target" "$out/artifacts-$target"
    echo "== fuzzing $target for $seconds s"
    status=0
    ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=fuzz/lsan.supp:print_suppressions=0 nice -n 19 "$out/fuzz-$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/artifacts-$target/" \
        $( [ -f "fuzz/$target.dict" ] && echo "-dict=fuzz/$target.dict" ) "$out/corpus-$target" "fuzz/corpus/$target" 2>&1 | tee "$out/fuzz-$target.log" \
        | grep -E "^#[0-9]+.*(DONE|pulse)|stat::|ERROR|==[0-9]+==|SUMMARY" || status=$?
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/fuzz-$target.log" || true
    ls "$out/artifacts-$target" | sed "s|^|finding: $out/artifacts-$target/|"
done
