"""Table for in-app notifications."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db


class Notification(db.Model):
    """A message to one user; `dedupe_key` keeps repeated triggers from notifying twice."""

    __tablename__ = "notification"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    kind: Mapped[str] = mapped_column(String(32))
    hazard_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hazard.id"))
    permit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("permit.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(1000), default="")
    dedupe_key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    read_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("user_id", "dedupe_key", name="once_per_user"),)
