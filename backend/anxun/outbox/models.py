"""Tables for outbox events, regulator endpoints and per-endpoint deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db


class OutboxEvent(db.Model):
    """An event for regulators, written in the same transaction as the change itself; platform
    events (audit-chain checkpoints) belong to no enterprise."""

    __tablename__ = "outbox_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    event_type: Mapped[str] = mapped_column(String(48), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    aggregate_type: Mapped[str] = mapped_column(String(32))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class RegulatorEndpoint(db.Model):
    """Where a regulator wants its events delivered, and with which adapter."""

    __tablename__ = "regulator_endpoint"
    id: Mapped[int] = mapped_column(primary_key=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"), index=True)
    adapter: Mapped[str] = mapped_column(String(32))
    config: Mapped[dict] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class OutboxDelivery(db.Model):
    """One event on its way to one endpoint: retried with backoff, dead-lettered after the limit."""

    __tablename__ = "outbox_delivery"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("outbox_event.id"), index=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("regulator_endpoint.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    last_status: Mapped[int | None]
    delivered_at: Mapped[datetime | None]
    # Set while one dispatcher holds the delivery (it is sending); another may take it only once
    # the lease has run out (a crashed worker). The value doubles as the holder's fencing token.
    lease_expires_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("event_id", "endpoint_id", name="once_per_endpoint"),
        CheckConstraint("state IN ('pending', 'delivered', 'skipped', 'dead')", name="state_known"),
    )
