#!/usr/bin/env bash
# Benchmark: the HTTP load test of issue 4. Imports the six shared lists into a fresh store,
# starts `sekisho serve` on a free loopback port with one screener key, waits until it is
# ready, and runs the load generator (64 keep-alive connections of single-name
# POST /match/default, every query recorded) against it; prints `uptime` before and after,
# since other work on the same cores changes every figure.
#
#   scripts/bench-http.sh [SECONDS] [CONNECTIONS] [RATE]   (default 60, 64; needs ../shared/data)
#
# Without RATE the load is closed-loop (each connection sends when its last answer is in);
# with RATE it is open-loop at RATE requests/s in all, latency from the scheduled send time.
#   SEKISHO_BIN=path/to/sekisho scripts/bench-http.sh  (another build, e.g. for before/after)
#   LOADGEN=wrk scripts/bench-http.sh 60 64  (Debian's wrk, one thread, with
#       scripts/http-wrk.lua: the same query mix, closed loop only; prints wrk's own CPU)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-64}
rate=${3:-}
loadgen=${LOADGEN:-rust}
case $loadgen in
  rust) ;;
  wrk) [ -z "$rate" ] || { echo "LOADGEN=wrk is closed-loop only (no RATE)" >&2; exit 2; }
       command -v wrk >/dev/null || { echo "LOADGEN=wrk needs wrk (apt-get install wrk)" >&2; exit 2; }
       [ -x /usr/bin/time ] || { echo "LOADGEN=wrk needs /usr/bin/time (apt-get install time)" >&2; exit 2; } ;;
  *) echo "LOADGEN must be rust or wrk" >&2; exit 2 ;;
esac
source scripts/lists.sh
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "${home:-}"' EXIT
load_test_store
"$bin" serve --listen 127.0.0.1:0 --poll-interval 0 >"$home/serve.out" 2>"$home/serve.err" &
server=$!
for _ in $(seq 100); do grep -q '^listening on' "$home/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$home/serve.out")
for _ in $(seq 300); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
echo "binary $bin (checkout at $(git rev-parse --short HEAD)); uptime before: $(uptime)"
# CPU ticks (1/100 s) per thread kind: screening threads numbered, so by name without digits.
thread_ticks() {
  for t in /proc/"$server"/task/*; do
    echo "$(tr -d '0-9' <"$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
  done | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort
}
# Counters from /metrics (0 when absent, as in older builds).
metric() { curl -s "$url/metrics" | awk -v m="$1" '$1 == m {v = $2} END {print v + 0}'; }
ticks_before=$(thread_ticks)
# Screenings and WAL frames before the run: the readiness probe and the key's creation are
# not the load's.
screenings_before=$(metric sekisho_audit_group_screenings_total)
frames_before=$(metric sekisho_wal_frames_written_total)
groups_before=$(metric sekisho_audit_groups_total)
if [ "$loadgen" = wrk ]; then
  cpu_before=$(awk '{print $14 + $15}' "/proc/$server/stat")
  rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  SEKISHO_API_KEY=$key /usr/bin/time -f "wrk CPU: %U s user, %S s system" \
    wrk -t1 -c"$connections" -d"${seconds}s" --timeout 30s -s scripts/http-wrk.lua "$url"
  # The same per-request figures as the Rust generator prints.
  n=$(( $(metric sekisho_audit_group_screenings_total) - screenings_before ))
  echo "server CPU: $(awk -v a="$cpu_before" -v n="$n" '{printf "%.1f s = %.0f µs per request", ($14 + $15 - a) / 100, n > 0 ? ($14 + $15 - a) * 10000 / n : 0}' "/proc/$server/stat"); server RSS start $(( rss_before / 1024 )) MiB, end $(( $(awk '/VmRSS/ {print $2}' "/proc/$server/status") / 1024 )) MiB"
else
  target/release/examples/loadgen --url "$url" --key "$key" --pid "$server" --seconds "$seconds" --connections "$connections" \
    ${rate:+--rate "$rate"}
fi
echo "uptime after: $(uptime)"
answered=$(( $(metric sekisho_audit_group_screenings_total) - screenings_before ))
groups=$(( $(metric sekisho_audit_groups_total) - groups_before ))
frames=$(( $(metric sekisho_wal_frames_written_total) - frames_before ))
echo "server CPU by thread (µs per screening): $(join -a 2 -e 0 -o 0,1.2,2.2 <(echo "$ticks_before") <(thread_ticks) |
  awk -v n="$answered" 'n > 0 {printf "%s %.1f, ", $1, ($3 - $2) * 10000 / n}')"
records=$(sqlite3 "$home/sekisho.db" 'SELECT count(*) FROM audit_log' 2>/dev/null || echo "?")
# What a screening leaves in the trail: its record's bytes (version 2 names the list
# versions by hash), and the list sets stored once.
record_bytes=$(sqlite3 "$home/sekisho.db" "SELECT printf('%.0f', avg(length(CAST(record AS BLOB)))) FROM audit_log WHERE action = 'screen'" 2>/dev/null || echo "?")
list_sets=$(sqlite3 "$home/sekisho.db" 'SELECT count(*) FROM audit_list_sets' 2>/dev/null || echo "none (version 1 records)")
# The WAL's length (it starts over, so it stays bounded) and the checkpoints beside the writer.
echo "audit groups in the run: $groups, $answered screenings; WAL frames written (as the checkpoints saw them): $frames, $(awk -v f="$frames" -v g="$groups" -v n="$answered" 'BEGIN {if (g > 0 && n > 0) printf "%.1f per group, %.2f per screening", f / g, f / n}')"
echo "WAL file: $(( $(stat -c %s "$home/sekisho.db-wal" 2>/dev/null || echo 0) / 1048576 )) MiB; $(curl -s "$url/metrics" | grep -E '^sekisho_(wal|audit)' | tr '\n' ' ')"
echo "screen record: $record_bytes bytes on average; list sets stored: $list_sets; database file: $(( $(stat -c %s "$home/sekisho.db") / 1048576 )) MiB"
echo "audit records: $records; server threads at the end: $(grep Threads /proc/$server/status | awk '{print $2}'), store connections open: $(ls -l /proc/$server/fd | grep -c 'sekisho.db$')"
