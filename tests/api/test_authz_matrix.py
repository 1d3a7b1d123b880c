"""Authorization matrix: every API endpoint × every role, with zero leaks.

`ok` = 2xx, `forbid` = 403 (visible but not allowed), `hide` = 404 (out of scope: existence not
leaked). Rows live in `tests/api/authz/<area>.py`; a test fails when a route has no row.
"""

from __future__ import annotations

import pytest

from tests.api.authz import all_rows
from tests.api.authz.common import ROLES

ROWS = all_rows()
PUBLIC = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/docs"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/public/spot-checks"),
    ("GET", "/api/v1/public/major-hazards"),
}
EXPECTED_STATUS = {"forbid": {403}, "hide": {404}}


@pytest.fixture(params=["sqlite"])
def backend(request):
    """The matrix runs on SQLite: scoping's SQL is covered on both databases by
    tests/integration/test_scoping.py, and a thousand role × endpoint cases twice cost minutes."""
    return request.param


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
    for role in ROLES
]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_endpoint_answers_each_role_as_the_matrix_says(app, client, world, login_as, row, role):
    ctx = _context(app, world, row)
    response = _request(client, row, ctx, login_as(role))
    expected = row.expect[role]
    if expected == "ok":
        assert 200 <= response.status_code < 300, response.get_json()
    else:
        assert response.status_code in EXPECTED_STATUS[expected], response.get_json()
        assert response.content_type == "application/problem+json"


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
