"""HTTP endpoints for login, token refresh, logout, passwords, the current user and staff."""

from flask import current_app, request
from flask_jwt_extended import get_jwt, get_jwt_identity, jwt_required

from anxun.accounts import queries, services, sessions
from anxun.accounts.roles import Role
from anxun.accounts.schemas import (
    AccessTokenSchema,
    LoginSchema,
    PasswordChangeSchema,
    PasswordResetSchema,
    StaffCreateSchema,
    TokenSchema,
    UserActiveSchema,
    UserSchema,
)
from anxun.core.auth import Grant, authenticated, current_actor, password_change_allowed
from anxun.core.blueprint import Blueprint
from anxun.core.errors import Forbidden, Unauthorized
from anxun.core.uow import keep_on_error
from anxun.orgs import scoping

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="登录与账号")


def _expires_in() -> int:
    return int(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds())


@blp.route("/auth/login", methods=["POST"])
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
@blp.doc(security=[])
def login(data):
    """Log in with username (or phone) and password.

    `must_change_password: true` means every other call answers 403
    /problems/password-change-required until POST /me/password succeeds.
    """
    keep_on_error()
    user = services.authenticate(data["username"], data["password"], request.remote_addr or "")
    if user is None:
        raise Unauthorized("用户名或密码错误。")
    return {
        **sessions.start_session(user),
        "token_type": "Bearer",
        "expires_in": _expires_in(),
        "must_change_password": user.must_change_password,
        "user": queries.user_view(user),
    }


@blp.route("/auth/refresh", methods=["POST"])
@jwt_required(refresh=True)
@blp.response(200, AccessTokenSchema)
@blp.doc(security=[{"bearerAuth": []}], description="Send the refresh token as the bearer token.")
def refresh():
    """Exchange a refresh token for a new access token and a new refresh token.

    The refresh token sent stays valid for ANXUN_REFRESH_GRACE_SECONDS (in case this answer is
    lost); sent again after that, it revokes the session.
    """
    keep_on_error()
    actor = services.load_actor(int(get_jwt_identity()))
    return {
        **sessions.refresh_session(actor, get_jwt()),
        "token_type": "Bearer",
        "expires_in": _expires_in(),
    }


@blp.route("/auth/logout", methods=["POST"])
@jwt_required(verify_type=False)
@blp.response(204)
def logout():
    """End the session of the presented token: its access and refresh tokens both stop working."""
    payload = get_jwt()
    sessions.end_session(services.load_actor(int(payload["sub"])), payload)


@blp.route("/me", methods=["GET"])
@authenticated
@password_change_allowed
@blp.response(200, UserSchema)
def me():
    """The current user and their memberships."""
    return queries.user_view(queries.get_user(current_actor().user_id))


@blp.route("/me/password", methods=["POST"])
@authenticated
@password_change_allowed
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_password(data):
    """Change one's own password; the other sessions of the user end, this one stays."""
    keep_on_error()
    services.change_password(
        current_actor(),
        data["current_password"],
        data["new_password"],
        request.remote_addr or "",
        keep_sid=get_jwt().get("sid"),
    )


@blp.route("/users/<int:user_id>/password-reset", methods=["POST"])
@authenticated
@blp.response(200, PasswordResetSchema)
def reset_password(user_id):
    """A platform admin (any user) or an enterprise head (their staff) resets a password.

    The generated password is shown once; the user must change it at the next login.
    """
    password = services.reset_password(current_actor(), queries.get_user(user_id))
    return {"user_id": user_id, "initial_password": password, "must_change_password": True}


@blp.route("/enterprises/<int:enterprise_id>/users", methods=["GET"])
@authenticated
@blp.response(200, UserSchema(many=True))
def list_staff(enterprise_id):
    """Staff of an enterprise (visible to its own staff, its regulators and platform admins)."""
    # Staff details are not part of an agency's read-only scope: enterprise-side access needed.
    enterprise = scoping.get_enterprise(current_actor(), enterprise_id, scoping.WRITE)
    return [queries.user_view(u) for u in queries.enterprise_staff(enterprise.id)]


@blp.route("/enterprises/<int:enterprise_id>/users", methods=["POST"])
@authenticated
@blp.arguments(StaffCreateSchema)
@blp.response(201, UserSchema)
def create_staff(data, enterprise_id):
    """The enterprise head (or the supervising regulator admin) adds a staff account."""
    actor = current_actor()
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    is_head = Role.head in actor.roles_in_enterprise(enterprise.id)
    is_admin = actor.is_platform_admin or any(
        Role.regulator_admin in actor.regulator_roles(r) for r in actor.regulator_ids
    )
    if not (is_head or is_admin):
        raise Forbidden("只有主要负责人或监管部门管理员可以添加企业人员。")
    roles = data.pop("roles")
    user = services.create_user(
        actor, data, [Grant(role, enterprise_id=enterprise.id) for role in sorted(set(roles))]
    )
    return queries.user_view(user)


@blp.route("/enterprises/<int:enterprise_id>/users/<int:user_id>", methods=["PATCH"])
@authenticated
@blp.arguments(UserActiveSchema)
@blp.response(200, UserSchema)
def set_staff_active(data, enterprise_id, user_id):
    """The head activates or deactivates a staff account, and/or sets its roles in the enterprise."""
    actor = current_actor()
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    scoping.require_enterprise_role(actor, enterprise, {Role.head})
    user = queries.staff_member(enterprise.id, user_id)
    if data["roles"] is not None:
        services.set_enterprise_roles(actor, user, enterprise.id, data["roles"])
    if data["is_active"] is not None:
        services.set_user_active(actor, user, data["is_active"])
    return queries.user_view(user)
