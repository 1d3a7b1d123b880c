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
    for endpoint, regulator in endpoints:
        if regulator_covers(regulator, enterprise.region_code, enterprise.industries):
            db.session.add(OutboxDelivery(event_id=event.id, endpoint_id=endpoint.id))
    db.session.flush()
    if has_request_context():
        g.setdefault("outbox_event_ids", []).append(event.id)
    return event
