"""The caller cache shared across servers (issue #18): a logout, a password or a role change
committed by any server is seen by every server's next request, through one change counter in
Redis; a Redis that cannot be reached sends every check to the database."""

from __future__ import annotations

import os

import pytest
from flask_jwt_extended import decode_token
from sqlalchemy import update

from anxun.accounts import actor_cache
from anxun.accounts.models import AuthSession
from anxun.core import clock
from tests.conftest import DEMO_PASSWORD, redis_or_skip

REDIS_URL = os.environ.get("ANXUN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _login(client, username="officer-hc"):
    response = client.post(
        "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _end_session_elsewhere(app, access_token):
    """What another server's logout commits: the session row, written outside this process's
    ORM session (so this process's own invalidation does not see it)."""
    from anxun.extensions import db

    with app.app_context():
        sid = decode_token(access_token)["sid"]
        with db.engine.begin() as connection:
            connection.execute(
                update(AuthSession.__table__)
                .where(AuthSession.__table__.c.id == sid)
                .values(revoked_at=clock.now())
            )


@pytest.fixture
def shared(app):
    connection = redis_or_skip()
    connection.delete(actor_cache.GENERATION_KEY)
    app.config.update(
        ANXUN_AUTH_CACHE_SHARED="redis",
        ANXUN_REDIS_URL=REDIS_URL,
        ANXUN_AUTH_CACHE_SECONDS=300,
    )
    actor_cache.clear()
    yield connection
    actor_cache.clear()


def test_a_logout_on_another_server_is_seen_by_the_next_request(client, world, app, shared):
    tokens = _login(client)
    assert _me(client, tokens["access_token"]) == 200  # this server now holds the caller

    _end_session_elsewhere(app, tokens["access_token"])
    # Not announced: the cache answers (so the check below is the counter's doing, not the TTL's).
    assert _me(client, tokens["access_token"]) == 200
    shared.incr(actor_cache.GENERATION_KEY)  # the other server's announcement after its commit
    assert _me(client, tokens["access_token"]) == 401


def test_a_commit_that_changes_accounts_announces_it(client, world, shared):
    tokens = _login(client)
    before = int(shared.get(actor_cache.GENERATION_KEY) or 0)
    assert _me(client, tokens["access_token"]) == 200
    assert int(shared.get(actor_cache.GENERATION_KEY) or 0) == before  # reads announce nothing
    headers = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert int(shared.get(actor_cache.GENERATION_KEY) or 0) > before


def test_unreachable_redis_leaves_every_check_to_the_database(client, world, app, shared):
    app.config["ANXUN_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    tokens = _login(client)  # logging in still works (the announcement fails quietly)
    assert _me(client, tokens["access_token"]) == 200
    assert _me(client, tokens["access_token"]) == 200
    _end_session_elsewhere(app, tokens["access_token"])
    assert _me(client, tokens["access_token"]) == 401


def test_shared_by_default_only_with_redis_workers(app):
    with app.app_context():
        app.config.update(ANXUN_AUTH_CACHE_SHARED="auto", ANXUN_DISPATCH_MODE="rq")
        assert actor_cache.shared()
        app.config["ANXUN_DISPATCH_MODE"] = "embedded"
        assert not actor_cache.shared()
        app.config["ANXUN_AUTH_CACHE_SHARED"] = "redis"
        assert actor_cache.shared()
        app.config.update(ANXUN_AUTH_CACHE_SHARED="off", ANXUN_DISPATCH_MODE="rq")
        assert not actor_cache.shared()


def test_each_request_reads_the_counter_even_inside_one_app_context(client, world, app, shared):
    tokens = _login(client)
    with app.app_context():  # requests made here share the app context (as in commands and tests)
        assert _me(client, tokens["access_token"]) == 200
        _end_session_elsewhere(app, tokens["access_token"])
        shared.incr(actor_cache.GENERATION_KEY)
        assert _me(client, tokens["access_token"]) == 401
