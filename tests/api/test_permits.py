"""Special-work permits through the API: a 一级 hot-work permit inside a confined space from draft
to closed (refused approval order, out-of-limit oxygen, missed re-analysis), conflicts, the PDF."""

import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.accounts import services as accounts
from anxun.core.audit import AuditEntry
from anxun.core.auth import SYSTEM, Grant
from anxun.hazards.models import Hazard
from anxun.outbox.models import OutboxEvent
from anxun.permits import services
from anxun.permits.models import Permit

NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in China


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)
    return frozen_clock


@pytest.fixture
def site(db, world):
    from tests.factories_hazards import make_media, make_place, user_id

    place = make_place(world["enterprise"]["hc"], "1号反应釜")
    photo = make_media(world["enterprise"]["hc"])
    ids = {
        "place_id": place.id,
        "qr": place.qr_token,
        "photo": photo,
        "guardian": user_id("rectifier-hc"),
    }
    db.session.commit()
    return ids


def draft(site, **overrides):
    return {
        "id": str(uuid.uuid4()),
        "kind": "confined_space",
        "place_id": site["place_id"],
        "content": "进入1号反应釜清理残渣",
        "valid_from": NOW.isoformat(),
        "valid_to": (NOW + timedelta(hours=8)).isoformat(),
        "guardian_user_id": site["guardian"],
        "workers": [{"name": "李强", "certificate_no": "T330211198001010011"}],
        "medium": "甲烷",
        "lel_percent": 5.0,
        "toxic_substances": ["h2s"],
        **overrides,
    }


def reading(gas, value, unit, at, substance="", **extra):
    return {
        "id": str(uuid.uuid4()),
        "gas": gas,
        "substance": substance,
        "value": value,
        "unit": unit,
        "analyst_name": "张分析",
        "instrument": "MX6 四合一检测仪 SN-2231",
        "sampling_point": "釜内上中下",
        "taken_at": at.isoformat(),
        **extra,
    }


def good_readings(at):
    return [
        reading("oxygen", 20.6, "%vol", at),
        reading("combustible", 0.1, "%vol", at),
        reading("toxic", 2.0, "mg/m3", at, substance="h2s"),
    ]


def post(client, headers, url, body, status=200):
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def confirm_all(client, headers, permit, site):
    for measure in permit["measures"]:
        permit = post(
            client,
            headers,
            f"/api/v1/permits/{permit['id']}/measures",
            {"code": measure["code"], "is_met": True, "qr_token": site["qr"]},
        )
    return permit


def test_a_first_grade_hot_work_inside_a_confined_space_runs_from_draft_to_closed(
    db, client, login_as, world, site, frozen
):
    officer, head, guardian = login_as("officer-hc"), login_as("head-hc"), login_as("rectifier-hc")
    space = post(client, officer, "/api/v1/permits", draft(site), 201)
    assert space["state"] == {"code": "draft", "label": "待确认措施"}
    assert space["rule"]["validity_hours"] == 24
    assert space["rule"]["validity_basis"]["citation"] == "GB 30871—2022 6.10"

    too_long = draft(
        site,
        kind="hot_work",
        grade="first",
        related_permit_id=space["id"],
        valid_to=(NOW + timedelta(hours=9)).isoformat(),
    )
    response = client.post("/api/v1/permits", json=too_long, headers=officer)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["valid_to"]
    assert "8 小时" in response.get_json()["errors"][0]["message"]

    hot_body = draft(
        site,
        kind="hot_work",
        grade="first",
        related_permit_id=space["id"],
        content="釜内接管焊接",
        work_method="电焊",
        workers=[{"name": "王焊", "certificate_no": "T330211198502020022"}],
    )
    hot = post(client, officer, "/api/v1/permits", hot_body, 201)
    assert hot["is_inside_confined_space"] is True
    assert [c["label"] for c in hot["required_checks"]] == ["氧气", "可燃气体", "硫化氢"]
    assert [s["code"] for s in hot["approval_steps"]] == ["unit", "safety"]
    assert hot["rule"]["reanalysis_minutes"] == 120
    replay = client.post("/api/v1/permits", json=hot_body, headers=officer)
    assert replay.status_code == 200 and replay.get_json()["number"] == hot["number"]

    wrong_place = client.post(
        f"/api/v1/permits/{hot['id']}/measures",
        json={"code": "HW-01", "is_met": True, "qr_token": "NOTHERE"},
        headers=officer,
    )
    assert wrong_place.status_code == 422
    assert wrong_place.get_json()["errors"][0]["field"] == "qr_token"

    space = confirm_all(client, officer, space, site)
    hot = confirm_all(client, officer, hot, site)
    assert space["state"]["code"] == hot["state"]["code"] == "analysis"

    taken = NOW - timedelta(minutes=5)
    for body in good_readings(taken):
        space = post(client, officer, f"/api/v1/permits/{space['id']}/readings", body, 201)
    assert space["state"]["code"] == "approval"

    # Oxygen out of limit: the permit stays in analysis and a hazard is raised in one action.
    low = reading("oxygen", 18.2, "%vol", taken, raise_hazard=True)
    hot = post(client, officer, f"/api/v1/permits/{hot['id']}/readings", low, 201)
    assert hot["readings"][0]["is_within_limit"] is False
    assert "19.5%～21.0%" in hot["readings"][0]["limit"]
    hazard = db.session.get(Hazard, uuid.UUID(hot["readings"][0]["hazard_id"]))
    assert hazard.title == f"作业票 {hot['number']} 气体分析不合格"
    for body in good_readings(taken)[1:]:
        hot = post(client, officer, f"/api/v1/permits/{hot['id']}/readings", body, 201)
    assert hot["state"]["code"] == "analysis"
    assert hot["analysis_problem"].startswith("气体分析不合格：氧含量 18.2%")
    hot = post(
        client,
        officer,
        f"/api/v1/permits/{hot['id']}/readings",
        reading("oxygen", 20.7, "%vol", taken),
        201,
    )
    assert hot["state"]["code"] == "approval"

    # Approvals in order: the safety department cannot sign before the unit (a rule: 422).
    refused = client.post(
        f"/api/v1/permits/{hot['id']}/approvals", json={"step": "safety"}, headers=officer
    )
    assert refused.status_code == 422
    assert refused.get_json()["type"] == "/problems/validation"
    assert refused.get_json()["errors"] == [
        {"field": "step", "message": "审批顺序不对：须先由作业所在单位负责人审批。"}
    ]
    # A level the caller's role does not hold is never theirs to sign (403), due or not.
    not_safety = client.post(
        f"/api/v1/permits/{hot['id']}/approvals", json={"step": "safety"}, headers=head
    )
    assert not_safety.status_code == 403
    assert not_safety.get_json()["detail"] == "您不能以“安全管理部门负责人”身份审批。"
    hot = post(client, head, f"/api/v1/permits/{hot['id']}/approvals", {"step": "unit"})
    assert hot["next_step"]["code"] == "safety"
    hot = post(client, officer, f"/api/v1/permits/{hot['id']}/approvals", {"step": "safety"})
    assert hot["state"]["code"] == "approved"
    space = post(client, head, f"/api/v1/permits/{space['id']}/approvals", {"step": "unit"})
    assert space["state"]["code"] == "approved"

    # The hot work waits for the entry; only the guardian starts.
    early = client.post(f"/api/v1/permits/{hot['id']}/start", json={}, headers=guardian)
    assert early.status_code == 422 and space["number"] in early.get_json()["detail"]
    assert [e["field"] for e in early.get_json()["errors"]] == ["related_permit_id"]
    # Staff may start a permit, but only the one this permit names as its guardian (422 `actor`).
    not_guardian = client.post(f"/api/v1/permits/{space['id']}/start", json={}, headers=officer)
    assert not_guardian.status_code == 422
    assert not_guardian.get_json()["errors"] == [
        {"field": "actor", "message": "只有本作业票的监护人可以确认到场并开始作业。"}
    ]
    space = post(client, guardian, f"/api/v1/permits/{space['id']}/start", {})
    hot = post(client, guardian, f"/api/v1/permits/{hot['id']}/start", {})
    assert hot["state"]["code"] == "active"
    events = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == "special_work_started")
    ).all()
    assert sorted(e.payload["label"] for e in events) == ["一级动火作业", "受限空间作业"]

    # Two hours and a minute later nobody has re-analysed: the sweep suspends the work.
    frozen(NOW + timedelta(hours=2, minutes=1))
    db.session.rollback()
    assert services.sweep_permits(NOW + timedelta(hours=2, minutes=1)) == {
        "expired": 0,
        "suspended": 2,
        "reminded": 0,
    }
    db.session.commit()
    hot = client.get(f"/api/v1/permits/{hot['id']}", headers=officer).get_json()
    assert hot["state"]["code"] == "suspended"
    assert hot["is_reanalysis_missed"] is True
    assert hot["transitions"][-1]["note"].startswith("未按时复检")
    live = client.get("/api/v1/permits/live", headers=login_as("regulator")).get_json()
    assert {r["number"] for r in live["missed_reanalysis"]} == {hot["number"], space["number"]}
    read_only = client.get(f"/api/v1/permits/{hot['id']}", headers=login_as("regulator"))
    assert read_only.status_code == 200
    assert client.post(
        f"/api/v1/permits/{hot['id']}/resume", json={}, headers=login_as("regulator")
    ).status_code in (403, 404)
    other_staff = client.post(f"/api/v1/permits/{hot['id']}/resume", json={}, headers=head)
    assert other_staff.status_code == 422
    assert [e["field"] for e in other_staff.get_json()["errors"]] == ["actor", "readings"]
    assert (
        client.get(f"/api/v1/permits/{hot['id']}", headers=login_as("head-con")).status_code == 404
    )

    later = NOW + timedelta(hours=2, minutes=1)
    for permit in (space, hot):
        for body in good_readings(later):
            post(client, officer, f"/api/v1/permits/{permit['id']}/readings", body, 201)
        post(client, guardian, f"/api/v1/permits/{permit['id']}/resume", {})
    live = client.get("/api/v1/permits/live", headers=login_as("regulator")).get_json()
    assert {(c["label"], c["count"]) for c in live["by_kind"]} == {
        ("一级动火作业", 1),
        ("受限空间作业", 1),
    }

    no_photo = client.post(
        f"/api/v1/permits/{hot['id']}/closure",
        json={"is_site_checked": True, "close_media_ids": []},
        headers=guardian,
    )
    assert no_photo.status_code == 422
    hot = post(
        client,
        guardian,
        f"/api/v1/permits/{hot['id']}/closure",
        {"is_site_checked": True, "close_media_ids": [site["photo"]]},
    )
    assert hot["state"]["code"] == "closed"
    assert [t["action"] for t in hot["transitions"]] == [
        "create",
        "complete_measures",
        "pass_analysis",
        "approve",
        "approve_final",
        "start",
        "suspend",
        "resume",
        "close",
    ]

    pdf = client.get(f"/api/v1/permits/{hot['id']}/permit.pdf", headers=login_as("regulator"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdftotext(pdf.data)
    for expected in (
        # The form of GB 30871—2022 附录A 表A.1 in its field order.
        "动火安全作业票",
        "作业票编号",
        hot["number"],
        "作业申请单位",
        "宁波澄江化工有限公司",
        "作业申请时间",
        "作业地点",
        "1号反应釜",
        "作业内容",
        "动火方式",
        "电焊",
        "动火级别",
        "特级□",
        "一级■",  # the grade ticked on the form
        "二级□",
        "作业时间",
        "动火人及证书编号",
        "釜内接管焊接",
        "王焊",
        "T330211198502020022",
        "监护人",
        "王志强",  # the guardian (rectifier-hc)
        "周立新",  # unit approver (head-hc)
        "陈海波",  # safety approver (officer-hc)
        "作业所在单位负责人",
        "安全管理部门负责人",
        space["number"],
        "分析时间",
        "分析点",
        "釜内上中下",
        "代表性气体",
        "分析数据",
        "18.2 %vol",
        "不合格",
        "分析人",
        "张分析",
        "MX6 四合一检测仪 SN-2231",
        "2026年12月7日 09:00",  # window start and start time, Beijing time
        "2026年12月7日 11:01",  # re-analysis and resumption
        "HW-01",
        "是否涉及",
        "确认人",
        "作业所在单位负责人意见",
        "签字：周立新",
        "监护人到场确认",
        "签字：王志强",
        "未按时复检",
        "完工验收",
        "已检查",
        "GB 30871—2022 5.1.1～5.1.5",
    ):
        assert "".join(expected.split()) in text, expected
    form_order = [
        "作业票编号",
        "作业申请单位",
        "作业地点",
        "作业内容",
        "动火方式",
        "动火级别",
        "作业时间",
        "动火人及证书编号",
        "监护人",
        "分析时间",
        "是否涉及",
        "作业所在单位负责人意见",
        "安全管理部门负责人意见",
        "完工验收",
    ]
    positions = [text.index(label) for label in form_order]
    assert positions == sorted(positions)


def pdftotext(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    # Table cells wrap anywhere: compare without whitespace.
    return "".join(result.stdout.decode().split())


def test_forbidden_concurrent_work_and_a_stop_period_are_refused_with_the_reason(
    db, client, login_as, world, site
):
    officer = login_as("officer-hc")
    hot = post(
        client, officer, "/api/v1/permits", draft(site, kind="hot_work", grade="second"), 201
    )
    response = client.post("/api/v1/permits", json=draft(site, kind="blinding"), headers=officer)
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == "place_id"
    assert "盲板抽堵作业 30 m 内不得有动火作业" in error["message"]
    assert hot["number"] in error["message"]
    assert db.session.scalar(select(Permit).where(Permit.kind == "blinding")) is None

    stop = {
        "kinds": ["height"],
        "start_at": NOW.isoformat(),
        "end_at": (NOW + timedelta(days=1)).isoformat(),
        "reason": "五级大风",
    }
    url = f"/api/v1/enterprises/{world['enterprise']['hc']}/work-stops"
    post(client, officer, url, stop, 201)
    height = draft(site, kind="height", grade="II", toxic_substances=[], lel_percent=None)
    response = client.post("/api/v1/permits", json=height, headers=officer)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "valid_from", "message": "该时段已停止特殊作业：五级大风。"}
    ]


def test_a_permit_past_its_window_cannot_continue_and_the_sweep_expires_it(
    db, client, login_as, world, site, frozen
):
    officer = login_as("officer-hc")
    body = draft(site, kind="hot_work", grade="second", toxic_substances=[])
    permit = post(client, officer, "/api/v1/permits", body, 201)
    frozen(NOW + timedelta(hours=9))
    response = client.post(
        f"/api/v1/permits/{permit['id']}/measures",
        json={"code": "HW-01", "is_met": True, "qr_token": site["qr"]},
        headers=officer,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["valid_to"]
    assert "超过有效期" in response.get_json()["detail"]
    db.session.rollback()
    assert services.sweep_permits(NOW + timedelta(hours=9))["expired"] == 1
    db.session.commit()
    # Once expired the state has no such step: a conflict with the state (409), not a rule.
    response = client.post(
        f"/api/v1/permits/{permit['id']}/measures",
        json={"code": "HW-01", "is_met": True, "qr_token": site["qr"]},
        headers=officer,
    )
    assert response.status_code == 409
    assert response.get_json()["detail"] == "作业票当前为“已过期”，安全措施不能再修改。"
    live = client.get("/api/v1/permits/live", headers=login_as("regulator")).get_json()
    assert [r["number"] for r in live["past_window"]] == [permit["number"]]


def test_the_register_lists_the_period_s_permits_as_pdf_and_excel(
    db, client, login_as, world, site
):
    import io

    from openpyxl import load_workbook

    officer = login_as("officer-hc")
    permit = post(client, officer, "/api/v1/permits", draft(site), 201)
    url = f"/api/v1/enterprises/{world['enterprise']['hc']}/permit-register"
    pdf = client.get(url + ".pdf?from=2026-12-01&to=2026-12-07", headers=login_as("regulator"))
    assert pdf.status_code == 200
    text = pdftotext(pdf.data)
    for expected in (
        "特殊作业台账",
        permit["number"],
        "受限空间作业",
        "1号反应釜",
        "王志强",
        "待确认措施",
    ):
        assert expected in text, expected
    sheet = load_workbook(io.BytesIO(client.get(url + ".xlsx", headers=officer).data)).active
    assert [c.value for c in sheet[2]][:3] == ["序号", "作业票编号", "作业类别及级别"]
    assert [c.value for c in sheet[3]][1:4] == [permit["number"], "受限空间作业", "1号反应釜"]
    empty = client.get(url + ".pdf?from=2026-11-01&to=2026-11-30", headers=officer)
    assert "该期间没有作业票" in pdftotext(empty.data)
    backwards = client.get(url + ".xlsx?from=2026-12-07&to=2026-12-01", headers=officer)
    assert backwards.status_code == 422
    assert backwards.get_json()["errors"][0]["field"] == "from"


def test_hot_work_at_night_is_raised_one_grade_and_the_permit_says_why(
    app, db, client, login_as, world, site
):
    """GB 30871—2022 5.1.1 (verify: pending) on the shipped calendar; NOW is Monday 09:00."""
    app.config["ANXUN_PERMIT_CALENDAR"] = ""
    officer = login_as("officer-hc")
    day = post(
        client, officer, "/api/v1/permits", draft(site, kind="hot_work", grade="second"), 201
    )
    assert day["grade"]["code"] == "second" and day["grade_note"] == ""

    evening = draft(
        site,
        kind="hot_work",
        grade="second",
        valid_from=(NOW + timedelta(hours=7)).isoformat(),
        valid_to=(NOW + timedelta(hours=10)).isoformat(),
    )
    raised = post(client, officer, "/api/v1/permits", evening, 201)
    assert raised["grade"]["code"] == "first" and raised["label"] == "一级动火作业"
    assert "夜间（18:00—08:00）" in raised["grade_note"]
    assert "二级动火升级为一级动火" in raised["grade_note"]
    assert [s["code"] for s in raised["approval_steps"]] == ["unit", "safety"]
    assert raised["transitions"][0]["note"] == raised["grade_note"]

    # Raised to 一级, the 二级 window of 72 h is too long: the message says why.
    long = draft(
        site,
        kind="hot_work",
        grade="second",
        valid_to=(NOW + timedelta(hours=30)).isoformat(),
    )
    response = client.post("/api/v1/permits", json=long, headers=officer)
    assert response.status_code == 422
    message = response.get_json()["errors"][0]["message"]
    assert "升级为一级动火" in message and "8 小时" in message


def _walk_space_to_active(client, officer, guardian, site) -> dict:
    space = post(client, officer, "/api/v1/permits", draft(site), 201)
    confirm_all(client, officer, space, site)
    for body in good_readings(NOW):
        post(client, officer, f"/api/v1/permits/{space['id']}/readings", body, 201)
    post(client, officer, f"/api/v1/permits/{space['id']}/approvals", {"step": "unit"})
    return post(client, guardian, f"/api/v1/permits/{space['id']}/start", {})


def test_staff_not_named_on_the_permit_are_refused_by_its_rules_and_other_roles_by_role(
    db, client, login_as, world, site
):
    """Closing is for the applicant, the guardian or a manager: an inspector of the enterprise
    holds a role that may close, so another permit's rule refuses them (422 `actor`, with every
    other failing field); a platform admin or a regulator never holds that role (403)."""
    from tests.conftest import DEMO_PASSWORD

    accounts.create_user(
        SYSTEM,
        {"username": "inspector-hc", "display_name": "孙巡检", "password": DEMO_PASSWORD},
        [Grant("inspector", enterprise_id=world["enterprise"]["hc"])],
    )
    db.session.commit()
    officer, guardian = login_as("officer-hc"), login_as("rectifier-hc")
    space = _walk_space_to_active(client, officer, guardian, site)
    url = f"/api/v1/permits/{space['id']}/closure"
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))

    body = {"is_site_checked": True, "close_media_ids": [site["photo"]]}
    unchecked = {**body, "is_site_checked": False}
    refused = client.post(url, json=unchecked, headers=login_as("inspector-hc"))
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"field": "actor", "message": "只有申请人、监护人或安全管理人员可以验收关闭作业票。"},
        {"field": "is_site_checked", "message": "请确认现场已检查（工完料净场地清）。"},
    ]
    for username in ("admin", "regulator"):
        assert client.post(url, json=body, headers=login_as(username)).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
    db.session.expire_all()
    assert db.session.get(Permit, uuid.UUID(space["id"])).state == "active"
    assert post(client, guardian, url, body)["state"]["code"] == "closed"


def test_the_guardian_and_applicant_are_reminded_once_before_each_re_analysis(
    db, client, login_as, world, site, frozen
):
    """GB 30871—2022 6.5: a confined space is re-analysed every 2 h; the sweep reminds the
    guardian and the applicant 15 minutes (ANXUN_PERMIT_REMINDER_MINUTES) before it is due."""
    officer, guardian = login_as("officer-hc"), login_as("rectifier-hc")
    space = _walk_space_to_active(client, officer, guardian, site)
    assert space["reanalysis_due_at"].startswith("2026-12-07T03:00")

    def sweep(at):
        frozen(at)
        db.session.rollback()
        counts = services.sweep_permits(at)
        db.session.commit()
        return counts["reminded"]

    assert sweep(NOW + timedelta(hours=1, minutes=44)) == 0  # 16 minutes before: too early
    assert sweep(NOW + timedelta(hours=1, minutes=50)) == 2
    assert sweep(NOW + timedelta(hours=1, minutes=55)) == 0  # once per due time

    notices = client.get("/api/v1/notifications", headers=guardian).get_json()["items"]
    assert [(n["kind"]["code"], n["permit_id"]) for n in notices] == [
        ("reanalysis_due", space["id"])
    ]
    assert notices[0]["title"] == f"受限空间作业 {space['number']} 须在 11:00 前复检"
    assert "还有 10 分钟" in notices[0]["body"] and "GB 30871—2022 6.5" in notices[0]["body"]
    applicant = client.get("/api/v1/notifications", headers=officer).get_json()["items"]
    assert [n["permit_id"] for n in applicant] == [space["id"]]

    # A new analysis at 10:58 moves the next due time to 12:58, reminded again at 12:43.
    for body in good_readings(NOW + timedelta(hours=1, minutes=58)):
        frozen(NOW + timedelta(hours=1, minutes=58))
        post(client, officer, f"/api/v1/permits/{space['id']}/readings", body, 201)
    assert sweep(NOW + timedelta(hours=2, minutes=30)) == 0
    assert sweep(NOW + timedelta(hours=3, minutes=45)) == 2
    notices = client.get("/api/v1/notifications", headers=guardian).get_json()["items"]
    assert notices[0]["title"].endswith("须在 12:58 前复检")


def test_a_measure_confirmed_offline_is_replayed_idempotently_on_its_client_uuid(
    db, client, login_as, world, site
):
    """The phone's outbox may send a confirmation twice (answer lost): the same UUID answers the
    permit again, even after the last measure moved it on; another use of the UUID is 409."""
    officer = login_as("officer-hc")
    body = draft(site, kind="hot_work", grade="second", toxic_substances=[])
    permit = post(client, officer, "/api/v1/permits", body, 201)
    url = f"/api/v1/permits/{permit['id']}/measures"
    last = None
    for measure in permit["measures"]:
        last = {
            "id": str(uuid.uuid4()),
            "code": measure["code"],
            "is_met": True,
            "qr_token": site["qr"],
        }
        permit = post(client, officer, url, last)
    assert permit["state"]["code"] == "analysis"
    replay = post(client, officer, url, last)
    assert replay["state"]["code"] == "analysis"
    assert [t["action"] for t in replay["transitions"]] == ["create", "complete_measures"]
    other = client.post(url, json={**last, "code": "HW-01"}, headers=officer)
    assert other.status_code == 409
    assert other.get_json()["errors"][0]["field"] == "id"
