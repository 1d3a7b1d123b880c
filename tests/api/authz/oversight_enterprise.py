"""Matrix rows: the regulator's enterprise drill-down (summary header and inspection feed)."""

from tests.api.authz.common import HC_READ, Row

# The supervising side only: hc staff see hc but this view is not theirs (403); regulators
# covering hc, the engaged auditor and platform admins read it; everyone else gets 404.
SUPERVISE_HC = HC_READ | {
    "head-hc": "forbid",
    "officer-hc": "forbid",
    "rectifier-hc": "forbid",
}

ROWS = [
    Row(
        "GET",
        "/api/v1/oversight/enterprises/<int:enterprise_id>",
        lambda c: f"/api/v1/oversight/enterprises/{c['enterprise']['hc']}",
        SUPERVISE_HC,
    ),
    Row(
        "GET",
        "/api/v1/oversight/enterprises/<int:enterprise_id>/inspections",
        lambda c: f"/api/v1/oversight/enterprises/{c['enterprise']['hc']}/inspections",
        SUPERVISE_HC,
    ),
]
