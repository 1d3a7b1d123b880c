"""Deliver outbox events: one delivery per event × endpoint, retried with exponential backoff and
dead-lettered after the endpoint's attempt limit. The same code runs in the embedded worker thread,
in RQ workers (production) and from `flask anxun outbox dispatch`.

No transaction stays open while a platform is called: a delivery is claimed (a lease) in one short
transaction, its calls are built in a second, sent with the database closed, and the outcome is
written in a third, only if this dispatcher still holds the lease. Several dispatchers, threads or
processes, can therefore run side by side and each delivery is sent by one of them at a time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g, has_request_context
from sqlalchemy import or_, select, update

from anxun.core import clock
from anxun.extensions import db
from anxun.orgs.models import Enterprise
from anxun.outbox.adapters import DeliveryError, NotApplicable, get_adapter
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint

log = logging.getLogger(__name__)
DEFAULT_MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
# How long a claimed delivery is held: longer than any adapter's calls take (a hazchem_chain event
# makes up to six calls of at most timeout_seconds each); after it, a crashed holder's delivery is
# taken by another dispatcher.
LEASE = timedelta(minutes=5)
EMPTY_COUNTS = {"delivered": 0, "pending": 0, "dead": 0, "skipped": 0}


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s, … capped at an hour."""
    return timedelta(seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempts - 1)))


def envelope(event: OutboxEvent) -> dict:
    """The body every adapter receives; `enterprise` is None for platform events."""
    enterprise = (
        db.session.get(Enterprise, event.enterprise_id) if event.enterprise_id is not None else None
    )
    return {
        "id": str(event.idempotency_key),
        "type": event.event_type,
        "occurred_at": event.created_at.isoformat(),
        "enterprise": {
            "id": enterprise.id,
            "uscc": enterprise.uscc,
            "name": enterprise.name,
            "region_code": enterprise.region_code,
        }
        if enterprise is not None
        else None,
        "aggregate": {"type": event.aggregate_type, "id": event.aggregate_id},
        "payload": event.payload,
    }


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: "delivered", "skipped" or "failed", with status and error."""

    result: str
    status: int | None = None
    error: str = ""


def _due(now: datetime):
    return (
        OutboxDelivery.state == "pending",
        OutboxDelivery.next_attempt_at <= now,
        or_(OutboxDelivery.lease_expires_at.is_(None), OutboxDelivery.lease_expires_at <= now),
    )


def due_endpoint_ids(now: datetime | None = None) -> list[int]:
    """Endpoints that have a delivery waiting to be sent (one short read)."""
    now = now or clock.now()
    ids = db.session.scalars(
        select(OutboxDelivery.endpoint_id).where(*_due(now)).distinct().order_by("endpoint_id")
    ).all()
    db.session.commit()
    return list(ids)


def claim_next(now: datetime, event_ids=None, endpoint_id=None) -> tuple[int, datetime] | None:
    """Lease the oldest due delivery in a transaction of its own; None when nothing is due.

    The conditional UPDATE is the claim: of two dispatchers that picked the same row, the second
    matches nothing once the first has set its lease (SQLite has no SELECT … FOR UPDATE). The new
    lease is always later than any earlier one, so its value identifies this holder."""
    while True:
        query = select(OutboxDelivery.id).where(*_due(now))
        if event_ids is not None:
            query = query.where(OutboxDelivery.event_id.in_(list(event_ids)))
        if endpoint_id is not None:
            query = query.where(OutboxDelivery.endpoint_id == endpoint_id)
        delivery_id = db.session.scalar(query.order_by(OutboxDelivery.id).limit(1))
        if delivery_id is None:
            db.session.commit()
            return None
        lease = now + LEASE
        claimed = db.session.execute(
            update(OutboxDelivery)
            .where(OutboxDelivery.id == delivery_id, *_due(now))
            .values(lease_expires_at=lease)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed:
            return delivery_id, lease


def attempt(delivery_id: int) -> Outcome:
    """Build the delivery's calls (a short read, then the transaction ends) and make them."""
    delivery = db.session.get(OutboxDelivery, delivery_id)
    endpoint = db.session.get(RegulatorEndpoint, delivery.endpoint_id)
    try:
        adapter = get_adapter(endpoint.adapter, endpoint.config)
        posts = adapter.prepare(envelope(db.session.get(OutboxEvent, delivery.event_id)))
    except NotApplicable as exc:
        return Outcome("skipped", None, str(exc))
    except DeliveryError as exc:
        return Outcome("failed", exc.status, str(exc))
    finally:
        db.session.commit()  # nothing written: this only ends the read before the network
    try:
        return Outcome("delivered", adapter.transmit(posts))
    except DeliveryError as exc:
        return Outcome("failed", exc.status, str(exc))


def record(delivery_id: int, lease: datetime, outcome: Outcome, now: datetime) -> str | None:
    """Write an attempt's outcome if the lease is still ours; the state it leaves, else None."""
    delivery = db.session.get(OutboxDelivery, delivery_id, populate_existing=True)
    if delivery.state != "pending" or delivery.lease_expires_at != lease:
        db.session.commit()
        log.warning("delivery %s: lease lost, outcome %s dropped", delivery_id, outcome.result)
        return None
    delivery.attempts += 1
    delivery.lease_expires_at = None
    delivery.last_status = outcome.status
    delivery.last_error = outcome.error[:500]
    if outcome.result == "delivered":
        delivery.state = "delivered"
        delivery.delivered_at = now
    elif outcome.result == "skipped":
        # Nothing to send to this platform: closed at once, the reason stays visible in the row.
        delivery.state = "skipped"
    else:
        endpoint = db.session.get(RegulatorEndpoint, delivery.endpoint_id)
        limit = int(endpoint.config.get("max_attempts", DEFAULT_MAX_ATTEMPTS))
        if delivery.attempts >= limit:
            delivery.state = "dead"
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    state = delivery.state
    db.session.commit()
    return state


def dispatch_due(
    now: datetime | None = None, limit: int = 100, event_ids=None, endpoint_id=None
) -> dict:
    """Attempt pending deliveries that are due, one claim at a time (optionally only for some
    events or one endpoint); counts by the state each attempt left."""
    counts = dict(EMPTY_COUNTS)
    for _ in range(limit):
        moment = now or clock.now()
        claim = claim_next(moment, event_ids, endpoint_id)
        if claim is None:
            break
        outcome = attempt(claim[0])
        state = record(claim[0], claim[1], outcome, now or clock.now())
        if state is not None:
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
    delivery.lease_expires_at = None
    db.session.flush()
    if has_request_context():  # the request's commit wakes the dispatcher, as after an enqueue
        g.setdefault("outbox_event_ids", []).append(delivery.event_id)
    return delivery


def dispatch_job(event_ids: list[int]) -> dict:
    """RQ job entry point: runs in a worker with its own app context."""
    from anxun.app import create_app

    app = create_app()
    with app.app_context():
        return dispatch_due(event_ids=event_ids)
