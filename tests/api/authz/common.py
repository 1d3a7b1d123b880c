"""Shared pieces of the authorization matrix: roles, expectation presets, body builders."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from tests.factories import next_uscc

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
unique = itertools.count(1)

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
# Writes by hc enterprise staff only; regulators, auditors and other enterprises cannot.
HC_STAFF_WRITE = HC_READ | {
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "auditor": "forbid",
}


def import_file(world):
    header = "企业名称,统一社会信用代码,行政区划代码,行业,规模,主要负责人,主要负责人账号"
    line = f"矩阵导入{next(unique)}有限公司,{next_uscc()},330211,危险化学品,小型,张三,mx-{next(unique)}"
    return {"file": (io.BytesIO(f"{header}\n{line}\n".encode()), "x.csv")}


@dataclass(frozen=True)
class Row:
    """One endpoint in the matrix.

    `url`, `json` and `kwargs` are functions of a context: the world ids plus whatever `setup`
    (called once per test, inside an app context, with the world) returns.
    """

    method: str
    rule: str
    url: Callable[[dict], str]
    expect: dict[str, str]
    json: Callable[[dict], dict] | None = None
    kwargs: Callable[[dict], dict] | None = None
    setup: Callable[[dict], dict] | None = None
    name: str = ""


# The data areas (orgs.scoping: an engagement's scope) each route reads of an engaged enterprise,
# keyed by (method, rule, row name). An auditor whose engagement scope lacks one gets 404. Routes
# an auditor reaches that read no area (the enterprise's basic record, the agency's own audit
# runs and patrols, lists filtered by scope, reference data) are listed in NO_AREA, so that every
# new route is classified.
INSPECTIONS, HAZARDS, RISK, DOCUMENTS = "inspections", "hazards", "risk", "documents"
ROUTE_AREAS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("GET", "/api/v1/inspections/<uuid:inspection_id>", ""): (INSPECTIONS,),
    ("GET", "/api/v1/inspections/by-code/<code>", ""): (INSPECTIONS,),
    ("GET", "/api/v1/evidence-requests/<int:request_id>", ""): (INSPECTIONS,),
    ("POST", "/api/v1/evidence-requests", ""): (INSPECTIONS,),
    ("POST", "/api/v1/evidence-requests/<int:request_id>/answer", ""): (INSPECTIONS,),
    ("POST", "/api/v1/evidence-requests/<int:request_id>/cancellation", ""): (INSPECTIONS,),
    ("POST", "/api/v1/evidence-requests/<int:request_id>/finding", ""): (INSPECTIONS,),
    ("POST", "/api/v1/evidence-requests/<int:request_id>/order", ""): (INSPECTIONS,),
    ("GET", "/api/v1/media/<uuid:media_id>", ""): (INSPECTIONS,),
    ("GET", "/api/v1/media/<uuid:media_id>/thumb", ""): (INSPECTIONS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/places", ""): (INSPECTIONS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/places/labels.pdf", ""): (INSPECTIONS,),
    ("GET", "/api/v1/places/<int:place_id>", ""): (INSPECTIONS,),
    ("GET", "/api/v1/places/by-token/<qr_token>", ""): (INSPECTIONS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/plans", ""): (INSPECTIONS,),
    ("GET", "/api/v1/plans/<int:plan_id>", ""): (INSPECTIONS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/stop-periods", ""): (INSPECTIONS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/operation-rate", ""): (INSPECTIONS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/task-calendar", ""): (INSPECTIONS,),
    ("GET", "/api/v1/oversight/enterprises/<int:enterprise_id>/inspections", ""): (INSPECTIONS,),
    ("GET", "/api/v1/oversight/enterprises/<int:enterprise_id>", ""): (INSPECTIONS, HAZARDS, RISK),
    ("GET", "/api/v1/hazards/<uuid:hazard_id>", ""): (HAZARDS,),
    ("GET", "/api/v1/hazards/<uuid:hazard_id>/notice.pdf", ""): (HAZARDS,),
    ("GET", "/api/v1/incidents/<uuid:incident_id>", ""): (HAZARDS,),
    ("POST", "/api/v1/incidents/<uuid:incident_id>/reports", ""): (HAZARDS,),
    ("GET", "/api/v1/listings/<int:listing_id>", ""): (HAZARDS,),
    ("GET", "/api/v1/permits/<uuid:permit_id>", ""): (INSPECTIONS,),
    ("GET", "/api/v1/permits/<uuid:permit_id>/permit.pdf", ""): (INSPECTIONS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/permit-register.pdf", ""): (DOCUMENTS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/permit-register.xlsx", ""): (DOCUMENTS,),
    ("GET", "/api/v1/inspections/<uuid:inspection_id>/record.pdf", ""): (DOCUMENTS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/hazard-ledger.pdf", "hc"): (DOCUMENTS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/hazard-ledger.xlsx", "hc"): (DOCUMENTS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/hazard-statistics", "hc"): (DOCUMENTS,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/hazard-statistics.pdf", "hc"): (DOCUMENTS,),
    ("GET", "/api/v1/risk/band-tables", "hc"): (RISK,),
    ("GET", "/api/v1/risk-events/<int:event_id>/assessments", ""): (RISK,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/grade", ""): (RISK,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/grade/history", ""): (RISK,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/site-plans", ""): (RISK,),
    ("GET", "/api/v1/site-plans/<int:site_plan_id>", ""): (RISK,),
    ("GET", "/api/v1/site-plans/<int:site_plan_id>/map.png", ""): (RISK,),
    ("GET", "/api/v1/site-plans/<int:site_plan_id>/map.pdf", ""): (RISK,),
    ("GET", "/api/v1/places/<int:place_id>/risk-card.pdf", ""): (RISK,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/risk-register.pdf", ""): (RISK,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/risk-objects", ""): (RISK,),
    ("GET", "/api/v1/risk-objects/<int:object_id>", ""): (RISK,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/accountability", ""): (RISK, INSPECTIONS),
    ("PUT", "/api/v1/risk-objects/<int:object_id>/accountable-persons", ""): (RISK,),
    ("GET", "/api/v1/risk-objects/<int:object_id>/units", ""): (RISK,),
    ("GET", "/api/v1/risk-units/<int:unit_id>", ""): (RISK,),
    ("GET", "/api/v1/risk-units/<int:unit_id>/events", ""): (RISK,),
    ("GET", "/api/v1/risk-events/<int:event_id>", ""): (RISK,),
    ("GET", "/api/v1/risk-events/<int:event_id>/measures", ""): (RISK,),
    ("GET", "/api/v1/control-measures/<int:measure_id>", ""): (RISK,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/risk-register", ""): (RISK,),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>/risk-register.xlsx", ""): (RISK,),
    # Writes an auditor may make, gated by the area they record.
    ("POST", "/api/v1/audit-runs", ""): (INSPECTIONS,),
    ("POST", "/api/v1/audit-runs/<int:run_id>/findings", ""): (HAZARDS,),
    ("POST", "/api/v1/campaigns/<int:campaign_id>/samples/<int:sample_id>/check", ""): (
        INSPECTIONS,
    ),
    ("GET", "/api/v1/campaigns/<int:campaign_id>/samples", ""): (INSPECTIONS,),
    ("GET", "/api/v1/commitments/draft", ""): (RISK, HAZARDS),
    # Writes an auditor may not make (403) whose target is looked up in its area first: outside
    # the scope the target does not exist for the auditor (404).
    ("POST", "/api/v1/enforcement-records/<int:record_id>/end", ""): (HAZARDS,),
    ("POST", "/api/v1/hazards/<uuid:hazard_id>/transitions", "reject"): (HAZARDS,),
    ("POST", "/api/v1/hazards/<uuid:hazard_id>/transitions", "signoff"): (HAZARDS,),
    ("POST", "/api/v1/hazards/<uuid:hazard_id>/listing", ""): (HAZARDS,),
    ("POST", "/api/v1/listings/<int:listing_id>/delisting", ""): (HAZARDS,),
    ("POST", "/api/v1/risk/evaluate", "hc table"): (RISK,),
    ("POST", "/api/v1/risk-events/<int:event_id>/assessments", ""): (RISK,),
    ("PUT", "/api/v1/site-plans/<int:site_plan_id>/shapes", ""): (RISK,),
    ("PATCH", "/api/v1/risk-objects/<int:object_id>", ""): (RISK,),
    ("DELETE", "/api/v1/risk-objects/<int:object_id>", ""): (RISK,),
    ("POST", "/api/v1/risk-objects/<int:object_id>/units", ""): (RISK,),
    ("PATCH", "/api/v1/risk-units/<int:unit_id>", ""): (RISK,),
    ("DELETE", "/api/v1/risk-units/<int:unit_id>", ""): (RISK,),
    ("POST", "/api/v1/risk-units/<int:unit_id>/events", ""): (RISK,),
    ("PATCH", "/api/v1/risk-events/<int:event_id>", ""): (RISK,),
    ("DELETE", "/api/v1/risk-events/<int:event_id>", ""): (RISK,),
    ("POST", "/api/v1/risk-events/<int:event_id>/measures", ""): (RISK,),
    ("PATCH", "/api/v1/control-measures/<int:measure_id>", ""): (RISK,),
    ("DELETE", "/api/v1/control-measures/<int:measure_id>", ""): (RISK,),
}
NO_AREA = {
    ("GET", "/api/v1/audit-runs", ""),
    ("GET", "/api/v1/audit-runs/<int:run_id>", ""),
    ("GET", "/api/v1/audit-runs/<int:run_id>/report.pdf", ""),
    ("GET", "/api/v1/audit-runs/<int:run_id>/verification", ""),
    ("POST", "/api/v1/audit-runs/<int:run_id>/signature", ""),
    ("GET", "/api/v1/auditor-reads", ""),
    ("GET", "/api/v1/auditor-reads", "of hc"),
    ("GET", "/api/v1/campaigns", ""),
    ("GET", "/api/v1/campaigns/<int:campaign_id>", ""),
    ("GET", "/api/v1/campaigns/<int:campaign_id>/items", ""),
    ("GET", "/api/v1/commitments/today", ""),
    ("GET", "/api/v1/checklists", ""),
    ("GET", "/api/v1/checklists/<code>", ""),
    ("GET", "/api/v1/checklists/<code>/form.pdf", ""),
    ("GET", "/api/v1/checklists/<code>/export.xlsx", ""),
    ("GET", "/api/v1/checklists/<code>/versions/<old>/diff/<new>", ""),
    ("GET", "/api/v1/rejudge-items", ""),
    ("GET", "/api/v1/standard-changes/summary", ""),
    ("GET", "/api/v1/enforcement-records", ""),
    ("GET", "/api/v1/me", ""),
    ("POST", "/api/v1/me/password", ""),
    # A batch answers 200 to everyone signed in; an auditor's items are all refused (test_sync).
    ("POST", "/api/v1/sync", ""),
    ("GET", "/api/v1/regions", ""),
    ("GET", "/api/v1/regulators", ""),
    ("GET", "/api/v1/agencies", ""),
    ("GET", "/api/v1/engagements", ""),
    ("GET", "/api/v1/enterprises", ""),
    ("GET", "/api/v1/enterprises/<int:enterprise_id>", "hc"),
    ("GET", "/api/v1/hazards", ""),
    ("GET", "/api/v1/hazards/counts", ""),
    ("GET", "/api/v1/notifications", ""),
    ("POST", "/api/v1/notifications/read-all", ""),
    ("GET", "/api/v1/incidents", ""),
    ("GET", "/api/v1/incidents/categories", ""),
    ("GET", "/api/v1/inspections", ""),
    ("GET", "/api/v1/evidence-requests", ""),
    ("GET", "/api/v1/listings", ""),
    ("GET", "/api/v1/permits", ""),
    ("GET", "/api/v1/permits/live", ""),
    ("GET", "/api/v1/patrols", ""),
    ("POST", "/api/v1/patrols", ""),
    ("POST", "/api/v1/patrols/<int:patrol_id>/findings", "agency"),
    ("POST", "/api/v1/patrols/<int:patrol_id>/submission", ""),
    ("GET", "/api/v1/orders", ""),
    ("GET", "/api/v1/follow-ups", ""),
    ("GET", "/api/v1/tasks", "me"),
    ("GET", "/api/v1/risk/methods", ""),
    ("GET", "/api/v1/risk/band-tables", "province"),
    ("POST", "/api/v1/risk/evaluate", ""),
}
# The demo auditor again, with the demo engagement's scope cut to these areas.
SCOPED_AUDITOR = "auditor[inspections]"
SCOPED_AUDITOR_AREAS = (INSPECTIONS,)


def _key(row: Row) -> tuple[str, str, str]:
    return (row.method, row.rule, row.name)


def expectation(row: Row, role: str) -> str:
    """The matrix's answer for a role; the scoped auditor's follows from the route's areas."""
    if role != SCOPED_AUDITOR:
        return row.expect[role]
    areas = ROUTE_AREAS.get(_key(row), ())
    if not set(areas) <= set(SCOPED_AUDITOR_AREAS):
        return "hide"
    return row.expect["auditor"]


def uncovered_routes(rows: list[Row]) -> list[tuple[str, str, str]]:
    """Rows the auditor may use (ok) that name neither their data areas nor NO_AREA."""
    return sorted(
        _key(row)
        for row in rows
        if row.expect["auditor"] == "ok" and _key(row) not in ROUTE_AREAS | dict.fromkeys(NO_AREA)
    )
