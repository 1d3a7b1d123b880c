"""Tables for users, memberships, login sessions, refresh tokens, revoked tokens and login attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from anxun.core import clock
from anxun.extensions import db


class User(db.Model):
    """A person who logs in; roles come from memberships."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    # 执法证号: a bureau officer's enforcement certificate; orders need two officers holding one.
    enforcement_certificate_no: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Set for generated or admin-reset passwords: every call but /me, the password change and
    # logout answers 403 /problems/password-change-required until the user picks their own.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    password_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="Membership.id",
    )


class Membership(db.Model):
    """A role one user holds in one organisation (or platform-wide for platform_admin)."""

    __tablename__ = "membership"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    regulator_id: Mapped[int | None] = mapped_column(ForeignKey("regulator.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)

    user: Mapped[User] = relationship(back_populates="memberships")

    __table_args__ = (
        UniqueConstraint(
            "user_id", "role", "enterprise_id", "regulator_id", "agency_id", name="unique_grant"
        ),
        CheckConstraint(
            "(role IN ('head', 'safety_officer', 'inspector', 'rectifier')"
            " AND enterprise_id IS NOT NULL AND regulator_id IS NULL AND agency_id IS NULL)"
            " OR (role IN ('regulator_admin', 'regulator_inspector')"
            " AND regulator_id IS NOT NULL AND enterprise_id IS NULL AND agency_id IS NULL)"
            " OR (role = 'auditor'"
            " AND agency_id IS NOT NULL AND enterprise_id IS NULL AND regulator_id IS NULL)"
            " OR (role = 'platform_admin'"
            " AND enterprise_id IS NULL AND regulator_id IS NULL AND agency_id IS NULL)",
            name="role_matches_organisation",
        ),
    )


class RevokedToken(db.Model):
    """A JWT id revoked by logout; checked on every authenticated request."""

    __tablename__ = "revoked_token"
    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime] = mapped_column(default=clock.now)


class LoginAttempt(db.Model):
    """A login attempt, kept to throttle guessing per account and per client address.

    `account_key` is "user:<id>" for a known account, whichever name (username or phone) was
    typed, and "name:<text>" for an unknown one, so both share one counter per account.
    """

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    account_key: Mapped[str] = mapped_column(String(80))
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)

    __table_args__ = (
        Index("ix_login_attempt_account_key_client_address", "account_key", "client_address"),
    )


class AuthSession(db.Model):
    """One login: its access and refresh tokens carry its id (`sid`); logout revokes it all."""

    __tablename__ = "auth_session"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]


class RefreshToken(db.Model):
    """A refresh token issued for a session; each refresh replaces it with a new one.

    A replaced token still works for a short grace period (its answer may have been lost);
    presenting it later is reuse, and revokes the whole session.
    """

    __tablename__ = "refresh_token"
    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("auth_session.id", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(default=clock.now)
    replaced_at: Mapped[datetime | None]
