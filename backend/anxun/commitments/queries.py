"""Commitment reads: today's pre-filled form, the bureau's list of who committed, the public
board of one enterprise."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from anxun.commitments import rules
from anxun.commitments.models import SafetyCommitment
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.errors import NotFound
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.workflow import TERMINAL_STATES
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, EnterpriseIndustry
from anxun.risk.models import RiskObject

HAZCHEM = "hazardous_chemicals"
CLOSED = tuple(s.value for s in TERMINAL_STATES)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=clock.CHINA_TZ)
    return start, start + timedelta(days=1)


def registry_sources(enterprise_id: int) -> list[dict]:
    """The enterprise's major hazard sources (重大危险源) from its risk register."""
    rows = db.session.scalars(
        select(RiskObject)
        .where(
            RiskObject.enterprise_id == enterprise_id,
            RiskObject.is_major_hazard_source.is_(True),
            RiskObject.deleted_at.is_(None),
        )
        .order_by(RiskObject.id)
    ).all()
    return [{"risk_object_id": r.id, "name": r.name, "hazard_code": r.hazard_code} for r in rows]


def special_work_today(enterprise_id: int, day: date) -> dict[str, int]:
    """Special-work permits whose window meets the day, counted by kind and hot-work grade."""
    from anxun.permits.models import Permit

    start, end = _day_bounds(day)
    rows = db.session.execute(
        select(Permit.kind, Permit.grade).where(
            Permit.enterprise_id == enterprise_id,
            Permit.valid_from < end,
            Permit.valid_to > start,
            Permit.state.not_in(("draft", "cancelled")),
        )
    ).all()
    counts: dict[str, int] = {}
    for kind, grade in rows:
        key = rules.work_key(kind, grade)
        counts[key] = counts.get(key, 0) + 1
    return counts


def open_major_hazards(enterprise_id: int) -> int:
    return len(
        db.session.scalars(
            select(Hazard.id).where(
                Hazard.enterprise_id == enterprise_id,
                Hazard.level == "major",
                Hazard.state.not_in(CLOSED),
            )
        ).all()
    )


def _commitment_on(enterprise_id: int, day: date) -> SafetyCommitment | None:
    return db.session.scalar(
        select(SafetyCommitment).where(
            SafetyCommitment.enterprise_id == enterprise_id, SafetyCommitment.commit_date == day
        )
    )


def view(c: SafetyCommitment) -> dict:
    return {
        "id": str(c.id),
        "enterprise_id": c.enterprise_id,
        "commit_date": c.commit_date,
        "hazard_sources": c.hazard_sources,
        "special_work": [
            {"code": k, "label": label, "count": int(c.special_work.get(k, 0))}
            for k, label in rules.SPECIAL_WORK_KINDS.items()
        ],
        "maintenance_jobs": c.maintenance_jobs,
        "contractor_jobs": c.contractor_jobs,
        "is_startup": c.is_startup,
        "is_shutdown": c.is_shutdown,
        "is_trial_run": c.is_trial_run,
        "open_major_hazards": c.open_major_hazards,
        "risk_grade": {"code": c.risk_grade, "label": rules.GRADE_LABELS[c.risk_grade]},
        "content": c.content,
        "signer_name": c.signer_name,
        "signed_at": c.signed_at,
        "is_late": c.is_late,
    }


def draft(actor: Actor, enterprise_id: int) -> dict:
    """Today's form, pre-filled from yesterday and the registry, and whether it is signed."""
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=(scoping.RISK, scoping.HAZARDS))
    today = clock.today_local()
    signed = _commitment_on(enterprise.id, today)
    yesterday = _commitment_on(enterprise.id, today - timedelta(days=1))
    form = rules.prefill(
        {
            "hazard_sources": yesterday.hazard_sources,
            "maintenance_jobs": yesterday.maintenance_jobs,
            "contractor_jobs": yesterday.contractor_jobs,
            "is_trial_run": yesterday.is_trial_run,
            "content": yesterday.content,
        }
        if yesterday
        else None,
        registry_sources(enterprise.id),
        special_work_today(enterprise.id, today),
        open_major_hazards(enterprise.id),
    )
    return {
        "enterprise": {"id": enterprise.id, "name": enterprise.name},
        "commit_date": today,
        "form": form,
        "signed": view(signed) if signed else None,
        "cutoff": current_cutoff().strftime("%H:%M"),
    }


def current_cutoff() -> time:
    from anxun.commitments.services import cutoff

    return cutoff()


def hazchem_enterprises(actor: Actor) -> list[Enterprise]:
    """Hazardous-chemicals enterprises the actor may read."""
    return list(
        db.session.scalars(
            select(Enterprise)
            .where(
                Enterprise.id.in_(
                    select(EnterpriseIndustry.enterprise_id).where(
                        EnterpriseIndustry.industry == HAZCHEM
                    )
                )
            )
            .where(scoping.enterprise_clause(actor))
            .order_by(Enterprise.id)
        )
    )


def day_statuses(enterprises: list[Enterprise], day: date, now: datetime) -> dict[int, dict]:
    """{enterprise id: {status, commitment}} for one day (missing after the cut-off)."""
    signed = {
        c.enterprise_id: c
        for c in db.session.scalars(
            select(SafetyCommitment).where(
                SafetyCommitment.commit_date == day,
                SafetyCommitment.enterprise_id.in_([e.id for e in enterprises]),
            )
        )
    }
    local = now.astimezone(clock.CHINA_TZ)
    limit = current_cutoff()
    out = {}
    for e in enterprises:
        c = signed.get(e.id)
        code = rules.day_status(c is not None, bool(c and c.is_late), local, day, limit)
        out[e.id] = {"code": code, "label": rules.STATUS_LABELS[code], "commitment": c}
    return out


def statuses_for(enterprise_ids: list[int], day: date, now: datetime) -> dict[int, str]:
    """{enterprise id: status code} of the day for the hazardous-chemicals enterprises among the
    ids (the regulator overview's 今日承诺 column; others have none)."""
    hazchem = db.session.scalars(
        select(Enterprise).where(
            Enterprise.id.in_(enterprise_ids),
            Enterprise.id.in_(
                select(EnterpriseIndustry.enterprise_id).where(
                    EnterpriseIndustry.industry == HAZCHEM
                )
            ),
        )
    ).all()
    return {i: s["code"] for i, s in day_statuses(list(hazchem), day, now).items()}


def today_list(actor: Actor) -> dict:
    """Who committed today among the hazardous-chemicals enterprises the actor sees."""
    enterprises = hazchem_enterprises(actor)
    day = clock.today_local()
    statuses = day_statuses(enterprises, day, clock.now())
    items = [
        {
            "enterprise": {"id": e.id, "name": e.name},
            "status": {"code": statuses[e.id]["code"], "label": statuses[e.id]["label"]},
            "commitment": view(statuses[e.id]["commitment"])
            if statuses[e.id]["commitment"]
            else None,
        }
        for e in enterprises
    ]
    return {
        "commit_date": day,
        "cutoff": current_cutoff().strftime("%H:%M"),
        "items": items,
        "missing": [i["enterprise"] for i in items if i["status"]["code"] == "missing"],
    }


def public_board(enterprise_id: int) -> dict:
    """The public board of a hazardous-chemicals enterprise: today's commitment (if signed)."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None or HAZCHEM not in enterprise.industries:
        raise NotFound("未找到该企业的安全承诺公告。")
    today = clock.today_local()
    signed = _commitment_on(enterprise.id, today)
    return {
        "enterprise": enterprise,
        "commit_date": today,
        "commitment": view(signed) if signed else None,
        "special_work_labels": rules.SPECIAL_WORK_KINDS,
    }
