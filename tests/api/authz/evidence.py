"""Matrix rows: remote evidence requests (远程核查): ask, list, view, answer, cancel, and turn into
a patrol finding or a rectification order."""

import uuid
from datetime import timedelta

from tests.api.authz.common import ALL_OK, HC_READ, ROLES, Row

HIDE_CON = {"head-con": "hide", "regulator-con": "hide"}
# Asking hc: the bureau covering it, the engaged auditor, hc's head; hc's other staff and the
# platform admin see hc but may not ask.
ASK = (
    dict.fromkeys(ROLES, "forbid")
    | HIDE_CON
    | {
        "regulator": "ok",
        "regulator-admin": "ok",
        "auditor": "ok",
        "head-hc": "ok",
    }
)
# Answering: only staff of hc holding the addressed role (the safety officer by default).
ANSWER = dict.fromkeys(ROLES, "forbid") | HIDE_CON | {"officer-hc": "ok"}
# The requesting bureau's staff act on its request.
BUREAU_SIDE = (
    dict.fromkeys(ROLES, "forbid")
    | HIDE_CON
    | {
        "regulator": "ok",
        "regulator-admin": "ok",
    }
)
LAW_65 = [{"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}]


def _commit(result):
    from anxun.extensions import db

    db.session.commit()
    return result


def _place(world):
    from tests.factories_hazards import make_place

    return make_place(world["enterprise"]["hc"], "矩阵液氨罐区").id


def _request(world, patrol=False, expired=False):
    from anxun.evidence import services
    from anxun.oversight.patrols import services as patrol_services
    from tests.factories_hazards import actor

    regulator = actor("regulator")
    patrol_id = None
    if patrol:
        patrol_id = patrol_services.open_patrol(
            regulator, {"enterprise_id": world["enterprise"]["hc"], "mode": "online"}
        ).id
    request = services.create_request(
        regulator,
        {
            "enterprise_id": world["enterprise"]["hc"],
            "patrol_id": patrol_id,
            "place_id": _place(world),
            "hazard_id": None,
            "text": "拍摄阻火器",
            "item_ids": [],
            "deadline_hours": 2,
            "answerer_role": "safety_officer",
        },
    )
    if expired:
        request.due_at = request.created_at - timedelta(minutes=1)
    return request


def _open_request(world):
    return _commit({"request": _request(world).id})


def _answerable(world):
    from tests.factories_hazards import make_media

    request = _request(world)
    return _commit({"request": request.id, "media": make_media(world["enterprise"]["hc"])})


def _expired_on_patrol(world):
    from tests.factories import make_officer

    request = _request(world, patrol=True, expired=True)
    return _commit({"request": request.id, "co_officer": make_officer(world["regulator"]).id})


def _deadline():
    from anxun.core import clock

    return (clock.today_local() + timedelta(days=7)).isoformat()


def _answer_json(c):
    from anxun.core import clock

    now = clock.now().isoformat()
    return {
        "id": str(uuid.uuid4()),
        "answered_at": now,
        "photos": [{"media_id": c["media"], "taken_at": now}],
    }


ROWS = [
    Row("GET", "/api/v1/evidence-requests", lambda c: "/api/v1/evidence-requests", ALL_OK),
    Row(
        "POST",
        "/api/v1/evidence-requests",
        lambda c: "/api/v1/evidence-requests",
        ASK,
        json=lambda c: {
            "enterprise_id": c["enterprise"]["hc"],
            "place_id": c["place"],
            "text": "拍摄阻火器",
        },
        setup=lambda world: _commit({"place": _place(world)}),
    ),
    Row(
        "GET",
        "/api/v1/evidence-requests/<int:request_id>",
        lambda c: f"/api/v1/evidence-requests/{c['request']}",
        HC_READ,
        setup=_open_request,
    ),
    Row(
        "POST",
        "/api/v1/evidence-requests/<int:request_id>/answer",
        lambda c: f"/api/v1/evidence-requests/{c['request']}/answer",
        ANSWER,
        json=_answer_json,
        setup=_answerable,
    ),
    Row(
        "POST",
        "/api/v1/evidence-requests/<int:request_id>/cancellation",
        lambda c: f"/api/v1/evidence-requests/{c['request']}/cancellation",
        BUREAU_SIDE,
        json=lambda c: {"expected_state": "open"},
        setup=_open_request,
    ),
    Row(
        "POST",
        "/api/v1/evidence-requests/<int:request_id>/finding",
        lambda c: f"/api/v1/evidence-requests/{c['request']}/finding",
        BUREAU_SIDE,
        json=lambda c: {"id": str(uuid.uuid4()), "basis": LAW_65, "deadline": _deadline()},
        setup=_expired_on_patrol,
    ),
    Row(
        "POST",
        "/api/v1/evidence-requests/<int:request_id>/order",
        lambda c: f"/api/v1/evidence-requests/{c['request']}/order",
        BUREAU_SIDE,
        json=lambda c: {
            "co_officer_user_id": c["co_officer"],
            "deadline": _deadline(),
            "basis": LAW_65,
        },
        setup=_expired_on_patrol,
    ),
]
