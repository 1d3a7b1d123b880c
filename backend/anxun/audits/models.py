"""Tables for agency audit runs, agency signing certificates and auditors' reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db


class AuditRun(db.Model):
    """An agency's audit of one engaged enterprise: inspections, findings, a signed report."""

    __tablename__ = "audit_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    conclusion: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="open")
    opened_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(default=clock.now)
    signed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signed_at: Mapped[datetime | None]
    report_path: Mapped[str | None] = mapped_column(String(255))
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    signer_fingerprint: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("state IN ('open', 'signed')", name="state_known"),
        CheckConstraint(
            "state <> 'signed' OR (signed_at IS NOT NULL AND report_sha256 IS NOT NULL"
            " AND report_path IS NOT NULL AND signer_fingerprint IS NOT NULL)",
            name="signed_has_report",
        ),
    )


class AgencyCertificate(db.Model):
    """An agency's signing certificate; the private key lives in the instance folder."""

    __tablename__ = "agency_certificate"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    certificate_pem: Mapped[str] = mapped_column(Text)
    fingerprint_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    key_path: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class AuditorRead(db.Model):
    """One read by an agency's auditor of an enterprise's data; the enterprise and the
    commissioning party can see every row."""

    __tablename__ = "auditor_read"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagement.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (Index("ix_auditor_read_enterprise_time", "enterprise_id", "created_at"),)
