"""Reads about incidents: the caller's list and one incident with its reports and timeline."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.incidents import rules
from anxun.incidents.models import Incident
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise


def get_incident(actor: Actor, incident_id: uuid.UUID) -> Incident:
    """An incident of an enterprise the actor may read; anything else is 404."""
    return scoping.get_scoped(
        actor, Incident, incident_id, "未找到该事故报告，或您无权查看。", scoping.HAZARDS
    )


def list_incidents(actor: Actor, args: dict, limit_minutes: int) -> list[dict]:
    """Views of the incidents the actor may read, newest occurrence first.

    `late` / `escalated` (true or false) keep only incidents with that flag value; both flags are
    computed per incident (the time limit is configurable), so they filter before `limit` applies.
    """
    query = (
        select(Incident)
        .join(Enterprise, Enterprise.id == Incident.enterprise_id)
        .where(scoping.enterprise_clause(actor, scoping.READ, scoping.HAZARDS))
    )
    if args.get("enterprise_id"):
        query = query.where(Incident.enterprise_id == args["enterprise_id"])
    query = query.order_by(
        Incident.occurred_at.desc(), Incident.first_reported_at.desc(), Incident.id
    )
    wanted = {flag: args[flag] for flag in ("late", "escalated") if args.get(flag) is not None}
    if not wanted:
        return incident_views(
            list(db.session.scalars(query.limit(args.get("limit", 200)))), limit_minutes
        )
    views = incident_views(list(db.session.scalars(query)), limit_minutes)
    views = [v for v in views if all(v[f"is_{f}"] is value for f, value in wanted.items())]
    return views[: args.get("limit", 200)]


def _report_view(report, names: dict) -> dict:
    return {
        "id": report.id,
        "kind": report.kind,
        "sequence": report.sequence,
        "submitted_at": report.submitted_at,
        "deaths": report.deaths,
        "injuries": report.injuries,
        "missing": report.missing,
        "direct_loss_estimate": report.direct_loss_estimate,
        "description": report.description,
        "measures": report.measures,
        "reported_by": names.get(report.reported_by_user_id, ""),
    }


def incident_views(incidents: list[Incident], limit_minutes: int, detail: bool = False) -> list:
    """Incidents with lateness against `limit_minutes`; `detail` adds reports and the timeline."""
    if not incidents:
        return []
    enterprises = dict(
        tuple(row)
        for row in db.session.execute(
            select(Enterprise.id, Enterprise.name).where(
                Enterprise.id.in_({i.enterprise_id for i in incidents})
            )
        )
    )
    user_ids = {i.reported_by_user_id for i in incidents} | {
        r.reported_by_user_id for i in incidents for r in i.reports
    }
    names = dict(
        tuple(row)
        for row in db.session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids))
        )
    )
    views = []
    for incident in incidents:
        latest = incident.reports[-1] if incident.reports else None
        escalations = rules.escalations(
            incident.occurred_at,
            [
                {
                    "sequence": r.sequence,
                    "submitted_at": r.submitted_at,
                    "deaths": r.deaths,
                    "injuries": r.injuries,
                    "missing": r.missing,
                }
                for r in incident.reports
            ],
        )
        view = {
            "id": incident.id,
            "enterprise_id": incident.enterprise_id,
            "enterprise_name": enterprises[incident.enterprise_id],
            "occurred_at": incident.occurred_at,
            "location": incident.location,
            "category": incident.category,
            "title": incident.title,
            "first_reported_at": incident.first_reported_at,
            "minutes_to_first_report": rules.minutes_between(
                incident.occurred_at, incident.first_reported_at
            ),
            "limit_minutes": limit_minutes,
            "is_late": rules.is_late(
                incident.occurred_at, incident.first_reported_at, limit_minutes
            ),
            "reported_by": names.get(incident.reported_by_user_id, ""),
            "report_count": len(incident.reports),
            "deaths": latest.deaths if latest else 0,
            "injuries": latest.injuries if latest else 0,
            "missing": latest.missing if latest else 0,
            "is_escalated": bool(escalations),
        }
        if detail:
            view["reports"] = [_report_view(r, names) for r in incident.reports]
            view["timeline"] = rules.timeline(
                incident.occurred_at,
                [
                    {"kind": r.kind, "sequence": r.sequence, "submitted_at": r.submitted_at}
                    for r in incident.reports
                ],
            )
            raised = {e["sequence"] for e in escalations}
            for event in view["timeline"]:
                event["is_escalated"] = event.get("sequence") in raised
            view["escalations"] = escalations
            view["basis"] = [rules.QUICK_REPORT_BASIS, rules.ESCALATION_BASIS, rules.CATEGORY_BASIS]
        views.append(view)
    return views
