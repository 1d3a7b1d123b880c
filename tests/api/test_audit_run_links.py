"""An audit run's findings are the hazards carrying its id (hazard.audit_run_id), not the chain."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from anxun.audits.models import AuditRun
from anxun.audits.queries import run_findings
from anxun.core import audit
from anxun.core.audit import AuditEntry
from anxun.core.auth import SYSTEM
from anxun.extensions import db
from anxun.hazards.models import Hazard
from tests.factories_hazards import make_hazard
from tests.inspection_helpers import items_of, payload, upload_photo


@pytest.fixture(autouse=True)
def folders(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    app.config["ANXUN_SIGNING_DIR"] = str(tmp_path / "signing")


def _open_run(client, world, headers, key="hc") -> int:
    body = {
        "engagement_id": world["engagement"],
        "enterprise_id": world["enterprise"][key],
        "title": f"审核 {key}",
    }
    response = client.post("/api/v1/audit-runs", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _finding(client, run_id, headers, title="应急预案未演练") -> str:
    response = client.post(
        f"/api/v1/audit-runs/{run_id}/findings", json={"title": title}, headers=headers
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _inspect(client, world, auditor, run_id, key="hc") -> tuple[str, str]:
    """An auditor's inspection in the run with one failed item; returns (inspection, item)."""
    checklist = client.get("/api/v1/checklists/hazardous-chemicals", headers=auditor).get_json()
    failed = next(
        i for i in items_of(checklist["document"]) if i["answer"]["type"] == "pass_fail_na"
    )
    photo = upload_photo(client, auditor, enterprise_id=str(world["enterprise"][key]))
    body = payload(
        checklist,
        failures={failed["id"]: [photo]},
        enterprise_id=world["enterprise"][key],
        audit_run_id=run_id,
    )
    response = client.post("/api/v1/inspections", json=body, headers=auditor)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"], failed["id"]


def _hazards(app, *where):
    with app.app_context():
        rows = db.session.scalars(select(Hazard).where(*where).order_by(Hazard.reported_at))
        return [(str(h.id), h.source, h.audit_run_id, h.item_id) for h in rows]


def test_a_run_finding_carries_the_run_id_and_is_still_audited(app, client, world, login_as):
    auditor = login_as("auditor")
    run_id = _open_run(client, world, auditor)
    hazard_id = _finding(client, run_id, auditor)
    assert _hazards(app, Hazard.id == uuid.UUID(hazard_id)) == [(hazard_id, "agency", run_id, None)]
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry.change).where(
                AuditEntry.action == "record_audit_finding",
                AuditEntry.entity_id == str(run_id),
            )
        ).all()
    assert entries == [{"hazard_id": hazard_id}]


def test_hazards_raised_by_a_run_inspection_carry_the_run_id(app, client, world, login_as):
    auditor = login_as("auditor")
    run_id = _open_run(client, world, auditor)
    inspection_id, item_id = _inspect(client, world, auditor, run_id)
    rows = _hazards(app, Hazard.inspection_id == uuid.UUID(inspection_id))
    assert [(source, run, item) for _, source, run, item in rows] == [("agency", run_id, item_id)]
    detail = client.get(f"/api/v1/audit-runs/{run_id}", headers=auditor).get_json()
    assert [f["id"] for f in detail["findings"]] == [rows[0][0]]


def test_staff_inspections_and_direct_reports_are_not_linked(app, client, world, login_as):
    officer = login_as("officer-hc")
    checklist = client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).get_json()
    failed = next(
        i for i in items_of(checklist["document"]) if i["answer"]["type"] == "pass_fail_na"
    )
    photo = upload_photo(client, officer)
    body = payload(
        checklist, failures={failed["id"]: [photo]}, enterprise_id=world["enterprise"]["hc"]
    )
    assert client.post("/api/v1/inspections", json=body, headers=officer).status_code == 201
    with app.app_context():
        make_hazard("hc")
        db.session.commit()
    assert [run for _, _, run, _ in _hazards(app)] == [None, None]


def test_run_findings_read_the_column_not_the_audit_chain(app, client, world, login_as):
    auditor = login_as("auditor")
    run_id = _open_run(client, world, auditor)
    other_run = _open_run(client, world, auditor, key="dust")
    _inspect(client, world, auditor, run_id)
    finding = _finding(client, run_id, auditor, title="问题一")
    elsewhere = _finding(client, other_run, auditor, title="别处的问题")
    with app.app_context():
        # A chain entry alone (an old, unlinked hazard) no longer makes a finding of the run,
        hazard = make_hazard("hc")
        change = {"hazard_id": str(hazard.id)}
        audit.record(SYSTEM, "record_audit_finding", "audit_run", run_id, change)
        # and a linked hazard is one, whatever the chain says.
        linked = make_hazard("hc")
        linked.audit_run_id = run_id
        db.session.commit()
        run = db.session.get(AuditRun, run_id)
        found = [str(h.id) for h in run_findings(run)]
        assert str(hazard.id) not in found
        assert elsewhere not in found
        assert found[-2:] == [finding, str(linked.id)]
        assert len(found) == 3
        dust_run = db.session.get(AuditRun, other_run)
        assert [str(h.id) for h in run_findings(dust_run)] == [elsewhere]
