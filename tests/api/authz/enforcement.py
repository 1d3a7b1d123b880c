"""Matrix rows: enforcement records (约谈, 停产整顿)."""

from tests.api.authz.common import ALL_OK, Row
from tests.api.authz.listings import REGULATE_HC


def _today():
    from anxun.core import clock

    return clock.today_local()


def _suspension(world):
    from anxun.extensions import db
    from anxun.oversight.enforcement import services as enforcement_services
    from tests.factories_hazards import actor

    record = enforcement_services.record_enforcement(
        actor("regulator"),
        {
            "enterprise_id": world["enterprise"]["hc"],
            "kind": "suspension",
            "reference_no": "矩阵停〔2026〕1号",
            "summary": "矩阵测试",
            "decided_on": _today(),
            "ends_on": None,
        },
    )
    db.session.commit()
    return {"record": record.id}


ROWS = [
    Row(
        "POST",
        "/api/v1/enforcement-records",
        lambda c: "/api/v1/enforcement-records",
        REGULATE_HC,
        json=lambda c: {
            "enterprise_id": c["enterprise"]["hc"],
            "kind": "interview",
            "reference_no": "矩阵约〔2026〕1号",
            "summary": "矩阵测试",
            "decided_on": _today().isoformat(),
        },
    ),
    Row("GET", "/api/v1/enforcement-records", lambda c: "/api/v1/enforcement-records", ALL_OK),
    Row(
        "POST",
        "/api/v1/enforcement-records/<int:record_id>/end",
        lambda c: f"/api/v1/enforcement-records/{c['record']}/end",
        REGULATE_HC,
        json=lambda c: {"ends_on": _today().isoformat()},
        setup=_suspension,
    ),
]
