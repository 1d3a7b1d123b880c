"""Time GET /api/v1/oversight/overview and /trends on a jurisdiction of many enterprises.

    .venv/bin/python bench/oversight_overview.py            # 300 enterprises
    .venv/bin/python bench/oversight_overview.py -n 600 -r 10

Builds a temporary migrated SQLite database with the demo world plus N enterprises in 镇海区, each
with hazards (open, overdue, major, closed), 10 inspections, a daily plan's task windows over 30
days, an unacknowledged order and a grade snapshot; then calls the endpoints as the EM bureau's
inspector and prints timings and the number of SQL statements per request (which must not grow
with N: the overview is set-based).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-demo-pass"


def build(folder: Path, count: int):
    from flask_migrate import upgrade
    from sqlalchemy import select

    from anxun import demo
    from anxun.checklists.models import ChecklistVersion
    from anxun.core.uow import unit_of_work
    from anxun.extensions import db
    from anxun.hazards.models import Hazard
    from anxun.inspections.models import Inspection, InspectionPlan, TaskOccurrence
    from anxun.orgs.models import Enterprise, EnterpriseIndustry
    from anxun.orgs.rules import uscc_with_check
    from anxun.oversight.models import RectificationOrder
    from anxun.risk.models import EnterpriseGradeSnapshot
    from tests.e2e.helpers import build_app

    app = build_app(folder / "bench.sqlite3", folder)
    with app.app_context():
        upgrade()
        with unit_of_work():
            demo.seed_demo(PASSWORD, Path(app.config["ANXUN_CHECKLIST_DIR"]), operations=False)
        version_id = db.session.scalar(select(ChecklistVersion.id).limit(1))
        user_id = 1
        regulator_id = 1
        now = datetime.now(UTC)
        today = now.astimezone().date()
        industries = ["hazardous_chemicals", "dust_explosion", "confined_space", "industry_trade"]
        colours = ["red", "orange", "yellow", "blue"]
        states = ["reported", "confirmed", "confirmed", "closed", "rejected"]
        for n in range(count):
            enterprise = Enterprise(
                name=f"压测企业{n:04d}有限公司",
                uscc=uscc_with_check(f"91330211MB{n:07d}"),
                region_code="330211",
                size_class="small",
                latitude=29.93 + (n % 17) * 0.004,
                longitude=121.55 + (n % 23) * 0.007,
            )
            enterprise.industry_rows = [EnterpriseIndustry(industry=industries[n % 4])]
            db.session.add(enterprise)
            db.session.flush()
            eid = enterprise.id
            for k, state in enumerate(states):
                confirmed = state not in ("reported", "rejected")
                db.session.add(
                    Hazard(
                        id=uuid.uuid4(),
                        enterprise_id=eid,
                        source="direct",
                        title=f"隐患{k}",
                        proposed_level="major" if k == 1 else "general",
                        level=("major" if k == 1 else "general") if confirmed else None,
                        state=state,
                        deadline=today - timedelta(days=k - 1) if confirmed else None,
                        reported_by_user_id=user_id,
                        reported_at=now - timedelta(days=3 * k + 1),
                        closed_at=now - timedelta(days=1) if state == "closed" else None,
                    )
                )
            for k in range(10):
                finished = now - timedelta(days=3 * k + (n % 9))
                db.session.add(
                    Inspection(
                        id=uuid.uuid4(),
                        enterprise_id=eid,
                        checklist_version_id=version_id,
                        inspection_type="daily",
                        inspector_user_id=user_id,
                        started_at=finished - timedelta(minutes=20),
                        finished_at=finished,
                        payload_digest="0" * 64,
                        summary={},
                    )
                )
            plan = InspectionPlan(
                enterprise_id=eid,
                title="日常巡检",
                checklist_code="hazardous-chemicals",
                inspection_type="daily",
                frequency_every=1,
                frequency_unit="day",
                anchor_at=now - timedelta(days=40),
                assignee_role="inspector",
            )
            db.session.add(plan)
            db.session.flush()
            for k in range(30):
                start = now - timedelta(days=k + 1)
                done = start + timedelta(hours=2) if (k + n) % 4 else None
                db.session.add(
                    TaskOccurrence(
                        plan_id=plan.id,
                        enterprise_id=eid,
                        due_start=start,
                        due_end=start + timedelta(hours=10),
                        done_at=done,
                        inspection_id=uuid.uuid4() if done else None,
                    )
                )
            db.session.add(
                RectificationOrder(
                    number=f"压测责改〔2026〕{n + 1}号",
                    enterprise_id=eid,
                    regulator_id=regulator_id,
                    deadline=today + timedelta(days=10),
                    issued_by_user_id=user_id,
                    issued_at=now - timedelta(days=n % 6),
                )
            )
            db.session.add(
                EnterpriseGradeSnapshot(
                    enterprise_id=eid,
                    day=date.today(),
                    score=Decimal("70"),
                    colour=colours[n % 4],
                    result={},
                    config_version="1",
                )
            )
            if n % 50 == 49:
                db.session.commit()
        db.session.commit()
        db.engine.dispose()
    return app


def measure(app, url: str, runs: int) -> tuple[list[float], int, dict]:
    from sqlalchemy import event

    from anxun.extensions import db

    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"username": "regulator", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.get_json()['access_token']}"}
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_args, **_kwargs):
        statements.append(1)

    timings = []
    body = {}
    for _ in range(runs):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
    return timings, len(statements), body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--enterprises", type=int, default=300)
    parser.add_argument("-r", "--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        app = build(Path(tmp), args.enterprises)
        print(f"seeded {args.enterprises} enterprises in {time.perf_counter() - started:.1f} s")
        for url in (
            "/api/v1/oversight/overview",
            "/api/v1/oversight/overview?sort=operation_rate&order=desc&stale_days=7",
            "/api/v1/oversight/trends?days=30",
        ):
            timings, statements, body = measure(app, url, args.runs)
            rows = len(body.get("items", body.get("days", [])))
            print(
                f"{url}\n  rows {rows}, SQL statements per request {statements}, "
                f"median {statistics.median(timings):.0f} ms, "
                f"min {min(timings):.0f} ms, max {max(timings):.0f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
