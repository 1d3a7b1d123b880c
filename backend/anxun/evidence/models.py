"""Tables for remote evidence requests and their answers."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from anxun.core import clock
from anxun.extensions import db


class EvidenceRequest(db.Model):
    """远程核查: a bureau, an engaged agency or the enterprise's head asks the enterprise's staff
    with `answerer_role` for live photos of a place (or a hazard under rectification) within
    `deadline_hours`. `state` stores open/answered/cancelled; expired is computed on read."""

    __tablename__ = "evidence_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrol.id"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    hazard_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hazard.id"))
    text: Mapped[str] = mapped_column(Text)
    item_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    answerer_role: Mapped[str] = mapped_column(String(32))
    deadline_hours: Mapped[int]
    requester_kind: Mapped[str] = mapped_column(String(16))
    regulator_id: Mapped[int | None] = mapped_column(ForeignKey("regulator.id"))
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagement.id"))
    requested_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="open")
    cancelled_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[datetime | None]
    finding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("patrol_finding.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("rectification_order.id"))

    answer: Mapped[EvidenceAnswer | None] = relationship(
        back_populates="request", lazy="selectin", uselist=False
    )

    __table_args__ = (
        CheckConstraint("state IN ('open', 'answered', 'cancelled')", name="state_known"),
        CheckConstraint(
            "requester_kind IN ('regulator', 'agency', 'enterprise')", name="requester_kind_known"
        ),
        CheckConstraint(
            "place_id IS NOT NULL OR hazard_id IS NOT NULL", name="names_place_or_hazard"
        ),
        CheckConstraint("deadline_hours BETWEEN 1 AND 72", name="deadline_hours_range"),
        CheckConstraint(
            "state <> 'cancelled' OR cancelled_at IS NOT NULL", name="cancelled_has_time"
        ),
        CheckConstraint(
            "requester_kind <> 'regulator' OR regulator_id IS NOT NULL",
            name="regulator_request_names_regulator",
        ),
        CheckConstraint(
            "requester_kind <> 'agency' OR engagement_id IS NOT NULL",
            name="agency_request_names_engagement",
        ),
    )


class EvidenceAnswer(db.Model):
    """The one answer to a request, stored once under the device's UUID, with the plausibility
    flags and the distance from the place computed when it arrived."""

    __tablename__ = "evidence_answer"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("evidence_request.id"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    answered_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime]
    received_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    # [{media_id, taken_at}] in the order taken.
    photos: Mapped[list[dict]] = mapped_column(JSON, default=list)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    gps_accuracy: Mapped[float | None]
    distance_metres: Mapped[float | None]
    is_late: Mapped[bool] = mapped_column(default=False)
    flags: Mapped[list[dict]] = mapped_column(JSON, default=list)
    payload_digest: Mapped[str] = mapped_column(String(64))

    request: Mapped[EvidenceRequest] = relationship(back_populates="answer")
