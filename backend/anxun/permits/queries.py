"""Reads of special-work permits: one permit in full, today's list, the bureau's live view."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from anxun.accounts.models import User
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.inspections.models import Place
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.permits import rules, services, workflow
from anxun.permits.models import Permit
from anxun.permits.workflow import S

NOT_FOUND = "未找到该作业票，或您无权查看。"
MISSED = "未按时复检"


def get_permit(actor: Actor, permit_id) -> Permit:
    return scoping.get_scoped(actor, Permit, permit_id, NOT_FOUND, scoping.INSPECTIONS)


def _names(ids) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return dict(rows.all())


def _code(value: str, labels: dict) -> dict:
    return {"code": value, "label": labels[value]}


def _missed_reanalysis(permit: Permit, now: datetime) -> bool:
    if any(t.action == "suspend" and t.note.startswith(MISSED) for t in permit.transitions):
        return True
    due = services.reanalysis_due_at(permit) if permit.state == S.active else None
    return due is not None and now > due


def summary(permit: Permit, names: dict[int, str], places: dict[int, str], now: datetime) -> dict:
    rule = services.rule_of(permit)
    return {
        "id": permit.id,
        "number": permit.number,
        "enterprise_id": permit.enterprise_id,
        "kind": _code(permit.kind, rules.KIND_LABELS),
        "grade": _code(permit.grade, rules.GRADE_LABELS),
        "grade_note": permit.grade_note,
        "label": rule.label,
        "state": _code(permit.state, {s.value: lbl for s, lbl in workflow.STATE_LABELS.items()}),
        "version": permit.version,
        "place": {"id": permit.place_id, "name": places.get(permit.place_id, "")},
        "content": permit.content,
        "valid_from": permit.valid_from,
        "valid_to": permit.valid_to,
        "applicant": names.get(permit.applicant_user_id, ""),
        "guardian": names.get(permit.guardian_user_id, ""),
        "guardian_user_id": permit.guardian_user_id,
        "started_at": permit.started_at,
        "closed_at": permit.closed_at,
        "is_past_window": permit.state in [s.value for s in workflow.OPEN]
        and rules.is_past_window(permit.valid_to, now),
        "is_reanalysis_missed": _missed_reanalysis(permit, now),
        "reanalysis_due_at": services.reanalysis_due_at(permit),
    }


def lookups(permits: list[Permit]) -> tuple[dict, dict]:
    user_ids = set()
    for p in permits:
        user_ids |= {p.applicant_user_id, p.guardian_user_id}
        user_ids |= {m.confirmed_by_user_id for m in p.measures}
        user_ids |= {r.recorded_by_user_id for r in p.readings}
        user_ids |= {a.approver_user_id for a in p.approvals}
        user_ids |= {t.actor_user_id for t in p.transitions}
    place_ids = {p.place_id for p in permits}
    places = dict(
        db.session.execute(select(Place.id, Place.name).where(Place.id.in_(place_ids))).all()
    )
    return _names(user_ids), places


def permit_view(permit: Permit) -> dict:
    """Everything on the permit: the approver sees all that comes before the signature."""
    now = clock.now()
    names, places = lookups([permit])
    rule = services.rule_of(permit)
    confirmed = {m.code: m for m in permit.measures}
    step = services.next_step(permit) if permit.state == S.approval else None
    related = db.session.get(Permit, permit.related_permit_id) if permit.related_permit_id else None
    interval = rules.reanalysis_interval(rule, permit.is_inside_confined_space)
    return {
        **summary(permit, names, places, now),
        "workers": permit.workers,
        "work_method": permit.work_method,
        "medium": permit.medium,
        "lel_percent": permit.lel_percent,
        "toxic_substances": permit.toxic_substances,
        "is_inside_confined_space": permit.is_inside_confined_space,
        "related_permit": {
            "id": related.id,
            "number": related.number,
            "label": services.rule_of(related).label,
        }
        if related
        else None,
        "checklist_version": permit.checklist_version,
        "rule": {
            "validity_hours": int(rule.validity.total_seconds() // 3600),
            "validity_basis": rule.validity_basis.as_dict(),
            "approvals_basis": rule.approvals_basis.as_dict(),
            "measures_basis": rule.measures_basis.as_dict(),
            "gases_basis": rule.gases_basis.as_dict(),
            "analysis_max_age_minutes": int(rule.analysis_max_age.total_seconds() // 60)
            if rule.analysis_max_age
            else None,
            "reanalysis_minutes": int(interval[0].total_seconds() // 60) if interval else None,
            "reanalysis_basis": interval[1].as_dict() if interval else None,
        },
        "measures": [
            {
                "code": m.code,
                "text": m.text,
                "is_met": confirmed[m.code].is_met if m.code in confirmed else None,
                "note": confirmed[m.code].note if m.code in confirmed else "",
                "media_ids": confirmed[m.code].media_ids if m.code in confirmed else [],
                "confirmed_by": names.get(confirmed[m.code].confirmed_by_user_id, "")
                if m.code in confirmed
                else "",
                "confirmed_at": confirmed[m.code].confirmed_at if m.code in confirmed else None,
                "hazard_id": confirmed[m.code].hazard_id if m.code in confirmed else None,
            }
            for m in rule.measures
        ],
        "required_checks": [
            {
                "gas": gas,
                "substance": substance,
                "label": rules.TOXIC_LIMITS[substance][0] if substance else rules.GAS_LABELS[gas],
            }
            for gas, substance in services.required_checks(permit)
        ],
        "readings": [
            {
                "id": r.id,
                "gas": r.gas,
                "substance": r.substance,
                "value": r.value,
                "unit": r.unit,
                "analyst_name": r.analyst_name,
                "instrument": r.instrument,
                "sampling_point": r.sampling_point,
                "taken_at": r.taken_at,
                "is_within_limit": r.is_within_limit,
                "limit": r.limit_text,
                "judgement": r.judgement,
                "recorded_by": names.get(r.recorded_by_user_id, ""),
                "hazard_id": r.hazard_id,
            }
            for r in permit.readings
        ],
        "approval_steps": [
            {
                "code": s.code,
                "label": s.label,
                "approver": _approver(permit, s.code, names),
                "roles": sorted(s.roles),
            }
            for s in rule.approvals
        ],
        "approvals": [
            {
                "step": a.step,
                "approver": names.get(a.approver_user_id, ""),
                "opinion": a.opinion,
                "approved_at": a.approved_at,
            }
            for a in permit.approvals
        ],
        "next_step": {"code": step.code, "label": step.label} if step else None,
        "analysis_problem": services.analysis_problem(permit, now)
        if permit.state in (S.analysis, S.approval, S.approved, S.suspended)
        else None,
        "close_media_ids": permit.close_media_ids,
        "transitions": [
            {
                "action": t.action,
                "label": workflow.ACTION_LABELS.get(t.action, t.action),
                "from_state": t.from_state,
                "to_state": t.to_state,
                "actor": names.get(t.actor_user_id, "系统"),
                "note": t.note,
                "created_at": t.created_at,
            }
            for t in permit.transitions
        ],
    }


def _approver(permit: Permit, code: str, names: dict) -> str:
    row = next((a for a in permit.approvals if a.step == code), None)
    return names.get(row.approver_user_id, "") if row else ""


def list_permits(actor: Actor, args: dict) -> list[dict]:
    """Permits the caller may read; by default those open or whose window touches today."""
    now = clock.now()
    query = (
        select(Permit)
        .join(Enterprise, Enterprise.id == Permit.enterprise_id)
        .where(scoping.enterprise_clause(actor, scoping.READ, scoping.INSPECTIONS))
    )
    if args.get("enterprise_id") is not None:
        query = query.where(Permit.enterprise_id == args["enterprise_id"])
    if args.get("state"):
        query = query.where(Permit.state == args["state"])
    day = args.get("day") or clock.today_local()
    start = datetime.combine(day, datetime.min.time(), clock.CHINA_TZ)
    end = start + timedelta(days=1)
    open_states = [s.value for s in workflow.OPEN]
    query = query.where(
        or_(
            Permit.state.in_(open_states),
            and_(Permit.valid_from < end, Permit.valid_to > start),
        )
    )
    permits = db.session.scalars(query.order_by(Permit.valid_from, Permit.number).limit(500)).all()
    names, places = lookups(permits)
    return [summary(p, names, places, now) for p in permits]


def live_view(actor: Actor) -> dict:
    """The bureau's live view: special work under way by kind and grade, per enterprise, and the
    permits past their window or that skipped a re-analysis."""
    now = clock.now()
    clause = scoping.enterprise_clause(actor, scoping.READ, scoping.INSPECTIONS)
    open_states = [s.value for s in workflow.OPEN]
    recent = now - timedelta(days=7)
    permits = db.session.scalars(
        select(Permit)
        .join(Enterprise, Enterprise.id == Permit.enterprise_id)
        .where(
            clause,
            or_(
                Permit.state.in_(open_states),
                and_(Permit.state.in_([S.expired.value, S.closed.value]), Permit.valid_to > recent),
            ),
        )
        .order_by(Permit.valid_from)
        .limit(1000)
    ).all()
    names, places = lookups(permits)
    enterprises = dict(
        db.session.execute(
            select(Enterprise.id, Enterprise.name).where(
                Enterprise.id.in_({p.enterprise_id for p in permits})
            )
        ).all()
    )
    rows = []
    for p in permits:
        row = summary(p, names, places, now)
        row["enterprise_name"] = enterprises.get(p.enterprise_id, "")
        rows.append(row)
    under_way = [r for r in rows if r["state"]["code"] in (S.active, S.suspended)]
    counts: dict[tuple[str, str], int] = {}
    for r in under_way:
        key = (r["kind"]["code"], r["grade"]["code"])
        counts[key] = counts.get(key, 0) + 1
    by_kind = [
        {
            "kind": _code(kind, rules.KIND_LABELS),
            "grade": _code(grade, rules.GRADE_LABELS),
            "label": rules.rule_for(kind, grade).label,
            "count": count,
        }
        for (kind, grade), count in sorted(counts.items())
    ]
    return {
        "as_of": now,
        "by_kind": by_kind,
        "under_way": under_way,
        "past_window": [
            r for r in rows if r["is_past_window"] or r["state"]["code"] == S.expired.value
        ],
        "missed_reanalysis": [r for r in rows if r["is_reanalysis_missed"]],
    }
