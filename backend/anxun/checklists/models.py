"""Stored checklist versions: immutable, keyed by the hash of their normalised content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db


class ChecklistVersion(db.Model):
    """One version of a checklist; never updated. Inspections name the version they used."""

    __tablename__ = "checklist_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    version_hash: Mapped[str] = mapped_column(String(64), index=True)
    # NULL: shipped with Anxun and usable by everyone; otherwise the owning enterprise.
    owner_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    owner_key: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(32))
    version_label: Mapped[str] = mapped_column(String(40))
    applies_to: Mapped[list[str]] = mapped_column(JSON)
    document: Mapped[dict] = mapped_column(JSON)
    source_text: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(255))
    item_count: Mapped[int]
    major_count: Mapped[int]
    loaded_at: Mapped[datetime] = mapped_column(default=clock.now)
    loaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    __table_args__ = (
        UniqueConstraint("owner_key", "version_hash", name="one_per_owner"),
        CheckConstraint(
            "(owner_enterprise_id IS NULL AND owner_key = 'shipped') OR "
            "(owner_enterprise_id IS NOT NULL AND owner_key = 'enterprise:' || owner_enterprise_id)",
            name="owner_key_matches",
        ),
    )
