"""Read queries for the regulator's enterprise drill-down: header summary and inspection feed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, func, select

from anxun.accounts.models import User
from anxun.checklists.export import INSPECTION_TYPE_LABELS
from anxun.checklists.models import ChecklistVersion
from anxun.checklists.queries import item_texts
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.queries import SOURCE_LABELS, TERMINAL, overdue_clause
from anxun.inspections.codes import verification_code
from anxun.inspections.models import Inspection, Place
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.orgs.rules import INDUSTRY_LABELS, SIZE_LABELS, Industry
from anxun.risk.grading_queries import compute_grade

RECENT_DAYS = 30
# The header carries inspection and hazard counts and the grade (with its 约谈 veto): an auditor
# needs all three areas in the engagement scope; the inspection feed needs inspections.
SUMMARY_AREAS = (scoping.INSPECTIONS, scoping.HAZARDS, scoping.RISK)
FEED_AREAS = scoping.INSPECTIONS


def get_supervised_enterprise(
    actor: Actor, enterprise_id: int, area: str | tuple[str, ...]
) -> Enterprise:
    """An enterprise the actor oversees: regulators covering it, auditors engaged for `area`,
    platform admins.

    Out of scope is 404 (as everywhere); the enterprise's own staff see it but this view is the
    supervising side's, so they get 403.
    """
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.READ, area)
    if not (actor.is_platform_admin or actor.regulator_ids or actor.agency_ids):
        raise Forbidden("企业监管详情仅供监管部门与受委托的第三方机构查看。")
    return enterprise


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(Hazard).where(*conditions)) or 0


def hazard_counts(enterprise_id: int) -> dict:
    """Open, overdue (past deadline and still open) and open major hazards, as the grade counts
    them (a major hazard is one confirmed as major)."""
    mine = Hazard.enterprise_id == enterprise_id
    is_open = Hazard.state.not_in(TERMINAL)
    return {
        "total": _count(mine),
        "open": _count(mine, is_open),
        "overdue": _count(mine, overdue_clause(clock.today_local())),
        "major_open": _count(mine, is_open, Hazard.level == "major"),
    }


def inspection_counts(enterprise_id: int) -> dict:
    """All inspections, those finished in the last RECENT_DAYS days, flagged ones, the latest."""
    mine = Inspection.enterprise_id == enterprise_id
    since = clock.now() - timedelta(days=RECENT_DAYS)
    total, recent, last = db.session.execute(
        select(
            func.count(),
            func.count(case((Inspection.finished_at >= since, 1))),
            func.max(Inspection.finished_at),
        ).where(mine)
    ).one()
    # JSON emptiness is spelled differently per database; the flag lists are short.
    flagged = sum(1 for flags in db.session.scalars(select(Inspection.flags).where(mine)) if flags)
    return {
        "total": total,
        "recent": recent,
        "recent_days": RECENT_DAYS,
        "flagged": flagged,
        "last_finished_at": last,
    }


def enterprise_summary(actor: Actor, enterprise: Enterprise) -> dict:
    """The drill-down header: facts, counts and today's explained grade (computed, not stored)."""
    grade = compute_grade(enterprise.id, clock.today_local())
    return {
        "id": enterprise.id,
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "region_code": enterprise.region_code,
        "region_name": enterprise.region.name if enterprise.region else None,
        "industries": [
            {"code": code, "label": INDUSTRY_LABELS.get(Industry(code), code)}
            for code in enterprise.industries
        ],
        "size_class": {
            "code": enterprise.size_class,
            "label": SIZE_LABELS.get(enterprise.size_class, enterprise.size_class),
        },
        "address": enterprise.address,
        "latitude": enterprise.latitude,
        "longitude": enterprise.longitude,
        "head_name": enterprise.head_name,
        # Phones are personal data: the supervising regulator may call, an agency may not.
        "head_phone": enterprise.head_phone
        if scoping.may_see_phones(actor, enterprise.id)
        else None,
        "has_major_hazard_source": enterprise.has_major_hazard_source,
        "hazards": hazard_counts(enterprise.id),
        "inspections": inspection_counts(enterprise.id),
        "grade": grade,
    }


def list_enterprise_inspections(enterprise: Enterprise, args: dict):
    """An enterprise's inspections, newest finished first (or the one `inspection_id` names);
    returns (views, next_cursor)."""
    query = select(Inspection).where(Inspection.enterprise_id == enterprise.id)
    if args.get("inspection_id"):
        query = query.where(Inspection.id == args["inspection_id"])
    rows, next_cursor = paginate(
        query,
        [Inspection.finished_at, Inspection.id],
        args.get("cursor"),
        args["limit"],
        descending=True,
    )
    return _inspection_views(rows), next_cursor


def _by_id(model, ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _inspection_views(rows: list[Inspection]) -> list[dict]:
    users = _by_id(User, [r.inspector_user_id for r in rows])
    places = _by_id(Place, [r.place_id for r in rows])
    versions = _by_id(ChecklistVersion, [r.checklist_version_id for r in rows])
    hazard_counts_by_inspection = dict(
        db.session.execute(
            select(Hazard.inspection_id, func.count())
            .where(Hazard.inspection_id.in_([r.id for r in rows]))
            .group_by(Hazard.inspection_id)
        ).all()
    )
    texts = item_texts(
        (r.checklist_version_id, a.item_id) for r in rows for a in r.answers if a.result == "fail"
    )
    return [
        _inspection_view(r, users, places, versions, hazard_counts_by_inspection, texts)
        for r in rows
    ]


def _inspection_view(
    inspection, users, places, versions, hazard_counts_by_inspection, item_texts
) -> dict:
    place = places.get(inspection.place_id)
    version = versions.get(inspection.checklist_version_id)
    inspector = users.get(inspection.inspector_user_id)
    failed = [a for a in inspection.answers if a.result == "fail"]
    photo_ids = [m for a in inspection.answers for m in (a.media_ids or [])]
    return {
        "id": str(inspection.id),
        "verification_code": verification_code(inspection.id),
        "enterprise_id": inspection.enterprise_id,
        "inspector_user_id": inspection.inspector_user_id,
        "inspector_name": inspector.display_name if inspector else None,
        "place": {"id": place.id, "name": place.name} if place else None,
        "checklist_title": version.title if version else None,
        "inspection_type": {
            "code": inspection.inspection_type,
            "label": INSPECTION_TYPE_LABELS.get(inspection.inspection_type),
        },
        "source": {
            "code": inspection.source,
            "label": SOURCE_LABELS.get(inspection.source, inspection.source),
        },
        "qr_scanned": inspection.qr_scanned,
        "started_at": inspection.started_at,
        "finished_at": inspection.finished_at,
        "received_at": inspection.received_at,
        "results": _results(inspection.answers),
        "failed_items": [
            {
                "item_id": a.item_id,
                "item_text": item_texts.get((inspection.checklist_version_id, a.item_id)),
                "note": a.note,
                "photo_ids": list(a.media_ids or []),
            }
            for a in failed
        ],
        "flags": [
            {"code": f.get("code"), "message": f.get("message")} for f in inspection.flags or []
        ],
        "photo_ids": photo_ids,
        "hazard_count": hazard_counts_by_inspection.get(inspection.id, 0),
    }


def _results(answers) -> dict:
    """Pass / fail / not-applicable counts of the recorded answers."""
    counts = {"pass": 0, "fail": 0, "na": 0}
    for answer in answers:
        counts[answer.result] += 1
    return {**counts, "answered": len(answers)}
