#!/usr/bin/env python3
"""Benchmark of GET /classify/search over HTTP: the time per request on one keep-alive
connection, the rulebook already loaded.

Imports the rulebook (../shared/data/control) into a fresh store, starts `sekisho serve` on a
free loopback port with one screener key, sends six warm-up requests, then N requests in
turn over six queries (a code, English and Japanese words, a 項番). `SEKISHO_BIN` picks the
binary (default target/release/sekisho, built first), so two builds can be run alternately.
Prints `uptime`: other work on the same cores changes every figure.

    scripts/bench-classify-search.py [REQUESTS]   (default 120; needs ../shared/data)
"""

import http.client
import os
import pathlib
import statistics
import sys
import time
import urllib.parse

from bench_server import percentile, sekisho_binary, served, uptime
from shared_data import shared_data

QUERIES = ["3A001", "machine tools", "工作機械", "encryption", "frequency changers", "2の項(12)"]


def main():
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    os.chdir(pathlib.Path(__file__).resolve().parent.parent)
    binary = sekisho_binary()
    data = shared_data("control")
    with served(binary, ("rules", "import", str(data / "control"))) as (port, key):
        conn = http.client.HTTPConnection("127.0.0.1", port)

        def search(query):
            conn.request("GET", "/classify/search?limit=10&q=" + urllib.parse.quote(query),
                         headers={"Authorization": f"ApiKey {key}"})
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                sys.exit(f"{query}: {response.status} {body[:200]!r}")

        for query in QUERIES:  # the rulebook is decoded on the first request
            search(query)
        print(f"binary {binary}; uptime: {uptime()}")
        times = []
        for i in range(requests):
            started = time.perf_counter()
            search(QUERIES[i % len(QUERIES)])
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    pick = lambda q: percentile(times, q)
    print(f"{requests} requests: mean {statistics.mean(times):.2f} ms, p50 {pick(0.5):.2f} ms, "
          f"p90 {pick(0.9):.2f} ms, max {times[-1]:.2f} ms")


if __name__ == "__main__":
    main()
