#!/usr/bin/env bash
# Benchmark: import every shared list (one OFAC vintage, the 2021 one) into an empty store,
# the way a user runs it, and report wall time and peak resident memory.
#
#   scripts/bench-import.sh [RUNS]      (default 10 runs; needs ../shared/data)
#
# Each run starts from an empty SEKISHO_HOME so that every run does the full work. Wall
# time and peak RSS come from GNU time (/usr/bin/time -f '%e %M').
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
source scripts/lists.sh
lists=$(shared_lists_dir)
[ -d "$lists" ] || { echo "no shared lists found" >&2; exit 1; }
cargo build --release --quiet -p sekisho
bin=target/release/sekisho
mapfile -t paths < <(current_list_paths "$lists")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
walls=()
peak=0
for i in $(seq "$runs"); do
  home="$tmp/home-$i"
  /usr/bin/time -f '%e %M' -o "$tmp/time" env SEKISHO_HOME="$home" "$bin" lists import "${paths[@]}" >/dev/null 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
  read -r wall rss < "$tmp/time"
  walls+=("$wall")
  (( rss > peak )) && peak=$rss
done
sorted=$(printf '%s\n' "${walls[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
best=$(echo "$sorted" | head -1)
worst=$(echo "$sorted" | tail -1)
entities=$(SEKISHO_HOME="$tmp/home-1" "$bin" lists status --json | python3 -c 'import json,sys; print(sum(s["entity_count"] for s in json.load(sys.stdin)))')
echo "import of ${#CURRENT_LISTS[@]} lists ($entities entities), $runs runs: wall median ${median}s (best ${best}s, worst ${worst}s), peak RSS $((peak / 1024)) MB"
