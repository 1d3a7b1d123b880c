"""Every write about people: users, memberships, login throttling, token revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from anxun.accounts.models import LoginAttempt, Membership, RevokedToken, User
from anxun.accounts.roles import ROLE_LABELS, Role, org_kind
from anxun.core import audit, clock
from anxun.core.auth import Actor, Grant, hash_password, verify_password
from anxun.core.errors import Conflict, TooManyRequests, Unauthorized, ValidationFailed, field_error
from anxun.extensions import db

MIN_PASSWORD_LENGTH = 8


def load_actor(user_id: int) -> Actor:
    """Build the Actor for an active user; an inactive or missing user is unauthorised."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise Unauthorized("账号不存在或已停用。")
    return actor_for(user)


def actor_for(user: User) -> Actor:
    grants = tuple(
        Grant(m.role, m.enterprise_id, m.regulator_id, m.agency_id) for m in user.memberships
    )
    return Actor(user.id, user.username, user.display_name, grants)


def _recent_failures(column, value: str, since: datetime) -> int:
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since
        )
    )


def _check_throttle(username: str, client_address: str) -> None:
    cfg = current_app.config
    window = cfg["ANXUN_LOGIN_WINDOW_SECONDS"]
    since = clock.now() - timedelta(seconds=window)
    if (
        _recent_failures(LoginAttempt.username, username, since)
        >= cfg["ANXUN_LOGIN_MAX_FAILURES_ACCOUNT"]
        or _recent_failures(LoginAttempt.client_address, client_address, since)
        >= cfg["ANXUN_LOGIN_MAX_FAILURES_ADDRESS"]
    ):
        raise TooManyRequests(
            f"登录失败次数过多，请 {window // 60} 分钟后再试。", retry_after=window
        )


def authenticate(username: str, password: str, client_address: str) -> User:
    """Check a login; failures are recorded (and committed by the caller even on error)."""
    username = username.strip()
    _check_throttle(username, client_address)
    user = db.session.scalar(
        select(User).where(or_(User.username == username, User.phone == username))
    )
    ok = user is not None and user.is_active and verify_password(user.password_hash, password)
    db.session.add(LoginAttempt(username=username, client_address=client_address, succeeded=ok))
    if not ok:
        return None
    user.last_login_at = clock.now()
    return user


def revoke_token(actor: Actor, jti: str, token_type: str, expires_at: datetime) -> None:
    """Revoke one token (logout); idempotent."""
    if db.session.get(RevokedToken, jti) is None:
        db.session.add(RevokedToken(jti=jti, user_id=actor.user_id, expires_at=expires_at))
        db.session.flush()
        audit.record(actor, "logout", "token", jti, {"token_type": token_type})


def is_revoked(jti: str) -> bool:
    return db.session.get(RevokedToken, jti) is not None


def purge_expired(now: datetime | None = None) -> int:
    """Housekeeping: forget revoked tokens and login attempts that can no longer matter."""
    now = now or clock.now()
    window = timedelta(seconds=current_app.config["ANXUN_LOGIN_WINDOW_SECONDS"])
    removed = db.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
    attempts = db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.attempted_at < now - window)
    )
    return removed.rowcount + attempts.rowcount


def _validate_user_data(data: dict) -> list[dict]:
    errors = []
    if len(data.get("password", "")) < MIN_PASSWORD_LENGTH:
        errors.append(field_error("password", f"密码至少 {MIN_PASSWORD_LENGTH} 位。"))
    taken = db.session.scalar(select(User.id).where(User.username == data["username"]))
    if taken:
        errors.append(field_error("username", "该用户名已被使用。"))
    if data.get("phone") and db.session.scalar(select(User.id).where(User.phone == data["phone"])):
        errors.append(field_error("phone", "该手机号已被使用。"))
    return errors


def create_user(actor: Actor, data: dict, grants: list[Grant]) -> User:
    """Create a user with role grants. Callers check that `actor` may grant them."""
    errors = _validate_user_data(data)
    for index, grant in enumerate(grants):
        errors.extend(_grant_problems(grant, f"roles.{index}"))
    if errors:
        raise ValidationFailed("用户信息有误。", errors)
    user = User(
        username=data["username"],
        phone=data.get("phone") or None,
        display_name=data["display_name"],
        password_hash=hash_password(data["password"]),
        is_active=data.get("is_active", True),
    )
    user.memberships = [
        Membership(
            role=g.role,
            enterprise_id=g.enterprise_id,
            regulator_id=g.regulator_id,
            agency_id=g.agency_id,
        )
        for g in grants
    ]
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "create_user",
        "user",
        user.id,
        {
            "username": user.username,
            "display_name": user.display_name,
            "roles": [g.__dict__ for g in grants],
        },
    )
    return user


def _grant_problems(grant: Grant, field: str) -> list[dict]:
    if grant.role not in set(Role):
        return [field_error(f"{field}.role", "未知角色。")]
    kind = org_kind(grant.role)
    filled = {
        "enterprise": grant.enterprise_id,
        "regulator": grant.regulator_id,
        "agency": grant.agency_id,
    }
    wrong = [k for k, v in filled.items() if (v is not None) != (k == kind)]
    if wrong:
        label = ROLE_LABELS[Role(grant.role)]
        return [field_error(f"{field}.role", f"角色“{label}”所属的单位不正确。")]
    return []


def set_user_active(actor: Actor, user: User, is_active: bool) -> User:
    if user.id == actor.user_id and not is_active:
        raise Conflict("不能停用自己的账号。")
    user.is_active = is_active
    db.session.flush()
    audit.record(actor, "set_user_active", "user", user.id, {"is_active": is_active})
    return user


def expires_at_of(payload: dict) -> datetime:
    return datetime.fromtimestamp(payload["exp"], tz=UTC)


def generate_password() -> str:
    """A random initial password (shown once, to be changed at first login)."""
    import secrets

    return secrets.token_urlsafe(9)
