"""The auditors' read log: every successful request in which an agency's auditor read an engaged
enterprise's data leaves one AuditorRead row per enterprise, in the request's own transaction.

Nothing has to remember to call this. While an auditor's request runs, every ORM SELECT is
watched (`do_orm_execute`): any returned entity bound to an enterprise (an `enterprise_id`
attribute, or an Enterprise itself) and any `enterprise_id` column marks that enterprise as read.
An after-request hook (registered after the request transaction, so it runs before the commit)
keeps the marks of enterprises the auditor reaches through an engagement and writes the rows; a
failed request (4xx/5xx) rolls back and leaves none.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from anxun.audits.models import AgencyCertificate, AuditorRead
from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.orgs.models import Engagement, EngagementEnterprise, Enterprise

MARKS = "auditor_read_enterprise_ids"
# Rows about the engagement itself or the log are not the enterprise's data.
NOT_ENTERPRISE_DATA = (AuditorRead, AgencyCertificate, Engagement, EngagementEnterprise)
PATH_LENGTH = 500


def _watching() -> set[int] | None:
    """The marks of the running auditor request, or None when nothing is to be logged."""
    if not has_request_context() or g.get("auditor_reads_written"):
        return None
    actor = g.get("actor")
    if actor is None or not actor.agency_ids or actor.is_platform_admin:
        return None
    return g.setdefault(MARKS, set())


def _enterprise_of(value) -> int | None:
    if isinstance(value, Enterprise):
        return value.id
    if isinstance(value, db.Model) and not isinstance(value, NOT_ENTERPRISE_DATA):
        enterprise_id = getattr(value, "enterprise_id", None)
        return enterprise_id if isinstance(enterprise_id, int) else None
    return None


def _mark_rows(state: ORMExecuteState):
    marks = _watching()
    if marks is None or not state.is_select:
        return None
    options = state.execution_options
    if options.get("yield_per") or options.get("stream_results"):
        return None
    frozen = state.invoke_statement().freeze()
    for row in frozen().all():
        for name, value in zip(row._fields, row, strict=False):
            found = _enterprise_of(value)
            if found is None and name == "enterprise_id" and isinstance(value, int):
                found = value
            if found is not None:
                marks.add(found)
    return frozen()


def record_reads(actor: Actor, enterprise_ids: set[int], method: str, path: str) -> list:
    """Write one AuditorRead per enterprise the actor reached through an engagement (its own
    enterprises, if any, are not auditor reads)."""
    from anxun.orgs.scoping import engaged_enterprises

    engaged = engaged_enterprises(actor.agency_ids)
    rows = []
    for enterprise_id in sorted(enterprise_ids - actor.enterprise_ids):
        engagement = engaged.get(enterprise_id)
        if engagement is None:
            continue
        rows.append(
            AuditorRead(
                user_id=actor.user_id,
                agency_id=engagement.agency_id,
                engagement_id=engagement.id,
                enterprise_id=enterprise_id,
                method=method[:8],
                path=path[:PATH_LENGTH],
            )
        )
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _write_marks(response):
    marks = g.pop(MARKS, None)
    g.auditor_reads_written = True
    if marks and response.status_code < 400:
        query = request.query_string.decode(errors="replace")
        path = request.path + (f"?{query}" if query else "")
        record_reads(g.actor, marks, request.method, path)
    return response


def register(app: Flask) -> None:
    """Call after core.uow.register_request_transaction: Flask runs after-request hooks in
    reverse order, so the rows join the transaction that the request's commit closes."""
    if not event.contains(Session, "do_orm_execute", _mark_rows):
        event.listen(Session, "do_orm_execute", _mark_rows)
    app.after_request(_write_marks)
