"""Regulator dashboards at provincial size, on a database made by bench/generate.py.

    .venv/bin/python bench/dashboards.py --url postgresql+psycopg://postgres@127.0.0.1/anxun_bench
    .venv/bin/python bench/dashboards.py --url … -r 30 --explain

Measures, in process (the Flask test client, no HTTP; the app's own time and the database's):
- the daily grade snapshot for every enterprise (today's rows are deleted first, so each run
  computes them all: what `flask anxun jobs run grades-snapshot` does once a day);
- GET /api/v1/oversight/overview as the province bureau's inspector: a page of 50 sorted by name,
  a page sorted by open hazards, a region filter, and (for comparison) the whole list unpaginated;
- drill-down: GET /api/v1/oversight/overview/<id> and /api/v1/oversight/enterprises/<id>;
- hazard ledger pages: GET /api/v1/hazards (first page, open hazards, one enterprise's page).
Prints p50/p95/max per request and SQL statements per request; with --explain, EXPLAIN ANALYZE of
each request's slowest statement (its first 40 lines; EXPLAIN_LINES=200 for more).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-demo-pass"


class Statements:
    """Every SQL statement of the current request with its time."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.rows: list[tuple[float, str, object]] = []
        self.on = False

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info["bench_started"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):
            if self.on:
                spent = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
                self.rows.append((spent, statement, parameters))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(client, headers, label, paths, runs, statements, explain, db):
    times, counts, slowest = [], [], None
    for n in range(runs + 1):
        path = paths[n % len(paths)]
        statements.rows, statements.on = [], True
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        spent = (time.perf_counter() - started) * 1000
        statements.on = False
        assert response.status_code == 200, (path, response.status_code, response.get_data()[:300])
        if n == 0:
            continue  # warm-up (first use of each query plan and cache)
        times.append(spent)
        counts.append(len(statements.rows))
        top = max(statements.rows, key=lambda r: r[0], default=None)
        if top and (slowest is None or top[0] > slowest[0]):
            slowest = top
    print(
        f"{label:<44} p50 {statistics.median(times):7.1f} ms  p95 {percentile(times, 0.95):7.1f} ms"
        f"  max {max(times):7.1f} ms  {statistics.median(counts):.0f} statements"
    )
    if explain and slowest:
        _explain(db, slowest)
    return percentile(times, 0.95)


def _explain(db, slowest) -> None:
    from sqlalchemy import text

    spent, statement, parameters = slowest
    print(f"    slowest statement {spent * 1000:.1f} ms:")
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        for (line,) in cur.fetchall()[: int(os.environ.get("EXPLAIN_LINES", 40))]:
            print("      " + line)
    finally:
        raw.close()
    del text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("-r", "--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--skip-snapshot", action="store_true")
    parser.add_argument("--only-snapshot", action="store_true", help="time the snapshot, stop")
    parser.add_argument("--instance", default="/tmp/anxun-bench-instance")
    args = parser.parse_args()

    from sqlalchemy import delete, func, select, text

    from anxun.core import clock
    from anxun.core.auth import SYSTEM
    from anxun.core.uow import unit_of_work
    from anxun.extensions import db
    from anxun.orgs.models import Enterprise
    from anxun.risk.grading.services import snapshot_all_grades
    from anxun.risk.models import EnterpriseGradeSnapshot
    from tests.conftest import build_app

    app = build_app(args.url, args.instance)
    with app.app_context():
        enterprises = db.session.scalar(select(func.count(Enterprise.id)))
        hazards = db.session.scalar(select(func.count()).select_from(db.metadata.tables["hazard"]))
        print(f"database: {enterprises:,} enterprises, {hazards:,} hazards")
        if not args.skip_snapshot:
            with unit_of_work():
                db.session.execute(
                    delete(EnterpriseGradeSnapshot).where(
                        EnterpriseGradeSnapshot.day == clock.today_local()
                    )
                )
            started = time.perf_counter()
            with unit_of_work():
                counts = snapshot_all_grades(SYSTEM)
            spent = time.perf_counter() - started
            if db.engine.dialect.name == "postgresql":
                # Fresh rows without statistics: the overview's plans misjudge them (34 s).
                with unit_of_work():
                    db.session.execute(text("ANALYZE enterprise_grade_snapshot"))
            print(
                f"grade snapshot: {sum(counts.values()):,} enterprises in {spent:.1f} s"
                f" ({spent / max(1, sum(counts.values())) * 1000:.2f} ms each),"
                " load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
            )
        if args.only_snapshot:
            return
        ids = list(db.session.scalars(select(Enterprise.id).order_by(Enterprise.id)))
        statements = Statements(db.engine)
        client = app.test_client()
        login = client.post(
            "/api/v1/auth/login", json={"username": "regulator", "password": PASSWORD}
        )
        assert login.status_code == 200, login.get_json()
        headers = {"Authorization": f"Bearer {login.get_json()['access_token']}"}
        rng = random.Random(7)
        sample = [rng.choice(ids) for _ in range(args.runs + 1)]
        runs, explain = args.runs, args.explain
        results = {}
        print(f"{runs} runs each after one warm-up:")
        results["overview"] = measure(
            client,
            headers,
            "overview page 1 (50, by name)",
            ["/api/v1/oversight/overview?per_page=50"],
            runs,
            statements,
            explain,
            db,
        )
        measure(
            client,
            headers,
            "overview pages 1-20 (50, by open hazards)",
            [
                f"/api/v1/oversight/overview?per_page=50&sort=open_hazards&order=desc&page={p}"
                for p in range(1, 21)
            ],
            runs,
            statements,
            explain,
            db,
        )
        measure(
            client,
            headers,
            "overview, one city (330100), page 1",
            ["/api/v1/oversight/overview?per_page=50&region_code=3301"],
            runs,
            statements,
            explain,
            db,
        )
        measure(
            client,
            headers,
            "overview, unpaginated (every row)",
            ["/api/v1/oversight/overview"],
            max(3, runs // 4),
            statements,
            explain,
            db,
        )
        measure(
            client,
            headers,
            "trends, last 30 days (province)",
            ["/api/v1/oversight/trends?days=30"],
            max(3, runs // 4),
            statements,
            explain,
            db,
        )
        results["drill-down"] = measure(
            client,
            headers,
            "drill-down /overview/<id>",
            [f"/api/v1/oversight/overview/{i}" for i in sample],
            runs,
            statements,
            explain,
            db,
        )
        measure(
            client,
            headers,
            "drill-down /enterprises/<id>",
            [f"/api/v1/oversight/enterprises/{i}" for i in sample],
            runs,
            statements,
            explain,
            db,
        )
        results["ledger"] = measure(
            client,
            headers,
            "hazard ledger, first page (province)",
            ["/api/v1/hazards"],
            runs,
            statements,
            explain,
            db,
        )
        measure(
            client,
            headers,
            "hazard ledger, open (confirmed) first page",
            ["/api/v1/hazards?state=confirmed"],
            runs,
            statements,
            explain,
            db,
        )
        measure(
            client,
            headers,
            "hazard ledger, one enterprise",
            [f"/api/v1/hazards?enterprise_id={i}" for i in sample],
            runs,
            statements,
            explain,
            db,
        )
    print(
        "goals: overview p95 < 150 ms: {}; drill-down p95 < 150 ms: {}; ledger p95 < 100 ms: {}".format(
            *(
                "met" if results[k] < limit else "NOT met"
                for k, limit in (("overview", 150), ("drill-down", 150), ("ledger", 100))
            )
        )
    )


if __name__ == "__main__":
    main()
