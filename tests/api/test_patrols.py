"""Online patrols: opening, findings that become confirmed hazards, agency patrols and review."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from anxun.core import clock
from anxun.core.audit import AuditEntry
from anxun.hazards.models import Hazard
from anxun.outbox.models import OutboxEvent
from anxun.oversight.models import (
    Patrol,
    PatrolFinding,
    RectificationOrder,
    SpotCheckAssignment,
    SpotCheckDraw,
)

LAW_65 = {"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}


def counts(db):
    db.session.rollback()
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Patrol, PatrolFinding, Hazard, RectificationOrder, AuditEntry, OutboxEvent)
    )


def in_days(days: int) -> str:
    return (clock.today_local() + timedelta(days=days)).isoformat()


def open_patrol(client, headers, world, key="hc", **overrides):
    body = {"enterprise_id": world["enterprise"][key], "mode": "online", **overrides}
    return client.post("/api/v1/patrols", json=body, headers=headers)


def finding_body(**overrides):
    return {
        "id": str(uuid.uuid4()),
        "title": "储罐区可燃气体报警器未检定",
        "description": "2 台报警器检定证书过期",
        "basis": [{"document": "《危险化学品企业安全风险隐患排查治理导则》", "clause": ""}],
        "proposed_level": "general",
        "deadline": in_days(10),
        **overrides,
    }


def add_finding(client, headers, patrol_id, **overrides):
    body = finding_body(**overrides)
    response = client.post(f"/api/v1/patrols/{patrol_id}/findings", json=body, headers=headers)
    return response, body


def errors_of(response) -> list[str]:
    return sorted(e["field"] for e in response.get_json()["errors"])


# --- regulator patrols ----------------------------------------------------------------------


def test_regulator_opens_a_patrol_and_lists_it(client, world, login_as):
    headers = login_as("regulator")
    response = open_patrol(client, headers, world, mode="on_site", is_unannounced=True)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["regulator_id"] == world["regulator"]
    assert body["mode"] == {"code": "on_site", "label": "现场检查"}
    assert body["state"] == {"code": "open", "label": "进行中"}
    assert body["is_unannounced"] is True
    assert body["engagement_id"] is None
    assert body["findings"] == []

    listed = client.get(
        f"/api/v1/patrols?enterprise_id={world['enterprise']['hc']}&state=open", headers=headers
    ).get_json()
    assert [p["id"] for p in listed["items"]] == [body["id"]]
    assert client.get("/api/v1/patrols?mode=online", headers=headers).get_json()["items"] == []
    # Other bureaus and enterprise staff do not see it.
    assert (
        client.get("/api/v1/patrols", headers=login_as("regulator-con")).get_json()["items"] == []
    )
    other = client.get(f"/api/v1/patrols/{body['id']}", headers=login_as("regulator-con"))
    assert other.status_code == 404
    assert (
        client.get(f"/api/v1/patrols/{body['id']}", headers=login_as("head-hc")).status_code == 404
    )


def test_a_regulator_finding_becomes_a_confirmed_hazard_with_the_finding_deadline(
    client, db, world, login_as
):
    headers = login_as("regulator")
    patrol = open_patrol(client, headers, world).get_json()
    response, body = add_finding(client, headers, patrol["id"], proposed_level="major")
    assert response.status_code == 201, response.get_json()
    finding = response.get_json()
    assert finding["state"] == {"code": "accepted", "label": "已采纳"}
    assert finding["hazard_state"] == {"code": "confirmed", "label": "已确认"}

    hazard = client.get(f"/api/v1/hazards/{finding['hazard_id']}", headers=login_as("head-hc"))
    hazard = hazard.get_json()
    assert hazard["source"]["code"] == "regulator"
    assert hazard["state"]["code"] == "confirmed"
    assert hazard["level"]["code"] == "major"
    assert hazard["category"] == {"code": "management", "label": "管理上的缺陷"}
    assert hazard["deadline"] == body["deadline"]
    assert hazard["basis"][0]["doc"] == "《危险化学品企业安全风险隐患排查治理导则》"
    assert hazard["basis"][0]["citation"] == "《危险化学品企业安全风险隐患排查治理导则》"
    assert hazard["basis"][0]["is_clause_pending"] is False
    assert [h["action"]["code"] for h in hazard["history"]] == ["report", "confirm"]
    # The major hazard reaches the regulators' systems, as any confirmed major hazard does.
    types = db.session.scalars(select(OutboxEvent.event_type)).all()
    assert "major_hazard_confirmed" in types
    # The enterprise then plans as usual: the head may take the major-hazard plan step.
    actions = [a["code"] for a in hazard["available_actions"]]
    assert "submit_plan" in actions


def test_a_regulator_finding_stores_its_category_and_deadline(client, db, world, login_as):
    headers = login_as("regulator")
    patrol = open_patrol(client, headers, world).get_json()
    response, body = add_finding(client, headers, patrol["id"], category="thing")
    assert response.status_code == 201, response.get_json()
    finding = response.get_json()
    assert finding["category"] == {"code": "thing", "label": "物的不安全状态"}
    assert finding["deadline"] == body["deadline"] == finding["hazard_deadline"]
    row = db.session.get(PatrolFinding, uuid.UUID(finding["id"]))
    assert (row.category, row.deadline.isoformat()) == ("thing", body["deadline"])
    assert db.session.get(Hazard, uuid.UUID(finding["hazard_id"])).category == "thing"
    shown = client.get(f"/api/v1/patrols/{patrol['id']}", headers=headers).get_json()
    assert shown["findings"][0]["category"]["code"] == "thing"
    assert shown["findings"][0]["deadline"] == body["deadline"]
    # Without a category the finding (and its hazard) take management, 管理上的缺陷.
    plain, _ = add_finding(client, headers, patrol["id"], title="未开展应急演练")
    assert plain.get_json()["category"] == {"code": "management", "label": "管理上的缺陷"}


def test_finding_replay_is_idempotent_and_a_different_payload_conflicts(
    client, db, world, login_as
):
    headers = login_as("regulator")
    patrol = open_patrol(client, headers, world).get_json()
    first, body = add_finding(client, headers, patrol["id"])
    before = counts(db)
    url = f"/api/v1/patrols/{patrol['id']}/findings"
    replay = client.post(url, json=body, headers=headers)
    assert replay.status_code == 200
    assert replay.get_json() == first.get_json()
    changed = client.post(url, json={**body, "title": "另一个问题"}, headers=headers)
    assert changed.status_code == 409
    assert changed.get_json()["type"] == "/problems/conflict"
    assert counts(db) == before


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"basis": []}, ["basis"]),
        ({"proposed_level": "serious"}, ["proposed_level"]),
        ({"title": ""}, ["title"]),
        ({"deadline": "2020-01-01"}, ["deadline"]),
        ({"deadline": "明天"}, ["deadline"]),
        ({"deadline": None}, ["deadline"]),
        ({"basis": [{"clause": "第一条"}]}, ["basis.0.document"]),
        ({"category": "weather"}, ["category"]),
        ({"extra": 1}, ["extra"]),
    ],
)
def test_bad_findings_are_422_and_write_nothing(client, db, world, login_as, overrides, fields):
    headers = login_as("regulator")
    patrol = open_patrol(client, headers, world).get_json()
    before = counts(db)
    response, _ = add_finding(client, headers, patrol["id"], **overrides)
    assert response.status_code == 422
    assert response.get_json()["type"] == "/problems/validation"
    assert errors_of(response) == fields
    assert counts(db) == before


@pytest.mark.parametrize(
    ("key", "body", "status", "fields"),
    [
        ("hc", {"mode": "online", "is_unannounced": True}, 422, ["is_unannounced"]),
        ("hc", {"mode": "drone"}, 422, ["mode"]),
        ("hc", {"mode": "online", "spot_check_assignment_id": 999999}, 422,
         ["spot_check_assignment_id"]),
        ("con", {"mode": "online"}, 404, None),
    ],
)  # fmt: skip
def test_bad_patrols_write_nothing(client, db, world, login_as, key, body, status, fields):
    before = counts(db)
    response = open_patrol(client, login_as("regulator"), world, key=key, **body)
    assert response.status_code == status
    if fields:
        assert errors_of(response) == fields
    assert counts(db) == before


def test_enterprise_staff_cannot_open_patrols(client, world, login_as):
    response = open_patrol(client, login_as("head-hc"), world)
    assert response.status_code == 403


def test_closing_a_patrol_records_the_summary_once(client, db, world, login_as):
    headers = login_as("regulator")
    patrol = open_patrol(client, headers, world).get_json()
    url = f"/api/v1/patrols/{patrol['id']}/closure"
    closed = client.post(url, json={"summary": "未发现问题"}, headers=headers)
    assert closed.status_code == 200
    assert closed.get_json()["state"]["code"] == "closed"
    assert closed.get_json()["summary"] == "未发现问题"
    again = client.post(url, json={"summary": "再次"}, headers=headers)
    assert again.status_code == 409
    assert again.get_json()["type"] == "/problems/stale-state"
    late, _ = add_finding(client, headers, patrol["id"])
    assert late.status_code == 409
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "patrol").order_by(AuditEntry.id)
    ).all()
    assert actions == ["open_patrol", "close_patrol"]


# --- agency patrols -------------------------------------------------------------------------


def test_agency_patrol_finding_waits_for_regulator_approval_then_becomes_an_agency_hazard(
    client, db, world, login_as
):
    auditor = login_as("auditor")
    regulator = login_as("regulator")
    response = open_patrol(client, auditor, world, engagement_id=world["engagement"])
    assert response.status_code == 201, response.get_json()
    patrol = response.get_json()
    assert patrol["regulator_id"] == world["regulator"]
    assert patrol["engagement_id"] == world["engagement"]
    assert patrol["agency_name"]

    first, _ = add_finding(client, auditor, patrol["id"], title="静电接地线断开")
    second, _ = add_finding(client, auditor, patrol["id"], title="安全周报未填写")
    assert first.status_code == 201
    assert first.get_json()["state"]["code"] == "proposed"
    assert first.get_json()["hazard_id"] is None
    assert db.session.scalar(select(func.count()).select_from(Hazard)) == 0

    # The regulator may not add findings to the agency's patrol; the auditor may not review.
    assert add_finding(client, regulator, patrol["id"])[0].status_code == 403
    review = f"/api/v1/patrol-findings/{first.get_json()['id']}/review"
    accept = {"decision": "accept", "expected_state": "proposed", "deadline": in_days(7)}
    assert client.post(review, json=accept, headers=auditor).status_code == 403

    # No order while a finding is still proposed.
    order = {
        "enterprise_id": world["enterprise"]["hc"],
        "co_officer_user_id": world["users"]["regulator-admin"],
        "patrol_id": patrol["id"],
        "deadline": in_days(7),
        "basis": [LAW_65],
        "items": [{"text": "整改"}],
    }
    blocked = client.post("/api/v1/orders", json=order, headers=regulator)
    assert blocked.status_code == 409

    submitted = client.post(
        f"/api/v1/patrols/{patrol['id']}/submission",
        json={"expected_state": "open", "summary": "发现 2 项"},
        headers=auditor,
    )
    assert submitted.status_code == 200
    assert submitted.get_json()["state"]["code"] == "submitted"

    accepted = client.post(review, json=accept, headers=regulator)
    assert accepted.status_code == 200, accepted.get_json()
    accepted = accepted.get_json()
    assert accepted["state"]["code"] == "accepted"
    hazard = db.session.get(Hazard, uuid.UUID(accepted["hazard_id"]))
    assert (hazard.source, hazard.state, hazard.level) == ("agency", "confirmed", "general")
    assert hazard.deadline.isoformat() == accept["deadline"]
    stale = client.post(review, json=accept, headers=regulator)
    assert stale.status_code == 409
    assert stale.get_json()["type"] == "/problems/stale-state"

    reject_url = f"/api/v1/patrol-findings/{second.get_json()['id']}/review"
    no_note = client.post(
        reject_url, json={"decision": "reject", "expected_state": "proposed"}, headers=regulator
    )
    assert no_note.status_code == 422
    assert errors_of(no_note) == ["note"]
    rejected = client.post(
        reject_url,
        json={"decision": "reject", "expected_state": "proposed", "note": "属于企业自查范围"},
        headers=regulator,
    )
    assert rejected.get_json()["state"]["code"] == "rejected"
    assert rejected.get_json()["review_note"] == "属于企业自查范围"

    order["items"] = [{"hazard_id": accepted["hazard_id"], "text": accepted["title"]}]
    issued = client.post("/api/v1/orders", json=order, headers=regulator)
    assert issued.status_code == 201, issued.get_json()
    assert issued.get_json()["patrol_id"] == patrol["id"]
    # The auditor sees the commissioned patrol with its findings.
    seen = client.get(f"/api/v1/patrols/{patrol['id']}", headers=auditor).get_json()
    assert [f["state"]["code"] for f in seen["findings"]] == ["accepted", "rejected"]
    assert seen["order_ids"] == [issued.get_json()["id"]]


def test_agency_cannot_patrol_outside_its_engagement_or_window(
    client, db, world, login_as, frozen_clock
):
    auditor = login_as("auditor")
    before = counts(db)
    # cs is not in the engagement; con is not even visible.
    for key in ("cs", "con"):
        assert open_patrol(client, auditor, world, key=key).status_code == 404
    wrong = open_patrol(client, auditor, world, engagement_id=world["engagement"] + 999)
    assert wrong.status_code == 404
    assert counts(db) == before

    patrol = open_patrol(client, auditor, world).get_json()
    # After the window the patrol and its enterprise are out of the agency's scope.
    frozen_clock(clock.now() + timedelta(days=400))
    assert open_patrol(client, auditor, world).status_code == 404
    late, _ = add_finding(client, auditor, patrol["id"], deadline=in_days(3))
    assert late.status_code == 404
    assert client.get(f"/api/v1/patrols/{patrol['id']}", headers=auditor).status_code == 404


def _agency_patrol(client, world, login_as):
    auditor = login_as("auditor")
    patrol = open_patrol(client, auditor, world, engagement_id=world["engagement"]).get_json()
    return auditor, patrol


def test_accepting_an_agency_finding_uses_the_proposed_category_and_deadline(
    client, db, world, login_as
):
    auditor, patrol = _agency_patrol(client, world, login_as)
    response, body = add_finding(
        client, auditor, patrol["id"], category="thing", deadline=in_days(5)
    )
    assert response.status_code == 201, response.get_json()
    proposed = response.get_json()
    assert proposed["state"]["code"] == "proposed"
    assert proposed["category"]["code"] == "thing"
    assert proposed["deadline"] == body["deadline"]
    assert proposed["hazard_deadline"] is None

    review = f"/api/v1/patrol-findings/{proposed['id']}/review"
    accepted = client.post(
        review,
        json={"decision": "accept", "expected_state": "proposed"},
        headers=login_as("regulator"),
    )
    assert accepted.status_code == 200, accepted.get_json()
    accepted = accepted.get_json()
    hazard = db.session.get(Hazard, uuid.UUID(accepted["hazard_id"]))
    assert (hazard.source, hazard.level, hazard.category) == ("agency", "general", "thing")
    assert hazard.deadline.isoformat() == body["deadline"] == accepted["hazard_deadline"]
    details = db.session.scalars(
        select(AuditEntry.change).where(AuditEntry.action == "review_patrol_finding")
    ).one()
    assert (details["category"], details["deadline"]) == ("thing", body["deadline"])


def test_the_reviewer_may_override_the_proposed_level_category_and_deadline(
    client, db, world, login_as
):
    auditor, patrol = _agency_patrol(client, world, login_as)
    response, body = add_finding(
        client, auditor, patrol["id"], category="thing", deadline=in_days(30)
    )
    finding = response.get_json()
    override = {
        "decision": "accept",
        "expected_state": "proposed",
        "deadline": in_days(3),
        "category": "behaviour",
        "level": "major",
    }
    accepted = client.post(
        f"/api/v1/patrol-findings/{finding['id']}/review",
        json=override,
        headers=login_as("regulator"),
    ).get_json()
    hazard = db.session.get(Hazard, uuid.UUID(accepted["hazard_id"]))
    assert (hazard.level, hazard.category) == ("major", "behaviour")
    assert hazard.deadline.isoformat() == override["deadline"]
    # The finding keeps what the agency proposed.
    assert accepted["category"]["code"] == "thing"
    assert accepted["deadline"] == body["deadline"]
    assert accepted["proposed_level"]["code"] == "general"


def test_accepting_needs_a_deadline_from_the_finding_or_the_reviewer(
    client, db, world, login_as, frozen_clock
):
    auditor, patrol = _agency_patrol(client, world, login_as)
    body = finding_body()
    del body["deadline"]
    response = client.post(f"/api/v1/patrols/{patrol['id']}/findings", json=body, headers=auditor)
    assert response.status_code == 201, response.get_json()
    finding = response.get_json()
    assert finding["deadline"] is None
    assert finding["category"]["code"] == "management"
    # Regulator findings still need one at once.
    own = open_patrol(client, login_as("regulator"), world).get_json()
    before = counts(db)
    missing = client.post(
        f"/api/v1/patrols/{own['id']}/findings",
        json={**body, "id": str(uuid.uuid4())},
        headers=login_as("regulator"),
    )
    assert missing.status_code == 422
    assert errors_of(missing) == ["deadline"]
    assert counts(db) == before

    regulator = login_as("regulator")
    review = f"/api/v1/patrol-findings/{finding['id']}/review"
    accept = {"decision": "accept", "expected_state": "proposed"}
    refused = client.post(review, json=accept, headers=regulator)
    assert refused.status_code == 422
    assert refused.get_json()["type"] == "/problems/validation"
    assert errors_of(refused) == ["deadline"]
    past = client.post(review, json={**accept, "deadline": in_days(-1)}, headers=regulator)
    assert errors_of(past) == ["deadline"]
    assert counts(db) == before
    assert db.session.get(PatrolFinding, uuid.UUID(finding["id"])).state == "proposed"

    # A proposed deadline that has passed by the time of review is refused too.
    dated, _ = add_finding(client, auditor, patrol["id"], deadline=in_days(1))
    frozen_clock(clock.now() + timedelta(days=2))
    url = f"/api/v1/patrol-findings/{dated.get_json()['id']}/review"
    stale_deadline = client.post(url, json=accept, headers=regulator)
    assert stale_deadline.status_code == 422
    assert errors_of(stale_deadline) == ["deadline"]

    ok = client.post(review, json={**accept, "deadline": in_days(7)}, headers=regulator)
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["hazard_deadline"] == in_days(7)


def test_patrol_list_shows_the_mode_and_the_linked_spot_check_assignment(
    client, db, world, login_as
):
    draw = SpotCheckDraw(
        regulator_id=world["regulator"],
        title="2026 年第四季度双随机抽查",
        seed="0" * 64,
        algorithm="sha256-v1",
        enterprise_count=1,
        object_pool=[world["enterprise"]["hc"]],
        inspector_pool=[world["users"]["regulator"]],
        drawn_by_user_id=world["users"]["regulator-admin"],
    )
    draw.assignments = [
        SpotCheckAssignment(
            position=1,
            enterprise_id=world["enterprise"]["hc"],
            inspector_user_ids=[world["users"]["regulator"]],
        )
    ]
    db.session.add(draw)
    db.session.commit()
    assignment_id = draw.assignments[0].id

    headers = login_as("regulator")
    linked = open_patrol(
        client,
        headers,
        world,
        mode="on_site",
        is_unannounced=True,
        spot_check_assignment_id=assignment_id,
    )
    assert linked.status_code == 201, linked.get_json()
    online = open_patrol(client, headers, world).get_json()
    listed = client.get("/api/v1/patrols", headers=headers).get_json()["items"]
    shown = {
        p["id"]: (
            p["mode"]["label"],
            p["is_unannounced"],
            p["spot_check_assignment_id"],
            p["spot_check_draw_id"],
        )
        for p in listed
    }
    assert shown == {
        linked.get_json()["id"]: ("现场检查", True, assignment_id, draw.id),
        online["id"]: ("网上巡查", False, None, None),
    }
    # An assignment of another enterprise is refused.
    wrong = open_patrol(
        client, headers, world, key="dust", mode="on_site", spot_check_assignment_id=assignment_id
    )
    assert wrong.status_code == 422
    assert errors_of(wrong) == ["spot_check_assignment_id"]
