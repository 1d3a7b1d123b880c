"""Login, refresh, logout, /me, throttling and token expiry."""

from datetime import timedelta

from flask_jwt_extended import create_access_token
from sqlalchemy import func, select

from anxun.accounts.models import LoginAttempt
from tests.conftest import DEMO_PASSWORD


def login(client, username, password=DEMO_PASSWORD, address="10.1.1.1"):
    return client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_login_returns_tokens_and_the_user_with_memberships(client, world):
    response = login(client, "officer-hc")
    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 15 * 60
    assert body["user"]["username"] == "officer-hc"
    roles = {m["role"]["code"] for m in body["user"]["memberships"]}
    assert roles == {"safety_officer", "inspector"}
    me = client.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.get_json()["display_name"] == "陈海波"


def test_wrong_password_is_401_problem_and_the_attempt_is_kept(client, world, db):
    response = login(client, "officer-hc", "wrong-password")
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.get_json()["detail"] == "用户名或密码错误。"
    failures = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(LoginAttempt.succeeded.is_(False))
    )
    assert failures == 1


def test_unknown_user_answers_like_a_wrong_password(client, world):
    response = login(client, "nobody")
    assert response.status_code == 401
    assert response.get_json()["detail"] == "用户名或密码错误。"


def test_failures_from_one_address_make_that_address_wait_not_the_account(client, world):
    for _ in range(3):
        assert login(client, "head-hc", "bad-password-x").status_code == 401
    response = login(client, "head-hc")
    assert response.status_code == 429
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "2"
    assert "秒后再试" in response.get_json()["detail"]
    assert login(client, "head-hc", address="10.2.2.2").status_code == 200
    assert login(client, "head-con").status_code == 200  # other accounts unaffected


def test_client_address_is_throttled_across_accounts(client, world, app):
    app.config["ANXUN_LOGIN_MAX_FAILURES_ADDRESS"] = 3
    for name in ("head-hc", "head-con", "head-dust"):
        assert login(client, name, "nope-nope", address="10.9.9.9").status_code == 401
    assert login(client, "head-cs", address="10.9.9.9").status_code == 429
    assert login(client, "head-cs", address="10.9.9.10").status_code == 200


def test_the_wait_ends_after_the_delay(client, world, frozen_clock):
    from datetime import UTC, datetime

    start = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    frozen_clock(start)
    for _ in range(3):
        login(client, "head-hc", "bad-password-x")
    assert login(client, "head-hc").status_code == 429
    frozen_clock(start + timedelta(seconds=2))
    assert login(client, "head-hc").status_code == 200


def test_refresh_gives_a_new_access_token_and_rejects_access_tokens(client, world):
    tokens = login(client, "officer-hc").get_json()
    refreshed = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert refreshed.status_code == 200
    assert (
        client.get("/api/v1/me", headers=bearer(refreshed.get_json()["access_token"])).status_code
        == 200
    )
    wrong_kind = client.post("/api/v1/auth/refresh", headers=bearer(tokens["access_token"]))
    assert wrong_kind.status_code == 401
    assert wrong_kind.content_type == "application/problem+json"


def test_logout_revokes_the_presented_tokens(client, world):
    tokens = login(client, "officer-hc").get_json()
    assert (
        client.post("/api/v1/auth/logout", headers=bearer(tokens["refresh_token"])).status_code
        == 204
    )
    assert (
        client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"])).status_code
        == 401
    )
    response = client.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    assert response.status_code == 401
    assert response.get_json()["detail"] == "登录凭证已注销，请重新登录。"


def test_expired_access_token_is_401_with_a_clear_message(client, world, app):
    with app.app_context():
        token = create_access_token(
            identity=str(world["users"]["officer-hc"]), expires_delta=timedelta(seconds=-1)
        )
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.get_json()["detail"] == "登录已过期，请刷新或重新登录。"


def test_deactivated_user_cannot_log_in_or_use_old_tokens(client, world, login_as):
    tokens = login(client, "rectifier-hc").get_json()
    head = login_as("head-hc")
    user_id = world["users"]["rectifier-hc"]
    enterprise = world["enterprise"]["hc"]
    response = client.patch(
        f"/api/v1/enterprises/{enterprise}/users/{user_id}", json={"is_active": False}, headers=head
    )
    assert response.status_code == 200
    assert response.get_json()["is_active"] is False
    assert login(client, "rectifier-hc").status_code == 401
    assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401


def test_phone_number_works_as_login_name(client, world, login_as):
    enterprise = world["enterprise"]["hc"]
    created = client.post(
        f"/api/v1/enterprises/{enterprise}/users",
        json={
            "username": "li-ming",
            "display_name": "李明",
            "phone": "13912345678",
            "password": "long-enough-1",
            "roles": ["inspector"],
        },
        headers=login_as("head-hc"),
    )
    assert created.status_code == 201
    assert login(client, "13912345678", "long-enough-1").status_code == 200
