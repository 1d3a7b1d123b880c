"""Authorization matrix: every API endpoint × every role, with zero leaks, on both databases.

`ok` = 2xx, `forbid` = 403 (visible but not allowed), `hide` = 404 (out of scope: existence not
leaked), `named` = 422 on `actor` (the role may take the step, but the record names another
person for it, e.g. a permit's guardian). Rows live in `tests/api/authz/<area>.py`; a test fails when a route has no row. The
auditor runs twice: once with the demo engagement's full scope, once with the scope cut to
`inspections` (`SCOPED_AUDITOR`), where every route reading another data area must answer 404.

Each database is seeded once for the whole module. Every case then starts from that world: on
SQLite a copy is restored with the backup API; on PostgreSQL the case runs inside a transaction
on one connection that every session of the test thread joins through savepoints, and the
transaction is rolled back afterwards.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.api.authz import all_rows
from tests.api.authz.common import (
    ROLES,
    SCOPED_AUDITOR,
    SCOPED_AUDITOR_AREAS,
    expectation,
    uncovered_routes,
)
from tests.conftest import _clean_database, _seed_world

ROWS = all_rows()
PUBLIC = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/docs"),
    ("GET", "/api/v1/docs.js"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/public/spot-checks"),
    ("GET", "/api/v1/public/major-hazards"),
    ("GET", "/api/v1/public/major-hazards/regions"),
    ("GET", "/api/v1/public/spot-checks/<int:draw_id>/reproduction"),
}
EXPECTED_STATUS = {"forbid": {403}, "hide": {404}, "named": {422}}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture(scope="module")
def _seeded():
    """{backend: (app, day, world ids, SQLite template)}; each database is emptied at the end."""
    seeded: dict = {}
    yield seeded
    for app, *_ in seeded.values():
        _clean_database(app)


def _seed(app, backend: str, seeded: dict) -> dict:
    from anxun.core import clock
    from anxun.extensions import db
    from tests.factories import world_ids

    today = clock.today_local()
    if backend in seeded and seeded[backend][1] == today:
        return seeded[backend]
    if backend in seeded:
        _clean_database(app)
    with app.app_context():
        _seed_world(app)
        ids = world_ids()
        template = None
        if backend == "sqlite":
            db.session.remove()
            raw = db.engine.raw_connection()
            try:
                template = sqlite3.connect(":memory:", check_same_thread=False)
                raw.driver_connection.backup(template)
            finally:
                raw.close()
    seeded[backend] = (app, today, ids, template)
    return seeded[backend]


def _restore_sqlite(app, template) -> None:
    from anxun.extensions import db

    with app.app_context():
        db.session.remove()
        raw = db.engine.raw_connection()
        try:
            template.backup(raw.driver_connection)
        finally:
            raw.close()


def _join_one_transaction(app, monkeypatch):
    """Bind every session of this thread to one connection inside a transaction (SAVEPOINTs for
    the sessions' own commits); returns the connection, to be rolled back."""
    from anxun.extensions import db

    with app.app_context():
        connection = db.engine.connect()
    connection.begin()
    factory = db.session.session_factory
    session_class = factory.class_
    original = session_class.get_bind
    thread = threading.get_ident()

    def get_bind(self, *args, **kwargs):
        # Other threads (the embedded outbox worker) keep their own connections.
        if threading.get_ident() == thread:
            return connection
        return original(self, *args, **kwargs)

    monkeypatch.setattr(session_class, "get_bind", get_bind)
    monkeypatch.setitem(factory.kw, "join_transaction_mode", "create_savepoint")
    return connection


@pytest.fixture
def world(_apps, backend, _seeded):
    return _seed(_apps(backend), backend, _seeded)[2]


@pytest.fixture
def app(_apps, backend, _seeded, world, monkeypatch):
    from anxun.core import clock
    from anxun.extensions import db

    application = _apps(backend)
    saved = dict(application.config)
    _, _, _, template = _seeded[backend]
    connection = None
    if template is not None:
        _restore_sqlite(application, template)
    else:
        connection = _join_one_transaction(application, monkeypatch)
    yield application
    if connection is not None:
        with application.app_context():
            db.session.remove()
        connection.rollback()
        connection.close()
    clock.freeze(None)
    application.config.clear()
    application.config.update(saved)


def _limit_scope(app, world, areas) -> None:
    from anxun.extensions import db
    from anxun.orgs.models import Engagement

    with app.app_context():
        db.session.get(Engagement, world["engagement"]).scope = list(areas)
        db.session.commit()


def _context(app, world, row):
    ctx = dict(world)
    if row.setup:
        with app.app_context():
            ctx.update(row.setup(world) or {})
    return ctx


def _request(client, row, ctx, headers):
    kwargs = {"headers": headers}
    if row.kwargs:
        kwargs.update(row.kwargs(ctx))
    elif row.json:
        kwargs["json"] = row.json(ctx)
    return client.open(row.url(ctx), method=row.method, **kwargs)


CASES = [
    pytest.param(row, role, id=f"{row.method} {row.rule} {row.name} as {role}")
    for row in ROWS
    for role in [*ROLES, SCOPED_AUDITOR]
]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_endpoint_answers_each_role_as_the_matrix_says(app, client, world, login_as, row, role):
    username = role
    if role == SCOPED_AUDITOR:
        _limit_scope(app, world, SCOPED_AUDITOR_AREAS)
        username = "auditor"
    ctx = _context(app, world, row)
    response = _request(client, row, ctx, login_as(username))
    expected = expectation(row, role)
    if expected == "ok":
        assert 200 <= response.status_code < 300, response.get_json()
    else:
        assert response.status_code in EXPECTED_STATUS[expected], response.get_json()
        assert response.content_type == "application/problem+json"
        if expected == "named":
            assert "actor" in [e["field"] for e in response.get_json()["errors"]]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.rule} {r.name}")
def test_endpoints_refuse_anonymous_callers(app, client, world, row):
    response = _request(client, row, _context(app, world, row), {})
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"


def test_every_api_route_is_in_the_matrix(app):
    covered = {(r.method, r.rule) for r in ROWS} | PUBLIC
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()


def test_every_row_names_every_role():
    assert all(set(row.expect) == set(ROLES) for row in ROWS)


def test_every_route_an_auditor_reads_names_its_data_areas():
    assert uncovered_routes(ROWS) == []
