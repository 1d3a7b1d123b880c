"""Write an outbox event inside the caller's transaction, with one delivery per interested endpoint."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from flask import g, has_request_context
from sqlalchemy import bindparam, insert, select, true

from anxun.core import clock
from anxun.extensions import db
from anxun.orgs.models import Enterprise, Regulator
from anxun.orgs.scoping import regulator_covers
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint


def enqueue(
    event_type: str, enterprise: Enterprise, aggregate_type: str, aggregate_id, payload: dict
):
    """Record an event for the regulators of `enterprise`; delivery happens after commit.

    Returns the event as written (not attached to the session). On PostgreSQL the event's INSERT
    and the read of the active endpoints are one statement (issue #18: every accepted inspection
    writes an event, and usually no endpoint covers it)."""
    values = _event_values(event_type, enterprise, aggregate_type, aggregate_id, payload)
    event_id, endpoints = _insert_event(values)
    _deliver(
        event_id,
        [
            endpoint.id
            for endpoint in endpoints
            if regulator_covers(endpoint, enterprise.region_code, enterprise.industries)
        ],
    )
    return OutboxEvent(id=event_id, **values)


def _event_values(
    event_type: str, enterprise: Enterprise | None, aggregate_type: str, aggregate_id, payload: dict
) -> dict:
    """The event's columns; a platform event (no enterprise) has no enterprise or region."""
    return {
        "idempotency_key": uuid.uuid4(),
        "event_type": event_type,
        "enterprise_id": enterprise.id if enterprise else None,
        "region_code": enterprise.region_code if enterprise else None,
        "aggregate_type": aggregate_type,
        "aggregate_id": str(aggregate_id),
        "payload": payload,
        "created_at": clock.now(),
    }


def _deliver(event_id: int, endpoint_ids: list[int]) -> None:
    """One delivery of the event per endpoint. Only an event somebody will receive wakes the
    dispatcher after commit (issue #18)."""
    if not endpoint_ids:
        return
    db.session.execute(
        insert(OutboxDelivery),
        [{"event_id": event_id, "endpoint_id": endpoint_id} for endpoint_id in endpoint_ids],
    )
    if has_request_context():
        g.setdefault("outbox_event_ids", []).append(event_id)


_ACTIVE_ENDPOINTS = (
    select(RegulatorEndpoint.id, Regulator.region_code, Regulator.industries)
    .join(Regulator, Regulator.id == RegulatorEndpoint.regulator_id)
    .where(RegulatorEndpoint.is_active.is_(True))
)
_EVENT_COLUMNS = (
    "idempotency_key",
    "event_type",
    "enterprise_id",
    "region_code",
    "aggregate_type",
    "aggregate_id",
    "payload",
    "created_at",
)
# Built once: the statements take the event's values as parameters.
_INSERT_EVENT = (
    insert(OutboxEvent)
    .values({column: bindparam(column) for column in _EVENT_COLUMNS})
    .returning(OutboxEvent.id)
)
_WRITTEN = _INSERT_EVENT.cte("written")
_ENDPOINTS = _ACTIVE_ENDPOINTS.subquery("endpoints")
_INSERT_EVENT_READ_ENDPOINTS = (
    select(
        _WRITTEN.c.id.label("event_id"),
        _ENDPOINTS.c.id,
        _ENDPOINTS.c.region_code,
        _ENDPOINTS.c.industries,
    )
    .select_from(_WRITTEN)
    .outerjoin(_ENDPOINTS, true())
)


class Endpoint(NamedTuple):
    """An active endpoint with its regulator's supervision (scoping.Supervision)."""

    id: int
    region_code: str
    industries: list[str] | None


def _insert_event(values: dict) -> tuple[int, list[Endpoint]]:
    """Insert the event; its id and the active endpoints."""
    if db.session.get_bind().dialect.name != "postgresql":  # SQLite: no INSERT in a WITH
        event_id = db.session.execute(_INSERT_EVENT, values).scalar_one()
        return event_id, [Endpoint(*row) for row in db.session.execute(_ACTIVE_ENDPOINTS)]
    rows = db.session.execute(_INSERT_EVENT_READ_ENDPOINTS, values).all()
    endpoints = [Endpoint(*row[1:]) for row in rows if row.id is not None]
    return rows[0].event_id, endpoints


def enqueue_platform(event_type: str, aggregate_type: str, aggregate_id, payload: dict):
    """Record an event about the whole platform (no enterprise) for every active endpoint;
    delivery happens after commit. Returns the event as written (not attached to the session)."""
    values = _event_values(event_type, None, aggregate_type, aggregate_id, payload)
    event_id, endpoints = _insert_event(values)
    _deliver(event_id, [endpoint.id for endpoint in endpoints])
    return OutboxEvent(id=event_id, **values)
