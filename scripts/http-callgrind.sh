#!/usr/bin/env bash
# Benchmark: instructions per `/match` request in `sekisho serve`, counted by callgrind, for
# before/after comparisons that other work on the same cores cannot disturb (wall-clock
# figures can be halved by it; instruction counts are not).
#
# Imports the six shared lists into a fresh store, starts the server under
# `valgrind --tool=callgrind` with instrumentation off, sends a 50-request warm-up, switches
# instrumentation on and sends exactly REQUESTS single-name /match requests (open loop, 40
# requests/s over 8 connections, the load generator's fixed name sequence), then stops the
# server and prints the totals per request and the inclusive cost of the main parts.
#
#   scripts/http-callgrind.sh [REQUESTS] [OUT_DIR]   (default 1000, a temporary folder)
#   SEKISHO_BIN=path/to/sekisho scripts/http-callgrind.sh   (another build)
#   scripts/http-callgrind.sh --report OUT_DIR REQUESTS     (the summary of a profile again)
#
# Under valgrind one thread runs at a time, and the SHA-256 crate cannot use SHA-NI (it
# runs its portable code), so the audit writer's hashing is overstated against native runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# Instructions per request in all and in the main parts, by the inclusive cost of each
# part's entry function (the largest line naming it: async functions also appear as
# nested closures; a part inlined into its caller shows 0; inclusive.txt has the rest).
report() {
  callgrind_annotate --inclusive=yes "$1"/callgrind.out* 2>/dev/null >"$1/inclusive.txt"
  local total
  total=$(callgrind_annotate "$1"/callgrind.out* 2>/dev/null | awk '/PROGRAM TOTALS/ && !done {gsub(",", "", $1); print $1; done = 1}')
  echo "total: $(( total / $2 )) instructions per request"
  # The matcher; the audit record (details, JSON, insert, and the SHA-256 chain within it);
  # listed entities and versions; results; the response's serialisation; the query's parsing.
  for part in 'sekisho_server::results::screen_entity' \
      'sekisho_service::screening::record_in' 'sekisho_store::audit::chain_hash' \
      'sekisho_server::screening::read_versions' 'sekisho_server::screening::record_all' \
      'axum::json::Json' 'sekisho_server::query::parse_match_body'; do
    cost=$( (grep -F "$part" "$1/inclusive.txt" || true) | awk '{gsub(",", "", $1); if ($1 + 0 > m) m = $1 + 0} END {print m + 0}')
    printf '%-55s %10d per request\n' "$part" $(( cost / $2 ))
  done
}
if [ "${1:-}" = --report ]; then report "$2" "$3"; exit; fi   # --report OUT_DIR REQUESTS: again
requests=${1:-1000}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
source scripts/lists.sh
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "${home:-}"' EXIT
load_test_store
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/callgrind.out" \
  "$bin" serve --listen 127.0.0.1:0 --poll-interval 0 >"$home/serve.out" 2>"$home/serve.err" &
server=$!
for _ in $(seq 600); do grep -q '^listening on' "$home/serve.out" 2>/dev/null && break; sleep 0.5; done
url=$(sed -n 's/^listening on //p' "$home/serve.out")
[ -n "$url" ] || { echo "the server did not start:" >&2; cat "$home/serve.err" >&2; exit 1; }
for _ in $(seq 1200); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.5; done
load() { target/release/examples/loadgen --url "$url" --key "$key" --connections 8 "$@"; }
load --rate 10 --seconds 5 >/dev/null
callgrind_control -i on "$server" >/dev/null
seconds=$(( (requests + 39) / 40 ))
load --rate 40 --seconds "$seconds" | tee "$out/loadgen.txt" | grep -E 'requests ok|errors'
callgrind_control -i off "$server" >/dev/null
kill -INT "$server"
wait "$server" || true
server=
answered=$(awk '/requests ok/ {print $3}' "$out/loadgen.txt")
[ "${answered:-0}" -gt 0 ] || { echo "no request was answered; see $out/loadgen.txt" >&2; exit 1; }
echo "binary $bin (checkout at $(git rev-parse --short HEAD)); $answered requests counted; profile in $out"
report "$out" "$answered"
