"""Embedded SQLite transactions queue for the write lock in the kernel (core/db.QueuedConnection)
instead of SQLite's busy handler polling with sleeps (issue #18).

The waiting side runs with busy_timeout 0 where it matters: without the queue its BEGIN IMMEDIATE
would fail at once with "database is locked"; with it, the BEGIN only runs once the holder ended."""

import gc
import multiprocessing
import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from anxun.config import build_config
from anxun.core.db import QueuedConnection, configure_sqlite


def _engine(path, busy_ms=15000):
    engine = create_engine(f"sqlite:///{path}", connect_args={"factory": QueuedConnection})
    configure_sqlite(engine)

    @event.listens_for(engine, "connect")
    def _busy(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA busy_timeout={busy_ms}")

    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS t (n INTEGER)"))
    return engine


def _holder(path, began, release):
    """In another thread or process: open a write transaction, hold it until told, commit."""
    engine = _engine(path)
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        began.set()
        release.wait(30)
        connection.commit()
    engine.dispose()


def _second_writer_waits_for(waiter, began, release):
    """`waiter` is made before the holder starts: making it writes (CREATE TABLE IF NOT EXISTS),
    which would otherwise queue behind the holder itself."""
    began.wait(30)
    result = {}

    def write():
        try:
            with waiter.begin() as connection:
                # The holder's row is there: this transaction began after its commit.
                result["seen"] = connection.execute(text("SELECT n FROM t")).scalars().all()
                connection.execute(text("INSERT INTO t VALUES (2)"))
        except Exception as error:  # noqa: BLE001 - the assertion below names it
            result["error"] = error

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(0.3)
    assert thread.is_alive(), f"the second writer did not wait: {result}"
    release.set()
    thread.join(30)
    assert result == {"seen": [1]}
    with waiter.connect() as connection:
        assert connection.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]
    waiter.dispose()


@pytest.mark.parametrize("holder_in", ["thread", "process"])
def test_a_writer_elsewhere_waits_for_its_turn_without_polling(tmp_path, holder_in):
    path = tmp_path / "q.sqlite3"
    waiter = _engine(path, busy_ms=0)
    if holder_in == "thread":
        began, release = threading.Event(), threading.Event()
        holder = threading.Thread(target=_holder, args=(path, began, release))
    else:
        context = multiprocessing.get_context("fork")
        began, release = context.Event(), context.Event()
        holder = context.Process(target=_holder, args=(path, began, release))
    holder.start()
    try:
        _second_writer_waits_for(waiter, began, release)
    finally:
        release.set()
        holder.join(30)
    if holder_in == "process":
        assert holder.exitcode == 0


def test_without_the_queue_the_same_writer_fails_at_once(tmp_path):
    """The check above can fail: a plain connection with busy_timeout 0 is refused."""
    path = tmp_path / "q.sqlite3"
    _engine(path).dispose()
    began, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_holder, args=(path, began, release))
    holder.start()
    began.wait(30)
    plain = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            plain.execute("BEGIN IMMEDIATE")
    finally:
        plain.close()
        release.set()
        holder.join(30)


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_every_end_of_a_transaction_gives_the_turn_back(tmp_path, end):
    path = tmp_path / "q.sqlite3"
    engine = _engine(path)
    connection = engine.connect()
    connection.execute(text("INSERT INTO t VALUES (1)"))
    if end == "commit":
        connection.commit()
    elif end == "rollback":
        connection.rollback()
    else:
        connection.invalidate()  # closes the DBAPI connection mid-transaction
    other = _engine(path, busy_ms=0)
    # While the first connection is still checked out: would wait for ever if it kept its turn.
    _within_seconds(lambda: _insert(other, 2))
    connection.close()
    other.dispose()
    engine.dispose()


def _insert(engine, n):
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})


def _within_seconds(work, seconds=10):
    errors = []

    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 - re-raised below
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "still waiting for a turn nobody holds"
    if errors:
        raise errors[0]


def test_a_failed_begin_gives_the_turn_back(tmp_path):
    """A program that does not queue (the sqlite3 shell) holds SQLite's lock: the BEGIN fails
    after busy_timeout, and the turn is given back."""
    path = tmp_path / "q.sqlite3"
    engine = _engine(path, busy_ms=0)
    shell = sqlite3.connect(path, isolation_level=None)
    shell.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="locked"), engine.begin() as connection:
        connection.execute(text("SELECT 1"))
    shell.execute("COMMIT")
    shell.close()
    other = _engine(path, busy_ms=0)
    _within_seconds(lambda: _insert(other, 1))  # free again: the failed BEGIN ended its turn
    other.dispose()
    engine.dispose()


def test_a_nested_transaction_in_one_thread_falls_back_to_the_busy_timeout(tmp_path):
    """A thread that already holds the turn does not wait for itself: its second connection meets
    SQLite's lock and is refused after busy_timeout, as without the queue, instead of hanging."""
    path = tmp_path / "q.sqlite3"
    outer_engine = _engine(path)
    inner_engine = _engine(path, busy_ms=50)
    outcome = {}

    def nested():
        with outer_engine.connect() as outer:
            outer.execute(text("INSERT INTO t VALUES (1)"))
            try:
                with inner_engine.begin() as inner:
                    inner.execute(text("SELECT 1"))
            except OperationalError as error:
                outcome["inner"] = str(error)
            outer.commit()

    thread = threading.Thread(target=nested)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "a nested transaction waited for its own thread"
    assert "locked" in outcome["inner"]
    outer_engine.dispose()
    inner_engine.dispose()


def test_an_in_memory_database_has_no_queue():
    connection = QueuedConnection(":memory:")
    try:
        connection.wait_for_turn()
        assert connection._turn is None
    finally:
        connection.close()


def test_the_app_queues_on_a_file_database(tmp_path):
    config = build_config({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": ""})
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["factory"] is QueuedConnection
    pg = build_config(
        {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "postgresql://x@h/d"}
    )
    assert "factory" not in pg["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]


def test_a_connection_dropped_without_close_gives_the_turn_back(tmp_path):
    path = tmp_path / "q.sqlite3"
    _engine(path).dispose()
    dropped = sqlite3.connect(path, factory=QueuedConnection, isolation_level=None)
    dropped.wait_for_turn()
    dropped.execute("BEGIN IMMEDIATE")
    del dropped
    gc.collect()
    other = _engine(path, busy_ms=0)
    _within_seconds(lambda: _insert(other, 1))
    other.dispose()
