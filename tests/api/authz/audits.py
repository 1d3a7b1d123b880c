"""Matrix rows: audit runs, findings, signatures, signed reports and the auditors' read log."""

from tests.api.authz.common import ALL_OK, ROLES, Row

AUDITOR_ONLY = dict.fromkeys(ROLES, "forbid") | {"auditor": "ok"}
# A run of hc: its agency, hc's staff, the commissioning EM bureau and admins see it.
RUN_READ = dict.fromkeys(ROLES, "ok") | {"head-con": "hide", "regulator-con": "hide"}
RUN_WRITE = dict.fromkeys(ROLES, "forbid") | {
    "auditor": "ok",
    "head-con": "hide",
    "regulator-con": "hide",
}
READ_LOG = ALL_OK | {"rectifier-hc": "forbid"}


def _run(world, sign: bool = False):
    from anxun.audits import services
    from anxun.extensions import db
    from tests.factories_hazards import actor

    auditor = actor("auditor")
    run = services.open_audit_run(
        auditor,
        {
            "engagement_id": world["engagement"],
            "enterprise_id": world["enterprise"]["hc"],
            "title": "矩阵审核",
        },
    )
    if sign:
        services.sign_audit_run(auditor, run, {"conclusion": "符合", "expected_state": "open"})
    db.session.commit()
    return {"run": run.id}


def _signed_run(world):
    return _run(world, sign=True)


ROWS = [
    Row("GET", "/api/v1/audit-runs", lambda c: "/api/v1/audit-runs", ALL_OK),
    Row(
        "POST",
        "/api/v1/audit-runs",
        lambda c: "/api/v1/audit-runs",
        AUDITOR_ONLY,
        json=lambda c: {
            "engagement_id": c["engagement"],
            "enterprise_id": c["enterprise"]["hc"],
            "title": "矩阵审核",
        },
    ),
    Row(
        "GET",
        "/api/v1/audit-runs/<int:run_id>",
        lambda c: f"/api/v1/audit-runs/{c['run']}",
        RUN_READ,
        setup=_run,
    ),
    Row(
        "POST",
        "/api/v1/audit-runs/<int:run_id>/findings",
        lambda c: f"/api/v1/audit-runs/{c['run']}/findings",
        RUN_WRITE,
        json=lambda c: {"title": "矩阵发现"},
        setup=_run,
    ),
    Row(
        "POST",
        "/api/v1/audit-runs/<int:run_id>/signature",
        lambda c: f"/api/v1/audit-runs/{c['run']}/signature",
        RUN_WRITE,
        json=lambda c: {"conclusion": "符合", "expected_state": "open"},
        setup=_run,
    ),
    Row(
        "GET",
        "/api/v1/audit-runs/<int:run_id>/report.pdf",
        lambda c: f"/api/v1/audit-runs/{c['run']}/report.pdf",
        RUN_READ,
        setup=_signed_run,
    ),
    Row(
        "GET",
        "/api/v1/audit-runs/<int:run_id>/verification",
        lambda c: f"/api/v1/audit-runs/{c['run']}/verification",
        RUN_READ,
        setup=_signed_run,
    ),
    Row("GET", "/api/v1/auditor-reads", lambda c: "/api/v1/auditor-reads", READ_LOG),
    Row(
        "GET",
        "/api/v1/auditor-reads",
        lambda c: f"/api/v1/auditor-reads?enterprise_id={c['enterprise']['hc']}",
        READ_LOG | {"head-con": "hide", "regulator-con": "hide"},
        name="of hc",
    ),
]
