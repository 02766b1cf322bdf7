"""A production-like server on loopback for the benchmark and the load test: gunicorn, DEBUG off, built static files."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import CommandError


def tools():
    """(wrk, gunicorn) paths, or None for a missing one."""
    gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
    return shutil.which("wrk"), (gunicorn if os.path.exists(gunicorn) else None)


@contextmanager
def gunicorn_server(workers=2, environment=None):
    """Start gunicorn on a free loopback port with production settings (and `environment`'s); yields
    (base URL, master pid)."""
    _wrk, gunicorn = tools()
    if gunicorn is None:
        raise CommandError("gunicorn is not installed.")
    port = free_port()
    env = dict(os.environ, DEBUG="False", ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="False")
    env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
    env.update(environment or {})
    # Production settings serve hashed static files: build them as a deployment would.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=settings.BASE_DIR
    )
    server = subprocess.Popen(
        [gunicorn, "ha_directory.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port)
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise CommandError("gunicorn did not start")


def run_wrk(wrk, url, seconds, connections=8, threads=2, script=None):
    """wrk's figures for `url`: requests per second, p50 and p99 in ms, non-2xx/3xx answers, socket errors."""
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if script:
        command += ["-s", script]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    out = result.stdout
    scale = {"us": 0.001, "ms": 1, "s": 1000}

    def latency(share):
        found = re.search(rf"{share}%\s+([\d.]+)(us|ms|s)", out)
        return round(float(found.group(1)) * scale[found.group(2)], 1) if found else None

    rps = re.search(r"Requests/sec:\s*([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests": int(total.group(1)) if total else None,
        "requests_per_second": float(rps.group(1)) if rps else None,
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
    }


def worker_memory_mb(master_pid, field="VmRSS"):
    """Memory of each gunicorn worker (the master's children), from /proc: `field` of its status.

    VmRSS is every page the worker has resident, the pages of a memory-mapped
    file included (SQLite's, which the system shares between the workers and
    may drop at will); RssAnon is the worker's own memory, what each one adds.
    """
    sizes = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            sizes.append(round(int(fields[field].split()[0]) / 1024, 1))
    return sorted(sizes)
