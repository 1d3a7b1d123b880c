"""Matrix rows: random spot checks (registries, draws, verification, results, publication)."""

from tests.api.authz.common import ROLES, Row

FORBID = dict.fromkeys(ROLES, "forbid")
EM_READ = FORBID | {
    "regulator": "ok",
    "regulator-admin": "ok",
    "regulator-con": "hide",
    "admin": "ok",
}
EM_ADMIN = FORBID | {"regulator-admin": "ok", "regulator-con": "hide"}
ADMIN_ONLY = FORBID | {"regulator-admin": "ok"}
REGULATORS = FORBID | {
    "regulator": "ok",
    "regulator-admin": "ok",
    "regulator-con": "ok",
    "admin": "ok",
}
# The drawn inspectors (both EM officers in this setup) and the EM admin record results.
RESULT = EM_ADMIN | {"regulator": "ok"}


def _admin():
    from sqlalchemy import select

    from anxun.accounts.models import User
    from anxun.accounts.services import actor_for
    from anxun.extensions import db

    return actor_for(db.session.scalar(select(User).where(User.username == "regulator-admin")))


def _registries(world):
    from anxun.extensions import db
    from anxun.oversight.spot_checks import services

    admin = _admin()
    entries = services.add_registry_entries(admin, {"kind": "object"})
    for username in ("regulator", "regulator-admin"):
        services.add_registry_entries(
            admin, {"kind": "inspector", "user_id": world["users"][username]}
        )
    db.session.commit()
    return {"entry": entries[0].id}


def _draw(world):
    from anxun.extensions import db
    from anxun.oversight.spot_checks import services

    ctx = _registries(world)
    draw = services.make_draw(
        _admin(), {"title": "矩阵抽查", "enterprise_count": 2, "seed": "matrix"}
    )
    db.session.commit()
    return ctx | {"draw": draw.id, "assignment": draw.assignments[0].id}


ROWS = [
    Row(
        "GET",
        "/api/v1/spot-checks/registry",
        lambda c: f"/api/v1/spot-checks/registry?regulator_id={c['regulator']}",
        EM_READ,
    ),
    Row(
        "POST",
        "/api/v1/spot-checks/registry",
        lambda c: "/api/v1/spot-checks/registry",
        ADMIN_ONLY,
        json=lambda c: {"kind": "object"},
    ),
    Row(
        "DELETE",
        "/api/v1/spot-checks/registry/<int:entry_id>",
        lambda c: f"/api/v1/spot-checks/registry/{c['entry']}",
        EM_ADMIN,
        setup=_registries,
    ),
    Row("GET", "/api/v1/spot-checks/draws", lambda c: "/api/v1/spot-checks/draws", REGULATORS),
    Row(
        "POST",
        "/api/v1/spot-checks/draws",
        lambda c: "/api/v1/spot-checks/draws",
        ADMIN_ONLY,
        json=lambda c: {"title": "矩阵抽查", "enterprise_count": 1},
        setup=_registries,
    ),
    Row(
        "GET",
        "/api/v1/spot-checks/draws/<int:draw_id>",
        lambda c: f"/api/v1/spot-checks/draws/{c['draw']}",
        EM_READ,
        setup=_draw,
    ),
    Row(
        "GET",
        "/api/v1/spot-checks/draws/<int:draw_id>/verification",
        lambda c: f"/api/v1/spot-checks/draws/{c['draw']}/verification",
        EM_READ,
        setup=_draw,
    ),
    Row(
        "POST",
        "/api/v1/spot-checks/draws/<int:draw_id>/publication",
        lambda c: f"/api/v1/spot-checks/draws/{c['draw']}/publication",
        EM_ADMIN,
        setup=_draw,
    ),
    Row(
        "POST",
        "/api/v1/spot-checks/assignments/<int:assignment_id>/result",
        lambda c: f"/api/v1/spot-checks/assignments/{c['assignment']}/result",
        RESULT,
        json=lambda c: {"result": "no_issues", "summary": "未发现问题。"},
        setup=_draw,
    ),
]
