#!/usr/bin/env python3
"""Benchmark of POST /determine over HTTP: requests/s and latency percentiles, with the
parties screened and every determination recorded in the audit trail.

Imports the CSL and the METI End User List and the rulebook into a fresh store, starts
`sekisho serve` on a free loopback port with one screener key, and sends, from N threads
each on one keep-alive connection, the two real transactions of tests/serve_determine.rs in
turn (3A001.a.1 to an Entity List institute in China; 16の項 goods to an End User List company
in Iran) for S seconds. Prints `uptime` before and after: other work on the same cores
changes every figure.

    scripts/bench-determine.py [SECONDS] [CONNECTIONS]   (default 20, 1; needs ../shared/data)
"""

import http.client
import json
import os
import pathlib
import sys
import threading
import time

from bench_server import percentile, sekisho_binary, served, uptime
from shared_data import shared_data

TRANSACTIONS = [
    {"id": "BENCH-EL", "exporter": ["US"], "destination": "CN",
     "item": {"description": "Radiation-hardened ICs", "eccn": "3A001.a.1"},
     "parties": [{"role": "end_user", "name": "Chinese Academy of Engineering Physics"}], "end_use": ["civil"]},
    {"id": "BENCH-EUL", "exporter": ["JP"], "destination": "Iran",
     "item": {"description": "CNC lathe parts", "jp": "16の項(1)"},
     "parties": [{"role": "end_user", "name": "Abzar Boresh Kaveh Co."}], "end_use": ["civil"]},
]


def worker(port, key, deadline, latencies, errors):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": f"ApiKey {key}", "Content-Type": "application/json"}
    bodies = [json.dumps(t).encode() for t in TRANSACTIONS]
    i = 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        conn.request("POST", "/determine", body=bodies[i % 2], headers=headers)
        response = conn.getresponse()
        answer = json.loads(response.read())
        latencies.append(time.perf_counter() - started)
        if response.status != 200 or answer["determination"]["outcomes"][0]["outcome"] != "licence_required":
            errors.append(response.status)
        i += 1


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    root = pathlib.Path(__file__).resolve().parent.parent
    os.chdir(root)
    binary = sekisho_binary()
    data = shared_data("lists")
    lists = ("lists", "import", str(data / "lists/us-csl-2026-07-31"), str(data / "lists/jp-meti-end-user-list-2025-09-29"))
    with served(binary, lists, ("rules", "import", str(data / "control")), wait_for_lists=True) as (port, key):
        # Warm-up: the first request decodes the rulebook.
        worker(port, key, time.monotonic() + 1, [], [])
        print(f"binary {binary}; uptime before: {uptime()}")
        latencies, errors = [], []
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=worker, args=(port, key, deadline, latencies, errors)) for _ in range(connections)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        print(f"uptime after: {uptime()}")
    latencies.sort()
    pick = lambda q: percentile(latencies, q) * 1000
    print(f"{connections} connection(s), {elapsed:.1f} s: {len(latencies)} requests, {len(errors)} errors, "
          f"{len(latencies) / elapsed:.0f} req/s; p50 {pick(0.5):.2f} ms, p90 {pick(0.9):.2f} ms, p99 {pick(0.99):.2f} ms, max {latencies[-1] * 1000:.2f} ms")


if __name__ == "__main__":
    main()
