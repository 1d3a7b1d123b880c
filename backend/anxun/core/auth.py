"""Who is calling: the Actor built from a JWT, password hashing and JWT error responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request

from anxun.core.errors import HTTP_TITLES, PasswordChangeRequired, problem


@dataclass(frozen=True)
class Grant:
    """One role held in one organisation."""

    role: str
    enterprise_id: int | None = None
    regulator_id: int | None = None
    agency_id: int | None = None


@dataclass(frozen=True)
class Actor:
    """The authenticated caller, passed explicitly to every service."""

    user_id: int | None
    username: str
    display_name: str
    grants: tuple[Grant, ...] = field(default=())
    must_change_password: bool = False

    @property
    def is_platform_admin(self) -> bool:
        return any(g_.role == "platform_admin" for g_ in self.grants)

    def roles_in_enterprise(self, enterprise_id: int) -> set[str]:
        return {g_.role for g_ in self.grants if g_.enterprise_id == enterprise_id}

    @property
    def enterprise_ids(self) -> set[int]:
        return {g_.enterprise_id for g_ in self.grants if g_.enterprise_id is not None}

    @property
    def regulator_ids(self) -> set[int]:
        return {g_.regulator_id for g_ in self.grants if g_.regulator_id is not None}

    @property
    def agency_ids(self) -> set[int]:
        return {g_.agency_id for g_ in self.grants if g_.agency_id is not None}

    def regulator_roles(self, regulator_id: int) -> set[str]:
        return {g_.role for g_ in self.grants if g_.regulator_id == regulator_id}

    @property
    def label(self) -> str:
        return f"{self.display_name}({self.username})"


SYSTEM = Actor(user_id=None, username="system", display_name="系统")


def password_hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ANXUN_ARGON2_TIME_COST"],
        memory_cost=cfg["ANXUN_ARGON2_MEMORY_COST"],
        parallelism=cfg["ANXUN_ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return password_hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticated(view):
    """Require a valid access token and put the Actor on g.actor (built by the loader).

    A user who must change their password reaches only views marked `password_change_allowed`.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request()
        actor = current_app.extensions["anxun_actor_loader"](int(get_jwt_identity()))
        if actor.must_change_password and not getattr(view, "password_change_allowed", False):
            raise PasswordChangeRequired("请先修改初始密码或重置后的密码，再继续使用。")
        g.actor = actor
        return view(*args, **kwargs)

    return wrapper


def password_change_allowed(view):
    """Mark a view (below @authenticated) as usable before a required password change."""
    view.password_change_allowed = True
    return view


def current_actor() -> Actor:
    return g.actor


def register_jwt_errors(jwt) -> None:
    """JWT failures become problem+json 401s with Chinese text."""

    def unauthorized(detail: str):
        return problem(401, "/problems/unauthorized", HTTP_TITLES[401], detail)

    jwt.unauthorized_loader(lambda reason: unauthorized("请先登录。"))
    jwt.invalid_token_loader(lambda reason: unauthorized("登录凭证无效，请重新登录。"))
    jwt.expired_token_loader(lambda header, payload: unauthorized("登录已过期，请刷新或重新登录。"))
    jwt.revoked_token_loader(lambda header, payload: unauthorized("登录凭证已注销，请重新登录。"))
    jwt.needs_fresh_token_loader(lambda header, payload: unauthorized("需要重新登录。"))
    jwt.user_lookup_error_loader(lambda header, payload: unauthorized("账号不存在或已停用。"))
