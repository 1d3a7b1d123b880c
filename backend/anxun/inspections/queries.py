"""Read queries for inspections: scoped lists and the view the PWA and reviewers see."""

from __future__ import annotations

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.checklists.models import ChecklistVersion
from anxun.core.auth import Actor
from anxun.core.errors import NotFound
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Inspection
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise


def get_inspection(actor: Actor, inspection_id) -> Inspection:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound("未找到该检查记录。")
    # 404 when out of scope (or outside an auditor's engagement scope)
    scoping.get_enterprise(actor, inspection.enterprise_id, area=scoping.INSPECTIONS)
    return inspection


def list_inspections(actor: Actor, args: dict):
    query = select(Inspection).join(Enterprise, Enterprise.id == Inspection.enterprise_id)
    query = query.where(scoping.enterprise_clause(actor, area=scoping.INSPECTIONS))
    if args.get("enterprise_id"):
        query = query.where(Inspection.enterprise_id == args["enterprise_id"])
    if args.get("place_id"):
        query = query.where(Inspection.place_id == args["place_id"])
    return paginate(
        query,
        [Inspection.received_at, Inspection.id],
        args.get("cursor"),
        args["limit"],
        descending=True,
    )


def inspection_view(inspection: Inspection, *, with_answers: bool = True) -> dict:
    version = db.session.get(ChecklistVersion, inspection.checklist_version_id)
    inspector = db.session.get(User, inspection.inspector_user_id)
    hazards = db.session.scalars(
        select(Hazard)
        .where(Hazard.inspection_id == inspection.id)
        .order_by(Hazard.reported_at, Hazard.id)
    ).all()
    view = {
        "id": str(inspection.id),
        "enterprise_id": inspection.enterprise_id,
        "checklist_code": version.code,
        "checklist_version": version.version_hash,
        "checklist_title": version.title,
        "task_occurrence_id": inspection.task_occurrence_id,
        "place_id": inspection.place_id,
        "qr_scanned": inspection.qr_scanned,
        "inspection_type": inspection.inspection_type,
        "source": inspection.source,
        "inspector_user_id": inspection.inspector_user_id,
        "inspector_name": inspector.display_name,
        "started_at": inspection.started_at,
        "finished_at": inspection.finished_at,
        "received_at": inspection.received_at,
        "gps": {
            "lat": inspection.latitude,
            "lon": inspection.longitude,
            "accuracy": inspection.gps_accuracy,
        }
        if inspection.latitude is not None
        else None,
        "device_id": inspection.device_id,
        "corrects_id": str(inspection.corrects_id) if inspection.corrects_id else None,
        "summary": inspection.summary,
        "flags": inspection.flags,
        "hazards": [
            {
                "id": str(h.id),
                "item_id": h.item_id,
                "proposed_level": h.proposed_level,
                "state": h.state,
            }
            for h in hazards
        ],
        "receipt": {
            "id": str(inspection.id),
            "digest": inspection.payload_digest,
            "received_at": inspection.received_at.isoformat(),
        },
    }
    if with_answers:
        view["answers"] = [
            {
                "item_id": a.item_id,
                "entered_result": a.entered_result,
                "result": a.result,
                "value": a.value,
                "note": a.note,
                "media_ids": a.media_ids,
                "deduction": float(a.deduction) if a.deduction is not None else None,
            }
            for a in inspection.answers
        ]
    return view
