"""Tables for places, inspection plans, stop periods, task occurrences, media and inspections."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from anxun.core import clock
from anxun.extensions import db


class Place(db.Model):
    """A risk point / check point (风险点/检查点) of an enterprise, with a printable QR label."""

    __tablename__ = "place"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    description: Mapped[str] = mapped_column(String(500), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # Printed on the label and typed in by hand when a camera cannot scan: short, unambiguous.
    qr_token: Mapped[str] = mapped_column(String(16), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        CheckConstraint("kind IN ('unit', 'area', 'equipment')", name="kind_known"),
        UniqueConstraint("enterprise_id", "name", name="name_per_enterprise"),
    )


plan_place = db.Table(
    "plan_place",
    db.Column("plan_id", ForeignKey("inspection_plan.id", ondelete="CASCADE"), primary_key=True),
    db.Column("place_id", ForeignKey("place.id"), primary_key=True),
)


class InspectionPlan(db.Model):
    """An inspection task (排查任务): which checklist, where, by whom, how often."""

    __tablename__ = "inspection_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    checklist_code: Mapped[str] = mapped_column(String(64))
    profile: Mapped[str | None] = mapped_column(String(64))
    item_ids: Mapped[list[str] | None] = mapped_column(JSON)
    inspection_type: Mapped[str] = mapped_column(String(16))
    frequency_every: Mapped[int]
    frequency_unit: Mapped[str] = mapped_column(String(8))
    day_type: Mapped[str] = mapped_column(String(16), default="every_day")
    work_start: Mapped[time | None] = mapped_column(Time)
    work_end: Mapped[time | None] = mapped_column(Time)
    shifts: Mapped[list[dict]] = mapped_column(JSON, default=list)
    anchor_at: Mapped[datetime]
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    assignee_role: Mapped[str | None] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    places: Mapped[list[Place]] = relationship(
        secondary=plan_place, lazy="selectin", order_by=Place.id
    )

    __table_args__ = (
        CheckConstraint("frequency_every >= 1", name="every_positive"),
        CheckConstraint(
            "frequency_unit IN ('hour', 'shift', 'day', 'week', 'month', 'quarter', 'year')",
            name="unit_known",
        ),
        CheckConstraint(
            "day_type IN ('every_day', 'workdays', 'non_workdays')", name="day_type_known"
        ),
        CheckConstraint(
            "assignee_user_id IS NOT NULL OR assignee_role IS NOT NULL", name="has_assignee"
        ),
    )


class StopPeriod(db.Model):
    """A unit shut down (停用/检修): tasks whose whole window falls inside it are not due."""

    __tablename__ = "stop_period"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (CheckConstraint("start_at < end_at", name="ordered"),)


class TaskOccurrence(db.Model):
    """One due window of a plan at one place; done when an inspection names it."""

    __tablename__ = "task_occurrence"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    due_start: Mapped[datetime] = mapped_column(index=True)
    due_end: Mapped[datetime] = mapped_column(index=True)
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    done_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("plan_id", "place_id", "due_start", name="one_per_window"),
        CheckConstraint("due_start < due_end", name="ordered"),
        CheckConstraint(
            "(done_at IS NULL AND inspection_id IS NULL) OR "
            "(done_at IS NOT NULL AND inspection_id IS NOT NULL)",
            name="done_has_inspection",
        ),
    )


class Media(db.Model):
    """A photo uploaded from a device, stored content-addressed on disk (keyed by client UUID)."""

    __tablename__ = "media"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    uploaded_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    storage_path: Mapped[str] = mapped_column(String(255))
    thumb_path: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        CheckConstraint(
            "content_type IN ('image/jpeg', 'image/png', 'image/webp')", name="type_known"
        ),
    )


# Who made an inspection (inspection.source, CHECK source_known) and its name on screen and paper.
SOURCE_LABELS = {"self_inspection": "企业自查", "agency": "第三方审核", "regulator": "监管检查"}


class Inspection(db.Model):
    """One filled-in checklist (排查记录); immutable once accepted, corrected by a new record."""

    __tablename__ = "inspection"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # Looked up through ix_inspection_enterprise_finished (enterprise first): no index of its own.
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    checklist_version_id: Mapped[int] = mapped_column(ForeignKey("checklist_version.id"))
    task_occurrence_id: Mapped[int | None] = mapped_column(ForeignKey("task_occurrence.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    qr_scanned: Mapped[bool] = mapped_column(default=False)
    inspection_type: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16), default="self_inspection")
    # Set for an agency's inspection made as part of an audit run.
    audit_run_id: Mapped[int | None] = mapped_column(ForeignKey("audit_run.id"), index=True)
    inspector_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=clock.now)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    gps_accuracy: Mapped[float | None]
    device_id: Mapped[str] = mapped_column(String(64), default="")
    signature_media_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("media.id"))
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection.id"))
    payload_digest: Mapped[str] = mapped_column(String(64))
    summary: Mapped[dict] = mapped_column(JSON)
    flags: Mapped[list[dict]] = mapped_column(JSON, default=list)

    answers: Mapped[list[InspectionAnswer]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InspectionAnswer.position"
    )

    __table_args__ = (
        CheckConstraint("started_at <= finished_at", name="times_ordered"),
        CheckConstraint(
            "source IN ('self_inspection', 'agency', 'regulator')", name="source_known"
        ),
        Index("ix_inspection_enterprise_finished", "enterprise_id", "finished_at"),
    )


class InspectionAnswer(db.Model):
    """The answer to one check item: the inspector's choice and the effective result."""

    __tablename__ = "inspection_answer"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up through one_per_item (inspection first): no index of its own, one index entry
    # less per stored answer (issue #18).
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    item_id: Mapped[str] = mapped_column(String(64))
    entered_result: Mapped[str] = mapped_column(String(8))
    result: Mapped[str] = mapped_column(String(8))
    value: Mapped[object | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    media_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    deduction: Mapped[float | None] = mapped_column(Numeric(6, 2))

    __table_args__ = (
        UniqueConstraint("inspection_id", "item_id", name="one_per_item"),
        CheckConstraint("result IN ('pass', 'fail', 'na')", name="result_known"),
        CheckConstraint("entered_result IN ('pass', 'fail', 'na')", name="entered_known"),
    )
