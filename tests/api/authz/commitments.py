"""Matrix rows: the daily safety commitment (form, signing by the head, the bureau's list)."""

import uuid

from tests.api.authz.common import ALL_OK, HC_READ, HC_STAFF_WRITE, Row

# Only hc's head signs; other hc staff, regulators, the agency and the platform admin cannot.
SIGN = HC_STAFF_WRITE | {"officer-hc": "forbid", "rectifier-hc": "forbid", "admin": "forbid"}

ROWS = [
    Row(
        "GET",
        "/api/v1/commitments/draft",
        lambda c: f"/api/v1/commitments/draft?enterprise_id={c['enterprise']['hc']}",
        HC_READ,
    ),
    Row(
        "POST",
        "/api/v1/commitments",
        lambda c: "/api/v1/commitments",
        SIGN,
        json=lambda c: {
            "id": str(uuid.uuid4()),
            "enterprise_id": c["enterprise"]["hc"],
            "risk_grade": "low",
            "content": "矩阵承诺",
        },
    ),
    Row("GET", "/api/v1/commitments/today", lambda c: "/api/v1/commitments/today", ALL_OK),
]
