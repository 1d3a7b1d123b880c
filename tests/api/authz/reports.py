"""Matrix rows: inspection record, rectification notice, hazard ledger and statistics documents."""

from tests.api.authz.common import CON_READ, HC_READ, Row

HC = "/api/v1/enterprises/{}"


def _hc_records(world):
    """An hc inspection and a hazard it raised (rows only; no photos needed)."""
    from datetime import timedelta

    from anxun.core import clock
    from anxun.extensions import db
    from tests import factories_documents as f

    hc, officer = world["enterprise"]["hc"], world["users"]["officer-hc"]
    version = f.hazchem_version()
    now = clock.now()
    inspection = f.make_inspection(
        hc, officer, version, [{"item_id": "HC-MAJ-01", "result": "fail"}], finished_at=now
    )
    hazard = f.make_hazard(
        hc, officer, reported_at=now - timedelta(minutes=1), inspection_id=inspection.id
    )
    db.session.commit()
    return {"inspection": str(inspection.id), "hazard": str(hazard.id)}


def _current_quarter(ctx):
    from anxun.core import clock

    today = clock.today_local()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def _enterprise_rows(suffix: str, query) -> list[Row]:
    rule = f"/api/v1/enterprises/<int:enterprise_id>/{suffix}"
    return [
        Row(
            "GET",
            rule,
            lambda c: HC.format(c["enterprise"]["hc"]) + f"/{suffix}" + query(c),
            HC_READ,
            name="hc",
        ),
        Row(
            "GET",
            rule,
            lambda c: HC.format(c["enterprise"]["con"]) + f"/{suffix}" + query(c),
            CON_READ,
            name="con",
        ),
    ]


def _no_query(ctx):
    return ""


def _period(ctx):
    return f"?period={_current_quarter(ctx)}"


ROWS = [
    Row(
        "GET",
        "/api/v1/inspections/<uuid:inspection_id>/record.pdf",
        lambda c: f"/api/v1/inspections/{c['inspection']}/record.pdf",
        HC_READ,
        setup=_hc_records,
    ),
    Row(
        "GET",
        "/api/v1/hazards/<uuid:hazard_id>/notice.pdf",
        lambda c: f"/api/v1/hazards/{c['hazard']}/notice.pdf",
        HC_READ,
        setup=_hc_records,
    ),
    *_enterprise_rows("hazard-ledger.pdf", _no_query),
    *_enterprise_rows("hazard-ledger.xlsx", _no_query),
    *_enterprise_rows("hazard-statistics", _period),
    *_enterprise_rows("hazard-statistics.pdf", _period),
]
