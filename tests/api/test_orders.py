"""Rectification orders: issue with number, the PDF, 签收 by the head only, follow-up results."""

from __future__ import annotations

import re
import subprocess
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from anxun.accounts.models import User
from anxun.core import clock
from anxun.core.audit import AuditEntry
from anxun.notifications.models import Notification
from anxun.outbox.models import OutboxEvent
from anxun.oversight.models import FollowUpCheck
from tests.api.test_patrols import LAW_65, add_finding, counts, errors_of, in_days, open_patrol


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def patrol_with_findings(client, world, login_as):
    """A regulator's online patrol of hc with two findings (two confirmed hazards)."""
    headers = login_as("regulator")
    patrol = open_patrol(client, headers, world).get_json()
    findings = [
        add_finding(client, headers, patrol["id"], title=title)[0].get_json()
        for title in ("储罐区可燃气体报警器未检定", "动火作业票缺少审批")
    ]
    return patrol, findings


def order_body(world, patrol=None, findings=(), **overrides):
    items = [
        {"hazard_id": f["hazard_id"], "text": f["title"], "basis": f["basis"]} for f in findings
    ] or [{"text": "完善安全生产责任制"}]
    return {
        "enterprise_id": world["enterprise"]["hc"],
        "co_officer_user_id": world["users"]["regulator-admin"],
        "patrol_id": patrol["id"] if patrol else None,
        "deadline": in_days(14),
        "basis": [LAW_65],
        "requirements": "整改完成后书面报告。",
        "items": items,
        **overrides,
    }


def issue(client, login_as, world, **kwargs):
    response = client.post(
        "/api/v1/orders", json=order_body(world, **kwargs), headers=login_as("regulator")
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def event_types(db):
    return db.session.scalars(select(OutboxEvent.event_type).order_by(OutboxEvent.id)).all()


def test_issuing_an_order_numbers_it_schedules_the_follow_up_and_tells_the_head(
    client, db, world, login_as, patrol_with_findings
):
    patrol, findings = patrol_with_findings
    order = issue(client, login_as, world, patrol=patrol, findings=findings)
    year = clock.today_local().year
    assert order["number"] == f"镇应急责改〔{year}〕1号"
    assert order["state"] == {"code": "issued", "label": "待签收"}
    assert order["regulator_name"] == "宁波市镇海区应急管理局"
    assert [i["hazard_id"] for i in order["items"]] == [f["hazard_id"] for f in findings]
    assert [i["position"] for i in order["items"]] == [1, 2]
    assert order["follow_up"]["scheduled_on"] == order["deadline"]
    assert order["follow_up"]["state"]["code"] == "scheduled"
    assert order["basis"] == [LAW_65]

    second = issue(client, login_as, world)
    assert second["number"] == f"镇应急责改〔{year}〕2号"

    heads = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "order_issued")
    ).all()
    assert heads == [world["users"]["head-hc"]] * 2
    assert event_types(db).count("rectification_order_issued") == 2
    event = db.session.scalar(
        select(OutboxEvent).where(OutboxEvent.event_type == "rectification_order_issued")
    )
    assert event.payload["number"] == order["number"]
    assert event.payload["items"][0]["hazard_id"] == findings[0]["hazard_id"]


def test_orders_are_listed_per_bureau_and_enterprise_with_filters(client, world, login_as):
    order = issue(client, login_as, world)
    for user in ("regulator", "regulator-admin", "head-hc", "officer-hc"):
        items = client.get("/api/v1/orders", headers=login_as(user)).get_json()["items"]
        assert [o["id"] for o in items] == [order["id"]], user
    for user in ("regulator-con", "head-con", "auditor"):
        assert client.get("/api/v1/orders", headers=login_as(user)).get_json()["items"] == []
        assert (
            client.get(f"/api/v1/orders/{order['id']}", headers=login_as(user)).status_code == 404
        )
    headers = login_as("regulator")
    assert (
        client.get("/api/v1/orders?state=acknowledged", headers=headers).get_json()["items"] == []
    )
    assert client.get("/api/v1/orders?escalated=true", headers=headers).get_json()["items"] == []
    assert (
        len(client.get("/api/v1/orders?escalated=false", headers=headers).get_json()["items"]) == 1
    )
    other = f"/api/v1/orders?enterprise_id={world['enterprise']['dust']}"
    assert client.get(other, headers=headers).get_json()["items"] == []


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"basis": []}, ["basis"]),
        ({"items": []}, ["items"]),
        ({"deadline": "2020-01-01"}, ["deadline"]),
        ({"items": [{"text": ""}]}, ["items.0.text"]),
        ({"items": [{"text": "x", "hazard_id": "not-a-uuid"}]}, ["items.0.hazard_id"]),
        ({"items": [{"text": "x", "hazard_id": str(uuid.uuid4())}]}, ["items.0.hazard_id"]),
        ({"patrol_id": 999999}, ["patrol_id"]),
        ({"requirements": 5}, ["requirements"]),
    ],
)
def test_bad_orders_are_422_and_write_nothing(client, db, world, login_as, overrides, fields):
    before = counts(db)
    response = client.post(
        "/api/v1/orders", json=order_body(world, **overrides), headers=login_as("regulator")
    )
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["type"] == "/problems/validation"
    assert errors_of(response) == fields
    assert counts(db) == before
    assert db.session.scalar(select(FollowUpCheck.id)) is None


def _co_officer_cases(world):
    from anxun.extensions import db
    from tests.factories import make_officer

    without = make_officer(world["regulator"], enforcement_certificate_no=None)
    housing = make_officer(world["housing_regulator"])
    db.session.commit()
    return {
        "self": (world["users"]["regulator"], "执法人员不得少于两人"),
        "enterprise staff": (world["users"]["officer-hc"], "不是本部门在职的执法人员"),
        "other bureau": (housing.id, "不是本部门在职的执法人员"),
        "no certificate": (without.id, "未登记执法证号"),
        "unknown": (999999, "不是本部门在职的执法人员"),
    }


def test_an_order_needs_two_distinct_officers_of_the_bureau_with_certificates(
    client, db, world, login_as
):
    """行政处罚法 第四十二条: 执法人员不得少于两人; each holds a 执法证号 (issue #13)."""
    for case, (co_officer, message) in _co_officer_cases(world).items():
        before = counts(db)
        response = client.post(
            "/api/v1/orders",
            json=order_body(world, co_officer_user_id=co_officer),
            headers=login_as("regulator"),
        )
        assert response.status_code == 422, case
        assert response.content_type == "application/problem+json"
        problems = response.get_json()["errors"]
        assert [e["field"] for e in problems] == ["co_officer_user_id"], case
        assert message in problems[0]["message"], case
        assert counts(db) == before, case
    missing = order_body(world)
    del missing["co_officer_user_id"]
    response = client.post("/api/v1/orders", json=missing, headers=login_as("regulator"))
    assert response.status_code == 422
    assert errors_of(response) == ["co_officer_user_id"]


def test_an_issuing_officer_without_a_certificate_cannot_issue(client, db, world, login_as):
    from anxun.accounts.models import User as Account

    db.session.get(Account, world["users"]["regulator"]).enforcement_certificate_no = None
    db.session.commit()
    before = counts(db)
    response = client.post("/api/v1/orders", json=order_body(world), headers=login_as("regulator"))
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "co_officer_user_id", "message": "您的账户未登记执法证号，不能下达整改指令书。"}
    ]
    assert counts(db) == before


def test_the_order_names_both_officers_and_the_bureau_lists_its_officers(client, world, login_as):
    order = issue(client, login_as, world)
    assert order["co_officer_user_id"] == world["users"]["regulator-admin"]
    assert [(o["display_name"], o["enforcement_certificate_no"]) for o in order["officers"]] == [
        ("赵振华", "33021120001"),
        ("钱思远", "33021120002"),
    ]
    url = f"/api/v1/regulators/{world['regulator']}/officers"
    listed = client.get(url, headers=login_as("regulator")).get_json()["items"]
    assert [o["display_name"] for o in listed] == ["赵振华", "钱思远"]
    assert client.get(url, headers=login_as("regulator-con")).status_code == 404
    assert client.get(url, headers=login_as("head-hc")).status_code == 404


def test_the_bureau_admin_registers_an_officers_certificate_which_orders_then_need(
    client, db, world, login_as
):
    officer = world["users"]["regulator"]
    url = f"/api/v1/regulators/{world['regulator']}/officers/{officer}"
    # Without a 执法证号 the officer cannot issue an order …
    cleared = client.patch(
        url, json={"enforcement_certificate_no": None}, headers=login_as("regulator-admin")
    )
    assert cleared.status_code == 200, cleared.get_json()
    assert cleared.get_json()["enforcement_certificate_no"] is None
    refused = client.post("/api/v1/orders", json=order_body(world), headers=login_as("regulator"))
    assert refused.status_code == 422
    # … an inspector may not register one for himself, the admin may.
    body = {"enforcement_certificate_no": " 33021120009 "}
    assert client.patch(url, json=body, headers=login_as("regulator")).status_code == 403
    assert client.patch(url, json=body, headers=login_as("regulator-con")).status_code == 404
    saved = client.patch(url, json=body, headers=login_as("regulator-admin"))
    assert saved.get_json()["enforcement_certificate_no"] == "33021120009"
    assert db.session.get(User, officer).enforcement_certificate_no == "33021120009"
    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "set_officer_certificate")
        .order_by(AuditEntry.id)
    ).all()[-1]
    assert entry.change["after"] == "33021120009"
    issued = client.post("/api/v1/orders", json=order_body(world), headers=login_as("regulator"))
    assert issued.status_code == 201, issued.get_json()


def test_a_hazard_of_another_enterprise_cannot_be_ordered(
    client, db, world, login_as, patrol_with_findings
):
    _, findings = patrol_with_findings
    body = order_body(world, findings=findings, enterprise_id=world["enterprise"]["dust"])
    response = client.post("/api/v1/orders", json=body, headers=login_as("regulator"))
    assert response.status_code == 422
    assert errors_of(response) == ["items.0.hazard_id", "items.1.hazard_id"]


def test_only_the_head_acknowledges_and_only_once(client, db, world, login_as):
    order = issue(client, login_as, world)
    url = f"/api/v1/orders/{order['id']}/acknowledgment"
    body = {"expected_state": "issued", "note": "已收到"}
    for user in ("officer-hc", "rectifier-hc", "regulator", "regulator-admin", "admin"):
        response = client.post(url, json=body, headers=login_as(user))
        assert response.status_code == 403, user
    assert client.post(url, json=body, headers=login_as("head-con")).status_code == 404
    assert "order_acknowledged" not in event_types(db)

    signed = client.post(url, json=body, headers=login_as("head-hc"))
    assert signed.status_code == 200, signed.get_json()
    signed = signed.get_json()
    assert signed["state"]["code"] == "acknowledged"
    assert signed["acknowledged_by_user_id"] == world["users"]["head-hc"]
    assert signed["acknowledged_at"] is not None
    assert signed["acknowledgment_note"] == "已收到"

    again = client.post(url, json=body, headers=login_as("head-hc"))
    assert again.status_code == 409
    assert again.get_json()["type"] == "/problems/stale-state"
    assert event_types(db).count("order_acknowledged") == 1
    audit = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.entity_type == "rectification_order")
        .order_by(AuditEntry.id)
    ).all()
    assert audit == ["issue_rectification_order", "acknowledge_rectification_order"]
    # The regulator sees the 签收 time.
    seen = client.get(f"/api/v1/orders/{order['id']}", headers=login_as("regulator")).get_json()
    assert seen["acknowledged_at"] == signed["acknowledged_at"]
    assert seen["acknowledged_by_name"]


def test_the_pdf_is_the_order_with_cjk_font_and_the_receipt_once_signed(
    client, db, world, login_as, patrol_with_findings, tmp_path
):
    patrol, findings = patrol_with_findings
    order = issue(client, login_as, world, patrol=patrol, findings=findings)
    url = f"/api/v1/orders/{order['id']}/pdf"

    def text_of(response, name):
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        path = tmp_path / name
        path.write_bytes(response.data)
        fonts = run("pdffonts", str(path)).splitlines()[2:]
        assert [f for f in fonts if "CJK" in f and f.split()[-5] == "yes"], fonts
        return "".join(run("pdftotext", str(path), "-").split())

    before = text_of(client.get(url, headers=login_as("head-hc")), "before.pdf")
    for expected in (
        "责令限期整改指令书",
        order["number"],
        "宁波澄江化工有限公司",
        "储罐区可燃气体报警器未检定",
        "动火作业票缺少审批",
        "《中华人民共和国安全生产法》第六十五条",
        "《危险化学品企业安全风险隐患排查治理导则》",
        "宁波市镇海区应急管理局",
        "整改完成后书面报告",
        "网上巡查",
        "被检查单位负责人（签名）",
        "签收日期",
        # 行政复议 within 60 days or 行政诉讼 within 6 months; the order is not suspended.
        "六十日内依法向宁波市镇海区人民政府申请行政复议",
        "六个月内依法向人民法院提起行政诉讼",
        "本指令不停止执行",
        # Two enforcement officers, each with a 执法证号; the bureau's seal area; 一式两份.
        "赵振华",
        "执法证号：33021120001",
        "钱思远",
        "执法证号：33021120002",
        "（印章）",
        "本文书一式两份",
    ):
        assert expected in before, expected
    deadline = clock.today_local() + timedelta(days=14)
    assert f"于{deadline.year}年{deadline.month}月{deadline.day}日前整改完毕" in before
    for software_line in ("生成时间", "北京时间", "待核实"):
        assert software_line not in before
    assert not re.search(r"\d{4}-\d{2}-\d{2}", before.replace(order["number"], ""))
    assert "签收说明" not in before

    client.post(
        f"/api/v1/orders/{order['id']}/acknowledgment",
        json={"expected_state": "issued", "note": "立即整改"},
        headers=login_as("head-hc"),
    )
    after = text_of(client.get(url, headers=login_as("regulator")), "after.pdf")
    assert "签收说明" in after and "立即整改" in after
    today = clock.today_local()
    assert "签收日期" in after
    assert f"{today.year}年{today.month}月{today.day}日" in after.split("签收说明")[-1]
    assert db.session.get(User, world["users"]["head-hc"]).display_name in after
    assert client.get(url, headers=login_as("regulator-con")).status_code == 404


def test_an_issued_order_keeps_its_officers_when_an_account_changes_later(
    client, db, world, login_as, tmp_path
):
    """The names and 执法证号 are kept on the order when it is issued: a certificate renewed
    (or a name corrected) afterwards does not alter the order already served."""
    order = issue(client, login_as, world)
    url = f"/api/v1/orders/{order['id']}/pdf"
    headers = login_as("regulator")
    path = tmp_path / "order.pdf"
    path.write_bytes(client.get(url, headers=headers).data)
    before = "".join(run("pdftotext", str(path), "-").split())
    assert "执法证号：33021120002" in before

    co_officer = db.session.get(User, world["users"]["regulator-admin"])
    co_officer.enforcement_certificate_no = "33021129999"
    co_officer.display_name = "钱某某"
    db.session.commit()

    path.write_bytes(client.get(url, headers=headers).data)
    after = "".join(run("pdftotext", str(path), "-").split())
    assert after == before
    assert "33021129999" not in after and "钱某某" not in after
    shown = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert [(o["display_name"], o["enforcement_certificate_no"]) for o in shown["officers"]] == [
        ("赵振华", "33021120001"),
        ("钱思远", "33021120002"),
    ]
    # A new order takes the officers as they stand now.
    newer = issue(client, login_as, world)
    assert newer["officers"][1]["enforcement_certificate_no"] == "33021129999"


def test_follow_up_result_is_recorded_after_acknowledgment(client, db, world, login_as):
    order = issue(client, login_as, world)
    regulator = login_as("regulator")
    due = client.get(f"/api/v1/follow-ups?due_before={in_days(30)}", headers=regulator).get_json()
    assert [f["order_number"] for f in due["items"]] == [order["number"]]
    assert (
        client.get(f"/api/v1/follow-ups?due_before={in_days(1)}", headers=regulator).get_json()[
            "items"
        ]
        == []
    )
    check_id = due["items"][0]["id"]
    url = f"/api/v1/follow-ups/{check_id}/result"
    body = {"result": "rectified", "note": "现场复查已整改"}

    early = client.post(url, json=body, headers=regulator)
    assert early.status_code == 409  # not yet acknowledged
    client.post(
        f"/api/v1/orders/{order['id']}/acknowledgment",
        json={"expected_state": "issued"},
        headers=login_as("head-hc"),
    )
    assert client.post(url, json=body, headers=login_as("head-hc")).status_code == 404
    assert client.post(url, json={"result": "maybe"}, headers=regulator).status_code == 422
    recorded = client.post(url, json=body, headers=regulator)
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["result"] == {"code": "rectified", "label": "已整改"}
    assert recorded.get_json()["state"]["code"] == "done"
    seen = client.get(f"/api/v1/orders/{order['id']}", headers=regulator).get_json()
    assert seen["state"]["code"] == "followed_up"
    assert seen["follow_up"]["note"] == "现场复查已整改"
    assert event_types(db).count("follow_up_recorded") == 1
    again = client.post(url, json=body, headers=regulator)
    assert again.status_code == 409
    assert again.get_json()["type"] == "/problems/stale-state"
