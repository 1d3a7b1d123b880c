"""The audit report (审核报告) PDF: engagement, scope, method, inspections, findings, conclusion."""

from __future__ import annotations

from pathlib import Path

from anxun.audits.models import AuditRun
from anxun.audits.queries import (
    AREA_LABELS,
    COMMISSIONED_BY_LABELS,
    commissioning_party,
    run_findings,
    run_inspections,
)
from anxun.checklists.models import ChecklistVersion
from anxun.checklists.queries import item_texts
from anxun.extensions import db
from anxun.hazards import workflow
from anxun.inspections.models import Media
from anxun.orgs.models import Agency, Engagement, Enterprise
from anxun.reports import documents
from anxun.reports.render import chinese_date, render_pdf


def _thumbnails(enterprise_id: int, ids, root: Path) -> list[dict]:
    """The findings' photos as embedded thumbnails (the full image when no thumbnail exists)."""
    shown = []
    for photo in documents.photos(enterprise_id, ids, root):
        media = db.session.get(Media, documents._as_uuid(photo["id"]))
        thumb = documents._stored_uri(root, media.thumb_path, "image/jpeg") if media else None
        shown.append({"id": photo["id"], "uri": thumb or photo["uri"]})
    return shown


def audit_report_context(run: AuditRun, signer_name: str, root: Path) -> dict:
    engagement = db.session.get(Engagement, run.engagement_id)
    agency = db.session.get(Agency, run.agency_id)
    enterprise = db.session.get(Enterprise, run.enterprise_id)
    inspections = []
    for inspection in run_inspections(run):
        version = db.session.get(ChecklistVersion, inspection.checklist_version_id)
        summary = inspection.summary or {}
        inspections.append(
            {
                "finished_at": documents.local_text(inspection.finished_at),
                "checklist": version.title,
                "passed": summary.get("pass", 0),
                "failed": summary.get("fail", 0),
                "na": summary.get("na", 0),
            }
        )
    findings = []
    raised = run_findings(run)
    texts = item_texts((h.checklist_version_id, h.item_id) for h in raised)
    for n, hazard in enumerate(raised, start=1):
        findings.append(
            {
                "number": n,
                "title": hazard.title,
                "description": hazard.description or "",
                "level": documents._level_label(hazard),
                "state": workflow.STATE_LABELS.get(hazard.state, hazard.state),
                "item_id": hazard.item_id or documents.NONE,
                # The item's wording for the reader; the code follows in small print.
                "item_text": texts.get((hazard.checklist_version_id, hazard.item_id)),
                "basis": documents._basis(hazard),
                "photos": _thumbnails(hazard.enterprise_id, hazard.media_ids, root),
            }
        )
    return {
        "agency": {
            "name": agency.name,
            "uscc": agency.uscc,
            "qualification": agency.qualification or documents.NONE,
            "certificate_no": agency.qualification_certificate_no or documents.NONE,
        },
        "engagement": {
            "title": engagement.title,
            "commissioned_by": COMMISSIONED_BY_LABELS.get(
                engagement.commissioned_by, engagement.commissioned_by
            ),
            "party": commissioning_party(engagement) or documents.NONE,
            "window": f"{chinese_date(engagement.valid_from)}至{chinese_date(engagement.valid_to)}",
            "scope": "、".join(AREA_LABELS.get(a, a) for a in engagement.scope or []),
        },
        "enterprise": {
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "address": enterprise.address or documents.NONE,
        },
        "run": {
            "number": f"SH-{run.id:06d}",
            "title": run.title,
            "scope": run.scope or documents.NONE,
            "method": run.method or documents.NONE,
            "opened_at": documents.local_text(run.opened_at),
            "conclusion": run.conclusion,
            "signer": signer_name,
            "signed_on": chinese_date(documents.local(run.signed_at).date())
            if run.signed_at
            else documents.NONE,
        },
        "inspections": inspections,
        "findings": findings,
    }


def report_filename(run: AuditRun) -> str:
    """审核报告-宁波恒锐金属制品有限公司-2026-12-07.pdf: what it is, for whom, signed when."""
    enterprise = db.session.get(Enterprise, run.enterprise_id)
    moment = run.signed_at or run.opened_at
    return f"审核报告-{enterprise.name}-{documents.local(moment).date().isoformat()}.pdf"


def audit_report_pdf(run: AuditRun, signer_name: str) -> bytes:
    context = audit_report_context(run, signer_name, documents.media_root())
    return render_pdf(
        "audit_report.html",
        context,
        title="安全生产第三方审核报告",
        org_name=context["agency"]["name"],
        period=f"编号：{context['run']['number']}",
        generated_at=run.signed_at,
    )
