"""Incident quick reports and follow-ups: idempotency, lateness, validation, scope, timeline."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.incidents.models import Incident, IncidentReport
from anxun.notifications.models import Notification
from anxun.outbox.models import OutboxEvent

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 11:00 in China


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)
    return frozen_clock


def report_fields(**overrides):
    return {
        "id": str(uuid.uuid4()),
        "deaths": 0,
        "injuries": 1,
        "missing": 0,
        "direct_loss_estimate": "12000.50",
        "description": "装卸作业时一名工人被滑落的桶砸伤左脚。",
        "measures": "已送医，现场已隔离。",
        **overrides,
    }


def quick(world, minutes_ago=30, **overrides):
    return {
        "id": str(uuid.uuid4()),
        "enterprise_id": world["enterprise"]["hc"],
        "occurred_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
        "location": "二号仓库装卸区",
        "category": "object_strike",
        "title": "装卸区物体打击",
        "report": report_fields(),
        **overrides,
    }


def counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Incident, IncidentReport, AuditEntry, OutboxEvent, Notification)
    )


def test_a_quick_report_is_on_time_notifies_the_regulators_and_replays(db, client, login_as, world):
    body = quick(world, minutes_ago=42)
    response = client.post("/api/v1/incidents", json=body, headers=login_as("officer-hc"))
    assert response.status_code == 201, response.get_json()
    incident = response.get_json()
    assert incident["id"] == body["id"]
    assert incident["category"] == {"code": "object_strike", "label": "物体打击"}
    assert incident["is_late"] is False
    assert incident["minutes_to_first_report"] == 42
    assert incident["limit_minutes"] == 60
    assert [e["event"] for e in incident["timeline"]] == ["occurred", "quick"]
    assert incident["reports"][0]["kind"] == {"code": "quick", "label": "快报"}
    assert incident["reports"][0]["direct_loss_estimate"] == "12000.50"
    assert incident["basis"][0]["verified"] is False
    notified = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "incident_reported")
        )
    )
    assert notified == {world["users"]["regulator"], world["users"]["regulator-admin"]}
    [event] = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == "incident_reported")
    ).all()
    assert event.payload["minutes_since_occurrence"] == 42

    before = counts(db)
    replay = client.post("/api/v1/incidents", json=body, headers=login_as("officer-hc"))
    assert replay.status_code == 200
    assert replay.get_json()["first_reported_at"] == incident["first_reported_at"]
    changed = client.post(
        "/api/v1/incidents", json={**body, "title": "另一事故"}, headers=login_as("officer-hc")
    )
    assert changed.status_code == 409
    assert changed.get_json()["errors"][0]["field"] == "id"
    assert counts(db) == before


def test_lateness_follows_the_configured_limit_and_server_time(app, db, client, login_as, world):
    late = client.post(
        "/api/v1/incidents", json=quick(world, minutes_ago=61), headers=login_as("head-hc")
    )
    assert late.get_json()["is_late"] is True
    on_time = client.post(
        "/api/v1/incidents", json=quick(world, minutes_ago=60), headers=login_as("head-hc")
    )
    assert on_time.get_json()["is_late"] is False
    app.config["ANXUN_INCIDENT_QUICK_REPORT_MINUTES"] = 30
    listed = client.get("/api/v1/incidents", headers=login_as("regulator")).get_json()["items"]
    assert [(i["minutes_to_first_report"], i["is_late"], i["limit_minutes"]) for i in listed] == [
        (60, True, 30),
        (61, True, 30),
    ]


def test_follow_ups_are_sequenced_idempotent_and_timed(db, client, login_as, world, frozen):
    body = quick(world, minutes_ago=20)
    client.post("/api/v1/incidents", json=body, headers=login_as("officer-hc"))
    frozen(NOW + timedelta(hours=2))
    follow = report_fields(injuries=2, measures="伤者住院观察。")
    response = client.post(
        f"/api/v1/incidents/{body['id']}/reports", json=follow, headers=login_as("head-hc")
    )
    assert response.status_code == 201, response.get_json()
    incident = response.get_json()
    assert incident["injuries"] == 2
    assert [(e["label"], e["minutes"]) for e in incident["timeline"]] == [
        ("事故发生", 0),
        ("快报", 20),
        ("第1次续报", 140),
    ]
    assert incident["reports"][1]["sequence"] == 2
    replay = client.post(
        f"/api/v1/incidents/{body['id']}/reports", json=follow, headers=login_as("head-hc")
    )
    assert replay.status_code == 200
    assert len(replay.get_json()["reports"]) == 2
    changed = client.post(
        f"/api/v1/incidents/{body['id']}/reports",
        json={**follow, "deaths": 1},
        headers=login_as("head-hc"),
    )
    assert changed.status_code == 409
    assert len(db.session.scalars(select(OutboxEvent.id)).all()) == 2
    detail = client.get(f"/api/v1/incidents/{body['id']}", headers=login_as("regulator"))
    assert detail.get_json()["report_count"] == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": (NOW + timedelta(minutes=5)).isoformat()}, "occurred_at"),
        ({"occurred_at": "2026-11-25T10:00:00"}, "occurred_at"),
        ({"category": "earthquake"}, "category"),
        ({"report": report_fields(deaths=-1)}, "report.deaths"),
        ({"report": report_fields(description="")}, "report.description"),
        ({"location": ""}, "location"),
    ],
)
def test_bad_reports_are_422_and_write_nothing(db, client, login_as, world, overrides, field):
    before = counts(db)
    response = client.post(
        "/api/v1/incidents", json=quick(world, **overrides), headers=login_as("officer-hc")
    )
    assert response.status_code == 422
    assert response.get_json()["type"] == "/problems/validation"
    assert field in {e["field"] for e in response.get_json()["errors"]}
    assert counts(db) == before


def test_only_the_head_and_safety_officer_report_and_lists_are_scoped(client, login_as, world):
    assert (
        client.post(
            "/api/v1/incidents", json=quick(world), headers=login_as("rectifier-hc")
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/incidents", json=quick(world), headers=login_as("regulator")
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/incidents", json=quick(world), headers=login_as("head-con")
        ).status_code
        == 404
    )
    body = quick(world)
    client.post("/api/v1/incidents", json=body, headers=login_as("officer-hc"))
    assert (
        len(client.get("/api/v1/incidents", headers=login_as("head-hc")).get_json()["items"]) == 1
    )
    assert client.get("/api/v1/incidents", headers=login_as("head-con")).get_json()["items"] == []
    assert (
        client.get("/api/v1/incidents", headers=login_as("regulator-con")).get_json()["items"] == []
    )
    assert (
        client.get(f"/api/v1/incidents/{body['id']}", headers=login_as("regulator-con")).status_code
        == 404
    )


def test_any_logged_in_user_gets_the_categories_with_their_unverified_basis(client, login_as):
    body = client.get("/api/v1/incidents/categories", headers=login_as("rectifier-hc")).get_json()
    assert len(body["items"]) == 20
    assert body["items"][0] == {"code": "object_strike", "label": "物体打击"}
    assert {"code": "poisoning_asphyxiation", "label": "中毒和窒息"} in body["items"]
    assert body["basis"]["verified"] is False
    assert body["basis"]["title"].startswith("GB 6441-1986")
    assert client.get("/api/v1/incidents/categories").status_code == 401


def follow_up(client, login_as, incident_id, **counts):
    response = client.post(
        f"/api/v1/incidents/{incident_id}/reports",
        json=report_fields(**counts),
        headers=login_as("head-hc"),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_follow_up_with_more_casualties_marks_the_incident_escalated(
    db, client, login_as, world, frozen
):
    body = quick(world, minutes_ago=20)  # quick report: 1 injured
    client.post("/api/v1/incidents", json=body, headers=login_as("officer-hc"))
    frozen(NOW + timedelta(hours=1))
    calmer = follow_up(client, login_as, body["id"], injuries=1)
    assert calmer["is_escalated"] is False
    assert calmer["escalations"] == []
    frozen(NOW + timedelta(days=2))
    worse = follow_up(client, login_as, body["id"], deaths=1, injuries=0)
    assert worse["is_escalated"] is True
    assert worse["escalations"] == [
        {
            "sequence": 3,
            "at": worse["reports"][2]["submitted_at"],
            "increases": {"deaths": [0, 1]},
            "summary": "死亡 0→1 人",
            "within_supplement_window": True,
        }
    ]
    assert [(e["event"], e["is_escalated"]) for e in worse["timeline"]] == [
        ("occurred", False),
        ("quick", False),
        ("follow_up", False),
        ("follow_up", True),
    ]
    escalation_basis = [b for b in worse["basis"] if "第十三条" in b["title"]]
    assert [b["verified"] for b in escalation_basis] == [False]
    [listed] = client.get("/api/v1/incidents", headers=login_as("regulator")).get_json()["items"]
    assert (listed["is_escalated"], listed["deaths"]) == (True, 1)
    detail = client.get(f"/api/v1/incidents/{body['id']}", headers=login_as("regulator"))
    assert detail.get_json()["is_escalated"] is True


def test_the_list_filters_late_and_escalated_incidents_newest_first(client, login_as, world):
    def post(minutes_ago, title):
        body = quick(world, minutes_ago=minutes_ago, title=title)
        response = client.post("/api/v1/incidents", json=body, headers=login_as("officer-hc"))
        assert response.status_code == 201
        return body["id"]

    late_escalated = post(300, "超时且补报")
    post(120, "超时")
    escalated = post(40, "按时补报")
    post(10, "按时")
    for incident_id in (late_escalated, escalated):
        follow_up(client, login_as, incident_id, injuries=4)

    def titles(query=""):
        response = client.get(f"/api/v1/incidents{query}", headers=login_as("regulator"))
        assert response.status_code == 200, response.get_json()
        return [i["title"] for i in response.get_json()["items"]]

    assert titles() == ["按时", "按时补报", "超时", "超时且补报"]
    assert titles("?late=true") == ["超时", "超时且补报"]
    assert titles("?late=false") == ["按时", "按时补报"]
    assert titles("?escalated=true") == ["按时补报", "超时且补报"]
    assert titles("?late=true&escalated=true") == ["超时且补报"]
    assert titles("?escalated=true&limit=1") == ["按时补报"]
    bad = client.get("/api/v1/incidents?late=maybe", headers=login_as("regulator"))
    assert bad.status_code == 422
    assert {e["field"] for e in bad.get_json()["errors"]} == {"late"}
