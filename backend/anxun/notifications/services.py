"""In-app notifications: written once per person and trigger, listed and marked read by their owner."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update

from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.db import insert_skipping_conflicts
from anxun.core.errors import NotFound
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.notifications.models import Notification

KIND_LABELS = {
    "reported": "新隐患待确认",
    "assigned": "整改任务",
    "approval_requested": "治理方案待批准",
    "verification_requested": "整改待验收",
    "rejected": "驳回或退回",
    "deadline_soon": "整改期限将至",
    "overdue": "隐患已超期",
    "order_issued": "整改指令待签收",
    "order_acknowledged": "整改指令已签收",
    "order_escalated": "整改指令逾期未签收",
    "follow_up_due": "整改复查到期",
    "patrol_submitted": "巡查待审核",
    "incident_reported": "事故信息报告",
    "supervision_changed": "监管部门变更",
    "standard_change": "标准变更需重新判定",
    "standard_change_summary": "标准变更汇总",
    "regraded": "隐患已重新定级",
    "evidence_requested": "远程核查待回应",
    "reanalysis_due": "作业票复检将到期",
}


def notify(
    user_ids: Iterable[int | None],
    enterprise_id: int,
    kind: str,
    hazard,
    title: str,
    body: str,
    dedupe_key: str,
    permit_id=None,
) -> list[Notification]:
    """Notify each person once per `dedupe_key`; returns the notifications actually written.

    Called inside the service that caused the notification, which audits that change; a
    notification is a consequence of it, not a change of its own.
    """
    wanted = [u for u in dict.fromkeys(user_ids) if u is not None]
    if not wanted:
        return []
    rows = [
        {
            "user_id": user_id,
            "enterprise_id": enterprise_id,
            "kind": kind,
            "hazard_id": hazard.id if hazard is not None else None,
            "permit_id": permit_id,
            "title": title[:200],
            "body": body[:1000],
            "dedupe_key": dedupe_key[:120],
            "created_at": clock.now(),
        }
        for user_id in wanted
    ]
    # One statement: whoever already has this key is skipped by the unique constraint (also when
    # another transaction wrote it a moment ago), the others' rows come back (issue #18).
    statement = insert_skipping_conflicts(
        db.session, Notification, ["user_id", "dedupe_key"]
    ).returning(Notification)
    return list(db.session.scalars(statement, rows))


def list_notifications(actor: Actor, args: dict):
    """The caller's own notifications, newest first; `unread` keeps only those not yet read."""
    query = select(Notification).where(Notification.user_id == actor.user_id)
    if args.get("unread"):
        query = query.where(Notification.read_at.is_(None))
    return paginate(query, [Notification.id], args.get("cursor"), args["limit"], descending=True)


def mark_read(actor: Actor, notification_id: int) -> Notification:
    """Mark one of the caller's notifications read; someone else's is 404 (not leaked)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.user_id:
        raise NotFound("未找到该消息。")
    if notification.read_at is None:
        notification.read_at = clock.now()
        db.session.flush()
        audit.record(actor, "read_notification", "notification", notification.id, {})
    return notification


def mark_all_read(actor: Actor) -> int:
    """Mark every unread notification of the caller read; returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    if result.rowcount:
        audit.record(
            actor, "read_all_notifications", "notification", "*", {"count": result.rowcount}
        )
    return result.rowcount
