"""Read queries for inspections: scoped lists and the view the PWA and reviewers see."""

from __future__ import annotations

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.checklists.models import ChecklistVersion
from anxun.core import events
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, NotFound, ValidationFailed, field_error
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.inspections import codes
from anxun.inspections.events import HazardsOfInspection, RaisedHazard
from anxun.inspections.models import Inspection
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise

MSG_NOT_FOUND = "未找到该检查记录，或您无权查看。"


def get_inspection(actor: Actor, inspection_id) -> Inspection:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(MSG_NOT_FOUND)
    # 404 when out of scope (or outside an auditor's engagement scope)
    scoping.get_enterprise(
        actor, inspection.enterprise_id, area=scoping.INSPECTIONS, not_found=MSG_NOT_FOUND
    )
    return inspection


class AmbiguousCode(Conflict):
    type = "/problems/ambiguous-code"


def find_by_code(actor: Actor, code: str, enterprise_id: int | None = None) -> Inspection:
    """The one inspection the actor may read whose id starts with the printed verification code
    (optionally within one enterprise). Unknown and out-of-scope codes are the same 404; a code
    that fits several readable records is refused rather than guessed (409)."""
    digits = codes.parse_code(code)
    if digits is None:
        raise ValidationFailed(
            "校验码格式不正确。",
            errors=[field_error("code", "校验码应为 12 位数字或字母 A–F，如 1A7D-082D-93F0。")],
        )
    low, high = codes.id_range(digits)
    query = (
        select(Inspection)
        .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
        .where(
            Inspection.id >= low,
            Inspection.id <= high,
            scoping.enterprise_clause(actor, area=scoping.INSPECTIONS),
        )
        .order_by(Inspection.id)
        .limit(2)
    )
    if enterprise_id is not None:
        query = query.where(Inspection.enterprise_id == enterprise_id)
    found = db.session.scalars(query).all()
    if not found:
        raise NotFound("未找到该校验码对应的检查记录，或您无权查看。")
    if len(found) > 1:
        raise AmbiguousCode(
            "该校验码对应多条检查记录，无法确定是哪一条。请输入完整的 12 位校验码，"
            "或在该企业的排查记录中按检查时间核对。"
        )
    return found[0]


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


def _hazard_refs(hazards: list[RaisedHazard]) -> list[dict]:
    return [
        {"id": h.id, "item_id": h.item_id, "proposed_level": h.proposed_level, "state": h.state}
        for h in hazards
    ]


def inspection_receipt(inspection: Inspection, *, replayed: bool = False) -> dict:
    """The small answer to a submit: no re-reading of checklist, inspector or answers. The hazards
    are those the submit raised (kept on the object) or, for a replay, read back; in item order
    either way, so a replay's body equals the first answer's but for `replayed`."""
    hazards = getattr(inspection, "raised_hazards", None)
    if hazards is None:
        hazards = events.ask(HazardsOfInspection(inspection.id))
    return {
        "id": str(inspection.id),
        "verification_code": codes.verification_code(inspection.id),
        "received_at": inspection.received_at,
        "summary": inspection.summary,
        "flags": inspection.flags,
        "hazards": _hazard_refs(sorted(hazards, key=lambda h: (h.item_id or "", h.id))),
        "receipt": {
            "id": str(inspection.id),
            "digest": inspection.payload_digest,
            "received_at": inspection.received_at.isoformat(),
        },
        "replayed": replayed,
    }


def inspection_view(inspection: Inspection, *, with_answers: bool = True) -> dict:
    version = db.session.get(ChecklistVersion, inspection.checklist_version_id)
    inspector = db.session.get(User, inspection.inspector_user_id)
    hazards = events.ask(HazardsOfInspection(inspection.id))
    view = {
        "id": str(inspection.id),
        "verification_code": codes.verification_code(inspection.id),
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
        "hazards": _hazard_refs(hazards),
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
