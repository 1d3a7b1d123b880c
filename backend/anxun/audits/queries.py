"""Reads for audit runs (who sees which run) and for the auditors' read log (who sees which row)."""

from __future__ import annotations

from sqlalchemy import false, or_, select, true

from anxun.accounts.models import User
from anxun.accounts.roles import Role
from anxun.audits.models import AuditorRead, AuditRun
from anxun.audits.read_subjects import read_subject
from anxun.checklists.queries import item_texts
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden, NotFound
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Inspection
from anxun.orgs import scoping
from anxun.orgs.models import Agency, Engagement, EngagementEnterprise, Enterprise, Regulator

MSG_RUN_NOT_FOUND = "未找到该审核，或您无权查看。"
# Who may read an enterprise's read log: its head and safety officer (and the parties below).
LOG_READERS = {Role.head, Role.safety_officer}
COMMISSIONED_BY_LABELS = {"regulator": "监管部门委托", "enterprise": "企业委托"}
AREA_LABELS = {
    "inspections": "隐患排查记录",
    "hazards": "隐患及治理",
    "risk": "风险分级管控",
    "documents": "文书与报表",
}


def _enterprises_with(actor: Actor, roles: set[str]) -> set[int]:
    return {e for e in actor.enterprise_ids if actor.roles_in_enterprise(e) & roles}


def _commissioned_engagements(actor: Actor):
    """A select() of the engagement ids the actor commissioned (its regulator's, or its
    enterprise's as head), or None when it commissioned none."""
    commissioned = []
    if actor.regulator_ids:
        commissioned.append(Engagement.regulator_id.in_(actor.regulator_ids))
    heads = _enterprises_with(actor, {Role.head})
    if heads:
        commissioned.append(Engagement.client_enterprise_id.in_(heads))
    return select(Engagement.id).where(or_(*commissioned)) if commissioned else None


def run_clause(actor: Actor):
    """Runs the actor may see: its agency's (engagement valid today), the commissioning
    regulator's or client enterprise's, and the audited enterprise's own."""
    if actor.is_platform_admin:
        return true()
    clauses = []
    if actor.agency_ids:
        valid = select(Engagement.id).where(scoping.valid_engagement(actor.agency_ids))
        clauses.append(AuditRun.agency_id.in_(actor.agency_ids) & AuditRun.engagement_id.in_(valid))
    commissioned = _commissioned_engagements(actor)
    if commissioned is not None:
        clauses.append(AuditRun.engagement_id.in_(commissioned))
    if actor.enterprise_ids:
        clauses.append(AuditRun.enterprise_id.in_(actor.enterprise_ids))
    return or_(*clauses) if clauses else false()


def get_audit_run(actor: Actor, run_id: int) -> AuditRun:
    run = db.session.scalar(select(AuditRun).where(AuditRun.id == run_id, run_clause(actor)))
    if run is None:
        raise NotFound(MSG_RUN_NOT_FOUND)
    return run


def list_audit_runs(actor: Actor, args: dict):
    query = select(AuditRun).where(run_clause(actor))
    for key in ("engagement_id", "enterprise_id", "state"):
        if args.get(key) is not None:
            query = query.where(getattr(AuditRun, key) == args[key])
    return paginate(query, [AuditRun.id], args.get("cursor"), args["limit"], descending=True)


def _names(model, ids) -> dict:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(wanted))).all())


def _user_names(ids) -> dict:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return dict(rows.all())


def commissioning_party(engagement: Engagement) -> str:
    if engagement.regulator_id is not None:
        return db.session.get(Regulator, engagement.regulator_id).name
    if engagement.client_enterprise_id is not None:
        return db.session.get(Enterprise, engagement.client_enterprise_id).name
    return ""


def run_summaries(runs: list[AuditRun]) -> list[dict]:
    """List rows: the run with agency, enterprise and engagement names."""
    agencies = _names(Agency, [r.agency_id for r in runs])
    enterprises = _names(Enterprise, [r.enterprise_id for r in runs])
    engagements = {
        e.id: e
        for e in db.session.scalars(
            select(Engagement).where(Engagement.id.in_({r.engagement_id for r in runs}))
        )
    }
    users = _user_names([r.opened_by_user_id for r in runs] + [r.signed_by_user_id for r in runs])
    return [
        {
            "id": run.id,
            "engagement_id": run.engagement_id,
            "engagement_title": engagements[run.engagement_id].title,
            "agency_id": run.agency_id,
            "agency_name": agencies.get(run.agency_id, ""),
            "enterprise_id": run.enterprise_id,
            "enterprise_name": enterprises.get(run.enterprise_id, ""),
            "title": run.title,
            "scope": run.scope,
            "method": run.method,
            "conclusion": run.conclusion,
            "state": run.state,
            "opened_by": users.get(run.opened_by_user_id, ""),
            "opened_at": run.opened_at,
            "signed_by": users.get(run.signed_by_user_id),
            "signed_at": run.signed_at,
            "report_sha256": run.report_sha256,
            "signer_fingerprint": run.signer_fingerprint,
        }
        for run in runs
    ]


def run_inspections(run: AuditRun) -> list[Inspection]:
    return list(
        db.session.scalars(
            select(Inspection)
            .where(Inspection.audit_run_id == run.id)
            .order_by(Inspection.finished_at, Inspection.id)
        )
    )


def run_findings(run: AuditRun) -> list[Hazard]:
    """Hazards raised by the run's inspections and the run-level findings (both carry
    hazard.audit_run_id), oldest first."""
    return list(
        db.session.scalars(
            select(Hazard)
            .where(Hazard.enterprise_id == run.enterprise_id, Hazard.audit_run_id == run.id)
            .order_by(Hazard.reported_at, Hazard.id)
        )
    )


def run_detail(run: AuditRun) -> dict:
    engagement = db.session.get(Engagement, run.engagement_id)
    inspections = run_inspections(run)
    users = _user_names([i.inspector_user_id for i in inspections])
    findings = run_findings(run)
    texts = item_texts((h.checklist_version_id, h.item_id) for h in findings)
    return {
        **run_summaries([run])[0],
        "engagement": {
            "id": engagement.id,
            "title": engagement.title,
            "commissioned_by": engagement.commissioned_by,
            "commissioning_party": commissioning_party(engagement),
            "scope": list(engagement.scope or []),
            "valid_from": engagement.valid_from,
            "valid_to": engagement.valid_to,
        },
        "inspections": [
            {
                "id": str(i.id),
                "finished_at": i.finished_at,
                "inspector_name": users.get(i.inspector_user_id, ""),
                "summary": i.summary,
            }
            for i in inspections
        ],
        "findings": [
            {
                "id": str(h.id),
                "title": h.title,
                "item_id": h.item_id,
                "item_text": texts.get((h.checklist_version_id, h.item_id)),
                "proposed_level": h.proposed_level,
                "level": h.level,
                "state": h.state,
                "reported_at": h.reported_at,
                "media_ids": list(h.media_ids or []),
            }
            for h in findings
        ],
    }


# --- the read log ---------------------------------------------------------------------------


def read_log_clause(actor: Actor):
    """Rows the actor may see: own enterprise (head, safety officer), commissioning party
    (the engagement's regulator staff or client enterprise head), the auditor's own agency."""
    if actor.is_platform_admin:
        return true()
    clauses = []
    own = _enterprises_with(actor, LOG_READERS)
    if own:
        clauses.append(AuditorRead.enterprise_id.in_(own))
    commissioned = _commissioned_engagements(actor)
    if commissioned is not None:
        clauses.append(AuditorRead.engagement_id.in_(commissioned))
    if actor.agency_ids:
        clauses.append(AuditorRead.agency_id.in_(actor.agency_ids))
    if not clauses:
        raise Forbidden("只有企业主要负责人、安全管理人员、委托方和受托机构可以查看查阅记录。")
    return or_(*clauses)


def list_reads(actor: Actor, args: dict):
    clause = read_log_clause(actor)
    query = select(AuditorRead).where(clause)
    if args.get("enterprise_id") is not None:
        enterprise_id = args["enterprise_id"]
        if not actor.is_platform_admin and enterprise_id not in _enterprises_with(
            actor, LOG_READERS
        ):
            # Existence is not leaked: an enterprise out of scope is 404 before anything else.
            scoping.get_enterprise(actor, enterprise_id)
            if actor.enterprise_ids and not (actor.regulator_ids or actor.agency_ids):
                raise Forbidden("只有企业主要负责人和安全管理人员可以查看查阅记录。")
        query = query.where(AuditorRead.enterprise_id == enterprise_id)
    if args.get("engagement_id") is not None:
        query = query.where(AuditorRead.engagement_id == args["engagement_id"])
    if args.get("user_id") is not None:
        query = query.where(AuditorRead.user_id == args["user_id"])
    return paginate(
        query,
        [AuditorRead.created_at, AuditorRead.id],
        args.get("cursor"),
        args["limit"],
        descending=True,
    )


def read_views(rows: list[AuditorRead]) -> list[dict]:
    users = _user_names([r.user_id for r in rows])
    agencies = _names(Agency, [r.agency_id for r in rows])
    enterprises = _names(Enterprise, [r.enterprise_id for r in rows])
    return [
        {
            "id": r.id,
            "user_id": r.user_id,
            "user_name": users.get(r.user_id, ""),
            "agency_id": r.agency_id,
            "agency_name": agencies.get(r.agency_id, ""),
            "engagement_id": r.engagement_id,
            "enterprise_id": r.enterprise_id,
            "enterprise_name": enterprises.get(r.enterprise_id, ""),
            "method": r.method,
            "path": r.path,
            "subject": read_subject(r.method, r.path),
            "created_at": r.created_at,
        }
        for r in rows
    ]


def has_open_audit_run(actor: Actor, enterprise_id: int) -> bool:
    """An open run of one of the actor's agencies on the enterprise, its engagement valid today
    and still naming the enterprise."""
    if not actor.agency_ids:
        return False
    found = db.session.scalar(
        select(AuditRun.id)
        .join(Engagement, Engagement.id == AuditRun.engagement_id)
        .join(
            EngagementEnterprise,
            (EngagementEnterprise.engagement_id == Engagement.id)
            & (EngagementEnterprise.enterprise_id == AuditRun.enterprise_id),
        )
        .where(
            AuditRun.enterprise_id == enterprise_id,
            AuditRun.agency_id.in_(actor.agency_ids),
            AuditRun.state == "open",
            scoping.valid_engagement(actor.agency_ids),
        )
        .limit(1)
    )
    return found is not None
