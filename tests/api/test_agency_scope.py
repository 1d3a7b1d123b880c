"""Every read of an agency goes through its engagement's scope areas; auditors get no phones."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from anxun.core import clock
from anxun.extensions import db
from anxun.incidents import services as incidents
from anxun.orgs.models import Engagement
from tests.factories_grading import make_enforcement
from tests.factories_hazards import actor
from tests.factories_riskmap import make_place

PHONES = {"head_phone": "13805740101", "safety_head_phone": "13805740102"}


def _hc_records(app, world) -> dict:
    """A place (for its risk card), an incident and an 约谈 record of hc."""
    hc = world["enterprise"]["hc"]
    with app.app_context():
        place = make_place(hc)
        incident, _ = incidents.report_incident(
            actor("officer-hc"),
            {
                "id": uuid.uuid4(),
                "enterprise_id": hc,
                "occurred_at": clock.now() - timedelta(minutes=10),
                "location": "液氨罐区",
                "category": "other_injury",
                "title": "罐区扭伤",
                "report": {
                    "id": uuid.uuid4(),
                    "deaths": 0,
                    "injuries": 1,
                    "missing": 0,
                    "description": "巡检扭伤",
                    "measures": "",
                },
            },
        )
        record = make_enforcement(
            hc, world["regulator"], world["users"]["regulator"], "interview", clock.today_local()
        )
        ids = {"place": place.id, "incident": str(incident.id), "record": record.id}
        db.session.commit()
    return ids


def _set_scope(app, scope: list[str]) -> None:
    with app.app_context():
        db.session.scalar(select(Engagement)).scope = scope
        db.session.commit()


def _reads(client, headers, world, ids) -> dict:
    hc = world["enterprise"]["hc"]
    urls = {
        "risk_card": f"/api/v1/places/{ids['place']}/risk-card.pdf",
        "oversight": f"/api/v1/oversight/enterprises/{hc}",
        "feed": f"/api/v1/oversight/enterprises/{hc}/inspections",
        "incident": f"/api/v1/incidents/{ids['incident']}",
    }
    codes = {key: client.get(url, headers=headers).status_code for key, url in urls.items()}
    incidents_listed = client.get("/api/v1/incidents", headers=headers).get_json()["items"]
    records = client.get("/api/v1/enforcement-records", headers=headers).get_json()["items"]
    codes["incident_listed"] = [i["id"] for i in incidents_listed] == [ids["incident"]]
    codes["record_listed"] = [r["id"] for r in records] == [ids["record"]]
    return codes


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (
            ["inspections"],
            {"risk_card": 404, "oversight": 404, "feed": 200, "incident": 404},
        ),
        (
            ["hazards"],
            {"risk_card": 404, "oversight": 404, "feed": 404, "incident": 200},
        ),
        (
            ["risk"],
            {"risk_card": 200, "oversight": 404, "feed": 404, "incident": 404},
        ),
        (
            ["inspections", "hazards", "risk"],
            {"risk_card": 200, "oversight": 200, "feed": 200, "incident": 200},
        ),
    ],
)
def test_an_auditor_reads_only_the_areas_the_engagement_scope_names(
    app, client, world, login_as, scope, expected
):
    ids = _hc_records(app, world)
    _set_scope(app, scope)
    codes = _reads(client, login_as("auditor"), world, ids)
    assert {k: codes[k] for k in expected} == expected
    # Incidents and enforcement records (the 约谈 behind the grade's veto) are hazard data.
    assert codes["incident_listed"] is ("hazards" in scope)
    assert codes["record_listed"] is ("hazards" in scope)


def test_out_of_scope_reads_are_not_found_problems(app, client, world, login_as):
    ids = _hc_records(app, world)
    _set_scope(app, ["inspections"])
    response = client.get(f"/api/v1/incidents/{ids['incident']}", headers=login_as("auditor"))
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.get_json()["type"] == "/problems/not-found"


def test_the_regulator_still_reads_everything_of_hc(app, client, world, login_as):
    ids = _hc_records(app, world)
    _set_scope(app, ["inspections"])
    codes = _reads(client, login_as("regulator"), world, ids)
    assert codes == {
        "risk_card": 200,
        "oversight": 200,
        "feed": 200,
        "incident": 200,
        "incident_listed": True,
        "record_listed": True,
    }


# --- contact phones ----------------------------------------------------------------------------


def test_auditors_get_no_phones_from_the_enterprise_record(client, world, login_as):
    hc = world["enterprise"]["hc"]
    auditor = login_as("auditor")
    one = client.get(f"/api/v1/enterprises/{hc}", headers=auditor).get_json()
    assert one["head_name"] == "周立新"
    assert (one["head_phone"], one["safety_head_phone"]) == (None, None)
    listed = client.get("/api/v1/enterprises", headers=auditor).get_json()["items"]
    assert {e["id"] for e in listed} == {hc, world["enterprise"]["dust"]}
    assert all(e["head_phone"] is None and e["safety_head_phone"] is None for e in listed)
    text = client.get("/api/v1/enterprises", headers=auditor).get_data(as_text=True)
    assert not any(phone in text for phone in PHONES.values())


@pytest.mark.parametrize("username", ["regulator", "head-hc", "officer-hc", "admin"])
def test_regulators_staff_and_admins_still_get_the_phones(client, world, login_as, username):
    hc = world["enterprise"]["hc"]
    one = client.get(f"/api/v1/enterprises/{hc}", headers=login_as(username)).get_json()
    assert {k: one[k] for k in PHONES} == PHONES


def test_reading_the_record_does_not_erase_the_phones(app, client, world, login_as):
    hc = world["enterprise"]["hc"]
    client.get(f"/api/v1/enterprises/{hc}", headers=login_as("auditor"))
    client.get("/api/v1/enterprises", headers=login_as("auditor"))
    one = client.get(f"/api/v1/enterprises/{hc}", headers=login_as("regulator")).get_json()
    assert {k: one[k] for k in PHONES} == PHONES
