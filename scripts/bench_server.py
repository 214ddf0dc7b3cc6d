"""A `sekisho serve` on a fresh store for the Python HTTP benchmarks (imported by them, not run)."""
import contextlib
import http.client
import os
import subprocess
import tempfile
import time


def sekisho_binary():
    """$SEKISHO_BIN (another build, for before/after runs), else the release build, built first."""
    if os.environ.get("SEKISHO_BIN"):
        return os.environ["SEKISHO_BIN"]
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "sekisho"], check=True)
    return "target/release/sekisho"


@contextlib.contextmanager
def served(binary, *imports, wait_for_lists=False):
    """Runs each of `imports` (CLI arguments, e.g. ("rules", "import", DIR)) on a fresh
    SEKISHO_HOME, makes one screener key and serves the store on a free loopback port;
    yields (port, key) and stops the server after. With `wait_for_lists`, waits until
    /readyz says the lists are indexed (it fails without lists, so not by default)."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, SEKISHO_HOME=home)
        run = lambda *args: subprocess.run([binary, *args], env=env, check=True, capture_output=True, text=True).stdout
        for args in imports:
            run(*args)
        key = run("keys", "create", "bench", "--role", "screener").strip()
        server = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--poll-interval", "0"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
            while wait_for_lists and not ready(port):
                time.sleep(0.1)
            yield port, key
        finally:
            server.terminate()
            server.wait()


def ready(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/readyz")
        return conn.getresponse().status == 200
    except OSError:
        return False


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def percentile(sorted_values, q):
    """The value at quantile `q` of an ascending list (the nearest rank below)."""
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]
