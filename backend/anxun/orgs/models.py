"""Tables for regions, enterprises, regulators, agencies and engagements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from anxun.core import clock
from anxun.extensions import db


class Region(db.Model):
    """A GB/T 2260 administrative division."""

    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    parent_code: Mapped[str | None] = mapped_column(String(6), index=True)


class Enterprise(db.Model):
    """An inspected organisation (企业 / 生产经营单位)."""

    __tablename__ = "enterprise"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    size_class: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(255), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    head_name: Mapped[str] = mapped_column(String(40), default="")
    head_phone: Mapped[str] = mapped_column(String(20), default="")
    safety_head_name: Mapped[str] = mapped_column(String(40), default="")
    safety_head_phone: Mapped[str] = mapped_column(String(20), default="")
    has_major_hazard_source: Mapped[bool] = mapped_column(default=False)
    # 9-digit 危险化学品登记编码 (companyCode of the national hazchem data chain), when registered.
    hazchem_registration_code: Mapped[str | None] = mapped_column(String(9))
    # The 代字 of the enterprise's own document series, e.g. 澄化 in 澄化隐改〔2026〕12号.
    document_abbreviation: Mapped[str] = mapped_column(String(8), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    industry_rows: Mapped[list[EnterpriseIndustry]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EnterpriseIndustry.industry"
    )
    region: Mapped[Region] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(
            "size_class IN ('large', 'medium', 'small', 'micro')", name="size_class_known"
        ),
        CheckConstraint("latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name="latitude_range"),
        CheckConstraint(
            "longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name="longitude_range"
        ),
    )

    @property
    def industries(self) -> list[str]:
        return [row.industry for row in self.industry_rows]

    @industries.setter
    def industries(self, codes: list[str]) -> None:
        self.industry_rows = [EnterpriseIndustry(industry=code) for code in sorted(set(codes))]


# The regulator overview's default order (by name, ASCII case folded, ties by id) read in index
# order: a page of 50 stops after its 50 rows instead of sorting the jurisdiction. PostgreSQL
# only (the "C" collation is the one the overview sorts by); SQLite sorts its smaller sets.
Index(
    "ix_enterprise_name_key",
    func.lower(Enterprise.name.collate("C")),
    Enterprise.id,
).ddl_if(dialect="postgresql")


class EnterpriseIndustry(db.Model):
    """One industry an enterprise belongs to; regulators supervise by industry."""

    __tablename__ = "enterprise_industry"
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True
    )
    industry: Mapped[str] = mapped_column(String(32), primary_key=True)


class Regulator(db.Model):
    """A supervising bureau with a jurisdiction (region code prefix) and supervised industries."""

    __tablename__ = "regulator"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        CheckConstraint("level IN ('province', 'city', 'county')", name="level_known"),
        CheckConstraint(
            "kind IN ('emergency_management', 'housing_construction')", name="kind_known"
        ),
    )


class Agency(db.Model):
    """A third-party safety service organisation (第三方机构)."""

    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    qualification: Mapped[str] = mapped_column(String(120), default="")
    qualification_certificate_no: Mapped[str] = mapped_column(
        String(64), default="", server_default=""
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Engagement(db.Model):
    """A time-boxed grant (委托) for an agency to act on named enterprises."""

    __tablename__ = "engagement"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    commissioned_by: Mapped[str] = mapped_column(String(16))
    regulator_id: Mapped[int | None] = mapped_column(ForeignKey("regulator.id"))
    client_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    enterprise_rows: Mapped[list[EngagementEnterprise]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    agency: Mapped[Agency] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("valid_from <= valid_to", name="window_ordered"),
        CheckConstraint(
            "(commissioned_by = 'regulator' AND regulator_id IS NOT NULL"
            " AND client_enterprise_id IS NULL) OR "
            "(commissioned_by = 'enterprise' AND client_enterprise_id IS NOT NULL"
            " AND regulator_id IS NULL)",
            name="commissioner_matches",
        ),
    )

    @property
    def enterprise_ids(self) -> list[int]:
        return sorted(row.enterprise_id for row in self.enterprise_rows)


class EngagementEnterprise(db.Model):
    """An enterprise covered by an engagement."""

    __tablename__ = "engagement_enterprise"
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagement.id", ondelete="CASCADE"), primary_key=True
    )
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
