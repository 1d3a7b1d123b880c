"""The inspection-summary and risk-register events: written in the change's own transaction, with
the payload regulators need, delivered by the webhook and skipped (not dead-lettered) by adapters
that have no record for them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.inspections import services as inspection_services
from anxun.inspections.schemas import InspectionSubmitSchema
from anxun.outbox import dispatcher
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint
from anxun.risk.models import RiskObject
from anxun.risk.registry import services as registry
from tests.factories_risk import event_payload, measure_payload, object_payload, unit_payload
from tests.inspection_helpers import items_of, payload, upload_photo
from tests.integration.test_outbox_delivery import SECRET, Receiver

API = "/api/v1"


@pytest.fixture(autouse=True)
def setting(app, tmp_path, frozen_clock):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    frozen_clock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def events(db, event_type: str) -> list[OutboxEvent]:
    return db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == event_type).order_by(OutboxEvent.id)
    ).all()


def event_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEvent))


def actor(db, username: str):
    return actor_for(db.session.scalar(select(User).where(User.username == username)))


def endpoint(db, world, adapter: str, receiver: Receiver) -> RegulatorEndpoint:
    key = "url" if adapter == "webhook" else "base_url"
    row = RegulatorEndpoint(
        regulator_id=world["regulator"],
        adapter=adapter,
        config={key: receiver.url, "secret": SECRET, "timeout_seconds": 1, "max_attempts": 2},
    )
    db.session.add(row)
    db.session.commit()
    return row


# --- inspection summary ------------------------------------------------------------------------


def submit(client, headers, failures: int = 1, inspection_id=None):
    detail = client.get(f"{API}/checklists/hazardous-chemicals", headers=headers).get_json()
    general = [
        i
        for i in items_of(detail["document"])
        if not i["major"] and i["answer"]["type"] == "pass_fail_na"
    ]
    failed = {item["id"]: [upload_photo(client, headers)] for item in general[:failures]}
    body = payload(detail, failures=failed, inspection_id=inspection_id)
    return detail, body, client.post(f"{API}/inspections", json=body, headers=headers)


def test_an_accepted_inspection_sends_its_summary_once(client, login_as, db, world):
    officer = login_as("officer-hc")
    detail, body, response = submit(client, officer, failures=2)
    assert response.status_code == 201, response.get_json()
    [event] = events(db, "inspection_summary")
    assert event.enterprise_id == world["enterprise"]["hc"]
    assert (event.aggregate_type, event.aggregate_id) == ("inspection", body["id"])
    p = event.payload
    assert p["inspection_id"] == body["id"]
    assert p["inspection_type"] == "daily"
    assert p["checklist"]["code"] == "hazardous-chemicals"
    assert p["checklist"]["version"] == detail["version_hash"]
    assert p["started_at"] == "2026-11-25T01:50:00+00:00"
    assert p["finished_at"] == "2026-11-25T02:30:00+00:00"
    answered = len(body["answers"])
    assert p["counts"] == {"pass": answered - 2, "fail": 2, "na": 0}
    assert p["hazards_raised"] == 2
    assert p["place"] is None
    # A replay of the same submission is not a new inspection and sends nothing more.
    replay = client.post(f"{API}/inspections", json=body, headers=officer)
    assert replay.status_code == 200
    assert len(events(db, "inspection_summary")) == 1


def test_a_rejected_inspection_leaves_no_summary(client, login_as, db, world):
    officer = login_as("officer-hc")
    detail = client.get(f"{API}/checklists/hazardous-chemicals", headers=officer).get_json()
    body = payload(detail, answers=[])
    before = event_count(db)
    response = client.post(f"{API}/inspections", json=body, headers=officer)
    assert response.status_code == 422
    assert event_count(db) == before


def test_a_rolled_back_inspection_takes_its_summary_with_it(client, login_as, db, world):
    officer = login_as("officer-hc")
    detail = client.get(f"{API}/checklists/hazardous-chemicals", headers=officer).get_json()
    data = InspectionSubmitSchema().load(payload(detail))
    inspection, created = inspection_services.submit_inspection(actor(db, "officer-hc"), data)
    assert created and len(events(db, "inspection_summary")) == 1  # same transaction, flushed
    db.session.rollback()
    assert event_count(db) == 0


# --- risk register -----------------------------------------------------------------------------


def test_every_registry_write_sends_what_changed_under_which_object(client, login_as, db, world):
    officer = login_as("officer-hc")
    hc = world["enterprise"]["hc"]

    def post(url, body):
        response = client.post(API + url, json=body, headers=officer)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    obj = post(
        f"/enterprises/{hc}/risk-objects", object_payload(name="液氨罐区", hazard_code="HZ-01")
    )
    unit = post(f"/risk-objects/{obj}/units", unit_payload())
    event = post(f"/risk-units/{unit}/events", event_payload())
    measure = post(f"/risk-events/{event}/measures", measure_payload())
    changed = client.patch(
        f"{API}/risk-units/{unit}", json={"department": "罐区车间"}, headers=officer
    )
    assert changed.status_code == 200
    same = client.patch(
        f"{API}/risk-units/{unit}", json={"department": "罐区车间"}, headers=officer
    )
    assert same.status_code == 200  # nothing changed: no event
    assert client.delete(f"{API}/control-measures/{measure}", headers=officer).status_code in (
        200,
        204,
    )
    rows = events(db, "risk_register_changed")
    assert [
        (e.payload["entity_type"], e.payload["entity_id"], e.payload["action"]) for e in rows
    ] == [
        ("risk_object", obj, "create"),
        ("risk_unit", unit, "create"),
        ("risk_event", event, "create"),
        ("control_measure", measure, "create"),
        ("risk_unit", unit, "update"),
        ("control_measure", measure, "delete"),
    ]
    assert {e.enterprise_id for e in rows} == {hc}
    for row in rows:
        assert row.payload["risk_object"]["id"] == obj
        assert row.payload["risk_object"]["name"] == "液氨罐区"
        assert row.payload["risk_object"]["hazard_code"] == "HZ-01"
    assert rows[4].payload["changed_fields"] == ["department"]
    assert (rows[0].aggregate_type, rows[0].aggregate_id) == ("risk_object", str(obj))


def test_a_rolled_back_registry_change_leaves_no_event(db, world):
    head = actor(db, "head-hc")
    registry.create_risk_object(head, world["enterprise"]["hc"], object_payload())
    assert len(events(db, "risk_register_changed")) == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(RiskObject)) == 0
    assert event_count(db) == 0


def test_invalid_registry_input_writes_no_event(client, login_as, db, world):
    response = client.post(
        f"{API}/enterprises/{world['enterprise']['hc']}/risk-objects",
        json=object_payload(is_major_hazard_source=True, hazard_code=""),
        headers=login_as("officer-hc"),
    )
    assert response.status_code == 422
    assert event_count(db) == 0


# --- delivery ----------------------------------------------------------------------------------


def test_the_webhook_delivers_both_new_event_types(client, login_as, db, world, receiver):
    endpoint(db, world, "webhook", receiver)
    officer = login_as("officer-hc")
    response = client.post(
        f"{API}/enterprises/{world['enterprise']['hc']}/risk-objects",
        json=object_payload(name="合成车间"),
        headers=officer,
    )
    assert response.status_code == 201
    _, body, submitted = submit(client, officer)
    assert submitted.status_code == 201
    assert receiver.requests == 0  # nothing is sent inside a request
    assert dispatcher.dispatch_due() == {"delivered": 2, "pending": 0, "dead": 0, "skipped": 0}
    bodies = sorted(receiver.applied.values(), key=lambda b: b["type"])
    assert [b["type"] for b in bodies] == ["inspection_summary", "risk_register_changed"]
    assert bodies[0]["payload"]["inspection_id"] == body["id"]
    assert bodies[0]["enterprise"]["uscc"] == "91330211MA2H3K5L09"
    assert bodies[1]["payload"]["risk_object"]["name"] == "合成车间"
    assert receiver.bad_signatures == 0
    states = db.session.scalars(select(OutboxDelivery.state)).all()
    assert states == ["delivered", "delivered"]


def test_the_hazchem_chain_skips_events_it_has_no_record_for(client, login_as, db, world, receiver):
    endpoint(db, world, "hazchem_chain", receiver)
    response = client.post(
        f"{API}/enterprises/{world['enterprise']['hc']}/risk-objects",
        json=object_payload(),
        headers=login_as("officer-hc"),
    )
    assert response.status_code == 201
    assert dispatcher.dispatch_due() == {"delivered": 0, "pending": 0, "dead": 0, "skipped": 1}
    [delivery] = db.session.scalars(select(OutboxDelivery)).all()
    assert delivery.state == "skipped"  # closed, not retried into the dead-letter queue
    assert delivery.attempts == 1
    assert delivery.last_status is None
    assert "risk_register_changed" in delivery.last_error
    assert receiver.requests == 0
    listed = client.get(f"{API}/regulator/deliveries", headers=login_as("regulator-admin"))
    [row] = listed.get_json()
    assert row["state"] == "skipped"
    assert row["event_type"] == "risk_register_changed"
    assert dispatcher.dispatch_due() == {"delivered": 0, "pending": 0, "dead": 0, "skipped": 0}


def test_the_hazchem_chain_skips_inspections_of_anything_but_control_measures(
    client, login_as, db, world, receiver
):
    endpoint(db, world, "hazchem_chain", receiver)
    _, body, response = submit(client, login_as("officer-hc"))  # hazardous-chemicals checklist
    assert response.status_code == 201
    dispatcher.dispatch_due()
    [delivery] = db.session.scalars(select(OutboxDelivery)).all()
    assert delivery.state == "skipped"
    assert "inspection_summary" in delivery.last_error
    assert "hazardous-chemicals" in delivery.last_error
    assert receiver.requests == 0


def test_the_hazchem_chain_fails_without_a_registration_code_only_for_what_it_maps(
    client, login_as, db, world, receiver
):
    endpoint(db, world, "hazchem_chain", receiver)
    dust = world["enterprise"]["dust"]
    head = login_as("head-dust")
    obj = client.post(f"{API}/enterprises/{dust}/risk-objects", json=object_payload(), headers=head)
    assert obj.status_code == 201, obj.get_json()
    unit = client.post(
        f"{API}/risk-objects/{obj.get_json()['id']}/units", json=unit_payload(), headers=head
    )
    assert unit.status_code == 201, unit.get_json()
    assert dispatcher.dispatch_due() == {"delivered": 0, "pending": 1, "dead": 0, "skipped": 1}
    states = db.session.execute(
        select(OutboxEvent.payload["entity_type"].as_string(), OutboxDelivery.state)
        .join(OutboxEvent, OutboxEvent.id == OutboxDelivery.event_id)
        .order_by(OutboxEvent.id)
    ).all()
    # The new object maps to no record: skipped; the unit maps but has no companyCode to send.
    assert [tuple(row) for row in states] == [("risk_object", "skipped"), ("risk_unit", "pending")]
    pending = db.session.scalars(select(OutboxDelivery).order_by(OutboxDelivery.id)).all()[1]
    assert "登记编码" in pending.last_error
    assert receiver.requests == 0
