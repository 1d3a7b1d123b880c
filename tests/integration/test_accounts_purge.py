"""`flask anxun accounts purge` forgets login records that can no longer matter, and only those."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from anxun.accounts.models import AuthSession, LoginAttempt, RefreshToken
from anxun.core import clock
from tests.conftest import DEMO_PASSWORD


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_purge_keeps_live_sessions_and_drops_what_expired(app, db, client, world):
    login = {"username": "officer-hc", "password": DEMO_PASSWORD}
    assert client.post("/api/v1/auth/login", json={**login, "password": "wrong"}).status_code == 401
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    db.session.rollback()
    runner = app.test_cli_runner()

    # Today nothing is old enough: the session, its refresh token and both attempts stay.
    result = runner.invoke(args=["anxun", "accounts", "purge"])
    assert result.exit_code == 0, result.output
    assert (count(db, AuthSession), count(db, RefreshToken), count(db, LoginAttempt)) == (1, 1, 2)

    # A year on, the session has expired and the attempts are outside every window.
    clock.freeze(clock.now() + timedelta(days=365))
    result = runner.invoke(args=["anxun", "accounts", "purge"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert (count(db, AuthSession), count(db, RefreshToken), count(db, LoginAttempt)) == (0, 0, 0)
