"""Tables for the regulators' side."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class Patrol(db.Model):
    """A regulator's online patrol (网上巡查) or on-site inspection of one enterprise.

    An agency may patrol on a regulator's behalf (委托第三方网上巡查, `engagement_id` set); its
    findings wait for the regulator's approval before they become hazards or orders.
    """

    __tablename__ = "patrol"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    # 四不两直: no notice, straight to the site; only meaningful on site.
    is_unannounced: Mapped[bool] = mapped_column(default=False)
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagement.id"), index=True)
    spot_check_assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("spot_check_assignment.id")
    )
    state: Mapped[str] = mapped_column(String(16), default="open")
    summary: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    opened_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(default=clock.now)
    submitted_at: Mapped[datetime | None]
    closed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("mode IN ('online', 'on_site')", name="mode_known"),
        CheckConstraint("state IN ('open', 'submitted', 'closed')", name="state_known"),
        CheckConstraint("NOT is_unannounced OR mode = 'on_site'", name="unannounced_on_site"),
        CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name="closed_has_time"),
    )


class PatrolFinding(db.Model):
    """One problem found on a patrol; accepted findings become hazards (source regulator/agency)."""

    __tablename__ = "patrol_finding"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrol.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[list[dict]] = mapped_column(JSON, default=list)
    proposed_level: Mapped[str] = mapped_column(String(8))
    # The finder's proposal; a regulator accepting an agency's finding may change both.
    category: Mapped[str | None] = mapped_column(String(16))
    deadline: Mapped[date | None] = mapped_column(Date)
    # The column keeps its first name; the API and the code say media_ids (docs/api.md).
    media_ids: Mapped[list[str]] = mapped_column("photo_ids", JSON, default=list)
    state: Mapped[str] = mapped_column(String(16))
    hazard_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hazard.id"), unique=True)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)
    reviewed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint("state IN ('proposed', 'accepted', 'rejected')", name="state_known"),
        CheckConstraint("proposed_level IN ('general', 'major')", name="proposed_level_known"),
        CheckConstraint("state <> 'accepted' OR hazard_id IS NOT NULL", name="accepted_has_hazard"),
    )


class RectificationOrder(db.Model):
    """A rectification order (责令限期整改指令书) the enterprise head must acknowledge (签收)."""

    __tablename__ = "rectification_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"), index=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrol.id"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    basis: Mapped[list[dict]] = mapped_column(JSON, default=list)
    requirements: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="issued")
    version: Mapped[int] = mapped_column(default=1)
    issued_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # The second enforcement officer (执法人员不得少于两人); null only on orders issued before.
    co_officer_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Both officers as issued: [{user_id, display_name, enforcement_certificate_no}], issuer
    # first; the printed order shows these, so a later change to an account cannot alter it.
    officers: Mapped[list[dict]] = mapped_column(JSON, default=list)
    issued_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    acknowledged_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime | None]
    acknowledgment_note: Mapped[str] = mapped_column(Text, default="")
    # Set once when the order stayed unacknowledged past the configured number of days.
    escalated_at: Mapped[datetime | None]

    items: Mapped[list[RectificationOrderItem]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RectificationOrderItem.position"
    )

    __table_args__ = (
        CheckConstraint("state IN ('issued', 'acknowledged', 'followed_up')", name="state_known"),
        CheckConstraint(
            "state = 'issued' OR (acknowledged_at IS NOT NULL"
            " AND acknowledged_by_user_id IS NOT NULL)",
            name="acknowledged_has_who_and_when",
        ),
    )


class RectificationOrderItem(db.Model):
    """One numbered item of an order, usually naming the hazard it requires rectified."""

    __tablename__ = "rectification_order_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_order.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    hazard_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hazard.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    basis: Mapped[list[dict]] = mapped_column(JSON, default=list)

    __table_args__ = (UniqueConstraint("order_id", "position", name="one_per_position"),)


class FollowUpCheck(db.Model):
    """The follow-up check (回头看 / 复查) of an order, scheduled for its deadline."""

    __tablename__ = "follow_up_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("rectification_order.id"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"), index=True)
    scheduled_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(16), default="scheduled")
    result: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrol.id"))
    performed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    performed_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("state IN ('scheduled', 'done')", name="state_known"),
        CheckConstraint(
            "result IS NULL OR result IN ('rectified', 'partially_rectified', 'not_rectified')",
            name="result_known",
        ),
        CheckConstraint(
            "state <> 'done' OR (result IS NOT NULL AND performed_at IS NOT NULL)",
            name="done_has_result",
        ),
    )


class SupervisedListing(db.Model):
    """挂牌督办 of a major hazard: deadline, supervising office, public until delisted (摘牌)."""

    __tablename__ = "supervised_listing"
    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hazard.id"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"), index=True)
    listing_no: Mapped[str] = mapped_column(String(64), unique=True)
    supervising_office: Mapped[str] = mapped_column(String(120))
    deadline: Mapped[date] = mapped_column(Date)
    # What the public list shows; written by the regulator, never a person's name or phone.
    public_summary: Mapped[str] = mapped_column(String(300))
    is_public: Mapped[bool] = mapped_column(default=True)
    state: Mapped[str] = mapped_column(String(16), default="listed")
    listed_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    listed_at: Mapped[datetime] = mapped_column(default=clock.now)
    delisted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    delisted_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("state IN ('listed', 'delisted')", name="state_known"),
        CheckConstraint("state <> 'delisted' OR delisted_at IS NOT NULL", name="delisted_has_time"),
    )


class SpotCheckRegistryEntry(db.Model):
    """一单两库: an enterprise in the inspection-object registry or an officer in the inspector one."""

    __tablename__ = "spot_check_registry_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    added_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        CheckConstraint(
            "(kind = 'object' AND enterprise_id IS NOT NULL AND user_id IS NULL) OR "
            "(kind = 'inspector' AND user_id IS NOT NULL AND enterprise_id IS NULL)",
            name="kind_matches",
        ),
        UniqueConstraint("regulator_id", "enterprise_id", name="object_once"),
        UniqueConstraint("regulator_id", "user_id", name="inspector_once"),
    )


class SpotCheckDraw(db.Model):
    """A random draw (双随机): the pools and the seed are stored so anyone can repeat it."""

    __tablename__ = "spot_check_draw"
    id: Mapped[int] = mapped_column(primary_key=True)
    regulator_id: Mapped[int] = mapped_column(ForeignKey("regulator.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    seed: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(32))
    enterprise_count: Mapped[int]
    inspectors_per_enterprise: Mapped[int] = mapped_column(default=2)
    object_pool: Mapped[list[int]] = mapped_column(JSON)
    inspector_pool: Mapped[list[int]] = mapped_column(JSON)
    drawn_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    drawn_at: Mapped[datetime] = mapped_column(default=clock.now)
    published_at: Mapped[datetime | None]

    assignments: Mapped[list[SpotCheckAssignment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SpotCheckAssignment.position"
    )

    __table_args__ = (
        CheckConstraint("enterprise_count > 0", name="count_positive"),
        CheckConstraint("inspectors_per_enterprise > 0", name="inspectors_positive"),
    )


class SpotCheckAssignment(db.Model):
    """One drawn enterprise with its drawn inspectors, and the result once inspected."""

    __tablename__ = "spot_check_assignment"
    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(
        ForeignKey("spot_check_draw.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    inspector_user_ids: Mapped[list[int]] = mapped_column(JSON)
    result: Mapped[str | None] = mapped_column(String(24))
    result_summary: Mapped[str] = mapped_column(Text, default="")
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("draw_id", "enterprise_id", name="enterprise_once"),
        UniqueConstraint("draw_id", "position", name="position_once"),
        CheckConstraint(
            "result IS NULL OR result IN ('no_issues', 'issues_found', 'not_operating')",
            name="result_known",
        ),
        CheckConstraint("result IS NULL OR recorded_at IS NOT NULL", name="result_has_time"),
    )
