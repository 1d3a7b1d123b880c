"""Tables for campaigns, their target enterprises, stage samples and supervision checks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db


class Campaign(db.Model):
    """A campaign (专项整治) of one bureau: notice, checklist version, targets and three stages."""

    __tablename__ = "campaign"
    id: Mapped[int] = mapped_column(primary_key=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    document_no: Mapped[str] = mapped_column(String(80), default="")
    legal_basis: Mapped[str] = mapped_column(String(500), default="")
    notice_text: Mapped[str] = mapped_column(Text, default="")
    checklist_version_id: Mapped[int] = mapped_column(ForeignKey("checklist_version.id"))
    profile: Mapped[str | None] = mapped_column(String(64))
    item_ids: Mapped[list[str] | None] = mapped_column(JSON)
    # {industries, region_codes, size_classes, major_hazard_source, enterprise_ids, exclude_ids}
    target_filter: Mapped[dict] = mapped_column(JSON, default=dict)
    self_check_start: Mapped[date] = mapped_column(Date)
    self_check_end: Mapped[date] = mapped_column(Date)
    supervision_start: Mapped[date] = mapped_column(Date)
    supervision_end: Mapped[date] = mapped_column(Date)
    follow_up_start: Mapped[date] = mapped_column(Date)
    follow_up_end: Mapped[date] = mapped_column(Date)
    supervisor_kind: Mapped[str] = mapped_column(String(16), default="regulator")
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagement.id"))
    state: Mapped[str] = mapped_column(String(16), default="draft")
    # 举一反三: the incident (or hazard) the campaign was started from.
    origin_kind: Mapped[str | None] = mapped_column(String(16))
    origin_id: Mapped[str | None] = mapped_column(String(64))
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    launched_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("state IN ('draft', 'running', 'closed')", name="state_known"),
        CheckConstraint("state = 'draft' OR launched_at IS NOT NULL", name="launched_has_time"),
        CheckConstraint(
            "(supervisor_kind = 'regulator' AND engagement_id IS NULL) OR "
            "(supervisor_kind = 'agency' AND engagement_id IS NOT NULL)",
            name="supervisor_matches",
        ),
        CheckConstraint(
            "self_check_start <= self_check_end AND self_check_end <= supervision_start"
            " AND supervision_start <= supervision_end AND supervision_end <= follow_up_start"
            " AND follow_up_start <= follow_up_end",
            name="stages_ordered",
        ),
        CheckConstraint(
            "origin_kind IS NULL OR origin_kind IN ('incident', 'hazard')", name="origin_known"
        ),
    )


class CampaignTarget(db.Model):
    """One enterprise a campaign reaches, with the task (plan + occurrence) made for it."""

    __tablename__ = "campaign_target"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan.id"))
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("task_occurrence.id"), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(default=clock.now)
    is_late_joiner: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        UniqueConstraint("campaign_id", "enterprise_id", name="uq_campaign_target_enterprise"),
    )


class CampaignSample(db.Model):
    """An enterprise picked for 督导检查 or 回头看 (drawn reproducibly, or chosen)."""

    __tablename__ = "campaign_sample"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    position: Mapped[int]
    seed: Mapped[str | None] = mapped_column(String(64))
    drawn_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    drawn_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        UniqueConstraint("campaign_id", "stage", "enterprise_id", name="uq_campaign_sample_stage"),
        CheckConstraint("stage IN ('supervision', 'follow_up')", name="stage_known"),
    )


class CampaignCheck(db.Model):
    """A bureau's or agency's check of a sampled enterprise against the campaign checklist."""

    __tablename__ = "campaign_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("campaign_sample.id"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    inspector_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # [{item_id, result, note}] in checklist order
    answers: Mapped[list[dict]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (CheckConstraint("stage IN ('supervision', 'follow_up')", name="stage_known"),)
