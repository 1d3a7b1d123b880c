"""Matrix rows: risk calculator, band tables, risk assessments, enterprise grades."""

from tests.api.authz.common import ALL_OK, HC_READ, HC_STAFF_WRITE, ROLES, Row
from tests.factories_grading import strict_lec_bands

BANDS = "/api/v1/risk/band-tables"
ASSESSMENTS = "/api/v1/risk-events/<int:event_id>/assessments"
# Head and safety officer of hc (and platform admins) grade hc's risks and configure its tables.
HC_ASSESSORS = HC_STAFF_WRITE | {"rectifier-hc": "forbid"}
# Province tables: only an admin of a provincial regulator; the demo regulators are county-level.
PROVINCE_ADMINS = dict.fromkeys(ROLES, "forbid") | {"admin": "ok"}


def _hc(ctx):
    return ctx["enterprise"]["hc"]


def _hc_event(world):
    from anxun.extensions import db
    from tests.factories_grading import make_risk_event

    event = make_risk_event(world["enterprise"]["hc"])
    db.session.commit()
    return {"event": event.id}


def _lec(ctx):
    return {"method": "LEC", "L": 6, "E": 6, "C": 15}


def _table(ctx):
    return {"method": "LEC", "bands": strict_lec_bands(), "source": "矩阵测试"}


ROWS = [
    Row("POST", "/api/v1/risk/evaluate", lambda c: "/api/v1/risk/evaluate", ALL_OK, json=_lec),
    Row(
        "POST",
        "/api/v1/risk/evaluate",
        lambda c: "/api/v1/risk/evaluate",
        HC_READ,
        json=lambda c: {**_lec(c), "enterprise_id": _hc(c)},
        name="hc table",
    ),
    Row("GET", "/api/v1/risk/methods", lambda c: "/api/v1/risk/methods", ALL_OK),
    Row("GET", BANDS, lambda c: f"{BANDS}?owner=region:33", ALL_OK, name="province"),
    Row("GET", BANDS, lambda c: f"{BANDS}?owner=enterprise:{_hc(c)}", HC_READ, name="hc"),
    Row(
        "POST",
        BANDS,
        lambda c: f"{BANDS}?owner=region:33",
        PROVINCE_ADMINS,
        json=_table,
        name="province",
    ),
    Row(
        "POST",
        BANDS,
        lambda c: f"{BANDS}?owner=enterprise:{_hc(c)}",
        HC_ASSESSORS,
        json=_table,
        name="hc",
    ),
    Row(
        "POST",
        ASSESSMENTS,
        lambda c: f"/api/v1/risk-events/{c['event']}/assessments",
        HC_ASSESSORS,
        json=lambda c: {**_lec(c), "kind": "residual"},
        setup=_hc_event,
    ),
    Row(
        "GET",
        ASSESSMENTS,
        lambda c: f"/api/v1/risk-events/{c['event']}/assessments",
        HC_READ,
        setup=_hc_event,
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/grade",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/grade",
        HC_READ,
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/grade/history",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/grade/history?days=30",
        HC_READ,
    ),
]
