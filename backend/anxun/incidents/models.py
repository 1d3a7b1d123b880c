"""Tables for incidents and their reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from anxun.core import clock
from anxun.extensions import db


class Incident(db.Model):
    """A production safety incident (生产安全事故) as the enterprise reported it."""

    __tablename__ = "incident"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    location: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    reported_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Server time the quick report arrived: lateness is judged on it, not on the device clock.
    first_reported_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)

    reports: Mapped[list[IncidentReport]] = relationship(
        lazy="selectin", order_by="IncidentReport.sequence", viewonly=True
    )

    __table_args__ = (
        CheckConstraint("occurred_at <= first_reported_at", name="occurred_before_report"),
    )


class IncidentReport(db.Model):
    """The quick report (sequence 1) or a follow-up report (续报) of an incident."""

    __tablename__ = "incident_report"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(default=clock.now)
    deaths: Mapped[int] = mapped_column(default=0)
    injuries: Mapped[int] = mapped_column(default=0)
    missing: Mapped[int] = mapped_column(default=0)
    direct_loss_estimate: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    description: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text, default="")
    reported_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    payload_digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("incident_id", "sequence", name="one_per_sequence"),
        CheckConstraint("kind IN ('quick', 'follow_up')", name="kind_known"),
        CheckConstraint(
            "(kind = 'quick' AND sequence = 1) OR (kind = 'follow_up' AND sequence > 1)",
            name="quick_comes_first",
        ),
        CheckConstraint("deaths >= 0 AND injuries >= 0 AND missing >= 0", name="counts_positive"),
    )
