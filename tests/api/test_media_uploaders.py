"""Who besides the enterprise's staff uploads photos: auditors with an open audit run on it and
regulator staff with an open patrol of it; the read areas of an auditor's engagement."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core import clock
from anxun.core.audit import AuditEntry
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Media
from anxun.orgs.models import Engagement
from anxun.oversight.models import Patrol
from tests.factories_media import make_jpeg, upload

NOT_FOUND = "/problems/not-found"
FORBIDDEN = "/problems/forbidden"


@pytest.fixture(autouse=True)
def folders(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    app.config["ANXUN_SIGNING_DIR"] = str(tmp_path / "signing")


def _uploads(app) -> int:
    with app.app_context():
        media = db.session.scalar(select(func.count()).select_from(Media))
        audited = db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "upload_media")
        )
    assert media == audited
    return media


def _open_run(client, world, headers, key="hc") -> int:
    body = {
        "engagement_id": world["engagement"],
        "enterprise_id": world["enterprise"][key],
        "title": "年度审核",
    }
    response = client.post("/api/v1/audit-runs", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _open_patrol(client, world, headers, key="hc") -> int:
    body = {"enterprise_id": world["enterprise"][key], "mode": "online"}
    response = client.post("/api/v1/patrols", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _problem(response, status, problem_type):
    assert response.status_code == status, response.get_json()
    assert response.content_type == "application/problem+json"
    assert response.get_json()["type"] == problem_type


# --- auditors -------------------------------------------------------------------------------


def test_an_auditor_uploads_for_an_enterprise_with_an_open_run(app, client, world, login_as):
    auditor = login_as("auditor")
    hc = world["enterprise"]["hc"]
    _problem(upload(client, auditor, make_jpeg(), enterprise_id=hc), 403, FORBIDDEN)
    assert _uploads(app) == 0

    _open_run(client, world, auditor)
    response = upload(client, auditor, make_jpeg(), enterprise_id=hc)
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        stored = db.session.get(Media, uuid.UUID(response.get_json()["id"]))
        assert (stored.enterprise_id, stored.uploaded_by_user_id) == (
            hc,
            world["users"]["auditor"],
        )
    # The run is on hc only: dust is engaged but has no open run.
    dust = upload(client, auditor, make_jpeg(), enterprise_id=world["enterprise"]["dust"])
    _problem(dust, 403, FORBIDDEN)
    # An enterprise outside the engagement stays invisible.
    con = upload(client, auditor, make_jpeg(), enterprise_id=world["enterprise"]["con"])
    _problem(con, 404, NOT_FOUND)
    assert _uploads(app) == 1


def test_the_auditors_photo_serves_a_finding_of_the_run(app, client, world, login_as):
    auditor = login_as("auditor")
    run_id = _open_run(client, world, auditor)
    photo = upload(client, auditor, make_jpeg(), enterprise_id=world["enterprise"]["hc"])
    photo_id = photo.get_json()["id"]
    response = client.post(
        f"/api/v1/audit-runs/{run_id}/findings",
        json={"title": "静电接地未检测", "media_ids": [photo_id]},
        headers=auditor,
    )
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        hazard = db.session.get(Hazard, uuid.UUID(response.get_json()["id"]))
        assert (hazard.media_ids, hazard.audit_run_id) == ([photo_id], run_id)
    shown = client.get(f"/api/v1/media/{photo_id}/thumb", headers=login_as("head-hc"))
    assert shown.status_code == 200


def test_a_signed_run_no_longer_admits_uploads(app, client, world, login_as):
    auditor = login_as("auditor")
    run_id = _open_run(client, world, auditor)
    sign = client.post(
        f"/api/v1/audit-runs/{run_id}/signature",
        json={"conclusion": "基本符合要求。", "expected_state": "open"},
        headers=auditor,
    )
    assert sign.status_code == 200, sign.get_json()
    response = upload(client, auditor, make_jpeg(), enterprise_id=world["enterprise"]["hc"])
    _problem(response, 403, FORBIDDEN)
    assert _uploads(app) == 0


def test_outside_the_engagement_window_an_open_run_does_not_help(
    app, client, world, login_as, frozen_clock
):
    auditor = login_as("auditor")
    _open_run(client, world, auditor)
    with app.app_context():
        valid_to = db.session.get(Engagement, world["engagement"]).valid_to
    frozen_clock(datetime.combine(valid_to + timedelta(days=1), datetime.min.time(), UTC))
    response = upload(client, auditor, make_jpeg(), enterprise_id=world["enterprise"]["hc"])
    _problem(response, 404, NOT_FOUND)
    assert _uploads(app) == 0


# --- regulators -----------------------------------------------------------------------------


def test_a_regulator_uploads_while_a_patrol_of_the_enterprise_is_open(app, client, world, login_as):
    regulator = login_as("regulator")
    hc = world["enterprise"]["hc"]
    _problem(upload(client, regulator, make_jpeg(), enterprise_id=hc), 403, FORBIDDEN)

    patrol_id = _open_patrol(client, world, regulator)
    response = upload(client, regulator, make_jpeg(), enterprise_id=hc)
    assert response.status_code == 201, response.get_json()
    photo_id = response.get_json()["id"]
    # A colleague of the same bureau may add photos too; another bureau cannot see hc at all.
    colleague = upload(client, login_as("regulator-admin"), make_jpeg(), enterprise_id=hc)
    assert colleague.status_code == 201, colleague.get_json()
    other = upload(client, login_as("regulator-con"), make_jpeg(), enterprise_id=hc)
    _problem(other, 404, NOT_FOUND)
    # The patrol is on hc only.
    dust = upload(client, regulator, make_jpeg(), enterprise_id=world["enterprise"]["dust"])
    _problem(dust, 403, FORBIDDEN)

    finding = client.post(
        f"/api/v1/patrols/{patrol_id}/findings",
        json={
            "id": str(uuid.uuid4()),
            "title": "储罐区可燃气体报警器未检定",
            "description": "",
            "basis": [{"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}],
            "proposed_level": "general",
            "deadline": (clock.today_local() + timedelta(days=25)).isoformat(),
            "media_ids": [photo_id],
        },
        headers=regulator,
    )
    assert finding.status_code == 201, finding.get_json()
    assert finding.get_json()["media_ids"] == [photo_id]
    with app.app_context():
        hazard = db.session.get(Hazard, uuid.UUID(finding.get_json()["hazard_id"]))
        assert (hazard.source, hazard.media_ids) == ("regulator", [photo_id])
    assert _uploads(app) == 2


@pytest.mark.parametrize("state", ["submitted", "closed"])
def test_a_patrol_no_longer_open_admits_no_uploads(app, client, world, login_as, state):
    regulator = login_as("regulator")
    patrol_id = _open_patrol(client, world, regulator)
    with app.app_context():
        patrol = db.session.get(Patrol, patrol_id)
        patrol.state = state
        patrol.submitted_at = patrol.opened_at
        patrol.closed_at = patrol.opened_at if state == "closed" else None
        db.session.commit()
    response = upload(client, regulator, make_jpeg(), enterprise_id=world["enterprise"]["hc"])
    _problem(response, 403, FORBIDDEN)
    assert _uploads(app) == 0


def test_staff_upload_is_unchanged_by_runs_and_patrols(app, client, world, login_as):
    _open_run(client, world, login_as("auditor"))
    _open_patrol(client, world, login_as("regulator"))
    officer = login_as("officer-hc")
    assert upload(client, officer, make_jpeg()).status_code == 201
    con = upload(client, officer, make_jpeg(), enterprise_id=world["enterprise"]["con"])
    _problem(con, 404, NOT_FOUND)
    admin = upload(client, login_as("admin"), make_jpeg(), enterprise_id=world["enterprise"]["hc"])
    _problem(admin, 403, FORBIDDEN)
    assert _uploads(app) == 1


# --- read areas of an auditor's engagement ---------------------------------------------------


def _set_scope(app, world, scope):
    with app.app_context():
        db.session.get(Engagement, world["engagement"]).scope = scope
        db.session.commit()


def _planning_urls(app, world) -> dict[str, str]:
    from anxun.core import clock
    from tests.factories_planning import make_place, make_plan

    hc = world["enterprise"]["hc"]
    with app.app_context():
        place = make_place(hc, name="罐区巡检点")
        plan = make_plan(hc, [place], anchor_at=clock.now())
        db.session.commit()
        ids = {"place": place.id, "token": place.qr_token, "plan": plan.id}
    return {
        "places": f"/api/v1/enterprises/{hc}/places",
        "place": f"/api/v1/places/{ids['place']}",
        "token": f"/api/v1/places/by-token/{ids['token']}",
        "labels": f"/api/v1/enterprises/{hc}/places/labels.pdf",
        "plans": f"/api/v1/enterprises/{hc}/plans",
        "plan": f"/api/v1/plans/{ids['plan']}",
        "stops": f"/api/v1/enterprises/{hc}/stop-periods",
        "tasks": f"/api/v1/tasks?due=week&enterprise_id={hc}",
        "rate": f"/api/v1/enterprises/{hc}/operation-rate?from=2026-11-01&to=2026-11-24",
    }


@pytest.mark.parametrize(
    ("scope", "photos", "planning"),
    [
        (["inspections", "hazards", "risk", "documents"], 200, 200),
        (["inspections"], 200, 200),
        (["hazards"], 200, 404),
        (["risk", "documents"], 404, 404),
    ],
)
def test_scope_areas_gate_photos_and_planning(
    app, client, world, login_as, scope, photos, planning
):
    photo = upload(client, login_as("officer-hc"), make_jpeg()).get_json()
    urls = _planning_urls(app, world)
    _set_scope(app, world, scope)
    auditor = login_as("auditor")
    for url in (photo["url"], photo["thumb_url"]):
        response = client.get(url, headers=auditor)
        assert response.status_code == photos, url
        if photos == 404:
            assert response.get_json()["detail"] == "未找到该照片，或您无权查看。"
    for key, url in urls.items():
        response = client.get(url, headers=auditor)
        assert response.status_code == planning, (key, response.get_json())
        if planning == 404:
            assert response.get_json()["type"] == NOT_FOUND
    # Staff and regulators are not affected by an agency's scope.
    for username in ("head-hc", "regulator"):
        assert client.get(photo["url"], headers=login_as(username)).status_code == 200
        assert client.get(urls["places"], headers=login_as(username)).status_code == 200


def test_an_auditor_patrolling_for_a_regulator_uploads_until_the_patrol_is_submitted(
    app, client, world, login_as
):
    auditor = login_as("auditor")
    hc = world["enterprise"]["hc"]
    _problem(upload(client, auditor, make_jpeg(), enterprise_id=hc), 403, FORBIDDEN)

    patrol_id = _open_patrol(client, world, auditor)
    response = upload(client, auditor, make_jpeg(), enterprise_id=hc)
    assert response.status_code == 201, response.get_json()
    finding = client.post(
        f"/api/v1/patrols/{patrol_id}/findings",
        json={
            "id": str(uuid.uuid4()),
            "title": "动火作业票未按规定审批",
            "description": "",
            "basis": [{"document": "GB 30871-2022", "clause": "5.2"}],
            "proposed_level": "general",
            "media_ids": [response.get_json()["id"]],
        },
        headers=auditor,
    )
    assert finding.status_code == 201, finding.get_json()
    assert finding.get_json()["state"]["code"] == "proposed"

    submitted = client.post(
        f"/api/v1/patrols/{patrol_id}/submission",
        json={"expected_state": "open"},
        headers=auditor,
    )
    assert submitted.status_code == 200, submitted.get_json()
    _problem(upload(client, auditor, make_jpeg(), enterprise_id=hc), 403, FORBIDDEN)
    assert _uploads(app) == 1
