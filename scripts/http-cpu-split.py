#!/usr/bin/env python3
"""Splits a `perf record -g --call-graph dwarf` profile of `sekisho serve` under load into
cost buckets (matcher, HTTP, hand-offs, audit writer, ...), by the frames on each sample's
stack. Used for BENCHMARKS.md, "HTTP service", session 4.

    perf record -F 999 -g --call-graph dwarf,16384 -o perf.data -p "$SERVER_PID" -- sleep 10
    perf script -i perf.data -F comm,tid,period,ip,sym --no-inline > samples.txt
    scripts/http-cpu-split.py samples.txt [BUCKET ...]   # BUCKET: also list its top leaf frames

Percentages are of all the server's samples (user and kernel). The buckets are tried in
order; a sample counts once, in the first bucket whose frames it has.
"""
import collections
import re
import sys

SWITCH = re.compile(r"finish_task_switch|__schedule|_raw_spin_unlock_irq|try_to_wake_up|lock_contended|Condvar|futex_wa|Parker|unpark")


def classify(thread, frames):
    stack = "\n".join(frames)
    leaf = "\n".join(frames[:6])
    # Time spent switching threads or waking one, whatever the thread was doing.
    if SWITCH.search(leaf):
        via = "epoll" if "epoll" in stack else ("futex" if "futex" in stack else "other")
        return f"hand-offs: context switches and wake-ups ({via})"
    if thread.startswith("sekisho-audit"):
        if re.search(r"sqlite3|^wal|pcache|btree[A-Z]|unixWrite|unixRead|Pager|pager", stack, re.M):
            return "audit: SQLite (insert, WAL, commit)"
        if "raise_alert" in stack:
            return "audit: cases (raise_alert)"
        if "sha2::" in stack:
            return "audit: SHA-256 chain"
        if "canonical_json" in stack:
            return "audit: canonical JSON"
        # Screen records are written from typed parts (RecordBody) straight into their JSON.
        if re.search(r"record_in|describe_snapshot|RecordBody|serde_json::ser", stack):
            return "audit: building and writing the record's JSON"
        if "drop_in_place" in stack:
            return "audit: freeing"
        return "audit: other (queue, wake-ups)"
    if "sekisho_match::" in stack and ("screen_entity" in stack or "ScreeningIndex" in stack):
        return "matcher"
    if re.search(r"verify_api_key|presented_key|hash_key|store_task|api_keys_generation|KeyCache", stack):
        return "auth (key check)"
    if re.search(r"read_versions|matched_entity|version_matches|entity_hashes|snapshot_entity|StorePool|ListedCache|ListedEntity::new", stack):
        return "store reads (listed entities, versions)"
    if re.search(r"parse_match_body|read_json|from_slice|query::", stack):
        return "JSON in (body, query)"
    if re.search(r"screened_json|match_json|entity_json|to_ftm|record_all|MatchResult|serde_json::ser|json::Json<T> as axum_core|serialize", stack):
        return "JSON out (results, response)"
    if "match_entities" in stack:
        return "handler, other"
    if re.search(r"tcp_|sock_|inet_|ip_|__x64_sys_(sendto|recvfrom|write|read|epoll)|epoll|hyper::|axum::|tower|mio::|tokio::net|h1::", stack):
        return "HTTP/tokio (hyper, sockets, epoll)"
    if thread.startswith("sekisho-screen"):
        return "screening thread, other"
    return "other"


def main():
    totals = collections.Counter()
    leaves = collections.defaultdict(collections.Counter)
    thread, period, frames = None, 0, []

    def flush():
        if thread is not None:
            bucket = classify(thread, frames)
            totals[bucket] += period
            leaves[bucket][frames[0] if frames else "?"] += period

    for line in open(sys.argv[1], errors="replace"):
        if not line.strip():
            flush()
            thread, frames = None, []
        elif line[0] not in " \t":
            parts = line.split()
            thread, period, frames = parts[0], int(parts[-1]), []
        else:
            parts = line.strip().split(None, 1)
            frames.append(parts[1] if len(parts) > 1 else "?")
    flush()
    everything = sum(totals.values()) or 1
    for bucket, value in totals.most_common():
        print(f"{100 * value / everything:6.1f}%  {bucket}")
    for bucket in sys.argv[2:]:
        print(f"== {bucket}")
        for frame, value in leaves[bucket].most_common(15):
            print(f"   {100 * value / everything:5.2f}%  {frame}")


if __name__ == "__main__":
    main()
