"""The hazard closed loop over HTTP: reports, transitions, history, overdue, filters, notifications."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.hazards.models import Hazard, HazardTransition
from anxun.notifications.models import Notification
from anxun.outbox.models import OutboxEvent
from tests.factories_hazards import make_media, make_place

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 11:00 in China


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)
    return frozen_clock


@pytest.fixture
def ids(world):
    return {**world["enterprise"], **world["users"]}


@pytest.fixture
def photo(db, world):
    """Uploads a photo for an enterprise (by key) and returns its id."""

    def make(key="hc", uploader=None):
        media_id = make_media(world["enterprise"][key], uploader or f"officer-{key}")
        db.session.commit()
        return media_id

    return make


def counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Hazard, HazardTransition, AuditEntry, OutboxEvent, Notification)
    )


def events(db, event_type):
    return db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == event_type).order_by(OutboxEvent.id)
    ).all()


def report(client, headers, world, photo, key="hc", **overrides):
    body = {
        "id": str(uuid.uuid4()),
        "enterprise_id": world["enterprise"][key],
        "title": "消防通道堵塞",
        "description": "仓库东侧通道堆放货物",
        "media_ids": [photo(key)],
        "proposed_level": "general",
        **overrides,
    }
    response = client.post("/api/v1/hazards", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def act(client, headers, hazard_id, action, expected_state, **fields):
    body = {"action": action, "expected_state": expected_state, **fields}
    return client.post(f"/api/v1/hazards/{hazard_id}/transitions", json=body, headers=headers)


def ok(response):
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def codes(items):
    return [i["code"] for i in items]


def confirm_fields(level="general", days=7):
    return {
        "level": level,
        "category": "thing",
        "deadline": (TODAY + timedelta(days=days)).isoformat(),
    }


def plan_fields(world, days=7, **extra):
    return {
        "responsible_user_id": world["users"]["rectifier-hc"],
        "measures": "更换破损防护罩",
        "funds": 2000,
        "deadline": (TODAY + timedelta(days=days)).isoformat(),
        "contingency": "整改期间设置警戒区",
        **extra,
    }


def test_a_general_hazard_walks_the_whole_loop(client, login_as, world, db, photo):
    officer, head, rectifier = login_as("officer-hc"), login_as("head-hc"), login_as("rectifier-hc")
    hazard = report(client, officer, world, photo)
    hid = hazard["id"]
    assert (hazard["state"], hazard["source"]) == (
        {"code": "reported", "label": "已上报"},
        {"code": "direct", "label": "随手拍上报"},
    )
    assert codes(hazard["available_actions"]) == ["confirm", "reject", "fix_on_spot"]
    ok(act(client, officer, hid, "confirm", "reported", **confirm_fields()))
    planned = ok(act(client, officer, hid, "plan", "confirmed", **plan_fields(world)))
    assert (planned["responsible_name"], planned["funds"]) == ("王志强", "2000.00")
    assert codes(
        client.get(f"/api/v1/hazards/{hid}", headers=rectifier).json["available_actions"]
    ) == ["submit_rectification"]
    submit = {"after_media_ids": [photo(uploader="rectifier-hc")], "note": "已更换"}
    ok(act(client, rectifier, hid, "submit_rectification", "rectifying", **submit))
    no_reason = act(client, officer, hid, "verify_reject", "pending_verification")
    assert no_reason.status_code == 422
    assert [e["field"] for e in no_reason.json["errors"]] == ["reason"]
    ok(act(client, officer, hid, "verify_reject", "pending_verification", reason="螺栓未紧固"))
    again = {"after_media_ids": [photo(uploader="rectifier-hc")], "note": "螺栓已紧固"}
    ok(act(client, rectifier, hid, "submit_rectification", "rectifying", **again))
    assert act(client, rectifier, hid, "verify_pass", "pending_verification").status_code == 403
    closed = ok(act(client, head, hid, "verify_pass", "pending_verification", note="合格"))

    assert (closed["state"]["code"], closed["version"], closed["is_overdue"]) == (
        "closed",
        7,
        False,
    )
    assert closed["closed_at"] == "2026-11-25T03:00:00+00:00"
    assert closed["available_actions"] == []
    history = closed["history"]
    code = lambda value: value and value["code"]  # noqa: E731 - from_state is null on the first step
    assert [(h["action"]["code"], code(h["from_state"]), code(h["to_state"])) for h in history] == [
        ("report", None, "reported"),
        ("confirm", "reported", "confirmed"),
        ("plan", "confirmed", "rectifying"),
        ("submit_rectification", "rectifying", "pending_verification"),
        ("verify_reject", "pending_verification", "rectifying"),
        ("submit_rectification", "rectifying", "pending_verification"),
        ("verify_pass", "pending_verification", "closed"),
    ]
    assert history[0]["action"]["label"] == "上报"
    assert (history[0]["from_state"], history[0]["to_state"]["label"]) == (None, "已上报")
    assert history[4]["evidence"] == {"reason": "螺栓未紧固"}
    assert history[5]["evidence"] == {"after_media_ids": again["after_media_ids"]}
    assert history[2]["evidence"]["funds"] == "2000.00"
    assert history[6]["actor_label"] == "周立新(head-hc)"
    assert history[6]["note"] == "合格"
    assert [e.aggregate_id for e in events(db, "hazard_closed")] == [hid]
    assert events(db, "major_hazard_confirmed") == []


def test_a_major_hazard_needs_plan_approval_and_regulator_signoff(
    client, login_as, world, db, photo
):
    officer, head, rectifier = login_as("officer-hc"), login_as("head-hc"), login_as("rectifier-hc")
    hid = report(client, officer, world, photo, proposed_level="major")["id"]
    assert "fix_on_spot" not in codes(
        client.get(f"/api/v1/hazards/{hid}", headers=officer).json["available_actions"]
    )
    failed = act(client, officer, hid, "confirm", "reported", **confirm_fields("major", days=-1))
    assert failed.status_code == 422
    assert events(db, "major_hazard_confirmed") == []
    confirmed = ok(act(client, officer, hid, "confirm", "reported", **confirm_fields("major", 30)))
    assert confirmed["level"] == {"code": "major", "label": "重大隐患"}
    [event] = events(db, "major_hazard_confirmed")
    assert (event.aggregate_id, event.payload["deadline"], event.payload["title"]) == (
        hid,
        "2026-12-25",
        "消防通道堵塞",
    )
    plain_plan = act(client, officer, hid, "plan", "confirmed", **plan_fields(world))
    assert plain_plan.status_code == 422
    assert [e["field"] for e in plain_plan.json["errors"]] == ["level"]
    governance = photo()
    plan = plan_fields(world, 30, governance_plan_id=governance)
    submitted = ok(act(client, officer, hid, "submit_plan", "confirmed", **plan))
    assert (submitted["state"]["code"], submitted["governance_plan_id"]) == (
        "confirmed",
        governance,
    )
    officer_approves = act(client, officer, hid, "approve_plan", "confirmed")
    assert (officer_approves.status_code, officer_approves.json["type"]) == (
        403,
        "/problems/forbidden",
    )
    assert ok(act(client, head, hid, "approve_plan", "confirmed"))["state"]["code"] == "rectifying"
    submit = {"after_media_ids": [photo()], "note": "阀组已更换并试压合格"}
    ok(act(client, rectifier, hid, "submit_rectification", "rectifying", **submit))
    waiting = ok(act(client, officer, hid, "verify_pass", "pending_verification"))
    assert (waiting["state"]["code"], waiting["closed_at"]) == ("awaiting_signoff", None)
    assert events(db, "hazard_closed") == []

    assert act(client, head, hid, "signoff", "awaiting_signoff").status_code == 403
    other_bureau = act(client, login_as("regulator-con"), hid, "signoff", "awaiting_signoff")
    assert other_bureau.status_code == 404
    regulator = login_as("regulator")
    view = client.get(f"/api/v1/hazards/{hid}", headers=regulator).json
    assert codes(view["available_actions"]) == ["signoff", "signoff_reject"]
    closed = ok(act(client, regulator, hid, "signoff", "awaiting_signoff", note="现场复核合格"))
    assert closed["state"]["code"] == "closed"
    assert [h["action"]["code"] for h in closed["history"]][-3:] == [
        "submit_rectification",
        "verify_pass",
        "signoff",
    ]
    assert len(events(db, "major_hazard_confirmed")) == 1
    assert [e.aggregate_id for e in events(db, "hazard_closed")] == [hid]


def test_money_is_two_place_text_in_the_hazard_and_its_history(client, login_as, world, db, photo):
    officer = login_as("officer-hc")
    hid = report(client, officer, world, photo)["id"]
    ok(act(client, officer, hid, "confirm", "reported", **confirm_fields()))
    planned = ok(
        act(client, officer, hid, "plan", "confirmed", **plan_fields(world, funds="1999.5"))
    )
    assert planned["funds"] == "1999.50"
    assert planned["history"][-1]["evidence"]["funds"] == "1999.50"
    # A step written when evidence kept funds as a JSON number reads back as money text too.
    step = db.session.scalars(
        select(HazardTransition).where(HazardTransition.action == "plan")
    ).one()
    step.evidence = {**step.evidence, "funds": 1999.5}
    db.session.commit()
    view = client.get(f"/api/v1/hazards/{hid}", headers=officer).json
    assert view["history"][-1]["evidence"]["funds"] == "1999.50"
    three_places = act(client, officer, hid, "reject", "rectifying", funds="1.234")
    assert (three_places.status_code, [e["field"] for e in three_places.json["errors"]]) == (
        422,
        ["funds"],
    )


def test_fix_on_spot_closes_in_one_step_with_an_after_photo(client, login_as, world, photo):
    officer = login_as("officer-hc")
    hid = report(client, officer, world, photo)["id"]
    after = photo()
    fixed = ok(act(client, officer, hid, "fix_on_spot", "reported", after_media_ids=[after]))
    assert (fixed["state"]["code"], fixed["is_fixed_on_spot"], fixed["level"]["code"]) == (
        "closed",
        True,
        "general",
    )
    assert [(h["action"]["code"], h["evidence"]) for h in fixed["history"]] == [
        ("report", {"media_ids": fixed["media_ids"]}),
        ("fix_on_spot", {"after_media_ids": [after]}),
    ]
    major = report(client, officer, world, photo, proposed_level="major")["id"]
    refused = act(client, officer, major, "fix_on_spot", "reported", after_media_ids=[photo()])
    assert refused.status_code == 422
    assert refused.json["errors"] == [{"field": "level", "message": "重大隐患不能即查即改。"}]


def test_history_stored_under_the_old_evidence_keys_reads_with_the_current_names(
    client, login_as, world, db, photo
):
    """Evidence rows are history and never rewritten: rows written before the rename keep
    `photo_ids`, `after_photos` and `governance_plan`, and are read under the current names."""
    officer = login_as("officer-hc")
    hid = report(client, officer, world, photo)["id"]
    before, after, plan = photo(), photo(), photo()
    stored = db.session.scalars(
        select(HazardTransition).where(HazardTransition.hazard_id == uuid.UUID(hid))
    ).one()
    stored.evidence = {"photo_ids": [before]}
    old = {"after_photos": [after], "governance_plan": plan, "funds": 1200}
    db.session.add(
        HazardTransition(
            hazard_id=stored.hazard_id,
            action="submit_rectification",
            from_state="reported",
            to_state="reported",
            actor_user_id=stored.actor_user_id,
            actor_label=stored.actor_label,
            note="",
            evidence=old,
            created_at=NOW,
        )
    )
    db.session.commit()
    history = client.get(f"/api/v1/hazards/{hid}", headers=officer).get_json()["history"]
    assert [h["evidence"] for h in history] == [
        {"media_ids": [before]},
        {"after_media_ids": [after], "governance_plan_id": plan, "funds": "1200.00"},
    ]


def test_a_stale_expected_state_is_409_and_writes_nothing(client, login_as, world, db, photo):
    officer = login_as("officer-hc")
    hid = report(client, officer, world, photo)["id"]
    ok(act(client, officer, hid, "confirm", "reported", **confirm_fields()))
    before = counts(db)
    stale = act(client, officer, hid, "reject", "reported", reason="不是隐患")
    assert stale.status_code == 409
    assert stale.json["type"] == "/problems/stale-state"
    assert stale.json["detail"] == "该隐患状态已变化，请刷新后重试。"
    assert stale.json["current_state"] == "confirmed"
    not_now = act(client, officer, hid, "verify_pass", "confirmed")
    assert (not_now.status_code, not_now.json["detail"]) == (409, "当前状态下不能执行该操作。")
    assert counts(db) == before


def test_a_replayed_client_id_changes_nothing(client, login_as, world, db, photo):
    officer = login_as("officer-hc")
    hid = report(client, officer, world, photo)["id"]
    client_id = str(uuid.uuid4())
    first = ok(
        act(client, officer, hid, "confirm", "reported", client_id=client_id, **confirm_fields())
    )
    assert first["replayed"] is False
    before = counts(db)
    replay = ok(
        act(client, officer, hid, "confirm", "reported", client_id=client_id, **confirm_fields())
    )
    assert replay == {**first, "replayed": True}
    assert counts(db) == before
    reused = act(client, officer, hid, "reject", "confirmed", client_id=client_id, reason="x")
    assert reused.status_code == 409
    assert [e["field"] for e in reused.json["errors"]] == ["client_id"]
    assert counts(db) == before


def test_the_verifier_must_not_be_the_rectifier(client, login_as, world, photo):
    officer = login_as("officer-hc")
    hid = report(client, officer, world, photo)["id"]
    ok(act(client, officer, hid, "confirm", "reported", **confirm_fields()))
    ok(act(client, officer, hid, "plan", "confirmed", **plan_fields(world)))
    submit = {"after_media_ids": [photo()], "note": "安全员自行整改"}
    ok(act(client, officer, hid, "submit_rectification", "rectifying", **submit))
    same = act(client, officer, hid, "verify_pass", "pending_verification")
    assert same.status_code == 422
    assert same.json["errors"] == [{"field": "actor", "message": "验收人不能是整改提交人。"}]


def test_a_rule_about_who_did_what_is_422_and_a_role_that_may_never_act_is_403(
    client, login_as, world, db, photo
):
    """docs/api.md: the role is checked first (403: that role may never take the step); a rule
    about earlier steps of the same hazard is 422 naming `actor`, whichever role breaks it."""
    officer, head, rectifier = login_as("officer-hc"), login_as("head-hc"), login_as("rectifier-hc")
    hid = report(client, officer, world, photo)["id"]
    ok(act(client, officer, hid, "confirm", "reported", **confirm_fields()))
    plan = plan_fields(world, responsible_user_id=world["users"]["head-hc"])
    ok(act(client, officer, hid, "plan", "confirmed", **plan))
    before = counts(db)
    submit = {"after_media_ids": [photo(uploader="rectifier-hc")], "note": "已更换"}
    not_responsible = act(client, rectifier, hid, "submit_rectification", "rectifying", **submit)
    assert (not_responsible.status_code, not_responsible.json["type"]) == (
        422,
        "/problems/validation",
    )
    assert [e["field"] for e in not_responsible.json["errors"]] == ["actor"]
    assert counts(db) == before
    ok(act(client, head, hid, "submit_rectification", "rectifying", **submit))
    head_verifies = act(client, head, hid, "verify_pass", "pending_verification")
    assert head_verifies.status_code == 422
    assert head_verifies.json["errors"] == [
        {"field": "actor", "message": "验收人不能是整改提交人。"}
    ]
    never = act(client, rectifier, hid, "verify_pass", "pending_verification")
    assert (never.status_code, never.json["type"], never.json["detail"]) == (
        403,
        "/problems/forbidden",
        "您的角色不能对该隐患执行“验收通过”。",
    )
    assert "errors" not in never.json
    view = client.get(f"/api/v1/hazards/{hid}", headers=officer).json
    assert (view["state"]["code"], view["history"][-1]["action"]["code"]) == (
        "pending_verification",
        "submit_rectification",
    )


def test_missing_after_media_ask_the_device_to_upload_first(client, login_as, world, db, photo):
    officer = login_as("officer-hc")
    hid = report(client, officer, world, photo)["id"]
    foreign, unknown = photo("con"), str(uuid.uuid4())
    before = counts(db)
    missing = act(
        client, officer, hid, "fix_on_spot", "reported", after_media_ids=[foreign, unknown]
    )
    assert missing.status_code == 409
    assert missing.json["type"] == "/problems/missing-media"
    assert missing.json["missing_media"] == [foreign, unknown]
    assert counts(db) == before


def test_other_enterprises_and_auditors_cannot_act(client, login_as, world, photo):
    hid = report(client, login_as("officer-hc"), world, photo)["id"]
    for username in ("head-con", "rectifier-con"):
        headers = login_as(username)
        assert client.get(f"/api/v1/hazards/{hid}", headers=headers).status_code == 404
        denied = act(client, headers, hid, "reject", "reported", reason="x")
        assert denied.status_code == 404
    auditor = login_as("auditor")
    view = client.get(f"/api/v1/hazards/{hid}", headers=auditor)
    assert (view.status_code, view.json["available_actions"]) == (200, [])
    assert act(client, auditor, hid, "reject", "reported", reason="x").status_code == 403
    con = report(client, login_as("officer-con"), world, photo, key="con")["id"]
    assert client.get(f"/api/v1/hazards/{con}", headers=auditor).status_code == 404
    assert client.get(f"/api/v1/hazards/{uuid.uuid4()}", headers=auditor).status_code == 404


def test_overdue_shows_filters_and_notifies_once(app, client, login_as, world, db, photo, frozen):
    officer, rectifier = login_as("officer-hc"), login_as("rectifier-hc")
    late = report(client, officer, world, photo, title="泄漏未处理")["id"]
    fine = report(client, officer, world, photo, title="标识缺失")["id"]
    ok(act(client, officer, late, "confirm", "reported", **confirm_fields(days=1)))
    ok(act(client, officer, late, "plan", "confirmed", **plan_fields(world, days=1)))
    ok(act(client, officer, fine, "confirm", "reported", **confirm_fields(days=30)))
    assert client.get(f"/api/v1/hazards/{late}", headers=officer).json["is_overdue"] is False
    # The deadline day itself (26 Nov) is not late.
    frozen(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))  # 23:00 on 26 Nov in China
    assert client.get(f"/api/v1/hazards/{late}", headers=officer).json["is_overdue"] is False
    frozen(datetime(2026, 11, 26, 16, 30, tzinfo=UTC))  # 00:30 on 27 Nov in China
    assert client.get(f"/api/v1/hazards/{late}", headers=officer).json["is_overdue"] is True
    overdue = client.get("/api/v1/hazards?overdue=true", headers=officer).json
    assert [(h["id"], h["is_overdue"]) for h in overdue["items"]] == [(late, True)]
    not_overdue = client.get("/api/v1/hazards?overdue=false", headers=officer).json
    assert [h["id"] for h in not_overdue["items"]] == [fine]

    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["anxun", "hazards", "sweep"]).exit_code == 0
    rows = db.session.scalars(
        select(Notification).where(Notification.kind == "overdue").order_by(Notification.user_id)
    ).all()
    assert [(n.user_id, str(n.hazard_id)) for n in rows] == sorted(
        [(world["users"]["head-hc"], late), (world["users"]["rectifier-hc"], late)]
    )
    assert len(events(db, "hazard_overdue")) == 1
    mine = client.get("/api/v1/notifications", headers=rectifier).json["items"]
    assert [(n["kind"]["code"], n["title"]) for n in mine] == [
        ("overdue", "隐患已超期：泄漏未处理"),
        ("assigned", "请按五定方案整改：泄漏未处理"),
    ]


def test_notifications_are_listed_and_marked_read_by_their_owner(client, login_as, world, photo):
    officer, head, rectifier = login_as("officer-hc"), login_as("head-hc"), login_as("rectifier-hc")
    first = report(client, rectifier, world, photo, title="配电箱未上锁")["id"]
    second = report(client, rectifier, world, photo, title="灭火器过期")["id"]
    listed = client.get("/api/v1/notifications", headers=head).json
    assert [(n["title"], n["hazard_id"]) for n in listed["items"]] == [
        ("新隐患待确认：灭火器过期", second),
        ("新隐患待确认：配电箱未上锁", first),
    ]
    assert listed["items"][0]["kind"] == {"code": "reported", "label": "新隐患待确认"}
    assert client.get("/api/v1/notifications", headers=rectifier).json["items"] == []
    note_id = listed["items"][1]["id"]
    assert (
        client.post(f"/api/v1/notifications/{note_id}/read", headers=rectifier).status_code == 404
    )
    read = client.post(f"/api/v1/notifications/{note_id}/read", headers=head)
    assert read.status_code == 200 and read.json["read_at"] == "2026-11-25T03:00:00+00:00"
    unread = client.get("/api/v1/notifications?unread=true", headers=head).json["items"]
    assert [n["hazard_id"] for n in unread] == [second]
    page = client.get("/api/v1/notifications?limit=1", headers=head).json
    assert [n["hazard_id"] for n in page["items"]] == [second]
    rest = client.get(f"/api/v1/notifications?limit=1&cursor={page['next_cursor']}", headers=head)
    assert ([n["hazard_id"] for n in rest.json["items"]], rest.json["next_cursor"]) == (
        [first],
        None,
    )
    assert client.post("/api/v1/notifications/read-all", headers=head).json == {"updated": 1}
    assert client.post("/api/v1/notifications/read-all", headers=head).json == {"updated": 0}
    assert client.get("/api/v1/notifications?unread=true", headers=head).json["items"] == []
    assert len(client.get("/api/v1/notifications", headers=officer).json["items"]) == 2


def test_filters_and_cursor_pagination(client, login_as, world, db, photo, frozen):
    officer, rectifier = login_as("officer-hc"), login_as("rectifier-hc")
    place = make_place(world["enterprise"]["hc"], "罐区A")
    db.session.commit()
    made = []
    for minute, (title, level) in enumerate(
        [
            ("罐区泄漏", "major"),
            ("通道堵塞", "general"),
            ("标识缺失", "general"),
            ("罐区静电", "general"),
        ]
    ):
        frozen(NOW + timedelta(minutes=minute))
        extra = {"place_id": place.id} if title.startswith("罐区") else {}
        made.append(
            report(client, officer, world, photo, title=title, proposed_level=level, **extra)["id"]
        )
    leak, blocked, sign, static = made
    frozen(datetime(2026, 11, 26, 3, 0, tzinfo=UTC))
    later = report(client, officer, world, photo, title="次日发现")["id"]
    report(client, login_as("officer-con"), world, photo, key="con", title="脚手架未验收")
    ok(act(client, officer, blocked, "confirm", "reported", **confirm_fields(days=10)))
    ok(act(client, officer, sign, "confirm", "reported", **confirm_fields(days=3)))
    ok(act(client, officer, sign, "plan", "confirmed", **plan_fields(world, days=3)))
    ok(act(client, officer, static, "reject", "reported", reason="已有记录"))

    def listed(query, headers=officer):
        response = client.get(f"/api/v1/hazards{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [h["id"] for h in response.json["items"]]

    assert listed("") == [later, static, sign, blocked, leak]
    pages, cursor = [], ""
    while True:
        page = client.get(f"/api/v1/hazards?limit=2{cursor}", headers=officer).json
        pages.append([h["id"] for h in page["items"]])
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert pages == [[later, static], [sign, blocked], [leak]]
    assert listed("?state=rejected") == [static]
    assert listed("?level=major") == [leak]
    assert listed(f"?place_id={place.id}") == [static, leak]
    assert listed("?q=罐区") == [static, leak]
    assert listed("?q=%25") == []
    assert listed("?from=2026-11-26") == [later]
    assert listed("?to=2026-11-25") == [static, sign, blocked, leak]
    assert listed("?source=self_inspection") == []
    assert listed("?assigned=me", rectifier) == [sign]
    assert listed("?sort=deadline") == [sign, blocked]
    assert listed(
        "?sort=deadline&limit=1&cursor="
        + client.get("/api/v1/hazards?sort=deadline&limit=1", headers=officer).json["next_cursor"]
    ) == [blocked]
    con = world["enterprise"]["con"]
    assert listed(f"?enterprise_id={con}") == []
    assert len(listed(f"?enterprise_id={con}", login_as("head-con"))) == 1
    assert len(listed("", login_as("regulator"))) == 5
    assert len(listed("", login_as("regulator-con"))) == 1
    bad = client.get("/api/v1/hazards?cursor=bm90LWEtbGlzdA", headers=officer)
    assert (bad.status_code, bad.json["errors"][0]["field"]) == (422, "cursor")
    wrong = client.get("/api/v1/hazards?state=open", headers=officer)
    assert (wrong.status_code, wrong.json["errors"][0]["field"]) == (422, "state")


def test_direct_reports_are_idempotent_and_limited_to_staff(client, login_as, world, db, photo):
    officer = login_as("officer-hc")
    body = {
        "id": str(uuid.uuid4()),
        "enterprise_id": world["enterprise"]["hc"],
        "title": "配电柜门未关闭",
        "media_ids": [photo()],
    }
    first = client.post("/api/v1/hazards", json=body, headers=officer)
    assert first.status_code == 201
    assert (first.json["proposed_level"]["code"], first.json["reported_by_name"]) == (
        "general",
        "陈海波",
    )
    before = counts(db)
    replay = client.post("/api/v1/hazards", json=body, headers=officer)
    assert (replay.status_code, replay.json) == (200, first.json)
    assert counts(db) == before
    changed = client.post("/api/v1/hazards", json={**body, "title": "另一条"}, headers=officer)
    assert (changed.status_code, changed.json["errors"][0]["field"]) == (409, "id")
    unknown = str(uuid.uuid4())
    missing = client.post(
        "/api/v1/hazards",
        json={**body, "id": str(uuid.uuid4()), "media_ids": [unknown]},
        headers=officer,
    )
    assert (missing.status_code, missing.json["missing_media"]) == (409, [unknown])
    other_place = make_place(world["enterprise"]["con"])
    db.session.commit()
    wrong_place = client.post(
        "/api/v1/hazards",
        json={**body, "id": str(uuid.uuid4()), "place_id": other_place.id},
        headers=officer,
    )
    assert (wrong_place.status_code, wrong_place.json["errors"][0]["field"]) == (422, "place_id")
    fresh = {**body, "id": str(uuid.uuid4())}
    for username, status in (
        ("regulator", 403),
        ("auditor", 403),
        ("admin", 403),
        ("head-con", 404),
    ):
        assert (
            client.post("/api/v1/hazards", json=fresh, headers=login_as(username)).status_code
            == status
        )
    bad = client.post("/api/v1/hazards", json={"title": "", "colour": "red"}, headers=officer)
    assert bad.status_code == 422
    assert sorted(e["field"] for e in bad.json["errors"]) == ["colour", "title"]
    assert counts(db) == before
