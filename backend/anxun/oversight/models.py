"""Tables for the regulators' side."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db


class EnforcementRecord(db.Model):
    """约谈 (interview) or 停产整顿 (suspension and rectification) of an enterprise by a regulator.

    Either acts as a veto on the enterprise grade while it is in effect.
    """

    __tablename__ = "enforcement_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"))
    kind: Mapped[str] = mapped_column(String(16))
    reference_no: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date] = mapped_column(Date)
    # A suspension ends when the regulator allows production again; an interview counts for a year.
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        CheckConstraint("kind IN ('interview', 'suspension')", name="kind_known"),
        CheckConstraint("ends_on IS NULL OR ends_on >= decided_on", name="dates_ordered"),
    )
