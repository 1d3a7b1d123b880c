"""Reads for 包保责任: each major hazard source, its three duties, who holds them and how many of
the duty's checks were done over a period."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.extensions import db
from anxun.inspections.models import InspectionPlan, TaskOccurrence
from anxun.inspections.planning_queries import enterprise_stops, occurrence_state, rate_period
from anxun.risk.accountability import rules as accountability
from anxun.risk.models import AccountablePerson, RiskObject


def accountability_board(enterprise_id: int, day_from: date, day_to: date, now: datetime) -> dict:
    """Every major hazard source of the enterprise with its duties and their completion over the
    occurrences whose window meets [day_from, day_to]: a quarter's window still open today shows
    as open, not as missing."""
    objects = db.session.scalars(
        select(RiskObject)
        .where(
            RiskObject.enterprise_id == enterprise_id,
            RiskObject.is_major_hazard_source.is_(True),
            RiskObject.deleted_at.is_(None),
        )
        .order_by(RiskObject.id)
    ).all()
    rows = db.session.scalars(
        select(AccountablePerson).where(AccountablePerson.enterprise_id == enterprise_id)
    ).all()
    held = {(row.risk_object_id, row.duty): row for row in rows}
    counts = _plan_counts([row.plan_id for row in rows], enterprise_id, day_from, day_to, now)
    return {
        "period": {"from": day_from.isoformat(), "to": day_to.isoformat()},
        "objects": [_object_view(o, held, counts) for o in objects],
    }


def object_view(risk_object: RiskObject, day_from: date, day_to: date, now: datetime) -> dict:
    board = accountability_board(risk_object.enterprise_id, day_from, day_to, now)
    return next(o for o in board["objects"] if o["id"] == risk_object.id)


def _object_view(risk_object: RiskObject, held: dict, counts: dict) -> dict:
    duties = []
    for duty in accountability.DUTIES:
        row = held.get((risk_object.id, duty.code))
        user = db.session.get(User, row.user_id) if row else None
        plan = db.session.get(InspectionPlan, row.plan_id) if row else None
        duties.append(
            {
                "duty": {"code": duty.code, "label": duty.label},
                "frequency": duty.frequency_label,
                "basis": accountability.basis_of(duty),
                "user": {"id": user.id, "display_name": user.display_name} if user else None,
                "plan": (
                    {"id": plan.id, "title": plan.title, "is_active": plan.is_active}
                    if plan
                    else None
                ),
                "completion": accountability.completion(counts.get(row.plan_id, {}))
                if row
                else None,
            }
        )
    return {
        "id": risk_object.id,
        "name": risk_object.name,
        "hazard_code": risk_object.hazard_code,
        "duties": duties,
    }


def _plan_counts(
    plan_ids: list[int], enterprise_id: int, day_from: date, day_to: date, now: datetime
) -> dict[int, dict[str, int]]:
    if not plan_ids:
        return {}
    start, end = rate_period(day_from, day_to)
    occurrences = db.session.scalars(
        select(TaskOccurrence).where(
            TaskOccurrence.plan_id.in_(plan_ids),
            TaskOccurrence.due_start < end,
            TaskOccurrence.due_end > start,
        )
    ).all()
    stops = enterprise_stops(enterprise_id)
    counts: dict[int, dict[str, int]] = {}
    for occurrence in occurrences:
        state = occurrence_state(occurrence, now, stops).value
        per_plan = counts.setdefault(occurrence.plan_id, {})
        per_plan[state] = per_plan.get(state, 0) + 1
    return counts
