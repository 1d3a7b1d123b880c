"""Shared fixtures: apps on SQLite (always) and PostgreSQL (when reachable), clients, logins."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge behaviour, not speed: on a busy CI machine generating examples or running
# one may take longer than Hypothesis' defaults allow (too_slow, deadline), which is not a failure.
settings.register_profile("anxun", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("anxun")

PG_URL = os.environ.get("ANXUN_TEST_PG_URL") or (
    os.environ.get("DATABASE_URL", "") if "postgres" in os.environ.get("DATABASE_URL", "") else ""
)
# `make test` runs the suite in parallel processes (pytest-xdist): each worker after the first gets
# its own PostgreSQL database (created here when missing) and its own Redis database number, so no
# two workers ever empty each other's tables or queues.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER not in ("", "gw0"):
    _number = int(_WORKER.removeprefix("gw"))
    if PG_URL:
        _base, _, _name = PG_URL.rpartition("/")
        _name, _sep, _query = _name.partition("?")
        PG_URL = f"{_base}/{_name}_{_WORKER}{_sep}{_query}"
        try:
            import psycopg

            _admin = f"{_base}/postgres".replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(_admin, autocommit=True, connect_timeout=2) as _conn:
                if not _conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (f"{_name}_{_WORKER}",)
                ).fetchone():
                    _conn.execute(f'CREATE DATABASE "{_name}_{_WORKER}"')
        except Exception:  # noqa: BLE001 - unreachable: the PostgreSQL tests skip or fail as usual
            pass
        os.environ["ANXUN_TEST_PG_URL"] = PG_URL
    _redis = os.environ.get("ANXUN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    _redis_base, _, _redis_db = _redis.rpartition("/")
    if _redis_db.isdigit():
        os.environ["ANXUN_TEST_REDIS_URL"] = f"{_redis_base}/{int(_redis_db) - _number}"
DEMO_PASSWORD = "demo-pass-123"
FAST_ARGON2 = {
    "ANXUN_ARGON2_TIME_COST": 1,
    "ANXUN_ARGON2_MEMORY_COST": 8,
    "ANXUN_ARGON2_PARALLELISM": 1,
}


def redis_or_skip():
    """A connection to the tests' Redis (ANXUN_TEST_REDIS_URL), or skip the test when it cannot
    be reached; in CI (ANXUN_REQUIRE_PG) an unreachable Redis fails the test instead."""
    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("ANXUN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as exc:
        if os.environ.get("ANXUN_REQUIRE_PG"):
            pytest.fail(f"Redis required in CI but unreachable: {exc}")
        pytest.skip(f"Redis unreachable: {exc}")
    return connection


def _pg_reachable(url: str) -> str | None:
    """None when reachable, else the reason."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(plain, connect_timeout=2):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "skip"
        return str(exc).splitlines()[0]


def _reset_pg_schema(url: str) -> None:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


NO_SPECIAL_DAYS = Path(__file__).parent / "data/permits/no_special_days.yaml"


def build_app(database_url: str, instance_path: str, **extra):
    from anxun.app import create_app

    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": instance_path,
            "JWT_SECRET_KEY": "test-secret-key-of-sufficient-length-0123456789",
            "ANXUN_DEMO_PASSWORD": DEMO_PASSWORD,
            # Tests send deliveries by calling the dispatcher, never from a background thread.
            "ANXUN_DISPATCH_MODE": "off",
            # Permits made on the real clock must not depend on the hour or the weekday: no
            # night hours or rest days unless a test sets the shipped calendar.
            "ANXUN_PERMIT_CALENDAR": str(NO_SPECIAL_DAYS),
            **FAST_ARGON2,
            **extra,
        }
    )


@pytest.fixture(scope="session")
def _apps(tmp_path_factory):
    """One migrated app per backend, built lazily."""
    cache: dict = {}

    def get(backend: str):
        if backend in cache:
            return cache[backend]
        from flask_migrate import upgrade

        instance = tmp_path_factory.mktemp(f"instance-{backend}")
        if backend == "sqlite":
            url = f"sqlite:///{instance / 'test.sqlite3'}"
        else:
            if not PG_URL:
                if os.environ.get("ANXUN_REQUIRE_PG"):
                    pytest.fail("ANXUN_REQUIRE_PG is set but no PostgreSQL URL is configured")
                pytest.skip("PostgreSQL not configured (set ANXUN_TEST_PG_URL or DATABASE_URL)")
            reason = _pg_reachable(PG_URL)
            if reason:
                if os.environ.get("ANXUN_REQUIRE_PG"):
                    pytest.fail(f"PostgreSQL required but unreachable: {reason}")
                pytest.skip(f"PostgreSQL unreachable: {reason}")
            _reset_pg_schema(PG_URL)
            url = PG_URL
        app = build_app(url, str(instance))
        with app.app_context():
            upgrade()
            if backend == "postgresql":
                _pg_without_autovacuum(app)
        cache[backend] = app
        return app

    return get


def _pg_without_autovacuum(app) -> None:
    """No autovacuum on the test tables: the tests' rows are DELETEd (_clean_database), and a
    vacuum would let new rows take the freed space, so a list read without ORDER BY would come
    back in another order than it was written, now and then (as TRUNCATE kept it). A TRUNCATE
    every _TRUNCATE_EVERY cleanups gives the tables fresh files instead."""
    from anxun.extensions import db

    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            conn.exec_driver_sql(f'ALTER TABLE "{table.name}" SET (autovacuum_enabled = false)')


_TRUNCATE_EVERY = 200
_cleanups = {"postgresql": 0}


def _clean_database(app) -> None:
    """Empty every table of the app's database. On PostgreSQL only the tables holding rows are
    emptied, by DELETE, and every sequence restarts (as TRUNCATE … RESTART IDENTITY would): a
    TRUNCATE of every table gives each one new files and took 0.3 s per test, so it is done only
    every _TRUNCATE_EVERY cleanups, to drop the dead rows."""
    from anxun.extensions import db

    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                _cleanups["postgresql"] += 1
                if _cleanups["postgresql"] % _TRUNCATE_EVERY == 0:
                    names = ", ".join(f'"{t.name}"' for t in tables)
                    conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
                else:
                    _pg_empty(conn, tables)
            else:
                for table in tables:
                    conn.execute(table.delete())


def _pg_empty(conn, tables) -> None:
    """DELETE the rows of the tables that hold any (children first) and restart every sequence
    of the schema, in three statements and one per such table."""
    probes = " UNION ALL ".join(
        f'SELECT {i} WHERE EXISTS (SELECT 1 FROM "{t.name}")' for i, t in enumerate(tables)
    )
    for i in sorted(i for (i,) in conn.exec_driver_sql(probes)):  # children first
        conn.exec_driver_sql(f'DELETE FROM "{tables[i].name}"')
    _pg_set_sequences(conn, None)


def _pg_set_sequences(conn, values: dict | None) -> None:
    """Set every sequence of the schema to `values` ({name: (last_value, is_called)}), or
    restart each at its start (None)."""
    rows = conn.exec_driver_sql(
        "SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = current_schema()"
    ).all()
    calls = []
    for name, start in rows:
        last, called = (values or {}).get(name, (start, False))
        calls.append(f"setval('\"{name}\"', {int(last)}, {'true' if called else 'false'})")
    if calls:
        conn.exec_driver_sql("SELECT " + ", ".join(calls))


def _pg_snapshot(conn, tables) -> tuple[list, dict]:
    """The rows of every non-empty table (COPY, binary) and the sequences' positions."""
    copies = []
    with conn.connection.driver_connection.cursor() as cursor:
        for table in tables:
            if not conn.exec_driver_sql(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")').scalar():
                continue
            data = bytearray()
            with cursor.copy(f'COPY "{table.name}" TO STDOUT (FORMAT BINARY)') as copy:
                for chunk in copy:
                    data += chunk
            copies.append((table.name, bytes(data)))
    sequences = {
        name: (last, True)
        for name, last in conn.exec_driver_sql(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        ).all()
    }
    return copies, sequences


def _pg_restore(conn, snapshot) -> None:
    """Write a _pg_snapshot back into the emptied tables (parents first)."""
    copies, sequences = snapshot
    with conn.connection.driver_connection.cursor() as cursor:
        for name, data in copies:
            with cursor.copy(f'COPY "{name}" FROM STDIN (FORMAT BINARY)') as copy:
                copy.write(data)
    _pg_set_sequences(conn, sequences)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    """Integration and API tests run once per database backend."""
    return request.param


@pytest.fixture
def app(_apps, backend):
    from anxun.core import clock

    application = _apps(backend)
    saved = dict(application.config)
    yield application
    clock.freeze(None)
    application.config.clear()
    application.config.update(saved)
    _clean_database(application)


@pytest.fixture
def db(app):
    from anxun.extensions import db as _db

    with app.app_context():
        yield _db
        _db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


# Seeded databases by (database, checklist folder, clock): restoring one (SQLite's backup API,
# PostgreSQL's COPY) takes milliseconds, seeding takes hundreds, and the suite asks thousands of times.
_WORLD_TEMPLATES: dict = {}


def _world_key(app):
    from anxun.core import clock

    moment = clock.now() if clock.is_frozen() else clock.today_local()
    return app.config["SQLALCHEMY_DATABASE_URI"], app.config["ANXUN_CHECKLIST_DIR"], moment


def _seed_world(app) -> None:
    from anxun import demo
    from anxun.core.uow import unit_of_work

    with unit_of_work():
        demo.seed_demo(DEMO_PASSWORD, Path(app.config["ANXUN_CHECKLIST_DIR"]), operations=False)


@pytest.fixture
def world(app):
    """The demo world (regulators, four enterprises, agency, engagement, users, shipped
    checklists) as a dict of ids, as `make run` seeds it."""
    import sqlite3

    from anxun.extensions import db
    from tests.factories import world_ids

    with app.app_context():
        key = _world_key(app)
        template = _WORLD_TEMPLATES.get(key)
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            # The app fixture leaves the tables empty; the world goes into them as one commit.
            if template is not None:
                with db.engine.begin() as conn:
                    _pg_restore(conn, template)
            else:
                _seed_world(app)
                db.session.remove()
                with db.engine.begin() as conn:
                    _WORLD_TEMPLATES[key] = _pg_snapshot(conn, db.metadata.sorted_tables)
            return world_ids()
        raw = db.engine.raw_connection()
        try:
            if template is not None:
                template.backup(raw.driver_connection)
            else:
                _seed_world(app)
                copy = sqlite3.connect(":memory:", check_same_thread=False)
                raw.driver_connection.backup(copy)
                _WORLD_TEMPLATES[key] = copy
        finally:
            raw.close()
        return world_ids()


@pytest.fixture
def login_as(client, world):
    """login_as("officer-hc") → Authorization headers for that demo user."""
    cache: dict[str, dict] = {}

    def _login(username: str) -> dict:
        if username not in cache:
            response = client.post(
                "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 200, response.get_json()
            cache[username] = {"Authorization": f"Bearer {response.get_json()['access_token']}"}
        return cache[username]

    return _login


@pytest.fixture
def frozen_clock():
    """Freeze the application clock; returns a setter."""
    from anxun.core import clock

    def _freeze(value: datetime):
        clock.freeze(value if value.tzinfo else value.replace(tzinfo=UTC))

    yield _freeze
    clock.freeze(None)


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch):
    """Tests never talk to anything but loopback."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise RuntimeError(f"test tried to reach {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
