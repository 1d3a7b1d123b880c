"""Load against a real gunicorn server while regulator platforms misbehave: a blackhole (accepts the
connection, never answers) and an endpoint that answers 500. Shared by the fault test and
bench/delivery_fault.py."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORTS = range(8101, 8110)  # the range this suite's servers may use


class Blackhole:
    """Accepts TCP connections and never answers (a platform that hangs)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/events"
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


class Failing:
    """Answers every POST with 500 and counts them."""

    def __init__(self):
        self.requests: list[str] = []
        failing = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                failing.requests.append(self.headers.get("Idempotency-Key", ""))
                self.send_response(500)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8101-8109")


@contextmanager
def gunicorn(env: dict, log_path: Path):
    """`make run`'s server (gunicorn with anxun.web.gunicorn_conf) on a free port; yields its URL."""
    port = free_port()
    full_env = {**os.environ, **env, "PORT": str(port)}
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:anxun.web.gunicorn_conf"],
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "/api/v1/health", timeout=2):
                    break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def call(url: str, method: str = "GET", body=None, token: str | None = None, timeout=60):
    """(status, seconds) of one request; never raises for HTTP errors."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        payload = exc.read()
        status = exc.code
    elapsed = time.perf_counter() - started
    return status, elapsed, payload


def login(base: str, username: str, password: str) -> str:
    status, _, payload = call(
        base + "/api/v1/auth/login", "POST", {"username": username, "password": password}
    )
    assert status == 200, payload
    return json.loads(payload)["access_token"]


def inspection_body(detail: dict) -> dict:
    """An all-pass inspection of `detail` finished a minute ago (an inspection_summary event)."""
    answers = []
    for section in detail["document"]["sections"]:
        for item in section["items"]:
            answer = item["answer"]
            value = None
            if answer["type"] == "number":
                value = answer.get("min") if answer.get("min") is not None else answer.get("max")
            elif answer["type"] == "choice":
                value = next(o["code"] for o in answer["options"] if not o.get("fails"))
            elif answer["type"] == "text":
                value = "正常"
            answers.append({"item_id": item["id"], "result": "pass", "value": value})
    finished = datetime.now(UTC) - timedelta(minutes=1)
    return {
        "id": str(uuid.uuid4()),
        "checklist_code": detail["code"],
        "checklist_version": detail["version_hash"],
        "started_at": (finished - timedelta(minutes=20)).isoformat(),
        "finished_at": finished.isoformat(),
        "device_id": "load-phone",
        "answers": answers,
    }


@dataclass
class Timings:
    """Seconds per request and status codes of one kind of request."""

    seconds: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    failures: list[bytes] = field(default_factory=list)  # bodies of the first failed answers

    def add(self, status: int, seconds: float, payload: bytes):
        self.statuses.append(status)
        self.seconds.append(seconds)
        if status >= 400 and len(self.failures) < 3:
            self.failures.append(payload[:500])

    @property
    def server_errors(self) -> list[int]:
        return [s for s in self.statuses if s >= 500]

    def p95(self) -> float:
        return (
            statistics.quantiles(self.seconds, n=20, method="inclusive")[-1]
            if len(self.seconds) > 1
            else 0.0
        )

    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<34} n={len(self.seconds):>4}  median={self.median() * 1000:7.1f} ms  "
            f"p95={self.p95() * 1000:7.1f} ms  max={max(self.seconds, default=0) * 1000:7.1f} ms"
            f"  5xx={len(self.server_errors)}"
        )


def run_load(base: str, poster: str, reader: str, detail: dict, seconds: float, clients: int = 4):
    """`clients` threads POST /inspections and one thread GETs /me for `seconds`."""
    posts, reads = Timings(), Timings()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def post_loop():
        while time.monotonic() < stop:
            body = inspection_body(detail)
            status, elapsed, payload = call(base + "/api/v1/inspections", "POST", body, poster)
            with lock:
                posts.add(status, elapsed, payload)

    def read_loop():
        while time.monotonic() < stop:
            status, elapsed, payload = call(base + "/api/v1/me", token=reader)
            with lock:
                reads.add(status, elapsed, payload)

    threads = [threading.Thread(target=post_loop) for _ in range(clients)]
    threads.append(threading.Thread(target=read_loop))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return posts, reads
