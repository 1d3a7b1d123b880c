"""包保责任 over HTTP: naming the three accountable persons of a major hazard source generates one
plan per duty (quarterly / monthly / weekly, citing the 办法), and the board shows completion
(the clock is frozen on Tuesday 2026-03-10 10:00 China time)."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import func, select

from anxun.accounts.models import User
from anxun.core.audit import AuditEntry
from anxun.extensions import db as _db
from anxun.inspections.models import InspectionPlan
from anxun.risk.models import AccountablePerson, RiskObject, RiskUnit
from tests.factories_planning import local
from tests.factories_risk import make_place

NOW = local("2026-03-10 10:00")


@pytest.fixture(autouse=True)
def _tuesday_morning(frozen_clock):
    frozen_clock(NOW.astimezone(UTC))
    return frozen_clock


@pytest.fixture
def hc(world):
    return world["enterprise"]["hc"]


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


@pytest.fixture
def source(hc, db):
    """A major hazard source with one unit at a place."""
    place = make_place(hc, "1号罐区")
    obj = RiskObject(enterprise_id=hc, name="液氯储罐区", is_major_hazard_source=True)
    db.session.add(obj)
    db.session.flush()
    db.session.add(
        RiskUnit(enterprise_id=hc, risk_object_id=obj.id, name="储罐", place_id=place.id)
    )
    db.session.commit()
    return {"object": obj.id, "place": place.id}


def counts():
    _db.session.expire_all()
    return tuple(
        _db.session.scalar(select(func.count()).select_from(m))
        for m in (AccountablePerson, InspectionPlan, AuditEntry)
    )


def put(client, headers, object_id, body):
    return client.put(
        f"/api/v1/risk-objects/{object_id}/accountable-persons", json=body, headers=headers
    )


def test_naming_the_three_persons_generates_one_plan_per_duty(
    client, officer, hc, world, source, db
):
    users = world["users"]
    body = {
        "main_user_id": users["head-hc"],
        "technical_user_id": users["officer-hc"],
        "operational_user_id": users["rectifier-hc"],
    }
    response = put(client, officer, source["object"], body)
    assert response.status_code == 200, response.get_json()
    duties = response.get_json()["duties"]
    assert [(d["duty"]["label"], d["frequency"], d["user"]["id"]) for d in duties] == [
        ("主要负责人", "每季度至少一次", users["head-hc"]),
        ("技术负责人", "每月至少一次", users["officer-hc"]),
        ("操作负责人", "每周至少一次", users["rectifier-hc"]),
    ]
    assert duties[0]["basis"]["number"] == "应急厅〔2021〕12号"
    assert duties[0]["basis"]["verify"] == "pending"

    plans = db.session.scalars(select(InspectionPlan).order_by(InspectionPlan.id)).all()
    assert [
        (p.frequency_unit, p.inspection_type, p.assignee_user_id, [pl.id for pl in p.places])
        for p in plans
    ] == [
        ("quarter", "responsibility", users["head-hc"], [source["place"]]),
        ("month", "responsibility", users["officer-hc"], [source["place"]]),
        ("week", "responsibility", users["rectifier-hc"], [source["place"]]),
    ]
    assert plans[0].title == "包保责任排查：液氯储罐区（主要负责人）"
    assert plans[0].item_ids == ["HC-21", "HC-21A", "HC-22", "HC-22A"]
    obj = db.session.get(RiskObject, source["object"])
    assert (
        obj.accountable_technical
        == db.session.get(
            __import__("anxun.accounts.models", fromlist=["User"]).User, users["officer-hc"]
        ).display_name
    )

    # Reassigning a duty moves its plan to the new person; no new plan is made.
    again = put(client, officer, source["object"], {"operational_user_id": users["officer-hc"]})
    assert again.status_code == 200
    db.session.expire_all()
    plans = db.session.scalars(select(InspectionPlan).order_by(InspectionPlan.id)).all()
    assert [p.assignee_user_id for p in plans] == [
        users["head-hc"],
        users["officer-hc"],
        users["officer-hc"],
    ]
    assert again.get_json()["duties"][2]["user"]["id"] == users["officer-hc"]
    assert db.session.get(RiskObject, source["object"]).accountable_operational == (
        db.session.get(User, users["officer-hc"]).display_name
    )


def test_the_board_shows_each_duty_and_its_completion(client, officer, login_as, hc, world, source):
    users = world["users"]
    put(client, officer, source["object"], {"operational_user_id": users["rectifier-hc"]})
    url = f"/api/v1/enterprises/{hc}/accountability?from=2026-03-01&to=2026-03-31"
    board = client.get(url, headers=login_as("regulator")).get_json()
    [obj] = board["objects"]
    assert obj["name"] == "液氯储罐区"
    by_duty = {d["duty"]["code"]: d for d in obj["duties"]}
    assert by_duty["main"]["user"] is None and by_duty["main"]["completion"] is None
    weekly = by_duty["operational"]["completion"]
    # The week's window opened this morning: open, nothing due yet.
    assert weekly == {"done": 0, "late": 0, "missed": 0, "open": 1, "due": 0, "rate": None}


def test_bad_assignments_are_refused_and_write_nothing(
    client, officer, login_as, hc, world, source, db
):
    before = counts()
    cleared = put(client, officer, source["object"], {"main_user_id": None})
    assert {e["field"] for e in cleared.get_json()["errors"]} == {"main_user_id"}
    stranger = put(client, officer, source["object"], {"main_user_id": world["users"]["head-con"]})
    assert stranger.status_code == 422
    assert {e["field"]: e["message"] for e in stranger.get_json()["errors"]} == {
        "main_user_id": "主要负责人须是本企业在职人员。"
    }
    plain = RiskObject(enterprise_id=hc, name="办公楼")
    db.session.add(plain)
    db.session.commit()
    not_major = put(client, officer, plain.id, {"main_user_id": world["users"]["head-hc"]})
    assert {e["field"] for e in not_major.get_json()["errors"]} == {"object_id"}
    rectifier = put(
        client,
        login_as("rectifier-hc"),
        source["object"],
        {"main_user_id": world["users"]["head-hc"]},
    )
    assert rectifier.status_code == 403
    other = put(client, login_as("head-con"), source["object"], {"main_user_id": 1})
    assert other.status_code == 404
    assert counts() == before
