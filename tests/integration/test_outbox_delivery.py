"""Outbox delivery to a local receiver with injected failures: each event applied exactly once."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from anxun.core import clock
from anxun.orgs.models import Enterprise
from anxun.outbox import dispatcher
from anxun.outbox.enqueue import enqueue
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint

SECRET = "receiver-secret"


class Receiver:
    """A regulator platform stand-in that applies each idempotency key once."""

    def __init__(self):
        self.script: list[str] = []  # per request: "ok", "500", "slow", "ok-dup"
        self.applied: dict[str, dict] = {}
        self.requests = 0
        self.bad_signatures = 0
        # Called with (handler, key) once a request is applied and before it is answered, so a
        # test reading what it recorded after the sender got its answer finds it there.
        self.on_applied = None
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
                if receiver.on_applied is not None:
                    receiver.on_applied(self, key)
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
    from rq import Queue, SimpleWorker

    from tests.conftest import redis_or_skip

    connection = redis_or_skip()
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


# --- hazchem_chain: risk-register changes and checks of control measures ------------------------

RECORDED = Path(__file__).resolve().parents[1] / "data" / "hazchem"


def chain_endpoint(db, world, receiver) -> list:
    """A hazchem_chain endpoint on the receiver; returns the (path, key, body) list it records."""
    sent: list = []
    # Recorded before the answer goes out: recording after it raced the test, which could read
    # `sent` before the handler thread had appended the last request (or appended two swapped).
    receiver.on_applied = lambda handler, key: sent.append(
        [handler.path, key, receiver.applied[key]]
    )
    db.session.add(
        RegulatorEndpoint(
            regulator_id=world["regulator"],
            adapter="hazchem_chain",
            config={"base_url": receiver.url.rsplit("/", 1)[0] + "/chain", "secret": SECRET},
        )
    )
    db.session.commit()
    return sent


def placeholders(sent: list, names: dict) -> list:
    """The recorded traffic with generated ids replaced by their names ({actual: "<name>"})."""
    text = json.dumps(sent, ensure_ascii=False)
    for actual, name in names.items():
        text = text.replace(actual, name)
    return json.loads(text)


def registry_actor(db):
    from anxun.accounts.models import User
    from anxun.accounts.services import actor_for

    return actor_for(db.session.scalar(select(User).where(User.username == "officer-hc")))


def tank_register(db, world, actor, measures: int = 1) -> dict:
    """液氨罐区 → 1#液氨储罐 → 储罐泄漏引发中毒 (graded orange) → `measures` control measures."""
    from anxun.risk.registry import services as registry
    from tests.factories_risk import (
        event_payload,
        make_assessment,
        measure_payload,
        object_payload,
        unit_payload,
    )

    hc = world["enterprise"]["hc"]
    obj = registry.create_risk_object(
        actor, hc, object_payload(name="液氨罐区", hazard_code="330211-001")
    )
    unit = registry.create_risk_unit(actor, obj.id, unit_payload(name="1#液氨储罐"))
    event = registry.create_risk_event(actor, unit.id, event_payload(name="储罐泄漏引发中毒"))
    texts = [
        ("储罐区设置有毒气体检测报警仪", "检查有毒气体报警仪是否完好、在检定期内"),
        ("储罐设置液位高低报警并联锁切断进料", "检查液位报警联锁是否投用"),
    ]
    created = [
        registry.create_control_measure(
            actor, event.id, measure_payload(description=text, check_content=check)
        )
        for text, check in texts[:measures]
    ]
    make_assessment(hc, event.id, world["users"]["officer-hc"], "orange")
    db.session.commit()
    return {"object": obj, "unit": unit, "event": event, "measures": created}


def register_names(tree: dict) -> dict:
    from anxun.outbox.mappings import hazchem

    names = {
        hazchem.entity_id("risk_unit", tree["unit"].id): "<unit>",
        hazchem.entity_id("risk_event", tree["event"].id): "<event>",
    }
    for n, measure in enumerate(tree["measures"], 1):
        names[hazchem.entity_id("control_measure", measure.id)] = f"<measure{n}>"
    return names


def outbox_keys(db, event_type: str) -> list[str]:
    rows = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == event_type).order_by(OutboxEvent.id)
    )
    return [str(row.idempotency_key) for row in rows]


def test_hazchem_chain_sends_register_changes_parents_first_and_deletes_flagged(
    db, world, receiver, frozen_clock
):
    from anxun.risk.registry import services as registry

    frozen_clock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    actor = registry_actor(db)
    tree = tank_register(db, world, actor)
    measure = tree["measures"][0]
    sent = chain_endpoint(db, world, receiver)

    frozen_clock(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    registry.update_control_measure(
        actor, measure.id, {"check_content": "检查报警仪完好并在检定期内"}
    )
    db.session.commit()
    assert dispatcher.dispatch_due() == {"delivered": 1, "pending": 0, "dead": 0, "skipped": 0}
    # An object change the chain carries nowhere (its units only hold the hazard code).
    registry.update_risk_object(actor, tree["object"].id, {"accountable_main": "周立新"})
    db.session.commit()
    assert dispatcher.dispatch_due() == {"delivered": 0, "pending": 0, "dead": 0, "skipped": 1}
    skipped = db.session.scalar(select(OutboxDelivery).where(OutboxDelivery.state == "skipped"))
    assert "changes no national record" in skipped.last_error
    # Deleting the unit soft-deletes its event and measure: all three go with deleted = 1.
    frozen_clock(datetime(2026, 11, 25, 5, 0, tzinfo=UTC))
    registry.delete_risk_unit(actor, tree["unit"].id)
    db.session.commit()
    assert dispatcher.dispatch_due() == {"delivered": 1, "pending": 0, "dead": 0, "skipped": 0}

    keys = outbox_keys(db, "risk_register_changed")
    names = {**register_names(tree), keys[-3]: "<update>", keys[-1]: "<delete>"}
    recorded = json.loads((RECORDED / "register_changes.json").read_text(encoding="utf-8"))
    assert placeholders(sent, names) == recorded
    assert len(receiver.applied) == len(sent) == 6  # one idempotency key per record
    assert receiver.bad_signatures == 0


def test_hazchem_chain_sends_a_check_of_control_measures_with_its_task(
    client, login_as, db, world, receiver, frozen_clock
):
    from anxun.inspections.models import InspectionPlan, TaskOccurrence
    from anxun.outbox.mappings import hazchem
    from tests.inspection_helpers import payload, upload_photo

    frozen_clock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    tree = tank_register(db, world, registry_actor(db), measures=2)
    hc = world["enterprise"]["hc"]
    plan = InspectionPlan(
        enterprise_id=hc,
        title="罐区管控措施每日排查",
        checklist_code="risk-controls",
        inspection_type="daily",
        frequency_every=1,
        frequency_unit="day",
        anchor_at=datetime(2026, 11, 1, tzinfo=UTC),
        assignee_role="inspector",
    )
    db.session.add(plan)
    db.session.flush()
    occurrence = TaskOccurrence(
        plan_id=plan.id,
        enterprise_id=hc,
        due_start=datetime(2026, 11, 25, 0, 0, tzinfo=UTC),
        due_end=datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
    )
    db.session.add(occurrence)
    db.session.commit()
    sent = chain_endpoint(db, world, receiver)

    officer = login_as("officer-hc")
    detail = client.get("/api/v1/checklists/risk-controls", headers=officer).get_json()
    failed = f"CM-{tree['measures'][1].id}"  # the second measure fails, the first passes
    body = payload(
        detail,
        failures={failed: [upload_photo(client, officer)]},
        task_occurrence_id=occurrence.id,
    )
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 201, response.get_json()
    assert sent == []  # nothing is sent inside the request
    assert dispatcher.dispatch_due() == {"delivered": 1, "pending": 0, "dead": 0, "skipped": 0}

    [key] = outbox_keys(db, "inspection_summary")
    names = {
        **register_names(tree),
        hazchem.entity_id("check_task", plan.id): "<plan>",
        body["id"].replace("-", ""): "<inspection>",
        key: "<summary>",
    }
    recorded = json.loads((RECORDED / "measure_check.json").read_text(encoding="utf-8"))
    assert placeholders(sent, names) == recorded
    delivery = db.session.scalar(
        select(OutboxDelivery)
        .join(OutboxEvent, OutboxEvent.id == OutboxDelivery.event_id)
        .where(OutboxEvent.event_type == "inspection_summary")
    )
    assert delivery.state == "delivered"
