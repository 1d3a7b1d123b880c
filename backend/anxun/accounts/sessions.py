"""Login sessions: tokens carry a session id (`sid`), refresh tokens rotate, logout ends it all.

OWASP ASVS 4.0.3 V3.3.1 (logout invalidates the session) and the OAuth 2.0 Security BCP
(RFC 9700 §4.14.2, refresh token rotation with reuse detection).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import delete, select, update

from anxun.accounts import actor_cache
from anxun.accounts.models import AuthSession, RefreshToken, RevokedToken, User
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import Unauthorized
from anxun.extensions import db


def _new_id() -> str:
    return uuid.uuid4().hex


def _refresh_lifetime() -> timedelta:
    return current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]


def _issue(session: AuthSession, user_id: int) -> dict:
    """A new access token and a new refresh token for the session."""
    jti = _new_id()
    now = clock.now()
    db.session.add(RefreshToken(jti=jti, session_id=session.id, issued_at=now))
    session.expires_at = now + _refresh_lifetime()
    identity = str(user_id)
    claims = {"sid": session.id}
    return {
        "access_token": create_access_token(identity=identity, additional_claims=claims),
        "refresh_token": create_refresh_token(
            identity=identity, additional_claims={**claims, "jti": jti}
        ),
    }


def start_session(user: User) -> dict:
    """Open a session at login; returns its first access and refresh tokens."""
    now = clock.now()
    session = AuthSession(
        id=_new_id(), user_id=user.id, created_at=now, expires_at=now + _refresh_lifetime()
    )
    db.session.add(session)
    tokens = _issue(session, user.id)
    db.session.flush()
    return tokens


def refresh_session(actor: Actor, payload: dict) -> dict:
    """Swap a refresh token for a new pair; the old one keeps working for the grace period.

    A refresh token replaced longer ago than ANXUN_REFRESH_GRACE_SECONDS that comes back has
    been copied: the whole session is revoked and the caller must log in again. The caller
    commits this revocation even though it answers 401.
    """
    sid = payload.get("sid")
    if sid is None:
        return _upgrade_legacy(actor, payload)
    session = db.session.get(AuthSession, sid)
    token = db.session.get(RefreshToken, payload["jti"])
    now = clock.now()
    grace = timedelta(seconds=current_app.config["ANXUN_REFRESH_GRACE_SECONDS"])
    if session is None or session.revoked_at is not None:
        raise Unauthorized("登录凭证已注销，请重新登录。")
    if (
        token is None
        or token.session_id != sid
        or (token.replaced_at is not None and now - token.replaced_at > grace)
    ):
        session.revoked_at = now
        db.session.flush()
        audit.record(actor, "refresh_token_reuse", "auth_session", sid, {"jti": payload["jti"]})
        raise Unauthorized("登录凭证已被重复使用，为安全起见已注销，请重新登录。")
    if token.replaced_at is None:
        token.replaced_at = now
    tokens = _issue(session, actor.user_id)
    db.session.flush()
    return tokens


def _upgrade_legacy(actor: Actor, payload: dict) -> dict:
    """A refresh token from before sessions existed: revoke it and open a session instead."""
    _revoke_jti(actor, payload)
    return start_session(db.session.get(User, actor.user_id))


def _revoke_jti(actor: Actor, payload: dict) -> None:
    if db.session.get(RevokedToken, payload["jti"]) is None:
        expires_at = datetime.fromtimestamp(payload["exp"], tz=UTC)
        db.session.add(
            RevokedToken(jti=payload["jti"], user_id=actor.user_id, expires_at=expires_at)
        )
        db.session.flush()


def end_session(actor: Actor, payload: dict) -> None:
    """Logout with either token of a session revokes both (and every refresh token of it)."""
    sid = payload.get("sid")
    if sid is None:
        _revoke_jti(actor, payload)
        audit.record(actor, "logout", "token", payload["jti"], {"token_type": payload["type"]})
        return
    session = db.session.get(AuthSession, sid)
    if session is None or session.revoked_at is not None:
        return
    session.revoked_at = clock.now()
    db.session.flush()
    audit.record(actor, "logout", "auth_session", sid, {"token_type": payload["type"]})


def revoke_user_sessions(user_id: int, keep_sid: str | None = None) -> int:
    """End every open session of a user (password change or reset), except `keep_sid`."""
    condition = [AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)]
    if keep_sid is not None:
        condition.append(AuthSession.id != keep_sid)
    result = db.session.execute(
        update(AuthSession).where(*condition).values(revoked_at=clock.now())
    )
    return result.rowcount


def is_revoked(payload: dict) -> bool:
    """Checked for every token: its session ended, or (legacy tokens) it was revoked or issued
    before the latest password change."""
    sid = payload.get("sid")
    if sid is not None:
        if actor_cache.get(sid) is not None:  # checked within the last seconds (actor_cache.py)
            return False
        session = db.session.get(AuthSession, sid)
        return session is None or session.revoked_at is not None
    if db.session.get(RevokedToken, payload["jti"]) is not None:
        return True
    user = db.session.get(User, int(payload["sub"]))
    changed = user.password_changed_at if user is not None else None
    return changed is not None and payload["iat"] < changed.timestamp()


def purge_expired(now: datetime | None = None) -> int:
    """Housekeeping: forget sessions and revoked tokens that can no longer be presented."""
    now = now or clock.now()
    ended = select(AuthSession.id).where(AuthSession.expires_at < now)
    tokens = db.session.execute(delete(RefreshToken).where(RefreshToken.session_id.in_(ended)))
    sessions = db.session.execute(delete(AuthSession).where(AuthSession.expires_at < now))
    revoked = db.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
    return tokens.rowcount + sessions.rowcount + revoked.rowcount
