"""Ingest load generator (issue #18): accepted inspections per second against `make serve`.

    .venv/bin/python bench/ingest.py --db postgresql --pg-url postgresql://postgres@127.0.0.1/anxun_bench
    .venv/bin/python bench/ingest.py --db sqlite --clients 1 4 --runs 3 --seconds 10

Builds a fresh database (migrate, load checklists, seed the demo world), runs ANALYZE, starts
gunicorn with `make serve`'s settings (anxun.web.gunicorn_conf, 2 workers, dispatch mode rq; the
demo has no regulator endpoints, so nothing is queued) and has N client threads submit new
inspections of the hazardous-chemicals checklist as officer-hc over keep-alive connections.

Payload variants: `headline` (every item answered, no failure, no photo), `failed` (one item
failed with a photo, so a hazard is raised), `photo` (every item passed, one answer referencing an
uploaded photo). Prints, per variant and client count, the median accepted/s of the runs with
min–max, p50/p95 latency, status counts and SQL statements per request (counted in process with
an engine listener on the same database, BEGIN/COMMIT excluded), and the CPU time per accepted
request of the server (gunicorn master and workers) and of the PostgreSQL backends serving it, read
from /proc: a figure that other work on the machine hardly moves, unlike the rate.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.delivery_load import gunicorn  # noqa: E402
from tests.inspection_helpers import items_of, jpeg_bytes, payload  # noqa: E402

PASSWORD = "bench-pass-123"
GENERATED_PASSWORD = "bench-demo-pass"  # the demo users' password in bench/generate.py
SECRET = "bench-secret-key-of-sufficient-length-0123456789"


def _flask(env: dict, *args: str) -> None:
    subprocess.run(
        [str(Path(sys.executable).parent / "flask"), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(db: str, pg_url: str, folder: Path, existing: bool = False) -> dict:
    """A fresh, seeded, analysed database; returns the server's environment. With `existing`,
    the PostgreSQL database at `pg_url` is used as it is (migrated, analysed): a province made by
    bench/generate.py, to compare the ingest rate with the empty database's."""
    global PASSWORD
    if existing:
        PASSWORD = GENERATED_PASSWORD
    if db == "postgresql" and not existing:
        import psycopg

        plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
        url = plain.replace("postgresql://", "postgresql+psycopg://")
    elif db == "postgresql":
        url = pg_url.replace("postgresql://", "postgresql+psycopg://")
    else:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    env = {
        "FLASK_APP": "anxun.app:create_app",
        "DATABASE_URL": url,
        "ANXUN_INSTANCE_PATH": str(folder),
        "ANXUN_JWT_SECRET_KEY": SECRET,
        "ANXUN_DEMO_PASSWORD": PASSWORD,
        "ANXUN_DISPATCH_MODE": "rq",
        "WEB_CONCURRENCY": "2",
    }
    _flask(env, "db", "upgrade")
    if not existing:
        _flask(env, "anxun", "checklists", "load")
        _flask(env, "anxun", "seed")
    analyse(url)
    return env


def analyse(url: str) -> None:
    """Planner statistics first: CI-configured clusters may run without autovacuum."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    engine.dispose()


class Client:
    """One keep-alive connection, like a phone's."""

    def __init__(self, base: str, token: str | None = None):
        host, port = base.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.token = token

    def request(self, method: str, path: str, body: bytes | None = None, content_type=None):
        headers = {"Content-Type": content_type or "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, data


def login(base: str) -> str:
    status, data = Client(base).request(
        "POST",
        "/api/v1/auth/login",
        json.dumps({"username": "officer-hc", "password": PASSWORD}).encode(),
    )
    assert status == 200, data
    return json.loads(data)["access_token"]


def upload_photo(client: Client) -> str:
    import hashlib

    content = jpeg_bytes()
    media_id = str(uuid.uuid4())
    boundary = uuid.uuid4().hex
    fields = {"id": media_id, "sha256": hashlib.sha256(content).hexdigest()}
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    status, data = client.request(
        "POST", "/api/v1/media", body, f"multipart/form-data; boundary={boundary}"
    )
    assert status in (200, 201), data
    return media_id


def make_body(variant: str, checklist: dict, photo: str) -> dict:
    if variant == "failed":
        item = next(
            i for i in items_of(checklist["document"]) if i["answer"]["type"] == "pass_fail_na"
        )
        return payload(checklist, failures={item["id"]: [photo]})
    body = payload(checklist)
    if variant == "photo":
        body["answers"][0]["media_ids"] = [photo]
    return body


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each of these processes so far (gone ones are left out)."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / _TICK
    return seconds


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings; a process started in between counts from 0."""
    return sum(value - before.get(pid, 0) for pid, value in after.items())


def server_pids() -> list[int]:
    """This process's descendants: the gunicorn master and its workers."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def database_pids(env: dict) -> list[int]:
    """PostgreSQL backends connected to the bench's database (none for SQLite)."""
    url = env["DATABASE_URL"]
    if not url.startswith("postgresql"):
        return []
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows]


def run(base: str, token: str, clients: int, seconds: float, bodies, env=None) -> dict:
    """`clients` threads submitting new inspections for `seconds`; returns the figures, with the
    CPU time the server (gunicorn) and the database backends spent per accepted request: unlike
    the rate, it hardly moves when other work shares the machine."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def work():
        client = Client(base, token)
        start.wait()
        while time.perf_counter() < stop_at[0]:
            body = json.dumps(bodies()).encode()
            began = time.perf_counter()
            status, _ = client.request("POST", "/api/v1/inspections", body)
            took = time.perf_counter() - began
            with lock:
                statuses[status] += 1
                latencies.append(took)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for t in threads:
        t.start()
    cpu_before = _cpu_seconds(server_pids()), _cpu_seconds(database_pids(env) if env else [])
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    # Backends (and workers) started during the run count too.
    cpu_after = _cpu_seconds(server_pids()), _cpu_seconds(database_pids(env) if env else [])
    accepted = max(statuses[201], 1)
    latencies.sort()
    return {
        "server_cpu_ms": 1000 * _spent(cpu_before[0], cpu_after[0]) / accepted,
        "database_cpu_ms": 1000 * _spent(cpu_before[1], cpu_after[1]) / accepted,
        "accepted_per_s": statuses[201] / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)],
        "statuses": dict(statuses),
    }


def statements_per_request(env: dict, checklist: dict, photo: str, variant: str) -> float:
    """Submit 5 inspections in process (test client, same database) and count statements."""
    from sqlalchemy import event

    from anxun.app import create_app
    from anxun.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "INSTANCE_PATH": env["ANXUN_INSTANCE_PATH"],
            "JWT_SECRET_KEY": SECRET,
            "ANXUN_DISPATCH_MODE": "off",
        }
    )
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/login", json={"username": "officer-hc", "password": PASSWORD}
    ).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/inspections", json=make_body(variant, checklist, photo), headers=headers)
    counted: list[str] = []
    skip = ("BEGIN", "COMMIT", "ROLLBACK")
    with app.app_context():
        engine = db.engine

        def listener(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(skip):
                counted.append(statement)

        event.listen(engine, "before_cursor_execute", listener)
        for _ in range(5):
            response = client.post(
                "/api/v1/inspections",
                json=make_body(variant, checklist, photo),
                headers=headers,
            )
            assert response.status_code == 201, response.get_json()
        event.remove(engine, "before_cursor_execute", listener)
    return len(counted) / 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/anxun_bench")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--variants",
        nargs="+",
        default=["headline", "failed", "photo"],
        choices=["headline", "failed", "photo"],
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="PostgreSQL: submit into the database at --pg-url as it is (one made by "
        "bench/generate.py) instead of a fresh one",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="anxun-ingest-"))
    env = prepare(args.db, args.pg_url, folder, existing=args.existing)
    os.environ.update(env)
    results = []
    with gunicorn(env, folder / "gunicorn.log") as base:
        token = login(base)
        client = Client(base, token)
        status, data = client.request("GET", "/api/v1/checklists/hazardous-chemicals")
        assert status == 200, data
        checklist = json.loads(data)
        photo = upload_photo(client)
        answers = len(items_of(checklist["document"]))
        print(f"{args.db}: {answers} answers per inspection, {os.cpu_count()} CPUs")
        for variant in args.variants:
            statements = statements_per_request(env, checklist, photo, variant)
            for clients in args.clients:
                rounds = [
                    run(
                        base,
                        token,
                        clients,
                        args.seconds,
                        lambda v=variant: make_body(v, checklist, photo),
                        env,
                    )
                    for _ in range(args.runs)
                ]
                rates = [r["accepted_per_s"] for r in rounds]
                median = statistics.median(rates)
                middle = sorted(rounds, key=lambda r: r["accepted_per_s"])[len(rounds) // 2]
                statuses = sum((Counter(r["statuses"]) for r in rounds), Counter())
                row = {
                    "db": args.db,
                    "variant": variant,
                    "clients": clients,
                    "accepted_per_s": round(median, 1),
                    "min": round(min(rates), 1),
                    "max": round(max(rates), 1),
                    "p50_ms": round(middle["p50_ms"], 1),
                    "p95_ms": round(middle["p95_ms"], 1),
                    "statuses": dict(statuses),
                    "statements": statements,
                    "server_cpu_ms": round(
                        statistics.median(r["server_cpu_ms"] for r in rounds), 2
                    ),
                    "database_cpu_ms": round(
                        statistics.median(r["database_cpu_ms"] for r in rounds), 2
                    ),
                }
                results.append(row)
                print(
                    f"{variant:9} {clients} client(s): {row['accepted_per_s']}/s "
                    f"({row['min']}–{row['max']}), p50 {row['p50_ms']} ms, "
                    f"p95 {row['p95_ms']} ms, statuses {dict(statuses)}, "
                    f"{statements:g} statements/request, CPU per request: server "
                    f"{row['server_cpu_ms']} ms, database {row['database_cpu_ms']} ms"
                )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
