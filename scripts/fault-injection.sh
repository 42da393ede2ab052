#!/usr/bin/env bash
# SIGKILL `exp run` at many points of a small sweep, resume, and check that completed runs are
# unchanged and resumed runs bit-identical to an uninterrupted one (scripts/fault_injection.py).
#   scripts/fault-injection.sh [--trials N] [--exp .build/release/exp] [--seed S] [--keep DIR]
# Default: the debug build, one trial per kill-point kind (9 trials). Needs /usr/bin/python3 with h5py.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .build/debug/exp ] || swift build --product exp
exec /usr/bin/python3 scripts/fault_injection.py "$@"
