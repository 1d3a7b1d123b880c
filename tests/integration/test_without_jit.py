"""without_jit: the regulator overview runs without PostgreSQL's JIT compilation, for its own
transaction only (issue #18: 20–45 ms of compilation per request at provincial size)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from anxun.core.db import without_jit


@pytest.fixture
def statements(app):
    """The SQL the app's engine sends during the test."""
    from anxun.extensions import db

    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_jit_is_off_until_the_transaction_ends_then_back_to_the_servers_setting(
    db, backend, statements
):
    if backend == "sqlite":
        without_jit(db.session)
        assert statements == []  # nothing to turn off
        return
    default = db.session.scalar(text("SHOW jit"))
    db.session.commit()
    without_jit(db.session)
    assert db.session.scalar(text("SHOW jit")) == "off"
    db.session.rollback()
    assert db.session.scalar(text("SHOW jit")) == default


def test_the_overview_turns_jit_off_and_the_trends_keep_it(
    client, world, login_as, backend, statements
):
    headers = login_as("regulator")
    statements.clear()
    assert client.get("/api/v1/oversight/overview?per_page=50", headers=headers).status_code == 200
    expected = ["SET LOCAL jit = off"] if backend == "postgresql" else []
    assert [s for s in statements if "jit" in s] == expected
    statements.clear()
    assert client.get("/api/v1/oversight/trends?days=30", headers=headers).status_code == 200
    assert [s for s in statements if "jit" in s] == []
