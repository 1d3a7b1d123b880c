"""Matrix rows: the regulator overview, one enterprise's overview row, and trends."""

from tests.api.authz.common import ROLES, Row

OVERSEERS = dict.fromkeys(ROLES, "forbid") | {
    "regulator": "ok",
    "regulator-admin": "ok",
    "regulator-con": "ok",
    "admin": "ok",
}
# One hc row: the housing bureau does not oversee hc, so for it the row does not exist.
HC_OVERSEERS = OVERSEERS | {"regulator-con": "hide"}

ROWS = [
    Row("GET", "/api/v1/oversight/overview", lambda c: "/api/v1/oversight/overview", OVERSEERS),
    Row(
        "GET",
        "/api/v1/oversight/overview/<int:enterprise_id>",
        lambda c: f"/api/v1/oversight/overview/{c['enterprise']['hc']}",
        HC_OVERSEERS,
    ),
    Row("GET", "/api/v1/oversight/trends", lambda c: "/api/v1/oversight/trends", OVERSEERS),
]
