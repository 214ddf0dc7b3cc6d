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
if [ -n "${SEKISHO_SHARED_DATA:-}" ]; then
  lists=$SEKISHO_SHARED_DATA/lists
else  # the repository sits beside shared/; search upwards so that worktrees find it too
  lists=$(python3 -c 'import pathlib; p=[a/"shared/data/lists" for a in pathlib.Path.cwd().parents if (a/"shared/data/lists").is_dir()]; print(p[0] if p else "")')
fi
[ -d "$lists" ] || { echo "no shared lists found" >&2; exit 1; }
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
paths=()
for f in ofac-sdn-2021 un-sc-2026-02-27 us-csl-2026-07-31 us-bis-dpl jp-meti-end-user-list-2025-09-29 jp-mof-asset-freeze-2026-03-05; do
  paths+=("$lists/$f")
done
SEKISHO_HOME=$home "$bin" lists import "${paths[@]}" >/dev/null
SEKISHO_HOME=$home /usr/bin/time -f 'wall %e s, peak RSS %M KB, user %U s, sys %S s' \
  "$bin" screen --input "$input" --output "target/batch-$rows-out.csv"
