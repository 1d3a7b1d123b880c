"""docs/api.md over real responses: times are RFC 3339 in UTC with their offset, money is two-place
decimal text, wherever a value sits in the body (schema fields and free-form dicts alike)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tests.factories_planning import local, place_payload, plan_payload
from tests.inspection_helpers import payload, upload_photo

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10:00 in China
TIME_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00$")
HTTP_DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} ")
MONEY_KEYS = {"funds", "funds_total", "direct_loss_estimate"}


@pytest.fixture(autouse=True)
def _frozen(frozen_clock):
    frozen_clock(NOW)


def strings(node, path=""):
    """(path, key, value) of every value in a JSON body."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}/{key}", key, value
            yield from strings(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, f"{path}/{index}")


def _is_wrong(key, value) -> bool:
    if key in MONEY_KEYS and value is not None:
        return not (isinstance(value, str) and re.fullmatch(r"\d+\.\d{2}", value))
    if not isinstance(value, str):
        return False
    return bool(HTTP_DATE.match(value)) or bool(
        TIME_LIKE.match(value) and not UTC_TIME.match(value)
    )


def offences(body) -> list[tuple[str, object]]:
    return [(where, value) for where, key, value in strings(body) if _is_wrong(key, value)]


def test_times_and_money_speak_one_language_across_the_main_reads(client, login_as, world):
    officer = login_as("officer-hc")
    hc = world["enterprise"]["hc"]
    place = client.post(f"/api/v1/enterprises/{hc}/places", json=place_payload(), headers=officer)
    plan = plan_payload(place_ids=[place.json["id"]], profile=None)
    assert client.post(f"/api/v1/enterprises/{hc}/plans", json=plan, headers=officer).status_code
    [task] = client.get("/api/v1/tasks?due=today", headers=officer).json["items"]
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).json
    item = detail["document"]["sections"][0]["items"][0]["id"]
    body = payload(
        detail,
        failures={item: [upload_photo(client, officer)]},
        task_occurrence_id=task["id"],
        started_at=local("2026-03-10 09:00").isoformat(),
        finished_at=local("2026-03-10 09:40").isoformat(),
    )
    receipt = client.post("/api/v1/inspections", json=body, headers=officer)
    assert receipt.status_code == 201, receipt.json
    [hazard] = receipt.json["hazards"]
    deadline = (date(2026, 3, 10) + timedelta(days=7)).isoformat()
    for action, state, fields in (
        ("confirm", "reported", {"level": "general", "category": "thing", "deadline": deadline}),
        (
            "plan",
            "confirmed",
            {
                "responsible_user_id": world["users"]["rectifier-hc"],
                "measures": "更换",
                "funds": 1200.5,
                "deadline": deadline,
                "contingency": "警戒",
            },
        ),
    ):
        step = {"action": action, "expected_state": state, **fields}
        answer = client.post(
            f"/api/v1/hazards/{hazard['id']}/transitions", json=step, headers=officer
        )
        assert answer.status_code == 200, answer.json

    reads = {
        "receipt": receipt.json,
        "inspection": client.get(f"/api/v1/inspections/{body['id']}", headers=officer).json,
        "hazard": client.get(f"/api/v1/hazards/{hazard['id']}", headers=officer).json,
        "hazards": client.get("/api/v1/hazards", headers=officer).json,
        "tasks": client.get("/api/v1/tasks?due=today", headers=officer).json,
        "calendar": client.get(
            f"/api/v1/enterprises/{hc}/task-calendar?from=2026-03-09&to=2026-03-11",
            headers=officer,
        ).json,
    }
    assert reads["hazard"]["funds"] == "1200.50"
    assert reads["hazard"]["history"][-1]["evidence"]["funds"] == "1200.50"
    assert reads["tasks"]["items"][0]["done_at"] is not None
    assert {name: offences(body) for name, body in reads.items()} == dict.fromkeys(reads, [])


def test_a_time_outside_any_schema_is_rfc3339_not_an_http_date(app):
    """Flask alone writes a datetime as "Tue, 10 Mar 2026 02:00:00 GMT"; ours writes RFC 3339 in
    UTC, as the schemas do."""
    china = timezone(timedelta(hours=8))
    body = {
        "aware": datetime(2026, 3, 10, 10, 0, tzinfo=china),
        "naive_utc": datetime(2026, 3, 10, 2, 0),
        "day": date(2026, 3, 10),
        "amount": Decimal("1200.50"),
    }
    assert app.json.loads(app.json.dumps(body)) == {
        "aware": "2026-03-10T02:00:00+00:00",
        "naive_utc": "2026-03-10T02:00:00+00:00",
        "day": "2026-03-10",
        "amount": "1200.50",
    }
    assert app.json.dumps({"name": "安巡"}) == '{"name": "安巡"}'


def test_a_schema_writes_an_instant_of_any_zone_in_utc(app):
    from marshmallow import fields

    from anxun.core.schemas import BaseSchema

    class Moment(BaseSchema):
        at = fields.DateTime()
        aware_at = fields.AwareDateTime()

    china = timezone(timedelta(hours=8))
    moment = {"at": datetime(2026, 3, 10, 10, 0, tzinfo=china), "aware_at": datetime(2026, 3, 10)}
    assert Moment().dump(moment) == {
        "at": "2026-03-10T02:00:00+00:00",
        "aware_at": "2026-03-10T00:00:00+00:00",
    }
