"""Tables for hazards and their append-only transition history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from anxun.core import clock
from anxun.extensions import db
from anxun.hazards.workflow import HazardState

STATES = tuple(state.value for state in HazardState)


class Hazard(db.Model):
    """A hazard (隐患). `state` caches the latest transition; `version` guards concurrent edits."""

    __tablename__ = "hazard"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # Indexed by ix_hazard_enterprise_days (below), which leads with it.
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    source: Mapped[str] = mapped_column(String(16))
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    # Set for a finding of an agency's audit run (source agency).
    audit_run_id: Mapped[int | None] = mapped_column(ForeignKey("audit_run.id"), index=True)
    # Set for a failed item of a campaign's self-check (source campaign).
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    item_id: Mapped[str | None] = mapped_column(String(64))
    checklist_version_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_version.id"))
    basis: Mapped[list[dict]] = mapped_column(JSON, default=list)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    # Set when the failed check verified a control measure: the unit's risk is raised while open.
    control_measure_id: Mapped[int | None] = mapped_column(ForeignKey("control_measure.id"))
    risk_unit_id: Mapped[int | None] = mapped_column(ForeignKey("risk_unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # The column keeps its first name; the API and the code say media_ids (docs/api.md).
    media_ids: Mapped[list[str]] = mapped_column("photo_ids", JSON, default=list)
    proposed_level: Mapped[str] = mapped_column(String(8))
    level: Mapped[str | None] = mapped_column(String(8))
    category: Mapped[str | None] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(24), index=True)
    version: Mapped[int] = mapped_column(default=1)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    is_fixed_on_spot: Mapped[bool] = mapped_column(default=False)
    reported_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reported_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    # 五定 rectification plan
    responsible_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    measures: Mapped[str | None] = mapped_column(Text)
    funds: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    contingency: Mapped[str | None] = mapped_column(Text)
    governance_plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    plan_submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    plan_approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    rectified_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verified_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None]

    transitions: Mapped[list[HazardTransition]] = relationship(
        lazy="selectin", order_by="HazardTransition.id", viewonly=True
    )

    __table_args__ = (
        CheckConstraint(
            "state IN ('reported', 'confirmed', 'rectifying', 'pending_verification',"
            " 'awaiting_signoff', 'closed', 'rejected')",
            name="state_known",
        ),
        CheckConstraint(
            "source IN ('self_inspection', 'direct', 'regulator', 'agency', 'campaign')",
            name="source_known",
        ),
        CheckConstraint("proposed_level IN ('general', 'major')", name="proposed_level_known"),
        CheckConstraint("level IS NULL OR level IN ('general', 'major')", name="level_known"),
        CheckConstraint(
            "state IN ('reported', 'rejected') OR is_fixed_on_spot OR "
            "(level IS NOT NULL AND deadline IS NOT NULL)",
            name="confirmed_has_level_and_deadline",
        ),
        CheckConstraint(
            "state NOT IN ('rectifying', 'pending_verification', 'awaiting_signoff') OR "
            "(responsible_user_id IS NOT NULL AND measures IS NOT NULL AND funds IS NOT NULL"
            " AND contingency IS NOT NULL)",
            name="rectification_has_plan",
        ),
        CheckConstraint(
            "state <> 'awaiting_signoff' OR level = 'major'", name="signoff_only_for_major"
        ),
        CheckConstraint("funds IS NULL OR funds >= 0", name="funds_not_negative"),
        Index("ix_hazard_enterprise_state", "enterprise_id", "state"),
        # Every lookup by enterprise; on PostgreSQL it also carries the columns the regulator's
        # trend reads (oversight dashboard trends), which then reads the index alone, never the
        # table's pages, scattered at provincial size (a 30-day trend by industry 2.5 s → 0.3 s).
        # As INCLUDE columns, not keys: the same scan visited 16 times as many buffers with them
        # as keys. SQLite has no INCLUDE and indexes the enterprise alone.
        Index(
            "ix_hazard_enterprise_days",
            "enterprise_id",
            postgresql_include=["reported_at", "closed_at", "deadline", "state"],
        ),
        # Open hazards per enterprise (the regulator overview): closed and rejected ones, the
        # vast majority at provincial size, are not in it.
        Index(
            "ix_hazard_open_enterprise",
            "enterprise_id",
            "deadline",
            "level",
            postgresql_where=text("state NOT IN ('closed', 'rejected')"),
            sqlite_where=text("state NOT IN ('closed', 'rejected')"),
        ),
    )


class HazardTransition(db.Model):
    """One step of a hazard's history; rows are only ever appended."""

    __tablename__ = "hazard_transition"
    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hazard.id"), index=True)
    # Set when the step was made on a device: a replay with the same id changes nothing.
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
