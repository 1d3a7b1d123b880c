"""Every write about people: users, memberships, login throttling, passwords."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_jwt_extended import get_jwt
from sqlalchemy import delete, func, or_, select

from anxun.accounts import actor_cache, sessions, throttling
from anxun.accounts.models import LoginAttempt, Membership, User
from anxun.accounts.roles import ROLE_LABELS, Role, org_kind
from anxun.core import audit, clock
from anxun.core.auth import Actor, Grant, hash_password, password_hasher, verify_password
from anxun.core.errors import (
    Conflict,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
    field_error,
)
from anxun.extensions import db

MIN_PASSWORD_LENGTH = 8


def _request_sid() -> str | None:
    """The login session of the request's verified token, if any."""
    try:
        return get_jwt().get("sid")
    except RuntimeError:  # outside a request with a verified token
        return None


def load_actor(user_id: int) -> Actor:
    """Build the Actor for an active user; an inactive or missing user is unauthorised. A login
    session seen in the last seconds answers from the in-process cache (actor_cache.py)."""
    sid = _request_sid()
    if sid is not None:
        cached = actor_cache.get(sid)
        if cached is not None and cached.user_id == user_id:
            return cached
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise Unauthorized("账号不存在或已停用。")
    actor = actor_for(user)
    if sid is not None:
        actor_cache.put(sid, actor)
    return actor


def actor_for(user: User) -> Actor:
    grants = tuple(
        Grant(m.role, m.enterprise_id, m.regulator_id, m.agency_id) for m in user.memberships
    )
    return Actor(
        user.id,
        user.username,
        user.display_name,
        grants,
        must_change_password=user.must_change_password,
    )


def _policy() -> throttling.Policy:
    cfg = current_app.config
    return throttling.Policy(
        free_failures=cfg["ANXUN_LOGIN_FREE_FAILURES"],
        delay_base_seconds=cfg["ANXUN_LOGIN_DELAY_BASE_SECONDS"],
        delay_max_seconds=cfg["ANXUN_LOGIN_DELAY_MAX_SECONDS"],
        max_failures_account=cfg["ANXUN_LOGIN_MAX_FAILURES_ACCOUNT"],
        max_failures_address=cfg["ANXUN_LOGIN_MAX_FAILURES_ADDRESS"],
        window_seconds=cfg["ANXUN_LOGIN_WINDOW_SECONDS"],
    )


def account_key(user: User | None, typed: str) -> str:
    """One throttle counter per account, whether its username or its phone was typed."""
    return f"user:{user.id}" if user is not None else f"name:{typed.lower()}"[:80]


def _failures(*conditions) -> throttling.Failures:
    count, oldest, latest = db.session.execute(
        select(
            func.count(LoginAttempt.id),
            func.min(LoginAttempt.attempted_at),
            func.max(LoginAttempt.attempted_at),
        ).where(LoginAttempt.succeeded.is_(False), *conditions)
    ).one()
    return throttling.Failures(count, oldest, latest)


def _check_throttle(key: str, client_address: str) -> None:
    """Refuse (429) while this (account, address) must wait; attempts refused here are not
    counted, so waiting is the only way forward."""
    policy = _policy()
    now = clock.now()
    recent = LoginAttempt.attempted_at >= now - timedelta(seconds=policy.window_seconds)
    known_since = now - timedelta(days=current_app.config["ANXUN_LOGIN_KNOWN_DAYS"])
    pair = (LoginAttempt.account_key == key, LoginAttempt.client_address == client_address)
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            *pair, LoginAttempt.succeeded.is_(True), LoginAttempt.attempted_at >= known_since
        )
    )
    # A success starts the pair's count afresh.
    since_success = () if last_success is None else (LoginAttempt.attempted_at > last_success,)
    wait = throttling.wait_seconds(
        now,
        pair=_failures(*pair, recent, *since_success),
        address=_failures(LoginAttempt.client_address == client_address, recent),
        account=_failures(LoginAttempt.account_key == key, recent),
        is_known_pair=last_success is not None,
        policy=policy,
    )
    if wait:
        raise TooManyRequests(
            f"登录失败次数过多，请 {throttling.wait_text(wait)}后再试。", retry_after=wait
        )


_DUMMY_HASHES: dict[tuple, str] = {}


def _dummy_hash() -> str:
    """A hash with the current argon2 cost, verified for unknown users so that they cost the
    same time as a wrong password (no user enumeration by timing, ASVS V2.2.1 / V3.2)."""
    hasher = password_hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[key]


def _find_login(name: str) -> User | None:
    return db.session.scalar(select(User).where(or_(User.username == name, User.phone == name)))


def authenticate(username: str, password: str, client_address: str) -> User | None:
    """Check a login; attempts are recorded (and committed by the caller even on error).

    Every attempt that passes the throttle runs one argon2 verification, also for unknown or
    inactive accounts.
    """
    username = username.strip()
    user = _find_login(username)
    key = account_key(user, username)
    _check_throttle(key, client_address)
    matches = verify_password(user.password_hash if user else _dummy_hash(), password)
    ok = user is not None and user.is_active and matches
    db.session.add(
        LoginAttempt(
            username=username[:64], account_key=key, client_address=client_address, succeeded=ok
        )
    )
    db.session.flush()
    if not ok:
        return None
    user.last_login_at = clock.now()
    return user


def change_password(
    actor: Actor, current_password: str, new_password: str, client_address: str, keep_sid
) -> User:
    """The user replaces their own password (ASVS V2.1.5: the current one is required).

    Wrong current passwords count as failed logins of the account from this address. Every
    other session of the user ends (ASVS V3.3.3); `keep_sid` is the session making the change.
    """
    user = db.session.get(User, actor.user_id)
    key = account_key(user, user.username)
    _check_throttle(key, client_address)
    if not verify_password(user.password_hash, current_password):
        db.session.add(
            LoginAttempt(
                username=user.username,
                account_key=key,
                client_address=client_address,
                succeeded=False,
            )
        )
        db.session.flush()
        raise ValidationFailed(
            "当前密码不正确。", [field_error("current_password", "当前密码不正确。")]
        )
    errors = _new_password_problems(user, current_password, new_password)
    if errors:
        raise ValidationFailed("新密码不符合要求。", errors)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = clock.now()
    db.session.flush()
    sessions.revoke_user_sessions(user.id, keep_sid=keep_sid)
    audit.record(actor, "change_password", "user", user.id, {})
    return user


def _new_password_problems(user: User, current_password: str, new_password: str) -> list[dict]:
    def problem(message: str) -> list[dict]:
        return [field_error("new_password", message)]

    if len(new_password) < MIN_PASSWORD_LENGTH:
        return problem(f"新密码至少 {MIN_PASSWORD_LENGTH} 位。")
    if new_password == current_password:
        return problem("新密码不能与当前密码相同。")
    if new_password.strip().lower() in {user.username.lower(), (user.phone or "").lower()}:
        return problem("新密码不能与用户名或手机号相同。")
    return []


def _may_reset(actor: Actor, user: User) -> bool:
    """A platform admin resets anyone; an enterprise head resets the enterprise-only staff of
    an enterprise they head."""
    if actor.is_platform_admin:
        return True
    headed = {g_.enterprise_id for g_ in actor.grants if g_.role == Role.head}
    memberships = user.memberships
    return (
        bool(memberships)
        and all(m.enterprise_id is not None for m in memberships)
        and any(m.enterprise_id in headed for m in memberships)
    )


def reset_password(actor: Actor, user: User) -> str:
    """Give a user a generated password, to be changed at their next login; ends their
    sessions. The password is returned once and never stored or logged in clear."""
    if not _may_reset(actor, user):
        raise NotFound("用户不存在。")
    if user.id == actor.user_id:
        raise Conflict("不能重置自己的密码，请在设置中修改密码。")
    password = generate_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.password_changed_at = clock.now()
    db.session.flush()
    sessions.revoke_user_sessions(user.id)
    audit.record(actor, "reset_password", "user", user.id, {"must_change_password": True})
    return password


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
        enforcement_certificate_no=data.get("enforcement_certificate_no") or None,
        password_hash=hash_password(data["password"]),
        is_active=data.get("is_active", True),
        must_change_password=data.get("must_change_password", False),
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


def set_enterprise_roles(actor: Actor, user: User, enterprise_id: int, roles: list[str]) -> User:
    """Replace the user's roles in one enterprise (the head's 人员 screen). A head cannot give up
    their own head role: the enterprise would be left without anyone to manage its staff."""
    wanted = sorted(set(roles))
    if user.id == actor.user_id and Role.head not in wanted:
        message = "不能取消自己的主要负责人角色。"
        raise Conflict(message, [field_error("roles", message)])
    before = sorted(m.role for m in user.memberships if m.enterprise_id == enterprise_id)
    if before == wanted:
        return user
    for membership in [m for m in user.memberships if m.enterprise_id == enterprise_id]:
        if membership.role not in wanted:
            user.memberships.remove(membership)
    for role in wanted:
        if role not in before:
            user.memberships.append(Membership(role=role, enterprise_id=enterprise_id))
    db.session.flush()
    audit.record(
        actor,
        "set_enterprise_roles",
        "user",
        user.id,
        {"enterprise_id": enterprise_id, "from": before, "to": wanted},
    )
    return user


def generate_password() -> str:
    """A random initial password (shown once, to be changed at first login)."""
    return secrets.token_urlsafe(9)


def purge_attempts(now: datetime | None = None) -> int:
    """Housekeeping: forget failures older than the window and successes older than KNOWN_DAYS."""
    now = now or clock.now()
    cfg = current_app.config
    failures = db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at < now - timedelta(seconds=cfg["ANXUN_LOGIN_WINDOW_SECONDS"]),
        )
    )
    successes = db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.succeeded.is_(True),
            LoginAttempt.attempted_at < now - timedelta(days=cfg["ANXUN_LOGIN_KNOWN_DAYS"]),
        )
    )
    return failures.rowcount + successes.rowcount
