"""Matrix rows: incident quick reports and follow-ups."""

import uuid
from datetime import timedelta

from tests.api.authz.common import ALL_OK, HC_READ, Row

# Filing: the hc head and safety officer only.
REPORT_HC = HC_READ | {
    "rectifier-hc": "forbid",
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "auditor": "forbid",
    "admin": "forbid",
}


def _fields():
    return {
        "id": str(uuid.uuid4()),
        "deaths": 0,
        "injuries": 1,
        "missing": 0,
        "description": "矩阵测试事故",
        "measures": "",
    }


def _incident(world):
    from anxun.core import clock
    from anxun.extensions import db
    from anxun.incidents import services
    from tests.factories_hazards import actor

    incident, _ = services.report_incident(
        actor("officer-hc"),
        {
            "id": uuid.uuid4(),
            "enterprise_id": world["enterprise"]["hc"],
            "occurred_at": clock.now() - timedelta(minutes=10),
            "location": "矩阵",
            "category": "other_injury",
            "title": "矩阵测试事故",
            "report": {**_fields(), "id": uuid.uuid4()},
        },
    )
    db.session.commit()
    return {"incident": str(incident.id)}


def _quick(ctx):
    from anxun.core import clock

    return {
        "id": str(uuid.uuid4()),
        "enterprise_id": ctx["enterprise"]["hc"],
        "occurred_at": (clock.now() - timedelta(minutes=5)).isoformat(),
        "location": "矩阵",
        "category": "other_injury",
        "title": "矩阵测试事故",
        "report": _fields(),
    }


ROWS = [
    Row("POST", "/api/v1/incidents", lambda c: "/api/v1/incidents", REPORT_HC, json=_quick),
    Row("GET", "/api/v1/incidents", lambda c: "/api/v1/incidents", ALL_OK),
    Row(
        "GET",
        "/api/v1/incidents/categories",
        lambda c: "/api/v1/incidents/categories",
        ALL_OK,
    ),
    Row(
        "GET",
        "/api/v1/incidents/<uuid:incident_id>",
        lambda c: f"/api/v1/incidents/{c['incident']}",
        HC_READ,
        setup=_incident,
    ),
    Row(
        "POST",
        "/api/v1/incidents/<uuid:incident_id>/reports",
        lambda c: f"/api/v1/incidents/{c['incident']}/reports",
        REPORT_HC,
        json=lambda c: _fields(),
        setup=_incident,
    ),
]
