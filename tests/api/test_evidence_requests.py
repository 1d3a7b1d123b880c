"""Remote evidence requests (远程核查): asked by a bureau, an engaged agency or the head, answered
once from the phone with fresh photos, late or missing marks, finding/order in one action."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from anxun.audits.models import AuditorRead
from anxun.core import clock
from anxun.core.audit import AuditEntry
from anxun.evidence.models import EvidenceAnswer, EvidenceRequest
from anxun.extensions import db
from anxun.notifications.models import Notification
from anxun.oversight.models import PatrolFinding, RectificationOrder
from tests.factories_hazards import make_media, make_place

LAW_65 = [{"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}]
START = datetime(2026, 5, 12, 1, 0, tzinfo=UTC)  # 09:00 in Ningbo
# Place coordinates in 液氨罐区 and a position about 1.1 km north of it.
PLACE = (29.95, 121.70)
FAR = (29.96, 121.70)


def _place(app, world, with_coordinates=True):
    with app.app_context():
        place = make_place(world["enterprise"]["hc"], "液氨罐区")
        if with_coordinates:
            place.latitude, place.longitude = PLACE
        db.session.commit()
        return place.id


def _photos(app, world, n=1):
    with app.app_context():
        ids = [make_media(world["enterprise"]["hc"]) for _ in range(n)]
        db.session.commit()
        return ids


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _audits(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _ask(client, headers, world, place_id, **overrides):
    body = {
        "enterprise_id": world["enterprise"]["hc"],
        "place_id": place_id,
        "text": "拍摄 V-101 阻火器和气体检测仪显示屏",
        "deadline_hours": 2,
        **overrides,
    }
    return client.post("/api/v1/evidence-requests", json=body, headers=headers)


def _answer_body(media_ids, at, gps=PLACE, **overrides):
    return {
        "id": str(uuid.uuid4()),
        "answered_at": at.isoformat(),
        "sent_at": at.isoformat(),
        "note": "阻火器完好",
        "photos": [
            {"media_id": m, "taken_at": (at - timedelta(minutes=1)).isoformat()} for m in media_ids
        ],
        "gps": {"lat": gps[0], "lon": gps[1], "accuracy": 10} if gps else None,
        **overrides,
    }


def _answer(client, headers, request_id, body):
    return client.post(f"/api/v1/evidence-requests/{request_id}/answer", json=body, headers=headers)


def _open_patrol(client, headers, world):
    response = client.post(
        "/api/v1/patrols",
        json={"enterprise_id": world["enterprise"]["hc"], "mode": "online"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_bureau_request_answered_within_the_window(app, client, world, login_as, frozen_clock):
    frozen_clock(START)
    place_id = _place(app, world)
    regulator = login_as("regulator")
    unknown = _ask(client, regulator, world, place_id, item_ids=["HC-D-05", "HC-9.9"])
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"] == [
        {"field": "item_ids", "message": "检查项 HC-9.9 不在该企业使用的检查表中。"}
    ]
    created = _ask(client, regulator, world, place_id, item_ids=["HC-D-05"])
    assert created.status_code == 201, created.get_json()
    request = created.get_json()
    # People read the item's wording from the enterprise's checklist, not only its code.
    assert request["items"] == [
        {"id": "HC-D-05", "text": "装置现场无跑冒滴漏，工艺参数在岗位工艺卡片规定的范围内"}
    ]
    assert request["state"] == {"code": "open", "label": "待回应"}
    assert request["requester_kind"] == {"code": "regulator", "label": "监管部门"}
    assert request["answerer_role"]["code"] == "safety_officer"
    assert request["seconds_left"] == 2 * 3600
    assert request["place"]["name"] == "液氨罐区"
    with app.app_context():
        officer_id = world["users"]["officer-hc"]
        note = db.session.scalar(
            select(Notification).where(
                Notification.user_id == officer_id, Notification.kind == "evidence_requested"
            )
        )
        assert note is not None and "2 小时" in note.title

    officer = login_as("officer-hc")
    todo = client.get("/api/v1/evidence-requests?to_answer=true", headers=officer).get_json()
    assert [r["id"] for r in todo["items"]] == [request["id"]]
    assert todo["items"][0]["may_answer"] is True

    frozen_clock(START + timedelta(minutes=40))
    media = _photos(app, world, 2)
    body = _answer_body(media, START + timedelta(minutes=39))
    answered = _answer(client, officer, request["id"], body)
    assert answered.status_code == 201, answered.get_json()
    view = answered.get_json()
    assert view["state"]["code"] == "answered"
    assert view["is_late"] is False and view["is_missing"] is False
    assert view["answer"]["distance_metres"] < 1
    assert [p["media_id"] for p in view["answer"]["photos"]] == media
    assert view["answer"]["flags"] == []
    assert view["answer"]["answered_by"]["id"] == world["users"]["officer-hc"]

    # The exact replay (another send time) returns the stored answer; other content is 409.
    replay = _answer(client, officer, request["id"], {**body, "sent_at": START.isoformat()})
    assert replay.status_code == 200
    assert replay.get_json()["answer"]["id"] == body["id"]
    other = _answer(client, officer, request["id"], {**body, "note": "另一份"})
    assert other.status_code == 409
    assert other.get_json()["errors"] == [
        {"field": "id", "message": "该回应编号已用于另一份内容。"}
    ]
    second = _answer(client, officer, request["id"], _answer_body(media, START))
    assert second.status_code == 409
    assert second.get_json()["current_state"] == "answered"
    assert _count(app, EvidenceAnswer) == 1

    seen = client.get(f"/api/v1/evidence-requests/{request['id']}", headers=regulator).get_json()
    assert seen["answer"]["id"] == body["id"] and seen["state"]["code"] == "answered"
    assert [e.entity_id for e in _audits(app, "create_evidence_request")] == [str(request["id"])]
    assert len(_audits(app, "answer_evidence_request")) == 1


def test_answer_far_away_with_old_photos_is_flagged(app, client, world, login_as, frozen_clock):
    frozen_clock(START)
    place_id = _place(app, world)
    request = _ask(client, login_as("regulator"), world, place_id).get_json()
    frozen_clock(START + timedelta(minutes=30))
    media = _photos(app, world)
    body = _answer_body(media, START + timedelta(minutes=30), gps=FAR)
    body["photos"][0]["taken_at"] = (START - timedelta(days=1)).isoformat()
    view = _answer(client, login_as("officer-hc"), request["id"], body).get_json()
    codes = [f["code"] for f in view["answer"]["flags"]]
    assert codes == ["gps_far", "photo_before_request"]
    assert view["answer"]["flags"][0]["metres"] > 1000
    assert view["answer"]["flags"][1]["photos"] == [1]
    assert view["answer"]["photos"][0]["taken_at"].startswith("2026-05-11T01:00")
    assert 1000 < view["answer"]["distance_metres"] < 1200


def test_late_answer_is_kept_and_marked(app, client, world, login_as, frozen_clock):
    frozen_clock(START)
    place_id = _place(app, world)
    request = _ask(client, login_as("regulator"), world, place_id, deadline_hours=1).get_json()
    frozen_clock(START + timedelta(minutes=61))
    officer = login_as("officer-hc")
    listed = client.get(f"/api/v1/evidence-requests/{request['id']}", headers=officer).get_json()
    assert listed["state"]["code"] == "expired" and listed["is_missing"] is True
    assert listed["seconds_left"] == -60
    media = _photos(app, world)
    view = _answer(client, officer, request["id"], _answer_body(media, clock.now())).get_json()
    assert view["state"]["code"] == "answered"
    assert view["is_late"] is True and view["is_missing"] is False
    assert view["answer"]["flags"][0]["code"] == "late"


def test_expired_request_becomes_a_finding_and_an_order(app, client, world, login_as, frozen_clock):
    frozen_clock(START)
    place_id = _place(app, world)
    regulator = login_as("regulator")
    patrol_id = _open_patrol(client, regulator, world)
    request = _ask(client, regulator, world, place_id, patrol_id=patrol_id).get_json()
    assert request["patrol_id"] == patrol_id

    # While the window runs, there is nothing to find yet.
    early = client.post(
        f"/api/v1/evidence-requests/{request['id']}/finding",
        json={"id": str(uuid.uuid4()), "basis": LAW_65, "deadline": "2026-05-20"},
        headers=regulator,
    )
    assert early.status_code == 409

    frozen_clock(START + timedelta(hours=3))
    listed = client.get(
        f"/api/v1/evidence-requests?patrol_id={patrol_id}&state=expired", headers=regulator
    ).get_json()["items"]
    assert [r["id"] for r in listed] == [request["id"]]

    finding_id = str(uuid.uuid4())
    body = {"id": finding_id, "basis": LAW_65, "deadline": "2026-05-20"}
    url = f"/api/v1/evidence-requests/{request['id']}/finding"
    made = client.post(url, json=body, headers=regulator)
    assert made.status_code == 201, made.get_json()
    finding = made.get_json()
    assert finding["title"] == "远程核查逾期未回应（期限 2 小时）：液氨罐区"
    assert finding["state"]["code"] == "accepted"
    assert client.post(url, json=body, headers=regulator).status_code == 200
    again = client.post(url, json={**body, "id": str(uuid.uuid4())}, headers=regulator)
    assert again.status_code == 409
    assert _count(app, PatrolFinding) == 1

    patrol = client.get(f"/api/v1/patrols/{patrol_id}", headers=regulator).get_json()
    assert [f["id"] for f in patrol["findings"]] == [finding_id]

    order = client.post(
        f"/api/v1/evidence-requests/{request['id']}/order",
        json={
            "co_officer_user_id": world["users"]["regulator-admin"],
            "deadline": "2026-05-20",
            "basis": LAW_65,
        },
        headers=regulator,
    )
    assert order.status_code == 201, order.get_json()
    assert order.get_json()["patrol_id"] == patrol_id
    assert "逾期未回应" in order.get_json()["items"][0]["text"]
    seen = client.get(f"/api/v1/evidence-requests/{request['id']}", headers=regulator).get_json()
    assert seen["finding_id"] == finding_id and seen["order_id"] == order.get_json()["id"]
    assert _count(app, RectificationOrder) == 1
    assert len(_audits(app, "evidence_request_to_finding")) == 1
    assert len(_audits(app, "evidence_request_to_order")) == 1


def test_late_and_missing_answers_are_listed_with_the_patrols_findings(
    app, client, world, login_as, frozen_clock
):
    frozen_clock(START)
    place_id = _place(app, world)
    regulator = login_as("regulator")
    patrol_id = _open_patrol(client, regulator, world)
    ask = lambda hours, text: _ask(  # noqa: E731
        client, regulator, world, place_id, patrol_id=patrol_id, deadline_hours=hours, text=text
    ).get_json()["id"]
    on_time, late, missing, cancelled = (
        ask(2, "按时回应"),
        ask(1, "逾期回应"),
        ask(1, "无人回应"),
        ask(1, "已撤销"),
    )
    cancel = client.post(
        f"/api/v1/evidence-requests/{cancelled}/cancellation",
        json={"expected_state": "open"},
        headers=regulator,
    )
    assert cancel.status_code == 200, cancel.get_json()
    officer = login_as("officer-hc")
    frozen_clock(START + timedelta(minutes=30))
    media = _photos(app, world, 2)
    assert (
        _answer(client, officer, on_time, _answer_body(media[:1], clock.now())).status_code == 201
    )
    patrol = client.get(f"/api/v1/patrols/{patrol_id}", headers=regulator).get_json()
    assert patrol["evidence_shortfalls"] == []

    frozen_clock(START + timedelta(minutes=75))
    assert _answer(client, officer, late, _answer_body(media[1:], clock.now())).status_code == 201
    patrol = client.get(f"/api/v1/patrols/{patrol_id}", headers=regulator).get_json()
    shortfalls = patrol["evidence_shortfalls"]
    assert [(s["request_id"], s["shortfall"]) for s in shortfalls] == [
        (late, {"code": "late", "label": "逾期回应"}),
        (missing, {"code": "missing", "label": "逾期未回应"}),
    ]
    assert shortfalls[0]["subject"] == "液氨罐区" and shortfalls[0]["text"] == "逾期回应"
    assert shortfalls[0]["answered_at"].startswith("2026-05-12T02:15")
    assert shortfalls[1]["answered_at"] is None and shortfalls[1]["finding_id"] is None

    finding_id = str(uuid.uuid4())
    made = client.post(
        f"/api/v1/evidence-requests/{missing}/finding",
        json={"id": finding_id, "basis": LAW_65, "deadline": "2026-05-20"},
        headers=regulator,
    )
    assert made.status_code == 201, made.get_json()
    patrol = client.get(f"/api/v1/patrols/{patrol_id}", headers=regulator).get_json()
    assert patrol["evidence_shortfalls"][1]["finding_id"] == finding_id
    assert [f["id"] for f in patrol["findings"]] == [finding_id]


def test_agency_and_head_may_ask_other_roles_may_not(app, client, world, login_as):
    place_id = _place(app, world)
    agency = _ask(client, login_as("auditor"), world, place_id)
    assert agency.status_code == 201, agency.get_json()
    assert agency.get_json()["requester_kind"]["code"] == "agency"
    head = _ask(client, login_as("head-hc"), world, place_id, answerer_role="rectifier")
    assert head.status_code == 201
    assert head.get_json()["requester_kind"]["code"] == "enterprise"

    before = (_count(app, EvidenceRequest), _count(app, AuditEntry))
    officer = _ask(client, login_as("officer-hc"), world, place_id)
    assert officer.status_code == 403
    assert officer.headers["Content-Type"] == "application/problem+json"
    assert _ask(client, login_as("regulator-con"), world, place_id).status_code == 404
    assert _ask(client, login_as("head-con"), world, place_id).status_code == 404
    assert (_count(app, EvidenceRequest), _count(app, AuditEntry)) == before

    # Only the addressed role answers: the safety officer cannot answer what the rectifier must.
    media = _photos(app, world)
    refused = _answer(
        client, login_as("officer-hc"), head.get_json()["id"], _answer_body(media, clock.now())
    )
    assert refused.status_code == 403
    hidden = client.get(
        f"/api/v1/evidence-requests/{head.get_json()['id']}", headers=login_as("head-con")
    )
    assert hidden.status_code == 404


def test_bad_input_is_422_and_missing_media_409(app, client, world, login_as):
    place_id = _place(app, world)
    regulator = login_as("regulator")
    bad = _ask(client, regulator, world, None, deadline_hours=0, text="", answerer_role="x")
    assert bad.status_code == 422
    fields = sorted(e["field"] for e in bad.get_json()["errors"])
    assert fields == ["answerer_role", "deadline_hours", "text"]
    nothing = _ask(client, regulator, world, None)
    assert nothing.status_code == 422
    assert nothing.get_json()["errors"][0]["field"] == "place_id"
    assert _count(app, EvidenceRequest) == 0

    request = _ask(client, regulator, world, place_id).get_json()
    ghost = str(uuid.uuid4())
    missing = _answer(
        client, login_as("officer-hc"), request["id"], _answer_body([ghost], clock.now())
    )
    assert missing.status_code == 409
    assert missing.get_json()["missing_media"] == [ghost]
    assert _count(app, EvidenceAnswer) == 0


def test_cancel_needs_the_seen_state_and_the_requesting_side(app, client, world, login_as):
    place_id = _place(app, world)
    request = _ask(client, login_as("regulator"), world, place_id).get_json()
    url = f"/api/v1/evidence-requests/{request['id']}/cancellation"
    refused = client.post(url, json={"expected_state": "open"}, headers=login_as("head-hc"))
    assert refused.status_code == 403
    stale = client.post(url, json={"expected_state": "expired"}, headers=login_as("regulator"))
    assert stale.status_code == 409
    done = client.post(url, json={"expected_state": "open"}, headers=login_as("regulator"))
    assert done.status_code == 200 and done.get_json()["state"]["code"] == "cancelled"
    media = _photos(app, world)
    late = _answer(client, login_as("officer-hc"), request["id"], _answer_body(media, clock.now()))
    assert late.status_code == 409


def test_agency_reads_of_requests_are_in_the_read_log(app, client, world, login_as):
    place_id = _place(app, world)
    request = _ask(client, login_as("regulator"), world, place_id).get_json()
    response = client.get(f"/api/v1/evidence-requests/{request['id']}", headers=login_as("auditor"))
    assert response.status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(AuditorRead)).all()
        assert [(r.enterprise_id, r.path) for r in rows] == [
            (world["enterprise"]["hc"], f"/api/v1/evidence-requests/{request['id']}")
        ]
