"""The whole closed loop through the API, every request sent twice (as a flaky network would).

排查 → 两项不合格 → 两条隐患：一条即查即改销号；另一条确认、五定、整改、验收不通过、再整改、他人验收、销号。
A major failure ends in awaiting_signoff. Overdue shows with a frozen clock.
"""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.hazards.models import Hazard, HazardTransition
from anxun.inspections.models import Inspection
from anxun.outbox.models import OutboxEvent
from tests.inspection_helpers import items_of, payload, upload_photo

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def setting(app, tmp_path, frozen_clock):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    frozen_clock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))


def twice(client, method, url, headers, json):
    """Send the same request twice; both answers must agree, the second marked as a replay."""
    first = client.open(url, method=method, json=json, headers=headers)
    second = client.open(url, method=method, json=json, headers=headers)
    assert first.status_code in (200, 201), first.get_json()
    assert second.status_code == 200, second.get_json()
    assert (first.get_json()["replayed"], second.get_json()["replayed"]) == (False, True)
    return first.get_json(), second.get_json()


def act(client, headers, hazard_id, action, expected_state, **fields):
    body = {
        "action": action,
        "expected_state": expected_state,
        "client_id": str(uuid.uuid4()),
        **fields,
    }
    first, second = twice(client, "POST", f"/api/v1/hazards/{hazard_id}/transitions", headers, body)
    assert first["state"] == second["state"]
    assert len(first["history"]) == len(second["history"])
    return first


def counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Inspection, Hazard, HazardTransition, OutboxEvent, AuditEntry)
    )


def test_general_hazards_walk_the_loop_and_replays_change_nothing(client, login_as, db, world):
    officer, head, rectifier = login_as("officer-hc"), login_as("head-hc"), login_as("rectifier-hc")
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).get_json()
    general = [
        i
        for i in items_of(detail["document"])
        if not i["major"] and i["answer"]["type"] == "pass_fail_na"
    ]
    failures = {
        general[0]["id"]: [upload_photo(client, officer)],
        general[1]["id"]: [upload_photo(client, officer)],
    }
    body = payload(detail, failures=failures)
    created, replay = twice(client, "POST", "/api/v1/inspections", officer, body)
    assert created == {**replay, "replayed": False}
    hazards = {h["item_id"]: h["id"] for h in created["hazards"]}
    assert len(hazards) == 2
    on_spot, planned = hazards[general[0]["id"]], hazards[general[1]["id"]]

    fixed = act(
        client,
        officer,
        on_spot,
        "fix_on_spot",
        "reported",
        after_media_ids=[upload_photo(client, officer)],
        note="当场已整改",
    )
    assert fixed["state"]["code"] == "closed"
    assert fixed["is_fixed_on_spot"] is True

    deadline = (TODAY + timedelta(days=7)).isoformat()
    step = act(
        client,
        officer,
        planned,
        "confirm",
        "reported",
        level="general",
        category="thing",
        deadline=deadline,
    )
    assert step["state"]["code"] == "confirmed"
    step = act(
        client,
        officer,
        planned,
        "plan",
        "confirmed",
        responsible_user_id=world["users"]["rectifier-hc"],
        measures="更换破损防护罩",
        funds=2000,
        deadline=deadline,
        contingency="整改期间设置警戒区",
    )
    assert step["state"]["code"] == "rectifying"
    step = act(
        client,
        rectifier,
        planned,
        "submit_rectification",
        "rectifying",
        after_media_ids=[upload_photo(client, rectifier)],
        note="已更换",
    )
    assert step["state"]["code"] == "pending_verification"
    step = act(
        client, officer, planned, "verify_reject", "pending_verification", reason="螺栓未紧固"
    )
    assert step["state"]["code"] == "rectifying"
    step = act(
        client,
        rectifier,
        planned,
        "submit_rectification",
        "rectifying",
        after_media_ids=[upload_photo(client, rectifier)],
        note="螺栓已紧固",
    )
    same_person = client.post(
        f"/api/v1/hazards/{planned}/transitions",
        json={
            "action": "verify_pass",
            "expected_state": "pending_verification",
            "client_id": str(uuid.uuid4()),
        },
        headers=rectifier,
    )
    assert same_person.status_code in (403, 422)  # a rectifier cannot verify (own work)
    step = act(client, head, planned, "verify_pass", "pending_verification")
    assert step["state"]["code"] == "closed"
    actions = [h["action"]["code"] for h in step["history"]]
    assert actions == [
        "report",
        "confirm",
        "plan",
        "submit_rectification",
        "verify_reject",
        "submit_rectification",
        "verify_pass",
    ]

    before = counts(db)
    stale = client.post(
        f"/api/v1/hazards/{planned}/transitions",
        json={
            "action": "verify_reject",
            "expected_state": "pending_verification",
            "reason": "x",
            "client_id": str(uuid.uuid4()),
        },
        headers=officer,
    )
    assert stale.status_code == 409
    assert counts(db) == before


def test_major_hazard_ends_awaiting_signoff_with_an_outbox_event(client, login_as, db, world):
    officer, head, rectifier = login_as("officer-hc"), login_as("head-hc"), login_as("rectifier-hc")
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).get_json()
    major = next(
        i
        for i in items_of(detail["document"])
        if i["major"] and i["answer"]["type"] == "pass_fail_na"
    )
    created, _ = twice(
        client,
        "POST",
        "/api/v1/inspections",
        officer,
        payload(detail, failures={major["id"]: [upload_photo(client, officer)]}),
    )
    hazard_id = created["hazards"][0]["id"]
    assert created["hazards"][0]["proposed_level"] == "major"

    events_before = db.session.scalar(select(func.count(OutboxEvent.id)))
    deadline = (TODAY + timedelta(days=30)).isoformat()
    act(
        client,
        officer,
        hazard_id,
        "confirm",
        "reported",
        level="major",
        category="thing",
        deadline=deadline,
    )
    events = db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)).all()
    assert len(events) == events_before + 1
    assert events[-1].event_type == "major_hazard_confirmed"

    governance = upload_photo(client, officer)
    act(
        client,
        officer,
        hazard_id,
        "submit_plan",
        "confirmed",
        responsible_user_id=world["users"]["rectifier-hc"],
        measures="停用并更换泄漏阀组",
        funds=150000,
        deadline=deadline,
        contingency="停车并撤离无关人员",
        governance_plan_id=governance,
    )
    refused = client.post(
        f"/api/v1/hazards/{hazard_id}/transitions",
        json={
            "action": "approve_plan",
            "expected_state": "confirmed",
            "client_id": str(uuid.uuid4()),
        },
        headers=officer,
    )
    assert refused.status_code == 403  # only the head approves a major hazard's plan
    assert (
        act(client, head, hazard_id, "approve_plan", "confirmed")["state"]["code"] == "rectifying"
    )
    act(
        client,
        rectifier,
        hazard_id,
        "submit_rectification",
        "rectifying",
        after_media_ids=[upload_photo(client, rectifier)],
        note="阀组已更换并试压合格",
    )
    step = act(client, officer, hazard_id, "verify_pass", "pending_verification")
    assert step["state"]["code"] == "awaiting_signoff"
    closed = act(
        client, login_as("regulator"), hazard_id, "signoff", "awaiting_signoff", note="现场复核合格"
    )
    assert closed["state"]["code"] == "closed"


def test_overdue_appears_when_the_deadline_passes(client, login_as, db, world, frozen_clock):
    officer = login_as("officer-hc")
    report = client.post(
        "/api/v1/hazards",
        json={
            "id": str(uuid.uuid4()),
            "enterprise_id": world["enterprise"]["hc"],
            "title": "消防通道堵塞",
            "description": "仓库东侧通道堆放货物",
            "media_ids": [upload_photo(client, officer)],
            "proposed_level": "general",
        },
        headers=officer,
    )
    assert report.status_code == 201, report.get_json()
    hazard_id = report.get_json()["id"]
    act(
        client,
        officer,
        hazard_id,
        "confirm",
        "reported",
        level="general",
        category="environment",
        deadline=(TODAY + timedelta(days=2)).isoformat(),
    )
    view = client.get(f"/api/v1/hazards/{hazard_id}", headers=officer).get_json()
    assert view["is_overdue"] is False
    frozen_clock(datetime(2026, 11, 28, 1, 0, tzinfo=UTC))  # 09:00 on the day after the deadline
    view = client.get(f"/api/v1/hazards/{hazard_id}", headers=officer).get_json()
    assert view["is_overdue"] is True
    listed = client.get("/api/v1/hazards?overdue=true", headers=officer).get_json()
    assert [h["id"] for h in listed["items"]] == [hazard_id]
