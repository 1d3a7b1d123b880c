"""Deliver outbox events: one delivery per event × endpoint, retried with exponential backoff and
dead-lettered after the endpoint's attempt limit. The same code runs inline (embedded mode) and in
RQ workers (production)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from anxun.core import clock
from anxun.extensions import db
from anxun.orgs.models import Enterprise
from anxun.outbox.adapters import DeliveryError, NotApplicable, get_adapter
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint

log = logging.getLogger(__name__)
DEFAULT_MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s, … capped at an hour."""
    return timedelta(seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempts - 1)))


def envelope(event: OutboxEvent) -> dict:
    enterprise = db.session.get(Enterprise, event.enterprise_id)
    return {
        "id": str(event.idempotency_key),
        "type": event.event_type,
        "occurred_at": event.created_at.isoformat(),
        "enterprise": {
            "id": enterprise.id,
            "uscc": enterprise.uscc,
            "name": enterprise.name,
            "region_code": enterprise.region_code,
        },
        "aggregate": {"type": event.aggregate_type, "id": event.aggregate_id},
        "payload": event.payload,
    }


def attempt(delivery: OutboxDelivery, now: datetime) -> str:
    """Try one delivery once; update its state. The caller commits."""
    endpoint = db.session.get(RegulatorEndpoint, delivery.endpoint_id)
    event = db.session.get(OutboxEvent, delivery.event_id)
    delivery.attempts += 1
    try:
        status = get_adapter(endpoint.adapter, endpoint.config).send(envelope(event))
    except NotApplicable as exc:
        # Nothing to send to this platform: closed at once, the reason stays visible in the row.
        delivery.state = "skipped"
        delivery.last_status = None
        delivery.last_error = str(exc)[:500]
        return delivery.state
    except DeliveryError as exc:
        delivery.last_error = str(exc)[:500]
        delivery.last_status = exc.status
        limit = int(endpoint.config.get("max_attempts", DEFAULT_MAX_ATTEMPTS))
        if delivery.attempts >= limit:
            delivery.state = "dead"
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        return delivery.state
    delivery.state = "delivered"
    delivery.delivered_at = now
    delivery.last_status = status
    delivery.last_error = ""
    return delivery.state


def dispatch_due(now: datetime | None = None, limit: int = 100, event_ids=None) -> dict:
    """Attempt every pending delivery that is due (optionally only for some events)."""
    now = now or clock.now()
    query = select(OutboxDelivery.id).where(
        OutboxDelivery.state == "pending", OutboxDelivery.next_attempt_at <= now
    )
    if event_ids is not None:
        query = query.where(OutboxDelivery.event_id.in_(list(event_ids)))
    ids = db.session.scalars(query.order_by(OutboxDelivery.id).limit(limit)).all()
    counts = {"delivered": 0, "pending": 0, "dead": 0, "skipped": 0}
    for delivery_id in ids:
        delivery = db.session.get(OutboxDelivery, delivery_id, with_for_update=True)
        if delivery is None or delivery.state != "pending":
            continue
        state = attempt(delivery, now)
        db.session.commit()
        counts[state] += 1
    return counts


def replay(delivery_id: int) -> OutboxDelivery:
    """Put a dead (or delivered) delivery back in the queue; the receiver dedupes by idempotency key."""
    delivery = db.session.get(OutboxDelivery, delivery_id)
    if delivery is None:
        raise LookupError(delivery_id)
    delivery.state = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = clock.now()
    db.session.flush()
    return delivery


def dispatch_job(event_ids: list[int]) -> dict:
    """RQ job entry point: runs in a worker with its own app context."""
    from anxun.app import create_app

    app = create_app()
    with app.app_context():
        return dispatch_due(event_ids=event_ids)
