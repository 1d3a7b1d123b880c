"""The desk's task calendar: every occurrence of a period with its state, missed ones marked
(China local dates; the clock is frozen on Friday 2026-03-13 09:00)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from anxun.inspections import planning
from anxun.inspections.models import TaskOccurrence
from tests.factories_planning import local, make_inspection, place_payload, plan_payload


@pytest.fixture
def hc(world):
    return world["enterprise"]["hc"]


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


def test_the_calendar_marks_missed_done_open_and_upcoming_occurrences(
    client, officer, hc, world, db, frozen_clock
):
    frozen_clock(local("2026-03-10 10:00").astimezone(UTC))
    place = client.post(
        f"/api/v1/enterprises/{hc}/places", json=place_payload(name="1号罐区"), headers=officer
    ).get_json()
    plan = client.post(
        f"/api/v1/enterprises/{hc}/plans",
        json=plan_payload(place_ids=[place["id"]]),
        headers=officer,
    ).get_json()
    frozen_clock(local("2026-03-13 09:00").astimezone(UTC))
    planning.materialize_enterprise(hc, local("2026-03-15"))
    first = db.session.scalar(select(TaskOccurrence).order_by(TaskOccurrence.due_start).limit(1))
    inspection = make_inspection(hc, world["users"]["officer-hc"], local("2026-03-10 16:00"))
    planning.complete_occurrence(first.id, inspection, hc)
    db.session.commit()

    response = client.get(
        f"/api/v1/enterprises/{hc}/task-calendar?from=2026-03-10&to=2026-03-14", headers=officer
    )
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    days = [
        (
            datetime.fromisoformat(i["due_start"]).astimezone(local("2026-03-10").tzinfo).day,
            i["state"]["code"],
        )
        for i in items
    ]
    assert days == [(10, "done"), (11, "missed"), (12, "missed"), (13, "open"), (14, "upcoming")]
    assert {i["plan_id"] for i in items} == {plan["id"]}
    assert items[1]["state"]["label"] == "未完成"
    assert items[0]["inspection_id"] == str(inspection.id)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("from=2026-03-10&to=2026-03-01", {"to": "结束日期不能早于开始日期。"}),
        ("from=2026-01-01&to=2026-03-10", {"to": "日历区间不能超过 62 天。"}),
        ("from=2026-13-01&to=2026-03-10", {"from": "应为日期（YYYY-MM-DD）。"}),
    ],
)
def test_a_bad_calendar_period_is_a_field_error(client, officer, hc, query, expected):
    response = client.get(f"/api/v1/enterprises/{hc}/task-calendar?{query}", headers=officer)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert {e["field"]: e["message"] for e in response.get_json()["errors"]} == expected


def test_another_enterprises_calendar_is_not_found(client, login_as, hc):
    response = client.get(
        f"/api/v1/enterprises/{hc}/task-calendar?from=2026-03-10&to=2026-03-14",
        headers=login_as("head-con"),
    )
    assert response.status_code == 404
