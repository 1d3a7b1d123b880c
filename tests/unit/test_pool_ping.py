"""Pooled PostgreSQL connections are pinged only after being idle (core/db.ping_when_idle): a busy
server saves the round trip per request, an idle one still replaces a connection the server
closed (issue #18)."""

import time

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from anxun.config import build_config
from anxun.core.db import ping_when_idle


def _engine(app, idle_seconds):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_seconds)
    return engine


def _close_pooled_connection_on_the_server(app, engine) -> int:
    """Terminate the backend of the pool's one (checked-in) connection; wait until it is gone."""
    with engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    plain = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        for _ in range(500):
            gone = admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,))
            if gone.fetchone() is None:
                return pid
            time.sleep(0.01)
    raise AssertionError("the backend did not end")


@pytest.mark.parametrize("backend", ["postgresql"])
def test_an_idle_connection_is_pinged_and_replaced(app):
    engine = _engine(app, 0)
    pid = _close_pooled_connection_on_the_server(app, engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
    engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_recently_used_connection_is_not_pinged(app):
    engine = _engine(app, 3600)
    _close_pooled_connection_on_the_server(app, engine)
    # No ping: the statement meets the closed connection (what a request would meet if the
    # server restarted while the pool was busy) ...
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    # ... and the pool has dropped it: the next checkout works.
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()


def test_the_idle_time_is_configurable(monkeypatch, tmp_path):
    monkeypatch.setenv("ANXUN_DB_PING_IDLE_SECONDS", "0")
    config = build_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["ANXUN_DB_PING_IDLE_SECONDS"] == 0
    assert "pool_pre_ping" not in config["SQLALCHEMY_ENGINE_OPTIONS"]
