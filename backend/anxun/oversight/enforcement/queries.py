"""Reads about enforcement records: the caller's list and one record, with its basis."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Regulator
from anxun.oversight.enforcement.services import KINDS
from anxun.oversight.models import EnforcementRecord
from anxun.risk.grading.inputs import INTERVIEW_DAYS


def get_record(actor: Actor, record_id: int) -> EnforcementRecord:
    return scoping.get_scoped(
        actor, EnforcementRecord, record_id, "未找到该执法记录，或您无权查看。", scoping.HAZARDS
    )


def list_records(actor: Actor, args: dict) -> list[EnforcementRecord]:
    query = (
        select(EnforcementRecord)
        .join(Enterprise, Enterprise.id == EnforcementRecord.enterprise_id)
        .where(scoping.enterprise_clause(actor, scoping.READ, scoping.HAZARDS))
    )
    if args.get("enterprise_id"):
        query = query.where(EnforcementRecord.enterprise_id == args["enterprise_id"])
    if args.get("kind"):
        query = query.where(EnforcementRecord.kind == args["kind"])
    query = query.order_by(EnforcementRecord.decided_on.desc(), EnforcementRecord.id.desc())
    return list(db.session.scalars(query.limit(args.get("limit", 200))))


def in_effect(record: EnforcementRecord, today) -> bool:
    """The same rule as the grade's veto (risk/grading/inputs.py)."""
    if record.decided_on > today:
        return False
    if record.kind == "suspension":
        return record.ends_on is None or record.ends_on >= today
    return record.decided_on >= today - timedelta(days=INTERVIEW_DAYS)


def record_views(records: list[EnforcementRecord]) -> list[dict]:
    if not records:
        return []
    enterprises = dict(
        tuple(row)
        for row in db.session.execute(
            select(Enterprise.id, Enterprise.name).where(
                Enterprise.id.in_({r.enterprise_id for r in records})
            )
        )
    )
    regulators = dict(
        tuple(row)
        for row in db.session.execute(
            select(Regulator.id, Regulator.name).where(
                Regulator.id.in_({r.regulator_id for r in records})
            )
        )
    )
    names = dict(
        tuple(row)
        for row in db.session.execute(
            select(User.id, User.display_name).where(
                User.id.in_({r.created_by_user_id for r in records})
            )
        )
    )
    today = clock.today_local()
    return [
        {
            "id": r.id,
            "enterprise_id": r.enterprise_id,
            "enterprise_name": enterprises[r.enterprise_id],
            "regulator_id": r.regulator_id,
            "regulator_name": regulators[r.regulator_id],
            "kind": r.kind,
            "reference_no": r.reference_no,
            "summary": r.summary,
            "decided_on": r.decided_on,
            "ends_on": r.ends_on,
            "is_in_effect": in_effect(r, today),
            "basis": KINDS[r.kind]["basis"],
            "created_by": names.get(r.created_by_user_id, ""),
            "created_at": r.created_at,
        }
        for r in records
    ]
