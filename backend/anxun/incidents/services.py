"""Every write about incidents: the quick report (快报) and follow-up reports (续报).

《生产安全事故报告和调查处理条例》(国务院令第493号) 第九条 asks the enterprise to report within one
hour (unverified in our reference; see rules.QUICK_REPORT_BASIS). The server's receiving time is
what counts, so a device clock can neither hide nor cause lateness. Both writes are idempotent on
the client UUIDs: the same payload again returns the original, a different one is 409.
"""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import func, select

from anxun.accounts.models import Membership, User
from anxun.accounts.roles import REGULATOR_ROLES
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, Forbidden, ValidationFailed, field_error
from anxun.core.money import money_text
from anxun.extensions import db
from anxun.incidents import rules
from anxun.incidents.models import Incident, IncidentReport
from anxun.notifications import services as notifications
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Regulator
from anxun.outbox.enqueue import enqueue

REPORTER_ROLES = {"head", "safety_officer"}
MSG_ID_TAKEN = "该事故编号已用于另一份报告。"
MSG_REPORT_ID_TAKEN = "该报告编号已用于另一份报告。"


def _enterprise(actor: Actor, enterprise_id: int | None) -> Enterprise:
    if enterprise_id is None:
        if len(actor.enterprise_ids) != 1:
            raise ValidationFailed("请指定企业。", [field_error("enterprise_id", "请指定企业。")])
        enterprise_id = next(iter(actor.enterprise_ids))
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    if not actor.roles_in_enterprise(enterprise.id) & REPORTER_ROLES:
        raise Forbidden("只有本企业主要负责人或安全管理人员可以报告事故。")
    return enterprise


def _report_fields(report: dict) -> dict:
    return {
        "deaths": report["deaths"],
        "injuries": report["injuries"],
        "missing": report["missing"],
        "direct_loss_estimate": money_text(report.get("direct_loss_estimate")),
        "description": report["description"].strip(),
        "measures": report["measures"].strip(),
    }


def _quick_digest(enterprise: Enterprise, data: dict) -> str:
    return rules.payload_digest(
        {
            "enterprise_id": enterprise.id,
            "occurred_at": data["occurred_at"].astimezone(UTC).isoformat(),
            "location": data["location"].strip(),
            "category": data["category"],
            "title": data["title"].strip(),
            "report_id": str(data["report"]["id"]),
            "report": _report_fields(data["report"]),
        }
    )


def _follow_up_digest(incident: Incident, report: dict) -> str:
    return rules.payload_digest(
        {"incident_id": str(incident.id), "report_id": str(report["id"]), **_report_fields(report)}
    )


def _regulator_staff(enterprise: Enterprise) -> list[int]:
    """Active regulator staff whose bureau covers the enterprise."""
    rows = db.session.execute(
        select(User.id, Regulator)
        .join(Membership, Membership.user_id == User.id)
        .join(Regulator, Regulator.id == Membership.regulator_id)
        .where(Membership.role.in_(REGULATOR_ROLES), User.is_active.is_(True))
        .order_by(User.id)
    ).all()
    return list(
        dict.fromkeys(
            user_id
            for user_id, regulator in rows
            if scoping.regulator_covers(regulator, enterprise.region_code, enterprise.industries)
        )
    )


def _add_report(actor: Actor, incident: Incident, report: dict, kind: str, sequence: int, digest):
    fields = _report_fields(report)
    row = IncidentReport(
        id=report["id"],
        incident_id=incident.id,
        kind=kind,
        sequence=sequence,
        submitted_at=clock.now(),
        deaths=fields["deaths"],
        injuries=fields["injuries"],
        missing=fields["missing"],
        direct_loss_estimate=report.get("direct_loss_estimate"),
        description=fields["description"],
        measures=fields["measures"],
        reported_by_user_id=actor.user_id,
        payload_digest=digest,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _after_report(actor: Actor, incident: Incident, enterprise: Enterprise, row: IncidentReport):
    minutes = rules.minutes_between(incident.occurred_at, row.submitted_at)
    payload = {
        "incident_id": str(incident.id),
        "report_id": str(row.id),
        "enterprise_id": enterprise.id,
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "kind": row.kind,
        "sequence": row.sequence,
        "occurred_at": incident.occurred_at.isoformat(),
        "submitted_at": row.submitted_at.isoformat(),
        "minutes_since_occurrence": minutes,
        "location": incident.location,
        "category": incident.category,
        "title": incident.title,
        "deaths": row.deaths,
        "injuries": row.injuries,
        "missing": row.missing,
        "direct_loss_estimate": money_text(row.direct_loss_estimate),
        "description": row.description,
        "measures": row.measures,
    }
    audit.record(actor, f"incident_{row.kind}_report", "incident", incident.id, payload)
    enqueue("incident_reported", enterprise, "incident", incident.id, payload)
    label = rules.REPORT_KIND_LABELS[row.kind]
    notifications.notify(
        _regulator_staff(enterprise),
        enterprise.id,
        "incident_reported",
        None,
        f"事故{label}：{enterprise.name} {incident.title}",
        f"死亡 {row.deaths} 人，受伤 {row.injuries} 人，失踪 {row.missing} 人；"
        f"事故发生后 {minutes} 分钟报送。",
        f"incident:{row.id}",
    )


def report_incident(actor: Actor, data: dict) -> tuple[Incident, bool]:
    """File the quick report (快报) of an incident. Returns (incident, created)."""
    enterprise = _enterprise(actor, data.get("enterprise_id"))
    digest = _quick_digest(enterprise, data)
    existing = db.session.get(Incident, data["id"])
    if existing is not None:
        first = existing.reports[0] if existing.reports else None
        if (
            first is not None
            and first.payload_digest == digest
            and existing.reported_by_user_id == actor.user_id
        ):
            return existing, False
        raise Conflict(MSG_ID_TAKEN, [field_error("id", MSG_ID_TAKEN)])
    if db.session.get(IncidentReport, data["report"]["id"]) is not None:
        raise Conflict(MSG_REPORT_ID_TAKEN, [field_error("report.id", MSG_REPORT_ID_TAKEN)])
    now = clock.now()
    if data["occurred_at"] > now:
        message = "事故发生时间不能晚于当前时间。"
        raise ValidationFailed(message, [field_error("occurred_at", message)])
    incident = Incident(
        id=data["id"],
        enterprise_id=enterprise.id,
        occurred_at=data["occurred_at"],
        location=data["location"].strip(),
        category=data["category"],
        title=data["title"].strip(),
        reported_by_user_id=actor.user_id,
        first_reported_at=now,
    )
    db.session.add(incident)
    db.session.flush()
    row = _add_report(actor, incident, data["report"], "quick", 1, digest)
    _after_report(actor, incident, enterprise, row)
    db.session.refresh(incident, ["reports"])
    return incident, True


def add_follow_up(actor: Actor, incident: Incident, report: dict) -> tuple[IncidentReport, bool]:
    """File a follow-up report (续报) as the next in sequence. Returns (report, created)."""
    enterprise = _enterprise(actor, incident.enterprise_id)
    digest = _follow_up_digest(incident, report)
    existing = db.session.get(IncidentReport, report["id"])
    if existing is not None:
        if (
            existing.incident_id == incident.id
            and existing.payload_digest == digest
            and existing.reported_by_user_id == actor.user_id
        ):
            return existing, False
        raise Conflict(MSG_REPORT_ID_TAKEN, [field_error("id", MSG_REPORT_ID_TAKEN)])
    # Lock the incident so two follow-ups sent at once get consecutive sequence numbers.
    db.session.execute(select(Incident.id).where(Incident.id == incident.id).with_for_update())
    last = db.session.scalar(
        select(func.max(IncidentReport.sequence)).where(IncidentReport.incident_id == incident.id)
    )
    row = _add_report(actor, incident, report, "follow_up", (last or 0) + 1, digest)
    _after_report(actor, incident, enterprise, row)
    db.session.refresh(incident, ["reports"])
    return row, True
