"""The database part of a backup: SQLite's online backup API, or pg_dump / pg_restore."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from anxun.backup.manifest import BackupError

PG_TIMEOUT_SECONDS = 6 * 3600


def kind(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持备份该数据库 unsupported database: {name}")
    return name


def sqlite_path(engine: Engine) -> Path:
    """The SQLite database file; an in-memory database cannot be backed up or restored."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("内存数据库无法备份 an in-memory SQLite database has no file to back up")
    return Path(database).resolve()


def alembic_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def table_count(engine: Engine) -> int:
    """Tables outside the system schemas; a restore target must have none."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return conn.execute(
                text("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            ).scalar()
        return conn.execute(
            text(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN "
                "('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'"
            )
        ).scalar()


def snapshot(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the live database to `target` while the server runs."""
    if kind(engine) == "sqlite":
        _sqlite_copy(sqlite_path(engine), target)
    else:
        _pg_run(engine, ["pg_dump", "--format=custom", "--no-owner", "--no-acl", "-f", str(target)])


def restore(engine: Engine, source: Path) -> None:
    """Load a snapshot into the configured, empty database."""
    if kind(engine) == "sqlite":
        _sqlite_copy(source, sqlite_path(engine))
        with sqlite3.connect(sqlite_path(engine)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"恢复后的数据库校验失败 restored database is damaged: {result}")
    else:
        _pg_run(
            engine,
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                str(source),
            ],
        )


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy with the online backup API: one step under a read lock, correct in WAL mode too."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=60)
    dst = sqlite3.connect(target, timeout=60)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _pg_run(engine: Engine, command: list[str]) -> None:
    """Run pg_dump or pg_restore against the engine's database; the password goes by env."""
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"找不到 {tool}：请安装与服务器同一主版本的 PostgreSQL 客户端（Debian：postgresql-client）。"
            f" {tool} not found: install the PostgreSQL client matching the server's major version."
        )
    _check_client_version(engine, tool)
    url = engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [*command, f"--dbname={conninfo}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=PG_TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} 失败 failed (exit {done.returncode}): {done.stderr.strip()}")


def _check_client_version(engine: Engine, tool: str) -> None:
    """pg_dump refuses a newer server, and a dump from a newer client may not restore: require
    the client's major version to be the server's or newer."""
    output = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"(\d+)(?:\.(\d+))?", output)
    with engine.connect() as conn:
        server = int(conn.execute(text("SHOW server_version_num")).scalar())
    server_major = server // 10000
    if found is None or int(found.group(1)) < server_major:
        raise BackupError(
            f"{tool} 版本过旧：{output.strip() or '未知'}，服务器为 PostgreSQL {server_major}。"
            f" Install the PostgreSQL {server_major} client tools."
        )
