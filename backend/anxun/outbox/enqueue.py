"""Write an outbox event inside the caller's transaction, with one delivery per interested endpoint."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from anxun.extensions import db
from anxun.orgs.models import Enterprise, Regulator
from anxun.orgs.scoping import regulator_covers
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint


def enqueue(
    event_type: str, enterprise: Enterprise, aggregate_type: str, aggregate_id, payload: dict
):
    """Record an event for the regulators of `enterprise`; delivery happens after commit."""
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
    endpoints = db.session.execute(
        select(RegulatorEndpoint, Regulator)
        .join(Regulator, Regulator.id == RegulatorEndpoint.regulator_id)
        .where(RegulatorEndpoint.is_active.is_(True))
    ).all()
    deliveries = [
        OutboxDelivery(event_id=event.id, endpoint_id=endpoint.id)
        for endpoint, regulator in endpoints
        if regulator_covers(regulator, enterprise.region_code, enterprise.industries)
    ]
    if deliveries:
        db.session.add_all(deliveries)
        db.session.flush()
        # Only an event somebody will receive wakes the dispatcher after commit (issue #18).
        if has_request_context():
            g.setdefault("outbox_event_ids", []).append(event.id)
    return event


def enqueue_platform(event_type: str, aggregate_type: str, aggregate_id, payload: dict):
    """Record an event about the whole platform (no enterprise) for every active endpoint."""
    event = OutboxEvent(
        event_type=event_type,
        enterprise_id=None,
        region_code=None,
        aggregate_type=aggregate_type,
        aggregate_id=str(aggregate_id),
        payload=payload,
    )
    db.session.add(event)
    db.session.flush()
    endpoint_ids = db.session.scalars(
        select(RegulatorEndpoint.id).where(RegulatorEndpoint.is_active.is_(True))
    ).all()
    if endpoint_ids:
        db.session.add_all(
            OutboxDelivery(event_id=event.id, endpoint_id=endpoint_id)
            for endpoint_id in endpoint_ids
        )
        db.session.flush()
        if has_request_context():
            g.setdefault("outbox_event_ids", []).append(event.id)
    return event
