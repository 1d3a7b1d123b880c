"""Daily safety commitment (#14): pre-filled form, signing by the head, the bureau's list with
missing and late ones after the cut-off (frozen clock), the public board, bad input."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from anxun.commitments.models import SafetyCommitment
from anxun.core.audit import AuditEntry
from anxun.core.auth import Grant
from anxun.outbox.models import OutboxEvent
from tests.conftest import DEMO_PASSWORD
from tests.factories import enterprise_payload

MORNING = datetime(2026, 11, 24, 0, 10, tzinfo=UTC)  # 08:10 in China, before the 09:00 cut-off
AFTER_CUTOFF = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 09:30
NEXT_MORNING = datetime(2026, 11, 25, 0, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(MORNING)
    return frozen_clock


def second_hazchem(db) -> int:
    from anxun.accounts import services as accounts
    from anxun.orgs import services as orgs
    from tests.factories_hazards import actor

    enterprise = orgs.create_enterprise(
        actor("admin"), enterprise_payload(industries=["hazardous_chemicals"])
    )
    accounts.create_user(
        actor("admin"),
        {"username": "head-hc2", "display_name": "王总", "password": DEMO_PASSWORD},
        [Grant("head", enterprise_id=enterprise.id)],
    )
    db.session.commit()
    return enterprise.id


def commit_body(enterprise_id: int, form: dict, **overrides) -> dict:
    return {"id": str(uuid.uuid4()), "enterprise_id": enterprise_id, **form, **overrides}


def test_commitment_on_the_phone_shows_to_the_bureau_and_the_public_and_missing_is_flagged(
    db, client, login_as, world, frozen
):
    from tests.factories_grading import make_risk_event

    hc = world["enterprise"]["hc"]
    make_risk_event(hc, is_major_hazard_source=True, object_name="液氨罐区")
    db.session.commit()
    other = second_hazchem(db)
    head = login_as("head-hc")

    draft = client.get(f"/api/v1/commitments/draft?enterprise_id={hc}", headers=head).get_json()
    assert draft["signed"] is None and draft["cutoff"] == "09:00"
    form = draft["form"]
    assert [(s["name"], s["status"]) for s in form["hazard_sources"]] == [("液氨罐区", "running")]
    assert form["risk_grade"] == "low" and form["content"].startswith(
        "今天我公司已进行安全风险研判"
    )
    form["hazard_sources"][0]["status"] = "maintenance"
    form["special_work"]["hot_work_first"] = 2
    body = commit_body(hc, form, risk_grade="high")
    signed = client.post("/api/v1/commitments", json=body, headers=head)
    assert signed.status_code == 201, signed.get_json()
    assert signed.get_json()["is_late"] is False
    replay = client.post("/api/v1/commitments", json=body, headers=head)
    assert replay.status_code == 200
    second = client.post(
        "/api/v1/commitments", json={**body, "id": str(uuid.uuid4())}, headers=head
    )
    assert second.status_code == 409
    events = OutboxEvent.event_type == "safety_commitment"
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent).where(events)) == 1

    bureau = login_as("regulator")
    before = client.get("/api/v1/commitments/today", headers=bureau).get_json()
    statuses = {i["enterprise"]["id"]: i["status"]["code"] for i in before["items"]}
    assert statuses == {hc: "on_time", other: "pending"}
    assert before["missing"] == []

    frozen(AFTER_CUTOFF)
    after = client.get("/api/v1/commitments/today", headers=bureau).get_json()
    assert [e["id"] for e in after["missing"]] == [other]
    rows = client.get("/api/v1/oversight/overview", headers=bureau).get_json()["items"]
    column = {r["id"]: r["commitment"] for r in rows}
    assert column[hc] == {"code": "on_time", "label": "已按时承诺"}
    assert column[other] == {"code": "missing", "label": "未承诺"}
    assert column[world["enterprise"]["dust"]] is None
    page = client.get(f"/public/commitments/{hc}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "宁波澄江化工有限公司" in html and "液氨罐区" in html and "检维修" in html
    assert "今天我公司已进行安全风险研判" in html
    assert "尚未作出安全承诺" in client.get(f"/public/commitments/{other}").get_data(as_text=True)
    assert client.get("/public/commitments/report.css").content_type.startswith("text/css")
    sheet = client.get(f"/public/commitments/{hc}/sheet.pdf")
    assert sheet.status_code == 200 and sheet.data.startswith(b"%PDF")

    late_head = login_as("head-hc2")
    late_form = client.get(
        f"/api/v1/commitments/draft?enterprise_id={other}", headers=late_head
    ).get_json()["form"]
    late = client.post("/api/v1/commitments", json=commit_body(other, late_form), headers=late_head)
    assert late.get_json()["is_late"] is True
    statuses = {
        i["enterprise"]["id"]: i["status"]["code"]
        for i in client.get("/api/v1/commitments/today", headers=bureau).get_json()["items"]
    }
    assert statuses == {hc: "on_time", other: "late"}

    # The next morning starts from yesterday's statuses and text.
    frozen(NEXT_MORNING)
    tomorrow = client.get(f"/api/v1/commitments/draft?enterprise_id={hc}", headers=head).get_json()
    assert tomorrow["signed"] is None
    assert tomorrow["form"]["hazard_sources"][0]["status"] == "maintenance"
    assert tomorrow["form"]["risk_grade"] == "high"


def test_only_the_head_of_a_hazchem_enterprise_commits_and_bad_input_writes_nothing(
    db, client, login_as, world
):
    hc = world["enterprise"]["hc"]
    before = (
        db.session.scalar(select(func.count()).select_from(SafetyCommitment)),
        db.session.scalar(select(func.count()).select_from(AuditEntry)),
    )
    body = commit_body(hc, {"risk_grade": "low", "content": "承诺"})
    assert (
        client.post("/api/v1/commitments", json=body, headers=login_as("officer-hc")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/commitments", json=body, headers=login_as("regulator")).status_code
        == 403
    )
    dust = commit_body(world["enterprise"]["dust"], {"risk_grade": "low", "content": "承诺"})
    refused = client.post("/api/v1/commitments", json=dust, headers=login_as("head-dust"))
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "enterprise_id"
    bad = commit_body(hc, {"risk_grade": "low", "content": "承诺", "special_work": {"flying": 1}})
    refused = client.post("/api/v1/commitments", json=bad, headers=login_as("head-hc"))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["special_work"]
    assert client.get("/public/commitments/999999").status_code == 404
    after = (
        db.session.scalar(select(func.count()).select_from(SafetyCommitment)),
        db.session.scalar(select(func.count()).select_from(AuditEntry)),
    )
    assert after == before
