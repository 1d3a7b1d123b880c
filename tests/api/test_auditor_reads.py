"""The engagement gate (enterprises, window, scope areas) and the auditors' read log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from anxun.audits.models import AuditorRead
from anxun.extensions import db
from anxun.orgs.models import Engagement
from tests.factories_hazards import make_hazard


def _hazards(app, *keys):
    with app.app_context():
        ids = {key: str(make_hazard(key).id) for key in keys}
        db.session.commit()
    return ids


def _reads(app):
    with app.app_context():
        rows = db.session.scalars(select(AuditorRead).order_by(AuditorRead.id)).all()
        return [(r.enterprise_id, r.method, r.path, r.user_id, r.engagement_id) for r in rows]


def _set_engagement(app, **values):
    with app.app_context():
        engagement = db.session.scalar(select(Engagement))
        for key, value in values.items():
            setattr(engagement, key, value)
        db.session.commit()


# --- the gate --------------------------------------------------------------------------------


def test_auditor_sees_only_enterprises_of_the_engagement(app, client, world, login_as):
    hazards = _hazards(app, "hc", "dust", "con")
    auditor = login_as("auditor")

    listed = client.get("/api/v1/hazards", headers=auditor).get_json()["items"]
    assert {h["enterprise_id"] for h in listed} == {
        world["enterprise"]["hc"],
        world["enterprise"]["dust"],
    }
    assert client.get(f"/api/v1/hazards/{hazards['hc']}", headers=auditor).status_code == 200
    response = client.get(f"/api/v1/hazards/{hazards['con']}", headers=auditor)
    assert response.status_code == 404
    assert response.get_json()["type"] == "/problems/not-found"
    con = world["enterprise"]["con"]
    assert client.get(f"/api/v1/enterprises/{con}", headers=auditor).status_code == 404


def test_outside_the_window_the_auditor_sees_nothing(app, client, world, login_as, frozen_clock):
    hazards = _hazards(app, "hc")
    auditor = login_as("auditor")
    with app.app_context():
        valid_to = db.session.scalar(select(Engagement.valid_to))
    # The day after valid_to, Beijing time.
    frozen_clock(datetime.combine(valid_to + timedelta(days=1), datetime.min.time(), UTC))
    hc = world["enterprise"]["hc"]
    assert client.get(f"/api/v1/hazards/{hazards['hc']}", headers=auditor).status_code == 404
    assert client.get(f"/api/v1/enterprises/{hc}", headers=auditor).status_code == 404
    assert client.get("/api/v1/hazards", headers=auditor).get_json()["items"] == []
    assert _reads(app) == []


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (["hazards"], {"hazard": 200, "inspections": 0, "register": 404, "ledger": 404}),
        (["inspections", "risk"], {"hazard": 404, "inspections": None, "register": 200}),
        (["documents"], {"hazard": 404, "ledger": 200, "register": 404}),
    ],
)
def test_scope_areas_gate_each_data_area(app, client, world, login_as, scope, expected):
    hazards = _hazards(app, "hc")
    _set_engagement(app, scope=scope)
    auditor = login_as("auditor")
    hc = world["enterprise"]["hc"]
    urls = {
        "hazard": f"/api/v1/hazards/{hazards['hc']}",
        "register": f"/api/v1/enterprises/{hc}/risk-register",
        "ledger": f"/api/v1/enterprises/{hc}/hazard-ledger.xlsx",
    }
    for key, url in urls.items():
        if key in expected:
            assert client.get(url, headers=auditor).status_code == expected[key], key
    if "inspections" in expected:
        response = client.get(f"/api/v1/inspections?enterprise_id={hc}", headers=auditor)
        assert response.status_code == 200
        if expected["inspections"] == 0:
            assert response.get_json()["items"] == []
    listed = client.get("/api/v1/hazards", headers=auditor).get_json()["items"]
    assert bool(listed) == ("hazards" in scope)


def test_auditors_cannot_write_enterprise_data(app, client, world, login_as):
    hazards = _hazards(app, "hc")
    response = client.post(
        f"/api/v1/hazards/{hazards['hc']}/transitions",
        json={"action": "reject", "expected_state": "reported", "note": "x"},
        headers=login_as("auditor"),
    )
    assert response.status_code == 403


# --- the read log ----------------------------------------------------------------------------


def test_every_auditor_read_leaves_one_row_per_enterprise(app, client, world, login_as):
    hazards = _hazards(app, "hc", "dust", "con")
    auditor = login_as("auditor")
    hc, dust = world["enterprise"]["hc"], world["enterprise"]["dust"]
    user = world["users"]["auditor"]
    engagement = world["engagement"]

    assert client.get("/api/v1/hazards?limit=50", headers=auditor).status_code == 200
    assert client.get(f"/api/v1/hazards/{hazards['dust']}", headers=auditor).status_code == 200
    assert client.get(f"/api/v1/hazards/{hazards['con']}", headers=auditor).status_code == 404
    ledger = client.get(f"/api/v1/enterprises/{hc}/hazard-ledger.pdf", headers=auditor)
    assert ledger.status_code == 200
    assert ledger.data.startswith(b"%PDF")

    assert _reads(app) == [
        (hc, "GET", "/api/v1/hazards?limit=50", user, engagement),
        (dust, "GET", "/api/v1/hazards?limit=50", user, engagement),
        (dust, "GET", f"/api/v1/hazards/{hazards['dust']}", user, engagement),
        (hc, "GET", f"/api/v1/enterprises/{hc}/hazard-ledger.pdf", user, engagement),
    ]


def test_reads_by_regulators_and_staff_are_not_logged(app, client, world, login_as):
    hazards = _hazards(app, "hc")
    for username in ("regulator", "officer-hc", "admin"):
        headers = login_as(username)
        assert client.get("/api/v1/hazards", headers=headers).status_code == 200
        assert client.get(f"/api/v1/hazards/{hazards['hc']}", headers=headers).status_code == 200
    assert _reads(app) == []


def _log(client, headers, query=""):
    return client.get(f"/api/v1/auditor-reads{query}", headers=headers)


def test_the_read_log_is_visible_to_the_enterprise_and_the_commissioning_party(
    app, client, world, login_as
):
    hazards = _hazards(app, "hc", "dust")
    auditor = login_as("auditor")
    client.get(f"/api/v1/hazards/{hazards['hc']}", headers=auditor)
    client.get(f"/api/v1/hazards/{hazards['dust']}", headers=auditor)
    hc, dust = world["enterprise"]["hc"], world["enterprise"]["dust"]

    def enterprises(username, query=""):
        response = _log(client, login_as(username), query)
        assert response.status_code == 200, response.get_json()
        return sorted(r["enterprise_id"] for r in response.get_json()["items"])

    assert enterprises("head-hc") == [hc]
    assert enterprises("officer-hc") == [hc]
    assert enterprises("regulator") == sorted([hc, dust])
    assert enterprises("regulator", f"?enterprise_id={dust}") == [dust]
    assert enterprises("auditor") == sorted([hc, dust])
    assert enterprises("admin", f"?engagement_id={world['engagement']}") == sorted([hc, dust])
    assert enterprises("head-con") == []
    assert enterprises("regulator-con") == []

    row = _log(client, login_as("head-hc")).get_json()["items"][0]
    assert row["user_name"] == "黄明辉"
    assert row["path"] == f"/api/v1/hazards/{hazards['hc']}"
    assert row["subject"] == "查看 隐患"  # what people read in the log (issue #13)
    assert row["agency_name"]

    assert _log(client, login_as("rectifier-hc")).status_code == 403
    assert _log(client, login_as("head-hc"), f"?enterprise_id={dust}").status_code == 404
    assert _log(client, login_as("head-con"), f"?enterprise_id={hc}").status_code == 404
    assert _log(client, login_as("regulator-con"), f"?enterprise_id={hc}").status_code == 404
