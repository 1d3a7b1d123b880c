"""Write an outbox event inside the caller's transaction (delivery happens after commit)."""

from __future__ import annotations

from anxun.extensions import db
from anxun.orgs.models import Enterprise
from anxun.outbox.models import OutboxEvent


def enqueue(
    event_type: str, enterprise: Enterprise, aggregate_type: str, aggregate_id, payload: dict
):
    event = OutboxEvent(
        event_type=event_type,
        enterprise_id=enterprise.id,
        region_code=enterprise.region_code,
        aggregate_type=aggregate_type,
        aggregate_id=str(aggregate_id),
        payload=payload,
    )
    db.session.add(event)
    db.session.flush()
    return event
