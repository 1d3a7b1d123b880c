"""The daily safety commitment table: one signed announcement per enterprise and day."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db


class SafetyCommitment(db.Model):
    """安全风险研判与承诺公告 of one day, signed by the enterprise head (client UUID id)."""

    __tablename__ = "safety_commitment"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    commit_date: Mapped[date] = mapped_column(Date, index=True)
    # [{risk_object_id, name, status}] status: running / stopped / maintenance
    hazard_sources: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # {kind: count} over commitments.rules.SPECIAL_WORK_KINDS
    special_work: Mapped[dict] = mapped_column(JSON, default=dict)
    maintenance_jobs: Mapped[int] = mapped_column(default=0)
    contractor_jobs: Mapped[int] = mapped_column(default=0)
    is_startup: Mapped[bool] = mapped_column(default=False)
    is_shutdown: Mapped[bool] = mapped_column(default=False)
    is_trial_run: Mapped[bool] = mapped_column(default=False)
    open_major_hazards: Mapped[int] = mapped_column(default=0)
    risk_grade: Mapped[str] = mapped_column(String(8))
    content: Mapped[str] = mapped_column(Text)
    signed_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    signer_name: Mapped[str] = mapped_column(String(40))
    signed_at: Mapped[datetime] = mapped_column(default=clock.now)
    is_late: Mapped[bool] = mapped_column(default=False)
    payload_digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("enterprise_id", "commit_date", name="uq_safety_commitment_day"),
        CheckConstraint("risk_grade IN ('major', 'high', 'moderate', 'low')", name="grade_known"),
        CheckConstraint(
            "maintenance_jobs >= 0 AND contractor_jobs >= 0 AND open_major_hazards >= 0",
            name="counts_not_negative",
        ),
    )
