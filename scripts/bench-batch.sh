#!/usr/bin/env bash
# Benchmark: screen a generated 100,000-row customer CSV the way a user runs it, recorded
# (audit records and cases for alerting rows), into a fresh store holding the six lists.
#
#   scripts/bench-batch.sh [ROWS]      (default 100000; needs ../shared/data)
#
# The file goes to target/batch-ROWS.csv (scripts/gen-batch.py, seed 4), the result to
# target/batch-ROWS-out.csv. Wall time and peak RSS come from GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
cargo build --release --quiet -p sekisho
bin=target/release/sekisho
input=target/batch-$rows.csv
python3 scripts/gen-batch.py --rows "$rows" --out "$input"
source scripts/lists.sh
lists=$(shared_lists_dir)
[ -d "$lists" ] || { echo "no shared lists found" >&2; exit 1; }
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mapfile -t paths < <(current_list_paths "$lists")
SEKISHO_HOME=$home "$bin" lists import "${paths[@]}" >/dev/null
SEKISHO_HOME=$home /usr/bin/time -f 'wall %e s, peak RSS %M KB, user %U s, sys %S s' \
  "$bin" screen --input "$input" --output "target/batch-$rows-out.csv"
