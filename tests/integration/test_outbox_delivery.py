"""Outbox delivery to a local receiver with injected failures: each event applied exactly once."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from anxun.core import clock
from anxun.orgs.models import Enterprise
from anxun.outbox import dispatcher
from anxun.outbox.enqueue import enqueue
from anxun.outbox.models import OutboxDelivery, RegulatorEndpoint

SECRET = "receiver-secret"


class Receiver:
    """A regulator platform stand-in that applies each idempotency key once."""

    def __init__(self):
        self.script: list[str] = []  # per request: "ok", "500", "slow", "ok-dup"
        self.applied: dict[str, dict] = {}
        self.requests = 0
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests += 1
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                if self.headers["X-Anxun-Signature"] != expected:
                    receiver.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                action = receiver.script.pop(0) if receiver.script else "ok"
                if action == "slow":
                    time.sleep(1.5)
                if action == "500":
                    self.send_response(500)
                    self.end_headers()
                    return
                key = self.headers["Idempotency-Key"]
                receiver.applied.setdefault(key, json.loads(body))
                self.send_response(200)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def endpoint(db, world, receiver):
    row = RegulatorEndpoint(
        regulator_id=world["regulator"],
        adapter="webhook",
        config={"url": receiver.url, "secret": SECRET, "timeout_seconds": 0.5, "max_attempts": 3},
    )
    db.session.add(row)
    db.session.commit()
    return row


def make_event(db, world, n=0):
    enterprise = db.session.get(Enterprise, world["enterprise"]["hc"])
    event = enqueue("major_hazard_confirmed", enterprise, "hazard", f"h-{n}", {"title": f"隐患{n}"})
    db.session.commit()
    return event


def test_event_is_delivered_signed_with_its_idempotency_key(db, world, endpoint, receiver):
    event = make_event(db, world)
    counts = dispatcher.dispatch_due()
    assert counts == {"delivered": 1, "pending": 0, "dead": 0, "skipped": 0}
    assert list(receiver.applied) == [str(event.idempotency_key)]
    body = receiver.applied[str(event.idempotency_key)]
    assert body["type"] == "major_hazard_confirmed"
    assert body["enterprise"]["uscc"] == "91330211MA2H3K5L09"
    assert receiver.bad_signatures == 0


def test_events_only_go_to_regulators_covering_the_enterprise(db, world, receiver):
    housing = RegulatorEndpoint(
        regulator_id=world["housing_regulator"],
        adapter="webhook",
        config={"url": receiver.url, "secret": SECRET},
    )
    db.session.add(housing)
    db.session.commit()
    make_event(db, world)  # a hazardous-chemicals enterprise: not the housing bureau's
    assert db.session.scalars(select(OutboxDelivery)).all() == []


def test_failures_retry_with_backoff_and_duplicates_apply_once(
    db, world, endpoint, receiver, frozen_clock
):
    start = clock.now()
    frozen_clock(start)
    events = [make_event(db, world, n) for n in range(3)]
    receiver.script = ["500", "slow", "ok"]  # first event 500, second times out, third ok
    assert dispatcher.dispatch_due() == {"delivered": 1, "pending": 2, "dead": 0, "skipped": 0}
    assert dispatcher.dispatch_due() == {
        "delivered": 0,
        "pending": 0,
        "dead": 0,
        "skipped": 0,
    }  # not due yet
    frozen_clock(start + timedelta(seconds=31))
    assert dispatcher.dispatch_due() == {"delivered": 2, "pending": 0, "dead": 0, "skipped": 0}
    time.sleep(1.6)  # let the slow first attempt finish on the receiver side: a duplicate arrives
    assert sorted(receiver.applied) == sorted(str(e.idempotency_key) for e in events)
    assert receiver.requests == 5
    deliveries = db.session.scalars(select(OutboxDelivery).order_by(OutboxDelivery.id)).all()
    assert [d.attempts for d in deliveries] == [2, 2, 1]
    assert all(d.state == "delivered" for d in deliveries)


def test_dead_letter_after_the_limit_then_replay(db, world, endpoint, receiver, frozen_clock, app):
    start = clock.now()
    frozen_clock(start)
    event = make_event(db, world)
    receiver.script = ["500", "500", "500"]
    states = []
    for step in range(3):
        frozen_clock(start + timedelta(hours=step))
        dispatcher.dispatch_due()
        states.append(db.session.scalar(select(OutboxDelivery.state)))
    assert states == ["pending", "pending", "dead"]
    listed = app.test_cli_runner().invoke(args=["anxun", "outbox", "list", "--state", "dead"])
    assert "major_hazard_confirmed" in listed.output and "HTTP 500" in listed.output
    delivery_id = db.session.scalar(select(OutboxDelivery.id))
    replayed = app.test_cli_runner().invoke(args=["anxun", "outbox", "replay", str(delivery_id)])
    assert replayed.exit_code == 0, replayed.output
    result = app.test_cli_runner().invoke(args=["anxun", "outbox", "dispatch"])
    assert "delivered 1" in result.output
    assert list(receiver.applied) == [str(event.idempotency_key)]


def test_backoff_doubles_and_caps_at_an_hour():
    assert [dispatcher.backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [
        30,
        60,
        120,
        3600,
        3600,
    ]


def test_production_mode_delivers_through_an_rq_worker(
    db, world, endpoint, receiver, app, monkeypatch
):
    import os

    redis_url = os.environ.get("ANXUN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as exc:
        if os.environ.get("ANXUN_REQUIRE_PG"):
            pytest.fail(f"Redis required in CI but unreachable: {exc}")
        pytest.skip(f"Redis unreachable: {exc}")
    from anxun.outbox import delivery

    connection.flushdb()
    app.config["ANXUN_DISPATCH_MODE"] = "rq"
    app.config["ANXUN_REDIS_URL"] = redis_url
    event = make_event(db, world)
    with app.test_request_context():
        job = delivery.enqueue_job([event.id])
    assert receiver.applied == {}  # nothing delivered until a worker runs
    db.session.rollback()  # end this test's transaction: SQLite lets one writer at a time
    # The worker builds its own app from the environment, as a production worker would.
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("ANXUN_INSTANCE_PATH", app.config["INSTANCE_PATH"])
    monkeypatch.setenv("ANXUN_JWT_SECRET_KEY", app.config["JWT_SECRET_KEY"])
    SimpleWorker([Queue("anxun", connection=connection)], connection=connection).work(burst=True)
    assert Queue("anxun", connection=connection).fetch_job(job.id).return_value() == {
        "delivered": 1,
        "pending": 0,
        "dead": 0,
        "skipped": 0,
    }
    assert list(receiver.applied) == [str(event.idempotency_key)]


def test_hazchem_chain_sends_parents_before_the_hazard(db, world, receiver):
    import uuid as uuid_module

    from anxun.hazards.models import Hazard
    from anxun.risk.models import ControlMeasure, RiskEvent, RiskObject, RiskUnit

    hc = world["enterprise"]["hc"]
    paths: list[str] = []
    original = receiver.server.RequestHandlerClass.do_POST

    def recording(handler):
        paths.append(handler.path)
        original(handler)

    receiver.server.RequestHandlerClass.do_POST = recording
    db.session.add(
        RegulatorEndpoint(
            regulator_id=world["regulator"],
            adapter="hazchem_chain",
            config={"base_url": receiver.url.rsplit("/", 1)[0] + "/chain", "secret": SECRET},
        )
    )
    obj = RiskObject(
        enterprise_id=hc, name="液氨罐区", hazard_code="330211-001", is_major_hazard_source=True
    )
    db.session.add(obj)
    db.session.flush()
    unit = RiskUnit(enterprise_id=hc, risk_object_id=obj.id, name="1#储罐")
    db.session.add(unit)
    db.session.flush()
    event = RiskEvent(enterprise_id=hc, risk_unit_id=unit.id, name="泄漏")
    db.session.add(event)
    db.session.flush()
    measure = ControlMeasure(
        enterprise_id=hc,
        risk_event_id=event.id,
        description="报警仪",
        classify1="engineering",
        classify2="1-4",
    )
    db.session.add(measure)
    db.session.flush()
    hazard = Hazard(
        id=uuid_module.uuid4(),
        enterprise_id=hc,
        source="self_inspection",
        title="报警仪故障",
        proposed_level="major",
        level="major",
        state="confirmed",
        deadline=clock.today_local(),
        reported_by_user_id=world["users"]["officer-hc"],
        control_measure_id=measure.id,
        risk_unit_id=unit.id,
    )
    db.session.add(hazard)
    enterprise = db.session.get(Enterprise, hc)
    enqueue("major_hazard_confirmed", enterprise, "hazard", hazard.id, {"title": hazard.title})
    db.session.commit()
    assert dispatcher.dispatch_due() == {"delivered": 1, "pending": 0, "dead": 0, "skipped": 0}
    assert paths == [
        "/chain/sec_security_risk_unit",
        "/chain/sec_security_risk_events",
        "/chain/sec_security_risk_control_measures",
        "/chain/sec_hidden_danger_info",
    ]
    danger = next(
        v for v in receiver.applied.values() if isinstance(v, list) and "dangerName" in v[0]
    )
    assert danger[0]["dangerLevel"] == 1 and danger[0]["companyCode"] == "330210078"


def test_hazchem_chain_needs_the_registration_code(db, world, receiver, frozen_clock):
    import uuid as uuid_module

    from anxun.hazards.models import Hazard

    frozen_clock(clock.now())
    dust = db.session.get(Enterprise, world["enterprise"]["dust"])
    db.session.add(
        RegulatorEndpoint(
            regulator_id=world["regulator"],
            adapter="hazchem_chain",
            config={"base_url": receiver.url, "secret": SECRET, "max_attempts": 1},
        )
    )
    hazard = Hazard(
        id=uuid_module.uuid4(),
        enterprise_id=dust.id,
        source="direct",
        title="粉尘堆积",
        proposed_level="general",
        state="reported",
        reported_by_user_id=world["users"]["officer-dust"],
    )
    db.session.add(hazard)
    enqueue("hazard_closed", dust, "hazard", hazard.id, {})
    db.session.commit()
    assert dispatcher.dispatch_due() == {"delivered": 0, "pending": 0, "dead": 1, "skipped": 0}
    delivery = db.session.scalar(select(OutboxDelivery))
    assert "登记编码" in delivery.last_error
    assert receiver.requests == 0
