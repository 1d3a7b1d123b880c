"""Matrix rows: hazards (list, view, direct report, transitions) and notifications."""

import uuid

from tests.api.authz.common import ALL_OK, HC_READ, HC_STAFF_WRITE, ROLES, Row

# Direct reports: hc staff only; regulators and auditors report later, platform admins never.
REPORT = HC_STAFF_WRITE | {"admin": "forbid"}
# Rejecting a reported hazard: the hc head and safety officer; everyone else who sees it is refused.
MANAGE = HC_READ | {
    "rectifier-hc": "forbid",
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "auditor": "forbid",
    "admin": "forbid",
}
# Signing off a major hazard: the regulators covering hc.
SIGNOFF = HC_READ | {
    "head-hc": "forbid",
    "officer-hc": "forbid",
    "rectifier-hc": "forbid",
    "auditor": "forbid",
    "admin": "forbid",
}
OWNER_ONLY = dict.fromkeys(ROLES, "hide") | {"officer-hc": "ok"}


def _commit(result: dict) -> dict:
    from anxun.extensions import db

    db.session.commit()
    return result


def _hc_photo(world):
    from tests.factories_hazards import make_media

    return _commit({"photo": make_media(world["enterprise"]["hc"])})


def _reported(world):
    from tests.factories_hazards import hazard_in

    return _commit({"hazard": str(hazard_in("reported").id)})


def _awaiting_signoff(world):
    from tests.factories_hazards import hazard_in

    return _commit({"hazard": str(hazard_in("awaiting_signoff", level="major").id)})


def _officer_notification(world):
    from anxun.notifications.services import notify

    [note] = notify(
        [world["users"]["officer-hc"]],
        world["enterprise"]["hc"],
        "assigned",
        None,
        "矩阵测试消息",
        "",
        f"matrix:{uuid.uuid4()}",
    )
    return _commit({"notification": note.id})


def _hazard_url(ctx):
    return f"/api/v1/hazards/{ctx['hazard']}"


ROWS = [
    Row("GET", "/api/v1/hazards", lambda c: "/api/v1/hazards", ALL_OK),
    Row("GET", "/api/v1/hazards/counts", lambda c: "/api/v1/hazards/counts", ALL_OK),
    Row(
        "GET",
        "/api/v1/hazards/<uuid:hazard_id>",
        _hazard_url,
        HC_READ,
        setup=_reported,
    ),
    Row(
        "POST",
        "/api/v1/hazards",
        lambda c: "/api/v1/hazards",
        REPORT,
        json=lambda c: {
            "id": str(uuid.uuid4()),
            "enterprise_id": c["enterprise"]["hc"],
            "title": "矩阵测试隐患",
            "media_ids": [c["photo"]],
        },
        setup=_hc_photo,
    ),
    Row(
        "POST",
        "/api/v1/hazards/<uuid:hazard_id>/transitions",
        lambda c: _hazard_url(c) + "/transitions",
        MANAGE,
        json=lambda c: {"action": "reject", "expected_state": "reported", "reason": "不属于隐患"},
        setup=_reported,
        name="reject",
    ),
    Row(
        "POST",
        "/api/v1/hazards/<uuid:hazard_id>/transitions",
        lambda c: _hazard_url(c) + "/transitions",
        SIGNOFF,
        json=lambda c: {"action": "signoff", "expected_state": "awaiting_signoff"},
        setup=_awaiting_signoff,
        name="signoff",
    ),
    Row("GET", "/api/v1/notifications", lambda c: "/api/v1/notifications", ALL_OK),
    Row(
        "POST",
        "/api/v1/notifications/read-all",
        lambda c: "/api/v1/notifications/read-all",
        ALL_OK,
    ),
    Row(
        "POST",
        "/api/v1/notifications/<int:notification_id>/read",
        lambda c: f"/api/v1/notifications/{c['notification']}/read",
        OWNER_ONLY,
        setup=_officer_notification,
    ),
]
