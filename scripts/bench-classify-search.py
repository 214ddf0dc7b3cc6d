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
import subprocess
import sys
import tempfile
import time
import urllib.parse

from shared_data import shared_data

QUERIES = ["3A001", "machine tools", "工作機械", "encryption", "frequency changers", "2の項(12)"]


def main():
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    os.chdir(pathlib.Path(__file__).resolve().parent.parent)
    binary = os.environ.get("SEKISHO_BIN")
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "sekisho"], check=True)
        binary = "target/release/sekisho"
    data = shared_data("control")
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, SEKISHO_HOME=home)
        run = lambda *args: subprocess.run([binary, *args], env=env, check=True, capture_output=True, text=True).stdout
        run("rules", "import", str(data / "control"))
        key = run("keys", "create", "bench", "--role", "screener").strip()
        server = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--poll-interval", "0"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
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
            print(f"binary {binary}; uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
            times = []
            for i in range(requests):
                started = time.perf_counter()
                search(QUERIES[i % len(QUERIES)])
                times.append((time.perf_counter() - started) * 1000)
        finally:
            server.terminate()
            server.wait()
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{requests} requests: mean {statistics.mean(times):.2f} ms, p50 {pick(0.5):.2f} ms, "
          f"p90 {pick(0.9):.2f} ms, max {times[-1]:.2f} ms")


if __name__ == "__main__":
    main()
