"""Authorization matrix: every API endpoint × every role, with zero leaks.

`ok` = 2xx, `forbid` = 403 (visible but not allowed), `hide` = 404 (out of scope: existence not leaked).
Every endpoint of the API must appear here; a test fails when a route is missing from the table.
"""

from __future__ import annotations

import io
import itertools

import pytest

from tests.factories import enterprise_payload, next_uscc

ROLES = [
    "head-hc",
    "officer-hc",
    "rectifier-hc",
    "head-con",
    "regulator",
    "regulator-admin",
    "regulator-con",
    "auditor",
    "admin",
]
_unique = itertools.count(1)


def _staff_body(world):
    return {
        "username": f"matrix-user-{next(_unique)}",
        "display_name": "矩阵测试",
        "password": "matrix-pass-1",
        "roles": ["inspector"],
    }


def _engagement_body(world):
    return {
        "agency_id": world["agency"],
        "commissioned_by": "regulator",
        "title": "矩阵测试委托",
        "scope": ["hazards"],
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "enterprise_ids": [world["enterprise"]["hc"]],
    }


def _import_file(world):
    header = "企业名称,统一社会信用代码,行政区划代码,行业,规模,主要负责人,主要负责人账号"
    line = f"矩阵导入{next(_unique)}有限公司,{next_uscc()},330211,危险化学品,小型,张三,mx-{next(_unique)}"
    return {"file": (io.BytesIO(f"{header}\n{line}\n".encode()), "x.csv")}


ALL_OK = dict.fromkeys(ROLES, "ok")
HC_READ = {
    "head-hc": "ok",
    "officer-hc": "ok",
    "rectifier-hc": "ok",
    "head-con": "hide",
    "regulator": "ok",
    "regulator-admin": "ok",
    "regulator-con": "hide",
    "auditor": "ok",
    "admin": "ok",
}
CON_READ = {
    "head-hc": "hide",
    "officer-hc": "hide",
    "rectifier-hc": "hide",
    "head-con": "ok",
    "regulator": "hide",
    "regulator-admin": "hide",
    "regulator-con": "ok",
    "auditor": "hide",
    "admin": "ok",
}

# (method, url rule, url builder, body builder, expectations per role)
MATRIX = [
    ("GET", "/api/v1/me", lambda w: "/api/v1/me", None, ALL_OK),
    ("GET", "/api/v1/regions", lambda w: "/api/v1/regions", None, ALL_OK),
    ("GET", "/api/v1/regulators", lambda w: "/api/v1/regulators", None, ALL_OK),
    ("GET", "/api/v1/agencies", lambda w: "/api/v1/agencies", None, ALL_OK),
    ("GET", "/api/v1/engagements", lambda w: "/api/v1/engagements", None, ALL_OK),
    ("GET", "/api/v1/enterprises", lambda w: "/api/v1/enterprises", None, ALL_OK),
    (
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>",
        lambda w: f"/api/v1/enterprises/{w['enterprise']['hc']}",
        None,
        HC_READ,
    ),
    (
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>",
        lambda w: f"/api/v1/enterprises/{w['enterprise']['con']}",
        None,
        CON_READ,
    ),
    (
        "PATCH",
        "/api/v1/enterprises/<int:enterprise_id>",
        lambda w: f"/api/v1/enterprises/{w['enterprise']['hc']}",
        lambda w: {"address": "浙江省宁波市镇海区澄江路 90 号"},
        HC_READ
        | {
            "officer-hc": "forbid",
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "auditor": "forbid",
        },
    ),
    (
        "POST",
        "/api/v1/enterprises",
        lambda w: "/api/v1/enterprises",
        lambda w: enterprise_payload(),
        dict.fromkeys(ROLES, "forbid") | {"regulator-admin": "ok", "admin": "ok"},
    ),
    (
        "POST",
        "/api/v1/enterprises/import",
        lambda w: "/api/v1/enterprises/import",
        "multipart:import",
        dict.fromkeys(ROLES, "forbid") | {"regulator-admin": "ok", "admin": "ok"},
    ),
    (
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/users",
        lambda w: f"/api/v1/enterprises/{w['enterprise']['hc']}/users",
        None,
        HC_READ | {"auditor": "forbid"},
    ),
    (
        "POST",
        "/api/v1/enterprises/<int:enterprise_id>/users",
        lambda w: f"/api/v1/enterprises/{w['enterprise']['hc']}/users",
        _staff_body,
        HC_READ
        | {
            "officer-hc": "forbid",
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "auditor": "forbid",
        },
    ),
    (
        "PATCH",
        "/api/v1/enterprises/<int:enterprise_id>/users/<int:user_id>",
        lambda w: f"/api/v1/enterprises/{w['enterprise']['hc']}/users/{w['users']['rectifier-hc']}",
        lambda w: {"is_active": True},
        HC_READ
        | {
            "officer-hc": "forbid",
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "regulator-admin": "forbid",
            "auditor": "forbid",
        },
    ),
    (
        "POST",
        "/api/v1/engagements",
        lambda w: "/api/v1/engagements",
        _engagement_body,
        HC_READ
        | {
            "head-hc": "forbid",
            "officer-hc": "forbid",
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "auditor": "forbid",
            "admin": "forbid",
        },
    ),
]
OWN_CHECKLIST = """code: matrix-own
title: 矩阵测试检查表
industry: general
version: "1"
applies_to: [special]
basis: [{code: QB-01, title: 本公司安全管理制度, status: in_force}]
sections:
  - id: s1
    title: 一
    items:
      - {id: M-01, text: 消防通道畅通, method: look, category: environment, basis: [{doc: QB-01, clause: 第一条}]}
"""
MATRIX += [
    ("GET", "/api/v1/checklists", lambda w: "/api/v1/checklists", None, ALL_OK),
    (
        "GET",
        "/api/v1/checklists/<code>",
        lambda w: "/api/v1/checklists/hazardous-chemicals",
        None,
        ALL_OK,
    ),
    (
        "GET",
        "/api/v1/checklists/<code>/form.pdf",
        lambda w: "/api/v1/checklists/seasonal-holiday/form.pdf",
        None,
        ALL_OK,
    ),
    (
        "GET",
        "/api/v1/checklists/<code>/export.xlsx",
        lambda w: "/api/v1/checklists/seasonal-holiday/export.xlsx",
        None,
        ALL_OK,
    ),
    (
        "POST",
        "/api/v1/checklists",
        lambda w: f"/api/v1/checklists?enterprise_id={w['enterprise']['hc']}",
        "yaml:own",
        HC_READ
        | {
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "regulator-admin": "forbid",
            "auditor": "forbid",
        },
    ),
]
PUBLIC = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/docs"),
    ("GET", "/api/v1/openapi.json"),
}
EXPECTED_STATUS = {"forbid": {403}, "hide": {404}}

CASES = [
    pytest.param(
        method, builder, body, role, expectations[role], id=f"{method} {rule} #{i} as {role}"
    )
    for i, (method, rule, builder, body, expectations) in enumerate(MATRIX)
    for role in ROLES
]


@pytest.mark.parametrize(("method", "url", "body", "role", "expected"), CASES)
def test_endpoint_answers_each_role_as_the_matrix_says(
    client, world, login_as, method, url, body, role, expected
):
    kwargs = {"headers": login_as(role)}
    if body == "multipart:import":
        kwargs.update(data=_import_file(world), content_type="multipart/form-data")
    elif body == "yaml:own":
        kwargs.update(data=OWN_CHECKLIST.encode(), content_type="application/yaml")
    elif body is not None:
        kwargs["json"] = body(world)
    response = client.open(url(world), method=method, **kwargs)
    if expected == "ok":
        assert 200 <= response.status_code < 300, response.get_json()
    else:
        assert response.status_code in EXPECTED_STATUS[expected], response.get_json()
        assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("method,rule", [(m, r) for m, r, *_ in MATRIX])
def test_endpoints_refuse_anonymous_callers(client, world, method, rule):
    url = next(b for m, r, b, *_ in MATRIX if (m, r) == (method, rule))(world)
    response = client.open(url, method=method, json={})
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"


def test_every_api_route_is_in_the_matrix(app):
    covered = {(m, r) for m, r, *_ in MATRIX} | PUBLIC
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()
