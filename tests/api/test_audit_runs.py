"""Audit runs: opening, the auditor's inspections and findings, signing and the signed report."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from anxun.audits.models import AgencyCertificate, AuditorRead, AuditRun
from anxun.audits.report import audit_report_context
from anxun.core import clock
from anxun.core.audit import AuditEntry
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Inspection
from anxun.outbox.models import OutboxEvent
from anxun.reports import documents
from tests.inspection_helpers import items_of, payload, upload_photo


@pytest.fixture(autouse=True)
def folders(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    app.config["ANXUN_SIGNING_DIR"] = str(tmp_path / "signing")


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _open(client, world, headers, key="hc", **extra):
    body = {
        "engagement_id": world["engagement"],
        "enterprise_id": world["enterprise"][key],
        "title": "第四季度审核",
        "scope": "罐区",
        "method": "现场检查",
        **extra,
    }
    return client.post("/api/v1/audit-runs", json=body, headers=headers)


def test_an_auditor_opens_a_run_of_an_engaged_enterprise(app, client, world, login_as):
    response = _open(client, world, login_as("auditor"))
    assert response.status_code == 201, response.get_json()
    run = response.get_json()
    assert run["state"] == {"code": "open", "label": "进行中"}
    assert run["enterprise_id"] == world["enterprise"]["hc"]
    assert run["agency_id"] == world["agency"]
    assert run["opened_by"] == "黄明辉"


@pytest.mark.parametrize(
    ("who", "extra", "status", "fields"),
    [
        ("auditor", {"key": "con"}, 422, ["enterprise_id"]),
        ("auditor", {"engagement_id": 999999}, 422, ["engagement_id"]),
        ("auditor", {"title": ""}, 422, ["title"]),
        ("auditor", {"unknown": 1}, 422, ["unknown"]),
        ("regulator", {}, 403, []),
        ("head-hc", {}, 403, []),
    ],
)
def test_bad_run_requests_write_nothing(app, client, world, login_as, who, extra, status, fields):
    extra = dict(extra)
    key = extra.pop("key", "hc")
    before = _count(app, AuditEntry)
    response = _open(client, world, login_as(who), key=key, **extra)
    assert response.status_code == status, response.get_json()
    assert response.content_type == "application/problem+json"
    assert [e["field"] for e in response.get_json().get("errors", [])] == fields
    assert _count(app, AuditRun) == 0
    assert _count(app, AuditEntry) == before


def test_runs_are_visible_to_agency_enterprise_and_commissioning_regulator(
    app, client, world, login_as
):
    run_id = _open(client, world, login_as("auditor")).get_json()["id"]
    for username in ("auditor", "regulator", "head-hc", "officer-hc", "admin"):
        listed = client.get("/api/v1/audit-runs", headers=login_as(username)).get_json()
        assert [r["id"] for r in listed["items"]] == [run_id], username
        detail = client.get(f"/api/v1/audit-runs/{run_id}", headers=login_as(username))
        assert detail.status_code == 200
    for username in ("head-con", "regulator-con"):
        listed = client.get("/api/v1/audit-runs", headers=login_as(username)).get_json()
        assert listed["items"] == []
        detail = client.get(f"/api/v1/audit-runs/{run_id}", headers=login_as(username))
        assert detail.status_code == 404


def test_auditor_inspection_in_a_run_raises_agency_hazards(app, client, world, login_as):
    auditor, officer = login_as("auditor"), login_as("officer-hc")
    run_id = _open(client, world, auditor).get_json()["id"]
    checklist = client.get("/api/v1/checklists/hazardous-chemicals", headers=auditor).get_json()
    failed = next(
        i for i in items_of(checklist["document"]) if i["answer"]["type"] == "pass_fail_na"
    )
    photo = upload_photo(client, officer)
    body = payload(
        checklist,
        failures={failed["id"]: [photo]},
        enterprise_id=world["enterprise"]["hc"],
        audit_run_id=run_id,
    )
    response = client.post("/api/v1/inspections", json=body, headers=auditor)
    assert response.status_code == 201, response.get_json()
    view = client.get(f"/api/v1/inspections/{body['id']}", headers=auditor).get_json()
    assert view["source"] == {"code": "agency", "label": "第三方审核"}
    with app.app_context():
        inspection = db.session.get(Inspection, uuid.UUID(response.get_json()["id"]))
        assert inspection.audit_run_id == run_id
        hazards = db.session.scalars(select(Hazard).where(Hazard.inspection_id == inspection.id))
        assert [(h.source, h.item_id, h.state) for h in hazards] == [
            ("agency", failed["id"], "reported")
        ]

    # Without a run the auditor still cannot submit for the enterprise.
    plain = payload(checklist, enterprise_id=world["enterprise"]["hc"])
    assert client.post("/api/v1/inspections", json=plain, headers=auditor).status_code == 403
    # A run is the auditor's own: the enterprise's officer sees it but cannot use it.
    borrowed = payload(checklist, enterprise_id=world["enterprise"]["hc"], audit_run_id=run_id)
    assert client.post("/api/v1/inspections", json=borrowed, headers=officer).status_code == 403

    detail = client.get(f"/api/v1/audit-runs/{run_id}", headers=login_as("regulator")).get_json()
    assert [i["id"] for i in detail["inspections"]] == [str(inspection.id)]
    assert [f["item_id"] for f in detail["findings"]] == [failed["id"]]
    # People read the item's wording and the state's label, never the bare codes (issue #13).
    assert [f["item_text"] for f in detail["findings"]] == [failed["text"]]
    assert [f["state"] for f in detail["findings"]] == [{"code": "reported", "label": "已上报"}]
    with app.app_context():
        run = db.session.get(AuditRun, run_id)
        shown = audit_report_context(run, "签署人", documents.media_root())["findings"]
        assert [(f["item_text"], f["item_id"], f["state"]) for f in shown] == [
            (failed["text"], failed["id"], "已上报")
        ]


def test_a_finding_becomes_an_agency_hazard_the_enterprise_confirms(app, client, world, login_as):
    auditor = login_as("auditor")
    run_id = _open(client, world, auditor).get_json()["id"]
    response = client.post(
        f"/api/v1/audit-runs/{run_id}/findings",
        json={"title": "应急预案未演练", "basis": "《生产安全事故应急条例》第八条"},
        headers=auditor,
    )
    assert response.status_code == 201, response.get_json()
    hazard_id = response.get_json()["id"]
    assert response.get_json()["source"] == "agency"
    detail = client.get(f"/api/v1/audit-runs/{run_id}", headers=auditor).get_json()
    assert [f["id"] for f in detail["findings"]] == [hazard_id]
    confirm = client.post(
        f"/api/v1/hazards/{hazard_id}/transitions",
        json={
            "action": "confirm",
            "expected_state": "reported",
            "level": "general",
            "category": "management",
            "deadline": (clock.today_local() + timedelta(days=30)).isoformat(),
        },
        headers=login_as("head-hc"),
    )
    assert confirm.status_code in (200, 201), confirm.get_json()
    refused = client.post(
        f"/api/v1/audit-runs/{run_id}/findings",
        json={"title": "x"},
        headers=login_as("regulator"),
    )
    assert refused.status_code == 403


def _sign(client, run_id, headers, expected_state="open"):
    return client.post(
        f"/api/v1/audit-runs/{run_id}/signature",
        json={"conclusion": "基本符合要求，发现一般隐患1项。", "expected_state": expected_state},
        headers=headers,
    )


def test_signing_stores_the_report_and_closes_the_run(app, client, world, login_as, tmp_path):
    auditor = login_as("auditor")
    run_id = _open(client, world, auditor).get_json()["id"]
    client.post(f"/api/v1/audit-runs/{run_id}/findings", json={"title": "问题一"}, headers=auditor)

    assert _sign(client, run_id, auditor, expected_state="signed").status_code == 409
    assert _sign(client, run_id, login_as("regulator")).status_code == 403
    response = _sign(client, run_id, auditor)
    assert response.status_code == 200, response.get_json()
    signed = response.get_json()
    assert signed["state"]["code"] == "signed"

    with app.app_context():
        run = db.session.get(AuditRun, run_id)
        certificate = db.session.scalar(select(AgencyCertificate))
        assert run.signer_fingerprint == certificate.fingerprint_sha256
        key = tmp_path / "signing" / certificate.key_path
        assert key.stat().st_mode & 0o777 == 0o600
        stored = (tmp_path / "signing" / run.report_path).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == run.report_sha256 == signed["report_sha256"]
        events = db.session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == "audit_report_signed")
        ).all()
        assert [e.aggregate_id for e in events] == [str(run_id)]

    # Read-only from now on.
    assert _sign(client, run_id, auditor).status_code == 409
    late = client.post(
        f"/api/v1/audit-runs/{run_id}/findings", json={"title": "补充"}, headers=auditor
    )
    assert late.status_code == 409

    for username in ("regulator", "auditor", "head-hc"):
        pdf = client.get(f"/api/v1/audit-runs/{run_id}/report.pdf", headers=login_as(username))
        assert pdf.status_code == 200
        assert pdf.data == stored
    check = client.get(f"/api/v1/audit-runs/{run_id}/verification", headers=login_as("regulator"))
    assert check.get_json()["ok"] is True
    assert check.get_json()["sha256_matches"] is True

    # The auditor's download is a logged read of the enterprise.
    paths = _reads_paths(app)
    assert f"/api/v1/audit-runs/{run_id}/report.pdf" in paths


def _reads_paths(app):
    with app.app_context():
        return [r.path for r in db.session.scalars(select(AuditorRead))]


def test_a_changed_stored_report_is_refused(app, client, world, login_as, tmp_path):
    auditor = login_as("auditor")
    run_id = _open(client, world, auditor).get_json()["id"]
    assert _sign(client, run_id, auditor).status_code == 200
    with app.app_context():
        path = tmp_path / "signing" / db.session.get(AuditRun, run_id).report_path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    response = client.get(f"/api/v1/audit-runs/{run_id}/report.pdf", headers=login_as("regulator"))
    assert response.status_code == 409
    assert response.get_json()["type"] == "/problems/tampered-report"
    check = client.get(f"/api/v1/audit-runs/{run_id}/verification", headers=auditor).get_json()
    assert check["ok"] is False
    assert check["sha256_matches"] is False


def test_an_agency_sees_runs_of_every_valid_engagement_on_an_enterprise(
    app, client, world, login_as
):
    from anxun.orgs.models import Engagement, EngagementEnterprise

    with app.app_context():
        first = db.session.get(Engagement, world["engagement"])
        second = Engagement(
            agency_id=first.agency_id,
            commissioned_by="regulator",
            regulator_id=first.regulator_id,
            title="重大危险源专项评估",
            scope=list(first.scope),
            valid_from=first.valid_from,
            valid_to=first.valid_to,
        )
        db.session.add(second)
        db.session.flush()
        db.session.add(
            EngagementEnterprise(engagement_id=second.id, enterprise_id=world["enterprise"]["hc"])
        )
        db.session.commit()
        second_id = second.id
    auditor = login_as("auditor")
    runs = [
        _open(client, world, auditor).get_json()["id"],
        _open(client, world, auditor, engagement_id=second_id).get_json()["id"],
    ]
    listed = client.get("/api/v1/audit-runs", headers=auditor).get_json()
    assert sorted(r["id"] for r in listed["items"]) == sorted(runs)
    assert client.get(f"/api/v1/audit-runs/{runs[1]}", headers=auditor).status_code == 200
