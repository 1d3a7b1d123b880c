"""Two app servers (gunicorn, separate instance folders) against one PostgreSQL, one Redis and one
S3: what one server accepts the other serves; throttle, revocation, outbox and scheduled jobs
are shared, so each happens once, not once per server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD, PG_URL, _pg_reachable, build_app
from tests.inspection_helpers import items_of, jpeg_bytes, payload
from tests.s3 import s3_config

BIN = Path(sys.executable).parent
SECRET = "two-servers-shared-jwt-secret-0123456789abcdef"


def _require(kind: str, reason: str | None) -> None:
    if reason is None:
        return
    if os.environ.get(f"ANXUN_REQUIRE_{kind}"):
        pytest.fail(f"ANXUN_REQUIRE_{kind} is set but {reason}")
    pytest.skip(reason)


def _redis_url() -> str:
    """Its own Redis database, so no other test's worker takes this test's jobs."""
    base = os.environ.get("ANXUN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    return base.rsplit("/", 1)[0] + "/12"


def _redis_unreachable(url: str) -> str | None:
    from redis import Redis

    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means unavailable
        return f"Redis unreachable: {exc}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver(BaseHTTPRequestHandler):
    keys: Counter

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.keys[self.headers.get("Idempotency-Key")] += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def call(base, method, path, token=None, body=None, form=None, headers=None):
    """One HTTP request; returns (status, headers, bytes)."""
    data, sent = None, dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    if form is not None:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in form.items():
            if isinstance(value, bytes):
                head = f'Content-Disposition: form-data; name="{name}"; filename="p.jpg"\r\n'
                head += "Content-Type: image/jpeg\r\n"
                parts.append(f"--{boundary}\r\n{head}\r\n".encode() + value + b"\r\n")
            else:
                head = f'Content-Disposition: form-data; name="{name}"\r\n'
                parts.append(f"--{boundary}\r\n{head}\r\n{value}\r\n".encode())
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        sent["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    request = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def login(base, username="officer-hc", password=DEMO_PASSWORD):
    status, _, raw = call(
        base, "POST", "/api/v1/auth/login", body={"username": username, "password": password}
    )
    return status, (json.loads(raw) if raw else {})


@pytest.fixture
def cluster(tmp_path):
    """Seeded database, two gunicorn servers (one process each), a webhook receiver."""
    _require("PG", None if PG_URL else "PostgreSQL not configured")
    _require("PG", _pg_reachable(PG_URL) if PG_URL else None)
    redis_url = _redis_url()
    _require("PG", _redis_unreachable(redis_url))  # .ci/run starts Redis with PostgreSQL
    s3 = s3_config()
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
    import psycopg

    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    name = admin.rsplit("/", 1)[1].split("?")[0] + "_two"
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    receiver.keys = Counter()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ANXUN_JWT_SECRET_KEY": SECRET,
        "ANXUN_REDIS_URL": redis_url,
        "ANXUN_DISPATCH_MODE": "rq",
        "ANXUN_AUTH_CACHE_SECONDS": "60",
        "WEB_CONCURRENCY": "1",
        **s3,
    }
    servers, bases, envs = [], [], []
    try:
        # The servers boot (imports take seconds) while this process migrates and seeds.
        for n in (1, 2):
            port = _free_port()
            server_env = {
                **env,
                "PORT": str(port),
                "ANXUN_INSTANCE_PATH": str(tmp_path / f"app{n}"),
            }
            log = open(tmp_path / f"app{n}.log", "wb")  # noqa: SIM115 - closed at teardown
            command = [str(BIN / "gunicorn"), "-c", "python:anxun.web.gunicorn_conf"]
            command += ["--bind", f"127.0.0.1:{port}"]
            process = subprocess.Popen(
                command, env=server_env, stdout=log, stderr=subprocess.STDOUT
            )
            servers.append((process, log))
            bases.append(f"http://127.0.0.1:{port}")
            envs.append(server_env)
        world = _seed(url, tmp_path, s3, receiver.server_port)
        deadline = time.monotonic() + 60
        for n, base in enumerate(bases):
            while not (_up(base) and call(base, "GET", "/api/v1/health")[0] == 200):
                if time.monotonic() > deadline:
                    raise AssertionError((tmp_path / f"app{n + 1}.log").read_text()[-3000:])
                time.sleep(0.1)
        yield {
            "a": bases[0],
            "b": bases[1],
            "envs": envs,
            "receiver": receiver,
            "world": world,
            "logs": tmp_path,
        }
    finally:
        for process, _log in servers:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for process, log in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
        receiver.shutdown()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed(url: str, tmp_path: Path, s3: dict, receiver_port: int) -> dict:
    """Migrate, seed the demo world, and register a webhook for the regulator of hc."""
    from flask_migrate import upgrade

    from anxun import demo
    from anxun.core.uow import unit_of_work
    from anxun.extensions import db
    from anxun.outbox.models import RegulatorEndpoint
    from tests.factories import world_ids

    seeding = build_app(url, str(tmp_path / "seed"), **s3)
    with seeding.app_context():
        upgrade()
        with unit_of_work():
            demo.seed_demo(
                DEMO_PASSWORD, Path(seeding.config["ANXUN_CHECKLIST_DIR"]), operations=False
            )
        world = world_ids()
        with unit_of_work():
            db.session.add(
                RegulatorEndpoint(
                    regulator_id=world["regulator"],
                    adapter="webhook",
                    config={"url": f"http://127.0.0.1:{receiver_port}/", "secret": "s"},
                )
            )
        db.session.remove()
        db.engine.dispose()
    return world


def _up(base: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=0.2):
            return True
    except OSError:
        return False


def _flask(env, *args):
    return subprocess.run(
        [str(BIN / "flask"), *args],
        env={**env, "FLASK_APP": "anxun.app:create_app"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_two_servers_share_everything(cluster):
    a, b = cluster["a"], cluster["b"]
    status, tokens = login(a)
    assert status == 200, tokens
    token = tokens["access_token"]

    # Photo and inspection through A.
    photo = jpeg_bytes(color=(120, 40, 200), size=(640, 480))
    import hashlib

    media_id = str(uuid.uuid4())
    status, _, raw = call(
        a,
        "POST",
        "/api/v1/media",
        token,
        form={"id": media_id, "sha256": hashlib.sha256(photo).hexdigest(), "file": photo},
    )
    assert status == 201, raw
    status, _, raw = call(a, "GET", "/api/v1/checklists/hazardous-chemicals", token)
    detail = json.loads(raw)
    item = next(
        i
        for i in items_of(detail["document"])
        if not i["major"] and i["answer"]["type"] == "pass_fail_na"
    )
    body = payload(detail, failures={item["id"]: [media_id]})
    status, _, raw = call(a, "POST", "/api/v1/inspections", token, body=body)
    assert status == 201, raw

    # Read back through B: the photo (from S3, not A's disk), the record PDF, the hazard.
    status, _, raw = call(b, "GET", f"/api/v1/media/{media_id}", token)
    assert status == 200 and raw == photo
    status, headers, raw = call(b, "GET", f"/api/v1/inspections/{body['id']}/record.pdf", token)
    assert status == 200 and raw.startswith(b"%PDF"), raw[:200]
    status, _, raw = call(b, "GET", f"/api/v1/inspections/{body['id']}", token)
    assert status == 200, raw
    hazard_ids = [h["id"] for h in json.loads(raw).get("hazards", [])]
    assert hazard_ids, raw
    assert not (cluster["logs"] / "app1" / "media").exists()

    # Login throttle counted across servers: 3 free failures on A, the 4th at once on B is 429.
    for _ in range(3):
        assert login(a, "rectifier-hc", "wrong-password")[0] == 401
    status, refused = login(b, "rectifier-hc", "wrong-password")
    assert status == 429, refused

    # Token revocation: a session logged out on B is over on A too, at once, although A holds
    # the caller in its cache for a minute (the change counter in Redis, accounts/actor_cache.py).
    status, other = login(a, "head-hc")
    assert status == 200
    assert call(a, "GET", "/api/v1/me", other["access_token"])[0] == 200
    assert call(b, "POST", "/api/v1/auth/logout", other["access_token"])[0] in (200, 204)
    assert call(a, "GET", "/api/v1/me", other["access_token"])[0] == 401
    assert call(b, "GET", "/api/v1/me", other["access_token"])[0] == 401

    # Outbox: jobs went to Redis; one RQ worker per server plus a dispatch from each server's
    # command line, all at once; every event reaches the regulator once.
    runners = [
        subprocess.Popen(
            [str(BIN / "rq"), "worker", "anxun", "--burst", "--url", env["ANXUN_REDIS_URL"]],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for env in cluster["envs"]
    ] + [
        subprocess.Popen(
            [str(BIN / "flask"), "anxun", "outbox", "dispatch"],
            env={**env, "FLASK_APP": "anxun.app:create_app"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for env in cluster["envs"]
    ]
    for runner in runners:
        assert runner.wait(timeout=60) == 0
    keys = cluster["receiver"].keys
    assert keys, "no event reached the regulator"
    assert set(keys.values()) == {1}, keys

    # Scheduled jobs: both servers' cron fire at the same minute; each job runs once.
    results = [None, None]

    def cron(n):
        results[n] = _flask(cluster["envs"][n], "anxun", "jobs", "run")

    threads = [threading.Thread(target=cron, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
    lines = [line for r in results for line in r.stdout.splitlines() if "[" in line]
    jobs = (
        "tasks-generate",
        "hazards-sweep",
        "grades-snapshot",
        "orders-sweep",
        "permits-sweep",
        "campaigns-enrol",
    )
    for job in jobs:
        mine = [line for line in lines if line.startswith(job + " ")]
        assert len(mine) == 2, lines
        assert sum(" ran:" in line for line in mine) == 1, mine
    listed = _flask(cluster["envs"][1], "anxun", "jobs", "list").stdout
    assert listed.count("1 run(s)") == len(jobs), listed

    # The hazard raised through A, read through B.
    status, _, raw = call(b, "GET", f"/api/v1/hazards/{hazard_ids[0]}", token)
    assert status == 200, raw
    assert json.loads(raw)["id"] == hazard_ids[0]
