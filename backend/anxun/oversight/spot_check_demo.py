"""Demo random spot check: the EM bureau's registries, a second inspector, one published draw."""

from __future__ import annotations

from sqlalchemy import select

from anxun.accounts import services as accounts
from anxun.accounts.models import User
from anxun.core.auth import Actor, Grant
from anxun.extensions import db
from anxun.oversight.spot_checks import services

DEMO_SEED = "zhenhai-2026-q4-demo"
SECOND_INSPECTOR = ("regulator2", "孙立伟")


def _actor(username: str) -> Actor:
    return accounts.actor_for(db.session.scalar(select(User).where(User.username == username)))


def seed_spot_checks(platform_admin: Actor, password: str) -> list[tuple[str, str, str]]:
    """Registries of the EM bureau (every enterprise it covers, its three officers), and a
    published draw of two enterprises with two inspectors each, the first one inspected.

    Returns the demo login it adds. The housing bureau's construction enterprise is not the EM
    bureau's, so its object registry holds the other three demo enterprises."""
    admin = _actor("regulator-admin")
    regulator = services.admin_regulator(admin)
    username, name = SECOND_INSPECTOR
    accounts.create_user(
        platform_admin,
        {"username": username, "display_name": name, "password": password},
        [Grant("regulator_inspector", regulator_id=regulator.id)],
    )
    services.add_registry_entries(admin, {"kind": "object"})
    for inspector in ("regulator", "regulator-admin", username):
        services.add_registry_entries(
            admin, {"kind": "inspector", "user_id": _actor(inspector).user_id}
        )
    draw = services.make_draw(
        admin,
        {
            "title": "2026年第四季度危化品和工贸企业双随机抽查",
            "enterprise_count": 2,
            "inspectors_per_enterprise": 2,
            "seed": DEMO_SEED,
        },
    )
    first = draw.assignments[0]
    inspector = accounts.actor_for(db.session.get(User, first.inspector_user_ids[0]))
    services.record_result(
        inspector,
        first.id,
        {"result": "no_issues", "summary": "现场检查未发现违法违规行为。"},
    )
    services.publish_draw(admin, draw.id)
    return [(username, "监管执法人员", regulator.name)]
