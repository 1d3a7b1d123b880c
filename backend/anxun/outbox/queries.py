"""Read queries: the pull feed for a regulator's jurisdiction, endpoints and deliveries."""

from __future__ import annotations

from sqlalchemy import or_, select

from anxun.accounts.roles import REGULATOR_ROLES, Role
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.outbox.dispatcher import envelope
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint


def feed(actor: Actor, cursor: str | None, limit: int):
    """Events of enterprises the regulator supervises and platform events (audit-chain
    checkpoints, which every regulator may witness), oldest first, resumable by cursor."""
    if not actor.is_platform_admin and not any(
        actor.regulator_roles(r) & REGULATOR_ROLES for r in actor.regulator_ids
    ):
        raise Forbidden("只有监管部门可以获取事件推送。")
    visible = select(Enterprise.id).where(scoping.enterprise_clause(actor))
    query = select(OutboxEvent).where(
        or_(OutboxEvent.enterprise_id.in_(visible), OutboxEvent.enterprise_id.is_(None))
    )
    rows, next_cursor = paginate(query, [OutboxEvent.id], cursor, limit)
    return [envelope(e) | {"sequence": e.id} for e in rows], next_cursor


def endpoints(actor: Actor):
    regulator = scoping.regulator_for(actor, {Role.regulator_admin})
    return db.session.scalars(
        select(RegulatorEndpoint)
        .where(RegulatorEndpoint.regulator_id == regulator.id)
        .order_by(RegulatorEndpoint.id)
    ).all()


def deliveries(actor: Actor, state: str | None):
    regulator = scoping.regulator_for(actor, {Role.regulator_admin})
    query = (
        select(OutboxDelivery, OutboxEvent)
        .join(OutboxEvent, OutboxEvent.id == OutboxDelivery.event_id)
        .join(RegulatorEndpoint, RegulatorEndpoint.id == OutboxDelivery.endpoint_id)
        .where(RegulatorEndpoint.regulator_id == regulator.id)
    )
    if state:
        query = query.where(OutboxDelivery.state == state)
    return db.session.execute(query.order_by(OutboxDelivery.id.desc()).limit(500)).all()


DELIVERY_FIELDS = (
    "id",
    "event_id",
    "endpoint_id",
    "state",
    "attempts",
    "next_attempt_at",
    "last_error",
    "last_status",
    "delivered_at",
)


def delivery_view(delivery: OutboxDelivery, event: OutboxEvent | None = None) -> dict:
    event = event or db.session.get(OutboxEvent, delivery.event_id)
    return {key: getattr(delivery, key) for key in DELIVERY_FIELDS} | {
        "event_type": event.event_type,
    }
