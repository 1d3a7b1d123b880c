"""How the audits domain answers other domains' questions about audit runs (core/events.py)."""

from __future__ import annotations

from anxun.audits import queries, services
from anxun.core import events
from anxun.inspections.events import AuditedEnterprise, HasOpenAuditRun


def audited_enterprise(question: AuditedEnterprise) -> int:
    """An auditor's inspection belongs to an open run of their agency (services'
    audit_run_for_inspection refuses anything else): the enterprise the run audits."""
    run = services.audit_run_for_inspection(
        question.actor, question.audit_run_id, question.enterprise_id
    )
    return run.enterprise_id


def has_open_audit_run(question: HasOpenAuditRun) -> bool:
    return queries.has_open_audit_run(question.actor, question.enterprise_id)


def register() -> None:
    events.subscribe(AuditedEnterprise, audited_enterprise)
    events.subscribe(HasOpenAuditRun, has_open_audit_run)
