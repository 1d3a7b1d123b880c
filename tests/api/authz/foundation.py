"""Matrix rows: accounts, organisations, engagements."""

from tests.api.authz.common import ALL_OK, CON_READ, HC_READ, ROLES, Row, import_file, unique
from tests.conftest import DEMO_PASSWORD
from tests.factories import enterprise_payload

HC = "/api/v1/enterprises/{}"


def _hc(ctx):
    return ctx["enterprise"]["hc"]


ROWS = [
    Row("GET", "/api/v1/me", lambda c: "/api/v1/me", ALL_OK),
    Row(
        "POST",
        "/api/v1/me/password",
        lambda c: "/api/v1/me/password",
        ALL_OK,
        json=lambda c: {"current_password": DEMO_PASSWORD, "new_password": "matrix-new-pass-1"},
    ),
    Row(
        "POST",
        "/api/v1/users/<int:user_id>/password-reset",
        lambda c: f"/api/v1/users/{c['users']['rectifier-hc']}/password-reset",
        dict.fromkeys(ROLES, "hide") | {"head-hc": "ok", "admin": "ok"},
    ),
    Row("GET", "/api/v1/regions", lambda c: "/api/v1/regions", ALL_OK),
    Row("GET", "/api/v1/regulators", lambda c: "/api/v1/regulators", ALL_OK),
    Row("GET", "/api/v1/agencies", lambda c: "/api/v1/agencies", ALL_OK),
    Row("GET", "/api/v1/engagements", lambda c: "/api/v1/engagements", ALL_OK),
    Row("GET", "/api/v1/enterprises", lambda c: "/api/v1/enterprises", ALL_OK),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>",
        lambda c: HC.format(_hc(c)),
        HC_READ,
        name="hc",
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>",
        lambda c: HC.format(c["enterprise"]["con"]),
        CON_READ,
        name="con",
    ),
    Row(
        "PATCH",
        "/api/v1/enterprises/<int:enterprise_id>",
        lambda c: HC.format(_hc(c)),
        HC_READ
        | {
            "officer-hc": "forbid",
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "auditor": "forbid",
        },
        json=lambda c: {"address": "浙江省宁波市镇海区澄江路 90 号"},
    ),
    Row(
        "POST",
        "/api/v1/enterprises",
        lambda c: "/api/v1/enterprises",
        dict.fromkeys(ROLES, "forbid") | {"regulator-admin": "ok", "admin": "ok"},
        json=lambda c: enterprise_payload(),
    ),
    Row(
        "POST",
        "/api/v1/enterprises/import",
        lambda c: "/api/v1/enterprises/import",
        dict.fromkeys(ROLES, "forbid") | {"regulator-admin": "ok", "admin": "ok"},
        kwargs=lambda c: {"data": import_file(c), "content_type": "multipart/form-data"},
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/users",
        lambda c: HC.format(_hc(c)) + "/users",
        HC_READ | {"auditor": "forbid"},
    ),
    Row(
        "POST",
        "/api/v1/enterprises/<int:enterprise_id>/users",
        lambda c: HC.format(_hc(c)) + "/users",
        HC_READ
        | {
            "officer-hc": "forbid",
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "auditor": "forbid",
        },
        json=lambda c: {
            "username": f"matrix-user-{next(unique)}",
            "display_name": "矩阵测试",
            "password": "matrix-pass-1",
            "roles": ["inspector"],
        },
    ),
    Row(
        "PATCH",
        "/api/v1/enterprises/<int:enterprise_id>/users/<int:user_id>",
        lambda c: HC.format(_hc(c)) + f"/users/{c['users']['rectifier-hc']}",
        HC_READ
        | {
            "officer-hc": "forbid",
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "regulator-admin": "forbid",
            "auditor": "forbid",
        },
        json=lambda c: {"is_active": True},
    ),
    Row(
        "POST",
        "/api/v1/engagements",
        lambda c: "/api/v1/engagements",
        HC_READ
        | {
            "head-hc": "forbid",
            "officer-hc": "forbid",
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "auditor": "forbid",
            "admin": "forbid",
        },
        json=lambda c: {
            "agency_id": c["agency"],
            "commissioned_by": "regulator",
            "title": "矩阵测试委托",
            "scope": ["hazards"],
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "enterprise_ids": [_hc(c)],
        },
    ),
]
