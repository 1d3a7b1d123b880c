"""Enforcement records (约谈, 停产整顿): recording, lifting, scope and the veto on the grade."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.outbox.models import OutboxEvent
from anxun.oversight.models import EnforcementRecord

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)


def body(world, key="hc", **overrides):
    return {
        "enterprise_id": world["enterprise"][key],
        "kind": "suspension",
        "reference_no": "（镇）应急责停〔2026〕1号",
        "summary": "储罐区重大隐患未按期整改，责令停产整顿。",
        "decided_on": (TODAY - timedelta(days=10)).isoformat(),
        **overrides,
    }


def counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (EnforcementRecord, AuditEntry, OutboxEvent)
    )


def grade(client, login_as, world):
    response = client.get(
        f"/api/v1/enterprises/{world['enterprise']['hc']}/grade", headers=login_as("regulator")
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_suspension_turns_the_grade_red_until_it_is_lifted(db, client, login_as, world):
    before = grade(client, login_as, world)
    assert before["colour"]["code"] != "red"
    response = client.post(
        "/api/v1/enforcement-records", json=body(world), headers=login_as("regulator")
    )
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert record["kind"] == {"code": "suspension", "label": "停产整顿"}
    assert record["is_in_effect"] is True
    assert record["regulator_name"] == "宁波市镇海区应急管理局"
    assert any("第六十五条" in b["title"] and b["verified"] is False for b in record["basis"])
    red = grade(client, login_as, world)
    assert red["colour"]["code"] == "red"
    assert "停产整顿" in red["colour"]["reason"]
    assert [v["kind"] for v in red["vetoes"]] == ["suspension"]
    event = db.session.scalar(
        select(OutboxEvent).where(OutboxEvent.event_type == "enforcement_recorded")
    )
    assert event.payload["kind"] == "suspension"

    lifted = client.post(
        f"/api/v1/enforcement-records/{record['id']}/end",
        json={"ends_on": (TODAY - timedelta(days=1)).isoformat()},
        headers=login_as("regulator-admin"),
    )
    assert lifted.status_code == 200, lifted.get_json()
    assert lifted.get_json()["ends_on"] == "2026-11-24"
    assert lifted.get_json()["is_in_effect"] is False
    after = grade(client, login_as, world)
    assert after["colour"]["code"] == before["colour"]["code"]
    assert after["vetoes"] == []
    again = client.post(
        f"/api/v1/enforcement-records/{record['id']}/end",
        json={"ends_on": TODAY.isoformat()},
        headers=login_as("regulator"),
    )
    assert again.status_code == 409


def test_an_interview_is_a_veto_for_a_year_and_cannot_be_ended(db, client, login_as, world):
    response = client.post(
        "/api/v1/enforcement-records",
        json=body(world, kind="interview", reference_no="约谈〔2026〕3号"),
        headers=login_as("regulator"),
    )
    assert response.status_code == 201
    record = response.get_json()
    assert record["basis"][0]["verified"] is False
    assert record["basis"][0]["verify"] == "pending"
    assert grade(client, login_as, world)["colour"]["code"] == "red"
    ended = client.post(
        f"/api/v1/enforcement-records/{record['id']}/end",
        json={"ends_on": TODAY.isoformat()},
        headers=login_as("regulator"),
    )
    assert ended.status_code == 409
    assert ended.get_json()["detail"] == "只有停产整顿可以解除。"


def test_lists_follow_the_jurisdiction_and_the_enterprise(client, login_as, world):
    client.post("/api/v1/enforcement-records", json=body(world), headers=login_as("regulator"))
    client.post(
        "/api/v1/enforcement-records",
        json=body(world, key="dust", kind="interview"),
        headers=login_as("regulator"),
    )

    def names(user, query=""):
        response = client.get(f"/api/v1/enforcement-records{query}", headers=login_as(user))
        return sorted(item["enterprise_name"] for item in response.get_json()["items"])

    assert names("regulator") == ["宁波恒锐金属制品有限公司", "宁波澄江化工有限公司"]
    assert names("regulator", "?kind=interview") == ["宁波恒锐金属制品有限公司"]
    assert names("head-hc") == ["宁波澄江化工有限公司"]
    assert names("head-con") == []
    assert names("regulator-con") == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decided_on": (TODAY + timedelta(days=1)).isoformat()}, "decided_on"),
        ({"ends_on": (TODAY - timedelta(days=20)).isoformat()}, "ends_on"),
        ({"kind": "interview", "ends_on": TODAY.isoformat()}, "ends_on"),
        ({"kind": "warning"}, "kind"),
        ({"reference_no": ""}, "reference_no"),
    ],
)
def test_bad_input_is_422_and_writes_nothing(db, client, login_as, world, overrides, field):
    before = counts(db)
    response = client.post(
        "/api/v1/enforcement-records", json=body(world, **overrides), headers=login_as("regulator")
    )
    assert response.status_code == 422
    assert response.get_json()["type"] == "/problems/validation"
    assert field in {e["field"] for e in response.get_json()["errors"]}
    assert counts(db) == before


def test_only_a_covering_regulator_records(client, login_as, world):
    assert (
        client.post(
            "/api/v1/enforcement-records", json=body(world), headers=login_as("head-hc")
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/enforcement-records", json=body(world), headers=login_as("regulator-con")
        ).status_code
        == 404
    )
