"""Tables for standard changes and the items each one lists to re-judge."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db

SUBJECTS = ("hazard", "plan", "assessment")


class StandardChange(db.Model):
    """A new version that replaced an earlier one: a checklist, or a band table."""

    __tablename__ = "standard_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    old_label: Mapped[str] = mapped_column(String(40))
    new_label: Mapped[str] = mapped_column(String(40))
    old_checklist_version_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_version.id"))
    new_checklist_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("checklist_version.id"), index=True
    )
    old_band_table_id: Mapped[int | None] = mapped_column(ForeignKey("band_table_config.id"))
    new_band_table_id: Mapped[int | None] = mapped_column(ForeignKey("band_table_config.id"))
    # Counts of the diff: added, removed, changed items and items to re-judge.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    __table_args__ = (
        CheckConstraint("kind IN ('checklist', 'band_table')", name="kind_known"),
        CheckConstraint(
            "(kind = 'checklist' AND new_checklist_version_id IS NOT NULL) OR "
            "(kind = 'band_table' AND new_band_table_id IS NOT NULL)",
            name="kind_has_version",
        ),
    )


class RejudgeItem(db.Model):
    """One thing an enterprise must judge again after a standard change; resolved, never deleted."""

    __tablename__ = "rejudge_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    standard_change_id: Mapped[int] = mapped_column(ForeignKey("standard_change.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    subject: Mapped[str] = mapped_column(String(16))
    hazard_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hazard.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_plan.id"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("risk_assessment.id"))
    item_id: Mapped[str | None] = mapped_column(String(64))
    # What changed, in Chinese, for the person who decides; `change` holds old → new values.
    reason: Mapped[str] = mapped_column(Text)
    change: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    resolved_at: Mapped[datetime | None]
    resolved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    resolution: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("subject IN ('hazard', 'plan', 'assessment')", name="subject_known"),
        CheckConstraint(
            "(subject = 'hazard' AND hazard_id IS NOT NULL) OR "
            "(subject = 'plan' AND plan_id IS NOT NULL) OR "
            "(subject = 'assessment' AND assessment_id IS NOT NULL)",
            name="subject_has_row",
        ),
        CheckConstraint(
            "(resolved_at IS NULL) = (resolved_by_user_id IS NULL)", name="resolved_has_actor"
        ),
        Index("ix_rejudge_item_enterprise_open", "enterprise_id", "resolved_at"),
    )
