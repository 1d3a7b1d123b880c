"""Matrix rows: online patrols, findings, rectification orders, 签收 and follow-ups."""

import uuid
from datetime import timedelta

from tests.api.authz.common import ALL_OK, ROLES, Row

HIDE_ALL = dict.fromkeys(ROLES, "hide")
# A patrol of the EM bureau on hc: its staff and platform admins see it.
BUREAU_PATROL = HIDE_ALL | {"regulator": "ok", "regulator-admin": "ok", "admin": "ok"}
# An agency patrol commissioned by the EM bureau: the agency's auditor sees it too.
AGENCY_PATROL = BUREAU_PATROL | {"auditor": "ok"}
# Acting for the EM bureau on hc: its staff; those who see hc otherwise may not.
BUREAU_WRITE_HC = BUREAU_PATROL | {
    "head-hc": "forbid",
    "officer-hc": "forbid",
    "rectifier-hc": "forbid",
    "auditor": "forbid",
    "admin": "forbid",
}
# The bureau's officer list: its own staff only.
BUREAU_OFFICERS = HIDE_ALL | {"regulator": "ok", "regulator-admin": "ok"}
# Registering an officer's 执法证号: the bureau's admin (and platform admins); its inspectors may not.
OFFICER_CERTIFICATES = HIDE_ALL | {"regulator": "forbid", "regulator-admin": "ok", "admin": "ok"}
# Opening a patrol on hc: the bureau's staff, and the auditor under the bureau's engagement.
OPEN_PATROL = BUREAU_WRITE_HC | {"auditor": "ok"}
# On a bureau patrol: its staff act; platform admins see it but may not.
ON_BUREAU_PATROL = BUREAU_PATROL | {"admin": "forbid"}
# On an agency patrol: the auditor acts; the bureau and admins see it but may not.
ON_AGENCY_PATROL = AGENCY_PATROL | {
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "admin": "forbid",
}
# Reviewing an agency finding: the bureau's staff.
REVIEW = AGENCY_PATROL | {"auditor": "forbid", "admin": "forbid"}
# An order to hc: the bureau's staff and hc's staff see it.
ORDER_READ = HIDE_ALL | {
    "regulator": "ok",
    "regulator-admin": "ok",
    "head-hc": "ok",
    "officer-hc": "ok",
    "rectifier-hc": "ok",
    "admin": "ok",
}
ACKNOWLEDGE = ORDER_READ | {
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "officer-hc": "forbid",
    "rectifier-hc": "forbid",
    "admin": "forbid",
}
FOLLOW_UP = HIDE_ALL | {"regulator": "ok", "regulator-admin": "ok", "admin": "forbid"}
LAW_65 = [{"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}]


def _services():
    from anxun.oversight.patrols import services as patrol_services

    return patrol_services


def _actor(username):
    from tests.factories_hazards import actor

    return actor(username)


def _co_officer(world):
    """A third officer of the bureau, so either of its staff may issue with a distinct partner."""
    from tests.factories import make_officer

    return _commit({"co_officer": make_officer(world["regulator"]).id})


def _commit(result):
    from anxun.extensions import db

    db.session.commit()
    return result


def _deadline():
    from anxun.core import clock

    return clock.today_local() + timedelta(days=7)


def _bureau_patrol(world):
    patrol = _services().open_patrol(
        _actor("regulator"), {"enterprise_id": world["enterprise"]["hc"], "mode": "online"}
    )
    return _commit({"patrol": patrol.id})


def _agency_patrol(world):
    patrol = _services().open_patrol(
        _actor("auditor"), {"enterprise_id": world["enterprise"]["hc"], "mode": "online"}
    )
    return _commit({"patrol": patrol.id})


def _proposed_finding(world):
    services = _services()
    auditor = _actor("auditor")
    patrol = services.open_patrol(
        auditor, {"enterprise_id": world["enterprise"]["hc"], "mode": "online"}
    )
    finding, _ = services.record_finding(
        auditor,
        patrol,
        {
            "id": uuid.uuid4(),
            "title": "矩阵测试发现",
            "basis": LAW_65,
            "proposed_level": "general",
            "deadline": _deadline(),
        },
    )
    return _commit({"finding": str(finding.id)})


def _order(world, acknowledged=False):
    services = _services()
    order = services.issue_order(
        _actor("regulator"),
        {
            "enterprise_id": world["enterprise"]["hc"],
            "co_officer_user_id": world["users"]["regulator-admin"],
            "deadline": _deadline(),
            "basis": LAW_65,
            "items": [{"text": "矩阵测试整改事项"}],
        },
    )
    if acknowledged:
        services.acknowledge_order(_actor("head-hc"), order, {"expected_state": "issued"})
    from sqlalchemy import select

    from anxun.extensions import db
    from anxun.oversight.models import FollowUpCheck

    check = db.session.scalar(select(FollowUpCheck.id).where(FollowUpCheck.order_id == order.id))
    return _commit({"order": order.id, "check": check})


def _acknowledged_order(world):
    return _order(world, acknowledged=True)


def _finding_json(ctx):
    return {
        "id": str(uuid.uuid4()),
        "title": "矩阵测试发现",
        "basis": LAW_65,
        "proposed_level": "general",
        "deadline": _deadline().isoformat(),
    }


ROWS = [
    Row("GET", "/api/v1/patrols", lambda c: "/api/v1/patrols", ALL_OK),
    Row(
        "POST",
        "/api/v1/patrols",
        lambda c: "/api/v1/patrols",
        OPEN_PATROL,
        json=lambda c: {"enterprise_id": c["enterprise"]["hc"], "mode": "online"},
    ),
    Row(
        "GET",
        "/api/v1/patrols/<int:patrol_id>",
        lambda c: f"/api/v1/patrols/{c['patrol']}",
        BUREAU_PATROL,
        setup=_bureau_patrol,
    ),
    Row(
        "POST",
        "/api/v1/patrols/<int:patrol_id>/findings",
        lambda c: f"/api/v1/patrols/{c['patrol']}/findings",
        ON_BUREAU_PATROL,
        json=_finding_json,
        setup=_bureau_patrol,
        name="bureau",
    ),
    Row(
        "POST",
        "/api/v1/patrols/<int:patrol_id>/findings",
        lambda c: f"/api/v1/patrols/{c['patrol']}/findings",
        ON_AGENCY_PATROL,
        json=_finding_json,
        setup=_agency_patrol,
        name="agency",
    ),
    Row(
        "POST",
        "/api/v1/patrols/<int:patrol_id>/submission",
        lambda c: f"/api/v1/patrols/{c['patrol']}/submission",
        ON_AGENCY_PATROL,
        json=lambda c: {"expected_state": "open"},
        setup=_agency_patrol,
    ),
    Row(
        "POST",
        "/api/v1/patrols/<int:patrol_id>/closure",
        lambda c: f"/api/v1/patrols/{c['patrol']}/closure",
        ON_BUREAU_PATROL,
        json=lambda c: {"summary": "矩阵测试"},
        setup=_bureau_patrol,
    ),
    Row(
        "POST",
        "/api/v1/patrol-findings/<uuid:finding_id>/review",
        lambda c: f"/api/v1/patrol-findings/{c['finding']}/review",
        REVIEW,
        json=lambda c: {"decision": "reject", "expected_state": "proposed", "note": "不采纳"},
        setup=_proposed_finding,
    ),
    Row("GET", "/api/v1/orders", lambda c: "/api/v1/orders", ALL_OK),
    Row(
        "GET",
        "/api/v1/regulators/<int:regulator_id>/officers",
        lambda c: f"/api/v1/regulators/{c['regulator']}/officers",
        BUREAU_OFFICERS,
    ),
    Row(
        "PATCH",
        "/api/v1/regulators/<int:regulator_id>/officers/<int:user_id>",
        lambda c: f"/api/v1/regulators/{c['regulator']}/officers/{c['co_officer']}",
        OFFICER_CERTIFICATES,
        json=lambda c: {"enforcement_certificate_no": "33021129999"},
        setup=_co_officer,
    ),
    Row(
        "POST",
        "/api/v1/orders",
        lambda c: "/api/v1/orders",
        BUREAU_WRITE_HC,
        json=lambda c: {
            "enterprise_id": c["enterprise"]["hc"],
            "co_officer_user_id": c["co_officer"],
            "deadline": _deadline().isoformat(),
            "basis": LAW_65,
            "items": [{"text": "矩阵测试整改事项"}],
        },
        setup=_co_officer,
    ),
    Row(
        "GET",
        "/api/v1/orders/<int:order_id>",
        lambda c: f"/api/v1/orders/{c['order']}",
        ORDER_READ,
        setup=_order,
    ),
    Row(
        "GET",
        "/api/v1/orders/<int:order_id>/pdf",
        lambda c: f"/api/v1/orders/{c['order']}/pdf",
        ORDER_READ,
        setup=_order,
    ),
    Row(
        "POST",
        "/api/v1/orders/<int:order_id>/acknowledgment",
        lambda c: f"/api/v1/orders/{c['order']}/acknowledgment",
        ACKNOWLEDGE,
        json=lambda c: {"expected_state": "issued", "note": ""},
        setup=_order,
    ),
    Row("GET", "/api/v1/follow-ups", lambda c: "/api/v1/follow-ups", ALL_OK),
    Row(
        "POST",
        "/api/v1/follow-ups/<int:check_id>/result",
        lambda c: f"/api/v1/follow-ups/{c['check']}/result",
        FOLLOW_UP,
        json=lambda c: {"result": "rectified", "note": ""},
        setup=_acknowledged_order,
    ),
]
