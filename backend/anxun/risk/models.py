"""Tables for the risk registry (object → unit → event → control measure), assessments, band
tables, enterprise grade history and the four-colour site map."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db

LEVELS = "('red', 'orange', 'yellow', 'blue')"


class RiskObject(db.Model):
    """风险分析对象: a facility, area or device carrying risk (e.g. a major hazard source)."""

    __tablename__ = "risk_object"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    hazard_code: Mapped[str] = mapped_column(String(64), default="")
    is_major_hazard_source: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    # 包保责任人: main / technical / operational accountable persons of a major hazard source.
    accountable_main: Mapped[str] = mapped_column(String(40), default="")
    accountable_technical: Mapped[str] = mapped_column(String(40), default="")
    accountable_operational: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    deleted_at: Mapped[datetime | None]


class AccountablePerson(db.Model):
    """包保责任人: the user holding one duty (main / technical / operational) for a major hazard
    source, and the inspection plan of the checks that duty requires."""

    __tablename__ = "accountable_person"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    risk_object_id: Mapped[int] = mapped_column(ForeignKey("risk_object.id"), index=True)
    duty: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        UniqueConstraint("risk_object_id", "duty", name="one_per_duty"),
        CheckConstraint("duty IN ('main', 'technical', 'operational')", name="duty_known"),
    )


class RiskUnit(db.Model):
    """风险分析单元: a part of a risk object, owned by a department and a responsible person."""

    __tablename__ = "risk_unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    risk_object_id: Mapped[int] = mapped_column(ForeignKey("risk_object.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    department: Mapped[str] = mapped_column(String(80), default="")
    responsible_name: Mapped[str] = mapped_column(String(40), default="")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    deleted_at: Mapped[datetime | None]


class RiskEvent(db.Model):
    """安全风险事件: what can go wrong in a unit."""

    __tablename__ = "risk_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    risk_unit_id: Mapped[int] = mapped_column(ForeignKey("risk_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    consequence: Mapped[str] = mapped_column(Text, default="")
    accident_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    deleted_at: Mapped[datetime | None]


class ControlMeasure(db.Model):
    """管控措施: what keeps a risk event under control; checkable by inspections."""

    __tablename__ = "control_measure"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    risk_event_id: Mapped[int] = mapped_column(ForeignKey("risk_event.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    classify1: Mapped[str] = mapped_column(String(16))
    classify2: Mapped[str] = mapped_column(String(8))
    classify3: Mapped[str] = mapped_column(String(80), default="")
    data_source: Mapped[str] = mapped_column(String(24), default="hazard_inspection")
    check_content: Mapped[str] = mapped_column(Text, default="")
    control_level: Mapped[str | None] = mapped_column(String(16))
    # The five kinds of control measure a risk register lists (工程技术, 管理, 培训教育, 个体防护,
    # 应急处置); classify1 is the national reporting code table, a different split.
    kind: Mapped[str] = mapped_column(String(16), default="management")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    deleted_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(
            "classify1 IN ('engineering', 'maintenance', 'operation', 'emergency')",
            name="classify1_known",
        ),
        CheckConstraint(
            "kind IN ('engineering', 'management', 'training', 'ppe', 'emergency')",
            name="kind_known",
        ),
        CheckConstraint(
            "data_source IN ('automatic_monitoring', 'hazard_inspection')", name="source_known"
        ),
    )


class BandTableConfig(db.Model):
    """A configured band table (and control-level mapping) for a province or an enterprise."""

    __tablename__ = "band_table_config"
    id: Mapped[int] = mapped_column(primary_key=True)
    # 'region:33' for a province, 'enterprise:12' for one enterprise.
    owner_key: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    bands: Mapped[list[dict]] = mapped_column(JSON)
    control_map: Mapped[dict | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    __table_args__ = (
        UniqueConstraint("owner_key", "method", "version", name="one_version_per_owner"),
        CheckConstraint("method IN ('LEC', 'LS', 'MES')", name="method_known"),
    )


class RiskAssessment(db.Model):
    """One grading of a risk event: inputs, method, band table version, score, level, level of control."""

    __tablename__ = "risk_assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    risk_event_id: Mapped[int] = mapped_column(ForeignKey("risk_event.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="residual")
    method: Mapped[str] = mapped_column(String(8))
    factors: Mapped[dict] = mapped_column(JSON)
    band_table_code: Mapped[str] = mapped_column(String(64))
    band_table_version: Mapped[str] = mapped_column(String(32))
    score: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    level: Mapped[str] = mapped_column(String(8))
    control_level: Mapped[str] = mapped_column(String(16))
    explanation: Mapped[str] = mapped_column(Text, default="")
    assessor_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assessed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        CheckConstraint(f"level IN {LEVELS}", name="level_known"),
        CheckConstraint("kind IN ('inherent', 'residual')", name="kind_known"),
    )


class EnterpriseGradeSnapshot(db.Model):
    """The enterprise grade as computed on one day, kept so regulators see the trend."""

    __tablename__ = "enterprise_grade_snapshot"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    colour: Mapped[str] = mapped_column(String(8))
    result: Mapped[dict] = mapped_column(JSON)
    config_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # The day's 在线运行率 and the number of windows it was measured over, copied from `result`
    # so the regulator overview reads them without parsing every document; NULL windows means
    # not recorded (a snapshot from before these columns): the overview computes it instead.
    operation_rate: Mapped[float | None] = mapped_column(Float)
    operation_windows: Mapped[int | None]

    __table_args__ = (
        UniqueConstraint("enterprise_id", "day", name="one_per_day"),
        CheckConstraint(f"colour IN {LEVELS}", name="colour_known"),
    )


class SitePlan(db.Model):
    """An uploaded site plan image on which places and risk units are drawn."""

    __tablename__ = "site_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    media_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("media.id"))
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class MapShape(db.Model):
    """A marker or polygon for a place or a risk unit, in site-plan pixel coordinates."""

    __tablename__ = "map_shape"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_plan_id: Mapped[int] = mapped_column(ForeignKey("site_plan.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    shape: Mapped[str] = mapped_column(String(8))
    points: Mapped[list[list[float]]] = mapped_column(JSON)
    label: Mapped[str] = mapped_column(String(120), default="")

    __table_args__ = (
        CheckConstraint("target_type IN ('place', 'risk_unit')", name="target_known"),
        CheckConstraint("shape IN ('point', 'polygon')", name="shape_known"),
    )
