"""Declarative base with a naming convention, and column helpers shared by models and queries."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Date, DateTime, MetaData, TypeDecorator, event, exc, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.sql.functions import FunctionElement

from anxun.core.clock import CHINA_TZ

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime
    cache_ok = True

    @property
    def python_type(self):
        return datetime

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# China has one offset all year (no daylight saving time): a local day is a UTC day shifted by it.
_LOCAL_HOURS = int(CHINA_TZ.utcoffset(None) / timedelta(hours=1))


class local_date(FunctionElement):  # lower case: used like a SQL function, local_date(column)
    """SQL: the China local date of a UTCDateTime column (NULL stays NULL), as a Python date.

    The stored value is naive UTC on both databases (UTCDateTime), so the local date is that value
    shifted by the offset, its time dropped: what `moment.astimezone(CHINA_TZ).date()` is in
    Python. The offset is written into the SQL, never a parameter, so the expression can be
    grouped by (PostgreSQL matches GROUP BY expressions by their text, two parameters differ)."""

    type = Date()
    inherit_cache = True
    name = "local_date"


@compiles(local_date)
def _local_date_sqlite(element, compiler, **kw):
    # SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff". Its date functions round the fraction to
    # milliseconds (23:59:59.9999 would be the next day), so only the first 19 characters are
    # read; date() answers the text "YYYY-MM-DD", which the Date type reads back as a date.
    column = compiler.process(element.clauses, **kw)
    return f"date(substr({column}, 1, 19), '{_LOCAL_HOURS:+d} hours')"


@compiles(local_date, "postgresql")
def _local_date_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"CAST({column} + INTERVAL '{_LOCAL_HOURS} hours' AS DATE)"


def insert_skipping_conflicts(session, target, keys: list[str]):
    """INSERT … ON CONFLICT (keys) DO NOTHING in `session`'s database (PostgreSQL or SQLite):
    a row whose unique `keys` are already stored is skipped, also when another transaction stored
    it a moment ago. Add .values() or pass rows, and .returning() to learn which went in."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(target).on_conflict_do_nothing(index_elements=keys)


def without_jit(session) -> None:
    """Turn PostgreSQL's JIT compilation off for the rest of `session`'s transaction (SQLite: no-op).

    The regulator overview's statements cost just over `jit_above_cost` at provincial size, so
    PostgreSQL compiled them on every request: 20–45 ms of a 70–160 ms statement, never earned
    back (issue #18). The trends statements read far more rows and gain from JIT; they keep it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_JIT_OFF)


_JIT_OFF = text("SET LOCAL jit = off")


class Base(DeclarativeBase):
    """Base for all models: named constraints, aware UTC datetimes."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def configure_sqlite(engine) -> None:
    """Make embedded SQLite behave like the production database where it matters.

    Foreign keys are enforced, and every transaction starts with BEGIN IMMEDIATE: writers
    queue up (busy_timeout) instead of reading stale rows and then failing on a unique key or
    forking the audit chain. The driver's own transaction handling is switched off for this.
    The journal is a write-ahead log (WAL): a commit appends instead of rewriting pages, and a
    reader that takes no write lock (the backup API, the sqlite3 shell) never waits for a writer.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        # Persistent in the file; an in-memory database answers "memory" and stays as it is.
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL's recommended level: durable across application crashes, fsync at checkpoints.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        dbapi_connection = connection.connection.dbapi_connection
        queued = isinstance(dbapi_connection, QueuedConnection)
        if queued:
            dbapi_connection.wait_for_turn()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if queued:
                dbapi_connection.end_turn()
            raise


# (thread, queue file) of every turn held in this process.
_turns_held: set[tuple[int, str]] = set()


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection whose transactions queue for the database file's write lock in the
    kernel instead of polling for it (issue #18).

    Every transaction starts with BEGIN IMMEDIATE (configure_sqlite). A writer that finds the
    lock taken is retried by SQLite's busy handler after sleeps of 1, 2, 5, 10, 15, 20, 25 … ms,
    whenever the lock was in fact released: with two gunicorn workers and 4 clients the embedded
    server spent more time asleep than writing, and 4 clients were hardly faster than 1. Here a
    transaction first takes an exclusive flock(2) on `<database>-queue` and holds it until its
    COMMIT or ROLLBACK has run: a waiting writer is woken by the kernel the moment the previous one
    ends, in its own process or another one. The flock dies with its process.

    SQLite's own lock stays the authority: a program that does not queue here (the sqlite3 shell,
    a migration) is still waited for by busy_timeout. A thread that already holds a turn on the
    same file through another connection (a nested transaction) does not queue again, which would
    wait for itself; it falls back to busy_timeout as before. An in-memory database has nothing to queue for.
    A queued writer waits as long as the turn is held, not busy_timeout's 15 s: every turn ends
    with its transaction, and no transaction here waits on the network (README, SQLite)."""

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self._queue_fd = None
        self._turn: tuple[int, str] | None = None  # (thread, queue file) while holding a turn
        self._queue_path = _queue_path(database)
        if self._queue_path is not None:
            self._queue_fd = os.open(self._queue_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    def wait_for_turn(self) -> None:
        if self._queue_fd is None or self._turn is not None:
            return
        turn = (threading.get_ident(), self._queue_path)
        if turn in _turns_held:
            return
        fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
        self._turn = turn
        _turns_held.add(turn)

    def end_turn(self) -> None:
        if getattr(self, "_turn", None) is None:
            return
        _turns_held.discard(self._turn)
        self._turn = None
        fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    def commit(self):
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self):
        try:
            super().close()
        finally:
            self._leave_queue()

    def __del__(self):
        # A connection dropped without close(): SQLite ends its transaction as the handle is
        # freed; the turn must end with it, or every other writer would wait for ever.
        self._leave_queue()

    def _leave_queue(self) -> None:
        self.end_turn()
        if getattr(self, "_queue_fd", None) is not None:
            os.close(self._queue_fd)
            self._queue_fd = None


def _queue_path(database) -> str | None:
    """`<database file>-queue`, or None for an in-memory database."""
    name = os.fspath(database)
    if name.startswith("file:"):
        name, _, query = name[len("file:") :].partition("?")
        if "mode=memory" in query:
            return None
    if name in ("", ":memory:"):
        return None
    return f"{name}-queue"


_CHECKED_IN_AT = "anxun_checked_in_at"


def ping_when_idle(engine, idle_seconds: float) -> None:
    """Check a pooled connection with a round trip only when it has been idle for `idle_seconds`
    (issue #18), instead of before every checkout (`pool_pre_ping`): a busy server reuses its
    connections within milliseconds and saves one round trip per request, an idle one still finds
    a connection the server or a firewall closed. A connection that fails the ping is replaced
    (the pool retries the checkout); a server that restarts while connections are busy fails those
    requests' next statement once, and the pool then replaces every older connection.
    SQLite (a file, no server) is left as it is; 0 pings on every checkout."""
    if engine.dialect.name == "sqlite":
        return

    @event.listens_for(engine, "checkin")
    def _stamp(dbapi_connection, record):
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, proxy):
        last = record.info.get(_CHECKED_IN_AT)
        if last is not None and time.monotonic() - last < idle_seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error
        if not alive:
            raise exc.DisconnectionError("ping failed")
