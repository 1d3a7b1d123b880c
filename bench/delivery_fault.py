"""POST /api/v1/inspections under load while regulator platforms misbehave (issue #19, point 1).

    .venv/bin/python bench/delivery_fault.py            # 30 s per run, 4 clients
    .venv/bin/python bench/delivery_fault.py -s 10 -c 8

Builds a temporary migrated SQLite database with the demo world, starts `make run`'s server
(gunicorn with anxun.web.gunicorn_conf, embedded delivery) on a port in 8101-8109, and runs the
same load twice: with no endpoint configured, then with a blackhole endpoint (accepts the
connection, never answers; 20 s timeout) and an endpoint answering 500. Each run has C clients
posting all-pass inspections (each one an inspection_summary event) and one client reading
GET /api/v1/me. Prints count, median, p95 and max per request kind and the 5xx count, the delivery
states afterwards, and the p95 ratio (the issue's budget: at most 1.5×, and no 5xx at all).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-demo-pass"


def build(folder: Path):
    from flask_migrate import upgrade

    from anxun import demo
    from anxun.core.uow import unit_of_work
    from tests.e2e.helpers import build_app

    app = build_app(folder / "bench.sqlite3", folder)
    with app.app_context():
        upgrade()
        with unit_of_work():
            demo.seed_demo(PASSWORD, Path(app.config["ANXUN_CHECKLIST_DIR"]), operations=False)
    return app


def add_endpoints(app, blackhole_url: str, failing_url: str) -> None:
    from sqlalchemy import select

    from anxun.core.uow import unit_of_work
    from anxun.extensions import db
    from anxun.orgs.models import Regulator
    from anxun.outbox.models import RegulatorEndpoint

    with app.app_context(), unit_of_work():
        regulator_id = db.session.scalar(select(Regulator.id).order_by(Regulator.id).limit(1))
        for url, extra in ((blackhole_url, {"timeout_seconds": 20}), (failing_url, {})):
            config = {"url": url, "secret": "bench-secret", **extra}
            db.session.add(
                RegulatorEndpoint(regulator_id=regulator_id, adapter="webhook", config=config)
            )


def delivery_states(app) -> dict:
    from sqlalchemy import func, select

    from anxun.extensions import db
    from anxun.outbox.models import OutboxDelivery

    with app.app_context():
        rows = db.session.execute(
            select(OutboxDelivery.state, func.count()).group_by(OutboxDelivery.state)
        ).all()
        db.session.commit()
        return dict(rows)


def main() -> int:
    from tests.delivery_load import Blackhole, Failing, call, gunicorn, login, run_load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-s", "--seconds", type=float, default=30, help="length of each run")
    parser.add_argument("-c", "--clients", type=int, default=4, help="clients posting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = build(folder)
        env = {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "ANXUN_INSTANCE_PATH": str(folder),
            "ANXUN_JWT_SECRET_KEY": app.config["JWT_SECRET_KEY"],
            "ANXUN_MEDIA_DIR": str(folder / "media"),
            "ANXUN_DISPATCH_MODE": "embedded",
        }
        blackhole, failing = Blackhole(), Failing()
        with gunicorn(env, folder / "gunicorn.log") as base:
            poster = login(base, "officer-hc", PASSWORD)
            reader = login(base, "head-hc", PASSWORD)
            _, _, raw = call(base + "/api/v1/checklists/hazardous-chemicals", token=poster)
            detail = json.loads(raw)
            run_load(base, poster, reader, detail, seconds=2, clients=args.clients)  # warm-up
            quiet = run_load(base, poster, reader, detail, args.seconds, args.clients)
            add_endpoints(app, blackhole.url, failing.url)
            faults = run_load(base, poster, reader, detail, args.seconds, args.clients)
            states = delivery_states(app)
        blackhole.close()
        failing.close()
    print(f"{args.clients} clients posting + 1 reading, {args.seconds:g} s per run")
    print(quiet[0].line("POST /inspections, no endpoint"))
    print(faults[0].line("POST /inspections, blackhole + 500"))
    print(quiet[1].line("GET /me, no endpoint"))
    print(faults[1].line("GET /me, blackhole + 500"))
    print(
        f"deliveries after the fault run: {states}; the 500 endpoint got {len(failing.requests)}"
        f" requests, the blackhole {len(blackhole.accepted)} connections"
    )
    ratio = faults[0].p95() / quiet[0].p95() if quiet[0].p95() else float("inf")
    errors = sum(len(t.server_errors) for run in (quiet, faults) for t in run)
    print(f"p95 ratio (faults / no endpoint): {ratio:.2f}  (budget 1.5); 5xx: {errors}")
    return 0 if ratio <= 1.5 and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
