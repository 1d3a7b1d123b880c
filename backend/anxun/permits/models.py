"""Tables for special-work permits, their measures, readings, approvals and history."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from anxun.core import clock
from anxun.extensions import db

KINDS_SQL = (
    "'hot_work', 'confined_space', 'blinding', 'height', 'lifting', 'temporary_power', "
    "'excavation', 'road_closure'"
)
STATES_SQL = (
    "'draft', 'analysis', 'approval', 'approved', 'active', 'suspended', 'closed', 'cancelled', "
    "'expired'"
)


class Permit(db.Model):
    """A special-work permit (特殊作业票): one kind of work at one place in one time window."""

    __tablename__ = "permit"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str] = mapped_column(String(8))
    # Why the grade is higher than requested (night, rest day, holiday: GB 30871—2022 5.1.1).
    grade_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    # 动火方式 and the like (电焊、气割、打磨…), printed on the form.
    work_method: Mapped[str] = mapped_column(String(100), default="", server_default="")
    valid_from: Mapped[datetime] = mapped_column(index=True)
    valid_to: Mapped[datetime] = mapped_column(index=True)
    applicant_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    guardian_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    workers: Mapped[list] = mapped_column(JSON)
    related_permit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("permit.id"))
    is_inside_confined_space: Mapped[bool] = mapped_column(default=False)
    medium: Mapped[str] = mapped_column(String(100), default="")
    lel_percent: Mapped[float | None] = mapped_column(Float)
    toxic_substances: Mapped[list] = mapped_column(JSON, default=list)
    checklist_version: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(12), index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The columns keep their first names; the API and the code say …media_ids (docs/api.md).
    close_media_ids: Mapped[list] = mapped_column("close_photo_ids", JSON, default=list)
    is_site_checked: Mapped[bool] = mapped_column(default=False)

    measures: Mapped[list[PermitMeasure]] = relationship(
        lazy="selectin", order_by="PermitMeasure.code", viewonly=True
    )
    readings: Mapped[list[GasReading]] = relationship(
        lazy="selectin", order_by="GasReading.taken_at", viewonly=True
    )
    approvals: Mapped[list[PermitApproval]] = relationship(
        lazy="selectin", order_by="PermitApproval.sequence", viewonly=True
    )
    transitions: Mapped[list[PermitTransition]] = relationship(
        lazy="selectin", order_by="PermitTransition.id", viewonly=True
    )

    __table_args__ = (
        CheckConstraint(f"kind IN ({KINDS_SQL})", name="kind_known"),
        CheckConstraint(f"state IN ({STATES_SQL})", name="state_known"),
        CheckConstraint("valid_from < valid_to", name="window_ordered"),
        CheckConstraint(
            "state NOT IN ('active', 'suspended', 'closed') OR started_at IS NOT NULL",
            name="started_has_time",
        ),
        CheckConstraint(
            "state != 'closed' OR (closed_at IS NOT NULL AND is_site_checked)",
            name="closed_has_check",
        ),
    )


class PermitMeasure(db.Model):
    """One safety measure of the permit's checklist, confirmed at the place (QR) with photos."""

    __tablename__ = "permit_measure"
    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("permit.id"), index=True)
    # The phone's UUID of the latest confirmation: a replay from its outbox answers it again.
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    code: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(300))
    is_met: Mapped[bool]
    note: Mapped[str] = mapped_column(String(500), default="")
    # The column keeps its first name; the API and the code say media_ids (docs/api.md).
    media_ids: Mapped[list] = mapped_column("photo_ids", JSON, default=list)
    confirmed_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=clock.now)
    hazard_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (UniqueConstraint("permit_id", "code", name="one_per_code"),)


class GasReading(db.Model):
    """One gas analysis reading: value, unit, analyst, instrument, time and its judgement."""

    __tablename__ = "permit_gas_reading"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    permit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("permit.id"), index=True)
    gas: Mapped[str] = mapped_column(String(16))
    substance: Mapped[str] = mapped_column(String(16), default="")
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(8))
    analyst_name: Mapped[str] = mapped_column(String(50))
    instrument: Mapped[str] = mapped_column(String(100))
    sampling_point: Mapped[str] = mapped_column(String(100), default="")
    taken_at: Mapped[datetime]
    is_within_limit: Mapped[bool]
    limit_text: Mapped[str] = mapped_column(String(100))
    judgement: Mapped[str] = mapped_column(String(200))
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)
    hazard_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (
        CheckConstraint("gas IN ('oxygen', 'combustible', 'toxic')", name="gas_known"),
    )


class PermitApproval(db.Model):
    """One signature of the approval chain, in the order the rule requires."""

    __tablename__ = "permit_approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("permit.id"), index=True)
    sequence: Mapped[int]
    step: Mapped[str] = mapped_column(String(16))
    approver_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opinion: Mapped[str] = mapped_column(String(300), default="")
    approved_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (UniqueConstraint("permit_id", "step", name="one_per_step"),)


class PermitTransition(db.Model):
    """Append-only history of a permit's state; the permit's state caches the latest row."""

    __tablename__ = "permit_transition"
    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("permit.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class WorkStop(db.Model):
    """A period in which the enterprise allows no special work (of some kinds, at a place or all)."""

    __tablename__ = "permit_work_stop"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    kinds: Mapped[list] = mapped_column(JSON)
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200))
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (CheckConstraint("start_at < end_at", name="ordered"),)
