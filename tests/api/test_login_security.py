"""Issue #19: login throttling per account and address, sessions, refresh grace, passwords."""

from datetime import UTC, datetime, timedelta

import argon2
import pytest
from sqlalchemy import select

from anxun.accounts.models import AuthSession, LoginAttempt, User
from anxun.core.audit import AuditEntry
from tests.conftest import DEMO_PASSWORD

START = datetime.now(UTC).replace(microsecond=0)


def login(client, username, password=DEMO_PASSWORD, address="10.1.1.1", headers=None):
    return client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers or {},
    )


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def refresh(client, token):
    return client.post("/api/v1/auth/refresh", headers=bearer(token))


# --- throttling -----------------------------------------------------------------------------


def test_an_attacker_failing_ten_times_does_not_lock_the_owner_out(client, world):
    answers = [
        login(client, "head-hc", "guess-guess", address="6.6.6.6").status_code for _ in range(10)
    ]
    assert answers == [401, 401, 401] + [429] * 7
    assert login(client, "head-hc", address="6.6.6.6").status_code == 429
    owner = login(client, "head-hc", address="10.1.1.1")
    assert owner.status_code == 200


def test_delays_grow_after_each_further_failure_and_a_success_starts_afresh(
    client, world, frozen_clock
):
    now = START
    frozen_clock(now)
    for _ in range(3):
        assert login(client, "head-hc", "guess-guess").status_code == 401
    waits = []
    for _ in range(4):
        blocked = login(client, "head-hc", "guess-guess")
        assert blocked.status_code == 429
        wait = int(blocked.headers["Retry-After"])
        waits.append(wait)
        now += timedelta(seconds=wait)
        frozen_clock(now)
        assert login(client, "head-hc", "guess-guess").status_code == 401
    assert waits == [2, 4, 8, 16]
    now += timedelta(seconds=32)
    frozen_clock(now)
    assert login(client, "head-hc").status_code == 200
    assert login(client, "head-hc", "guess-guess").status_code == 401
    assert login(client, "head-hc").status_code == 200


def test_username_and_phone_of_one_account_share_the_counter(client, world, login_as, db):
    created = client.post(
        f"/api/v1/enterprises/{world['enterprise']['hc']}/users",
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
    assert login(client, "li-ming", "wrong-one-1").status_code == 401
    assert login(client, "13912345678", "wrong-one-2").status_code == 401
    assert login(client, "li-ming", "wrong-one-3").status_code == 401
    assert login(client, "13912345678", "long-enough-1").status_code == 429
    keys = set(db.session.scalars(select(LoginAttempt.account_key)))
    assert f"user:{created.get_json()['id']}" in keys


def test_an_address_failing_across_accounts_is_refused_but_not_where_an_owner_logged_in(
    client, world, app
):
    assert login(client, "head-cs", address="10.9.9.9").status_code == 200
    app.config["ANXUN_LOGIN_MAX_FAILURES_ADDRESS"] = 3
    for name in ("head-hc", "head-con", "no-such-user"):
        assert login(client, name, "nope-nope", address="10.9.9.9").status_code == 401
    refused = login(client, "head-dust", address="10.9.9.9")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3500
    assert login(client, "head-cs", address="10.9.9.9").status_code == 200


def test_failures_over_many_addresses_cap_the_account_for_new_addresses_only(client, world, app):
    assert login(client, "head-hc", address="10.1.1.1").status_code == 200
    app.config["ANXUN_LOGIN_MAX_FAILURES_ACCOUNT"] = 3
    for n in range(3):
        assert login(client, "head-hc", "guess-guess", address=f"7.7.7.{n}").status_code == 401
    assert login(client, "head-hc", address="7.7.7.200").status_code == 429
    assert login(client, "head-hc", address="10.1.1.1").status_code == 200


def test_an_unknown_user_runs_the_same_argon2_verification(client, world, monkeypatch):
    verified = []
    real_verify = argon2.PasswordHasher.verify

    def spy(self, hash_, password):
        verified.append(hash_.rsplit("$", 2)[0])  # algorithm, version and cost parameters
        return real_verify(self, hash_, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    assert login(client, "head-hc", "wrong-password").status_code == 401
    unknown = login(client, "nobody-here", "wrong-password")
    assert unknown.status_code == 401
    assert unknown.get_json()["detail"] == "用户名或密码错误。"
    assert len(verified) == 2
    assert verified[0] == verified[1]
    assert verified[0].startswith("$argon2id$")


# --- client address behind proxies ------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "forwarded", "recorded"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy configured: the header is ignored
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # only the hop the proxy appended is trusted
        (2, "6.6.6.6, 1.2.3.4", "6.6.6.6"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxies_only(
    client, world, app, db, trusted, forwarded, recorded
):
    app.config["ANXUN_TRUSTED_PROXIES"] = trusted
    response = login(
        client, "head-hc", "wrong-pass", address="10.0.0.1", headers={"X-Forwarded-For": forwarded}
    )
    assert response.status_code == 401
    assert db.session.scalars(select(LoginAttempt.client_address)).all() == [recorded]


def test_a_forged_forwarded_header_does_not_escape_the_throttle_without_a_proxy(client, world):
    for n in range(3):
        spoofed = {"X-Forwarded-For": f"9.9.9.{n}"}
        assert login(client, "head-hc", "guess-guess", headers=spoofed).status_code == 401
    assert login(client, "head-hc", headers={"X-Forwarded-For": "9.9.9.99"}).status_code == 429


# --- sessions, logout and refresh -------------------------------------------------------------


def test_logout_with_only_the_access_token_revokes_the_refresh_token(client, world, db):
    tokens = login(client, "officer-hc").get_json()
    response = client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert response.status_code == 204
    assert refresh(client, tokens["refresh_token"]).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert db.session.scalar(select(AuthSession.revoked_at)) is not None
    other = login(client, "officer-hc").get_json()  # a new login is a new session
    assert client.get("/api/v1/me", headers=bearer(other["access_token"])).status_code == 200


def test_refresh_rotates_and_the_previous_token_works_within_the_grace_period(
    client, world, frozen_clock
):
    frozen_clock(START)
    first = login(client, "officer-hc").get_json()
    rotated = refresh(client, first["refresh_token"])
    assert rotated.status_code == 200
    second = rotated.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    # The answer carrying `second` was lost: the phone retries with the old token.
    frozen_clock(START + timedelta(seconds=100))
    retried = refresh(client, first["refresh_token"])
    assert retried.status_code == 200
    third = retried.get_json()
    for tokens in (second, third):
        assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 200
    assert refresh(client, third["refresh_token"]).status_code == 200


def test_reusing_a_replaced_refresh_token_after_the_grace_period_revokes_the_session(
    client, world, frozen_clock, db
):
    frozen_clock(START)
    first = login(client, "officer-hc").get_json()
    second = refresh(client, first["refresh_token"]).get_json()
    frozen_clock(START + timedelta(seconds=121))
    reused = refresh(client, first["refresh_token"])
    assert reused.status_code == 401
    assert reused.content_type == "application/problem+json"
    assert refresh(client, second["refresh_token"]).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(second["access_token"])).status_code == 401
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "refresh_token_reuse" in actions


# --- password change and reset ----------------------------------------------------------------


def change(client, headers, current, new):
    return client.post(
        "/api/v1/me/password",
        json={"current_password": current, "new_password": new},
        headers=headers,
    )


def test_a_user_changes_their_password_and_their_other_sessions_end(client, world):
    phone = login(client, "officer-hc").get_json()
    desk = login(client, "officer-hc").get_json()
    response = change(client, bearer(desk["access_token"]), DEMO_PASSWORD, "new-secret-456")
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=bearer(desk["access_token"])).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(phone["access_token"])).status_code == 401
    assert refresh(client, phone["refresh_token"]).status_code == 401
    assert login(client, "officer-hc").status_code == 401
    assert login(client, "officer-hc", "new-secret-456").status_code == 200


@pytest.mark.parametrize(
    ("current", "new", "field", "message"),
    [
        ("wrong-current", "new-secret-456", "current_password", "当前密码不正确。"),
        (DEMO_PASSWORD, "short", "new_password", "新密码至少 8 位。"),
        (DEMO_PASSWORD, DEMO_PASSWORD, "new_password", "新密码不能与当前密码相同。"),
        (DEMO_PASSWORD, "officer-hc", "new_password", "新密码不能与用户名或手机号相同。"),
    ],
)
def test_a_bad_password_change_is_422_and_changes_nothing(
    client, world, login_as, current, new, field, message
):
    response = change(client, login_as("officer-hc"), current, new)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == [{"field": field, "message": message}]
    assert login(client, "officer-hc").status_code == 200


def test_wrong_current_passwords_count_as_failed_logins(client, world, login_as):
    headers = login_as("officer-hc")
    for _ in range(3):
        assert change(client, headers, "wrong-current", "new-secret-456").status_code == 422
    assert change(client, headers, DEMO_PASSWORD, "new-secret-456").status_code == 429


def test_after_an_admin_reset_the_user_must_change_the_password_first(client, world, login_as, db):
    user_id = world["users"]["rectifier-hc"]
    old = login(client, "rectifier-hc").get_json()
    reset = client.post(f"/api/v1/users/{user_id}/password-reset", headers=login_as("head-hc"))
    assert reset.status_code == 200
    body = reset.get_json()
    assert body["must_change_password"] is True
    generated = body["initial_password"]
    assert client.get("/api/v1/me", headers=bearer(old["access_token"])).status_code == 401
    assert login(client, "rectifier-hc").status_code == 401

    logged_in = login(client, "rectifier-hc", generated).get_json()
    assert logged_in["must_change_password"] is True
    assert logged_in["user"]["must_change_password"] is True
    headers = bearer(logged_in["access_token"])
    blocked = client.get("/api/v1/hazards", headers=headers)
    assert blocked.status_code == 403
    assert blocked.content_type == "application/problem+json"
    assert blocked.get_json()["type"] == "/problems/password-change-required"
    assert client.get("/api/v1/me", headers=headers).get_json()["must_change_password"] is True

    assert change(client, headers, generated, "my-own-pass-1").status_code == 204
    assert client.get("/api/v1/hazards", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).get_json()["must_change_password"] is False
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "reset_password"))
    assert [str(user_id)] == [entry.entity_id for entry in audit]


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("head-hc", "officer-hc", 200),
        ("head-hc", "head-con", 404),  # another enterprise's head
        ("head-hc", "regulator-admin", 404),
        ("head-hc", "head-hc", 409),  # one's own password is changed, not reset
        ("officer-hc", "rectifier-hc", 404),  # only the head resets staff passwords
        ("regulator-admin", "head-hc", 404),
        ("admin", "regulator-admin", 200),
    ],
)
def test_who_may_reset_a_password(client, world, login_as, db, who, target, status):
    user_id = world["users"][target]
    response = client.post(f"/api/v1/users/{user_id}/password-reset", headers=login_as(who))
    assert response.status_code == status
    assert response.content_type == (
        "application/json" if status == 200 else "application/problem+json"
    )
    assert db.session.get(User, user_id).must_change_password is (status == 200)


def test_imported_accounts_must_change_their_initial_password(client, login_as, db, world):
    from tests.api.test_onboarding_import import csv_bytes, row, upload

    response = upload(
        client,
        login_as("regulator-admin"),
        "名单.csv",
        csv_bytes([row("某某化工有限公司", "new-head")]),
    )
    assert response.status_code == 201
    generated = response.get_json()["credentials"][0]["initial_password"]
    body = login(client, "new-head", generated).get_json()
    assert body["must_change_password"] is True
