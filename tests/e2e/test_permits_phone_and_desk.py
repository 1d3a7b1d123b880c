"""特殊作业票 in real Chromium: a 二级 hot-work permit from draft to closed on the phone, the
re-analysis reminder on the phone (frozen server clock), and the bureau's live view of a
confined-space entry under way, opened read-only."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, api_login, first_page, fixture_photo, login
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def _place(client, headers, name):
    me = client.get("/api/v1/me", headers=headers).get_json()
    enterprise_id = next(m["enterprise_id"] for m in me["memberships"] if m["enterprise_id"])
    response = client.post(
        f"/api/v1/enterprises/{enterprise_id}/places",
        json={"name": name, "kind": "equipment"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return me, response.get_json()


def test_a_hot_work_permit_goes_from_draft_to_closed_on_the_phone(live, browser, tmp_path):
    client = live.app.test_client()
    _, place = _place(client, api_login(client, "officer-hc"), "2号换热器")
    page = first_page(browser(service_workers="block"))
    login(page, live.url, "officer-hc")
    page.goto(live.url + "/#/permits/new")
    form = page.get_by_test_id("permit-form")
    form.wait_for()
    page.get_by_test_id("permit-kind").select_option("hot_work")
    page.get_by_test_id("permit-grade").select_option("second")
    expect(page.get_by_test_id("permit-place").locator("option")).to_have_count(2)
    page.get_by_test_id("permit-place").select_option(str(place["id"]))
    page.get_by_test_id("permit-content").fill("换热器出口法兰焊接")
    page.get_by_test_id("permit-method").fill("电焊")
    page.get_by_test_id("permit-workers").fill("王焊 T330211198502020022")
    page.get_by_test_id("permit-guardian").select_option(label="陈海波")
    page.get_by_test_id("permit-lel").fill("5")
    page.get_by_test_id("permit-submit").click()

    expect(page.get_by_test_id("permit-state")).to_have_text("待确认措施")
    page.get_by_test_id("permit-qr").fill(place["qr_token"])
    photo = fixture_photo(tmp_path / "flange.jpg")
    page.get_by_test_id("permit-measure-photo").set_input_files(str(photo))
    expect(page.get_by_test_id("permit-measures")).to_contain_text("已拍 1 张")
    for code in ("HW-01", "HW-02", "HW-03", "HW-04", "HW-05", "HW-06"):  # one by one
        measure = page.locator(f'[data-testid="permit-measure"][data-code="{code}"]')
        measure.get_by_test_id("permit-measure-ok").click()
        if code != "HW-06":
            expect(measure.get_by_test_id("permit-measure-status")).to_have_text("已落实")
        if code == "HW-01":
            expect(measure).to_contain_text("照片 1 张")
    expect(page.get_by_test_id("permit-state")).to_have_text("待气体分析")

    page.get_by_test_id("permit-value").fill("0.1")
    page.get_by_test_id("permit-instrument").fill("MX6 检测仪")
    page.get_by_test_id("permit-reading-submit").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("审批中")
    expect(page.get_by_test_id("permit-measures-done")).to_contain_text("6/6 项已落实")
    page.get_by_test_id("permit-approve").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("待开始")
    page.get_by_test_id("permit-start").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("作业中")

    page.get_by_test_id("permit-photo").set_input_files(str(photo))
    expect(page.get_by_test_id("permit-photos")).to_have_text("已拍 1 张")
    page.get_by_test_id("permit-site-checked").check()
    page.get_by_test_id("permit-close").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("已完工关闭")

    page.goto(live.url + "/#/permits")
    expect(page.get_by_test_id("permit-group")).to_contain_text("已完工关闭（1）")


def _walk_confined_space_to_active(client, place, me):
    officer = api_login(client, "officer-hc")
    now = datetime.now(UTC)
    body = {
        "id": str(uuid.uuid4()),
        "kind": "confined_space",
        "place_id": place["id"],
        "content": "进入储罐内部检查",
        "valid_from": (now - timedelta(minutes=1)).isoformat(),
        "valid_to": (now + timedelta(hours=8)).isoformat(),
        "guardian_user_id": me["id"],
        "workers": [{"name": "李强", "certificate_no": ""}],
        "lel_percent": 5.0,
        "toxic_substances": ["h2s"],
    }
    permit = client.post("/api/v1/permits", json=body, headers=officer).get_json()
    url = f"/api/v1/permits/{permit['id']}"
    for measure in permit["measures"]:
        answer = {"code": measure["code"], "is_met": True, "qr_token": place["qr_token"]}
        assert client.post(url + "/measures", json=answer, headers=officer).status_code == 200
    for gas, value, unit, substance in (
        ("oxygen", 20.8, "%vol", ""),
        ("combustible", 0.1, "%vol", ""),
        ("toxic", 1.0, "mg/m3", "h2s"),
    ):
        reading = {
            "id": str(uuid.uuid4()),
            "gas": gas,
            "substance": substance,
            "value": value,
            "unit": unit,
            "analyst_name": "张分析",
            "instrument": "MX6",
            "taken_at": datetime.now(UTC).isoformat(),
        }
        assert client.post(url + "/readings", json=reading, headers=officer).status_code == 201
    assert (
        client.post(url + "/approvals", json={"step": "unit"}, headers=officer).status_code == 200
    )
    response = client.post(url + "/start", json={}, headers=officer)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_staff_the_permit_does_not_name_are_told_why_they_cannot_close_it(live, browser, tmp_path):
    """An inspector of the enterprise may close permits they applied for or guard; on another's
    the phone shows the server's reason (422 on `actor`, a field no form has), and nothing moves."""
    client = live.app.test_client()
    me, place = _place(client, api_login(client, "officer-hc"), "5号储罐")
    permit = _walk_confined_space_to_active(client, place, me)

    def add_inspector(session):
        from anxun.accounts import services as accounts
        from anxun.core.auth import Grant
        from tests.factories_hazards import actor

        accounts.create_user(
            actor("admin"),
            {"username": "inspector-hc", "display_name": "孙巡检", "password": PASSWORD},
            [Grant("inspector", enterprise_id=permit["enterprise_id"])],
        )
        session.commit()

    live.query(add_inspector)
    page = first_page(browser("pwa-inspector", service_workers="block"))
    login(page, live.url, "inspector-hc")
    page.goto(live.url + f"/#/permits/{permit['id']}")
    expect(page.get_by_test_id("permit-state")).to_have_text("作业中")
    page.get_by_test_id("permit-photo").set_input_files(str(fixture_photo(tmp_path / "tank.jpg")))
    expect(page.get_by_test_id("permit-photos")).to_have_text("已拍 1 张")
    page.get_by_test_id("permit-site-checked").check()
    page.get_by_test_id("permit-close").click()
    # Said once: the detail is the reason, not repeated as a field message.
    refused = page.get_by_test_id("permit-error").filter(has_text="验收关闭")
    expect(refused).to_have_text("只有申请人、监护人或安全管理人员可以验收关闭作业票。")
    page.reload()
    expect(page.get_by_test_id("permit-state")).to_have_text("作业中")


def test_the_bureau_sees_a_confined_space_entry_live_and_opens_it_read_only(live, browser):
    client = live.app.test_client()
    me, place = _place(client, api_login(client, "officer-hc"), "3号储罐")
    permit = _walk_confined_space_to_active(client, place, me)
    page = open_workspace(browser, live, "regulator", "#/special-work")
    count = page.get_by_test_id("special-work-count")
    expect(count).to_have_count(1)
    expect(count).to_contain_text("受限空间作业")
    expect(count).to_contain_text("1")
    row = page.locator(f'[data-testid="under-way-row"][data-number="{permit["number"]}"]')
    expect(row).to_contain_text("宁波澄江化工有限公司")
    row.get_by_test_id("permit-link").click()
    expect(page.get_by_test_id("permit-facts")).to_contain_text("进入储罐内部检查")
    expect(page.get_by_test_id("permit-facts")).to_contain_text("下次复检")
    expect(page.get_by_test_id("permit-readings")).to_contain_text("张分析")
    expect(page.get_by_test_id("permit-history")).to_contain_text("监护人到场，作业开始")
    expect(page.locator("button", has_text="审批")).to_have_count(0)
    # The enterprise's own desk lists it first among today's permits, and opens the same view.
    desk = open_workspace(browser, live, "head-hc", "#/permits")
    first = desk.get_by_test_id("permit-row").first
    expect(first).to_have_attribute("data-state", "active")
    first.get_by_test_id("permit-link").click()
    expect(desk.get_by_test_id("permit-facts")).to_contain_text(permit["number"])


def test_the_guardian_is_reminded_on_the_phone_before_the_re_analysis_is_due(
    live, browser, frozen_clock
):
    client = live.app.test_client()
    me, place = _place(client, api_login(client, "officer-hc"), "4号储罐")
    permit = _walk_confined_space_to_active(client, place, me)
    page = first_page(browser(service_workers="block"))
    login(page, live.url, "officer-hc")

    # 1 h 50 min later the cron sweep runs: the 2 h re-analysis (GB 30871—2022 6.5) is 10 min off.
    frozen_clock(datetime.now(UTC) + timedelta(hours=1, minutes=50))
    swept = live.app.test_cli_runner().invoke(args=["anxun", "permits", "sweep"])
    assert "reminded 1." in swept.output, swept.output  # guardian and applicant are one person

    page.goto(live.url + "/#/permits")
    notices = page.get_by_test_id("permit-notices")
    expect(notices).to_contain_text(f"受限空间作业 {permit['number']} 须在")
    expect(notices).to_contain_text(re.compile(r"距复检到期还有 \d+ 分钟"))
    expect(page.get_by_test_id("permit-due")).to_contain_text("前复检")
    notices.locator("a.notice").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("作业中")
    expect(page.get_by_test_id("permit-due")).to_contain_text("前复检")


def test_measures_and_a_reading_made_offline_at_the_place_are_sent_once_when_back_online(
    live, browser
):
    client = live.app.test_client()
    officer = api_login(client, "officer-hc")
    me, place = _place(client, officer, "5号储罐")
    now = datetime.now(UTC)
    body = {
        "id": str(uuid.uuid4()),
        "kind": "hot_work",
        "grade": "second",
        "place_id": place["id"],
        "content": "罐顶护栏补焊",
        "valid_from": (now - timedelta(minutes=1)).isoformat(),
        "valid_to": (now + timedelta(hours=4)).isoformat(),
        "guardian_user_id": me["id"],
        "workers": [{"name": "王焊", "certificate_no": "T330211198502020022"}],
        "lel_percent": 5.0,
    }
    permit = client.post("/api/v1/permits", json=body, headers=officer).get_json()
    context = browser(service_workers="block")
    page = first_page(context)
    login(page, live.url, "officer-hc")
    page.goto(live.url + f"/#/permits/{permit['id']}")
    expect(page.get_by_test_id("permit-state")).to_have_text("待确认措施")
    page.goto(live.url + "/#/permits")
    expect(page.get_by_test_id("permit-row")).to_have_count(1)

    # At the place without a connection: the list and the permit as last seen online.
    context.set_offline(True)
    page.goto(live.url + "/#/permits/new")
    page.get_by_test_id("permit-form").wait_for()
    page.goto(live.url + "/#/permits")
    expect(page.get_by_test_id("permit-offline")).to_contain_text("离线数据")
    page.get_by_test_id("permit-row").click()
    expect(page.get_by_test_id("permit-offline")).to_contain_text("离线数据")
    expect(page.get_by_test_id("permit-state")).to_have_text("待确认措施")
    page.get_by_test_id("permit-qr").fill(place["qr_token"])
    for code in ("HW-01", "HW-02", "HW-03", "HW-04", "HW-05", "HW-06"):
        measure = page.locator(f'[data-testid="permit-measure"][data-code="{code}"]')
        measure.get_by_test_id("permit-measure-ok").click()
        expect(measure.get_by_test_id("permit-measure-status")).to_have_text("已落实（待同步）")
    expect(page.get_by_test_id("permit-state")).to_have_text("待确认措施")
    page.get_by_test_id("permit-value").fill("0.1")
    page.get_by_test_id("permit-instrument").fill("MX6 检测仪")
    page.get_by_test_id("permit-reading-submit").click()
    expect(page.get_by_test_id("permit-reading-pending")).to_contain_text("待同步")

    context.set_offline(False)
    expect(page.get_by_test_id("permit-state")).to_have_text("审批中")
    expect(page.get_by_test_id("permit-reading")).to_have_count(1)
    expect(page.get_by_test_id("permit-reading-pending")).to_have_count(0)
    sent = client.get(f"/api/v1/permits/{permit['id']}", headers=officer).get_json()
    assert [m["is_met"] for m in sent["measures"]] == [True] * 6
    assert len(sent["readings"]) == 1
    assert [t["action"] for t in sent["transitions"]] == [
        "create",
        "complete_measures",
        "pass_analysis",
    ]


def _reading(page, gas: str, value: str, count: int) -> None:
    """Enter one reading on the phone and wait for the permit to come back with it."""
    page.get_by_test_id("permit-gas").select_option(label=gas)
    page.get_by_test_id("permit-value").fill(value)
    page.get_by_test_id("permit-instrument").fill("MX6 四合一检测仪")
    page.get_by_test_id("permit-reading-submit").click()
    expect(page.get_by_test_id("permit-reading")).to_have_count(count)


def test_a_first_grade_hot_work_inside_a_confined_space_from_draft_to_closed_on_the_phone(
    live, browser, frozen_clock, tmp_path
):
    """The issue's journey in the browser: refused approval order, an out-of-limit oxygen reading
    that blocks the permit, a missed re-analysis that suspends it (frozen server clock, the
    phone's clock moved with it), the bureau's live view, resumption and closing."""
    client = live.app.test_client()
    me, place = _place(client, api_login(client, "officer-hc"), "6号反应釜")
    space = _walk_confined_space_to_active(client, place, me)
    context = browser("pwa-officer", service_workers="block")
    page = first_page(context)
    page.clock.install()
    login(page, live.url, "officer-hc")
    page.goto(live.url + "/#/permits/new")
    page.get_by_test_id("permit-form").wait_for()
    page.get_by_test_id("permit-kind").select_option("hot_work")
    page.get_by_test_id("permit-grade").select_option("first")
    expect(page.get_by_test_id("permit-place").locator("option")).to_have_count(2)
    page.get_by_test_id("permit-place").select_option(str(place["id"]))
    page.get_by_test_id("permit-content").fill("釜内接管焊接")
    page.get_by_test_id("permit-method").fill("电焊")
    page.get_by_test_id("permit-workers").fill("王焊 T330211198502020022")
    page.get_by_test_id("permit-guardian").select_option(label="陈海波")
    page.get_by_test_id("permit-related").select_option(label=f"受限空间作业 {space['number']}")
    page.get_by_test_id("permit-lel").fill("5")
    page.get_by_test_id("permit-toxic-h2s").check()
    page.get_by_test_id("permit-submit").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("待确认措施")
    permit_id = page.url.rsplit("/", 1)[1]

    page.get_by_test_id("permit-qr").fill(place["qr_token"])
    for code in ("HW-01", "HW-02", "HW-03", "HW-04", "HW-05", "HW-06"):
        measure = page.locator(f'[data-testid="permit-measure"][data-code="{code}"]')
        measure.get_by_test_id("permit-measure-ok").click()
        if code != "HW-06":
            expect(measure.get_by_test_id("permit-measure-status")).to_have_text("已落实")
    expect(page.get_by_test_id("permit-state")).to_have_text("待气体分析")

    # Oxygen out of limit (GB 30871—2022 6.4 a): the permit stays blocked with the reason.
    _reading(page, "氧气", "18.2", 1)
    expect(page.get_by_test_id("permit-reading")).to_contain_text("氧含量 18.2% 超出")
    expect(page.get_by_test_id("permit-facts")).to_contain_text("气体分析不合格")
    expect(page.get_by_test_id("permit-state")).to_have_text("待气体分析")
    _reading(page, "氧气", "20.6", 2)
    _reading(page, "可燃气体", "0.1", 3)
    _reading(page, "硫化氢", "2", 4)
    expect(page.get_by_test_id("permit-state")).to_have_text("审批中")

    # The safety department signs first: refused, naming who must sign before.
    page.locator('[data-testid="permit-approve"][data-step="safety"]').click()
    refused = page.get_by_test_id("permit-error").filter(has_text="审批顺序不对")
    expect(refused).to_contain_text("须先由作业所在单位负责人审批")
    head = first_page(browser("pwa-head", service_workers="block"))
    login(head, live.url, "head-hc")
    head.goto(live.url + f"/#/permits/{permit_id}")
    head.locator('[data-testid="permit-approve"][data-step="unit"]').click()
    expect(head.locator('li[data-step="unit"]')).to_contain_text("周立新")
    page.goto(live.url + "/#/permits")
    page.goto(live.url + f"/#/permits/{permit_id}")
    expect(page.locator('li[data-step="unit"]')).to_contain_text("周立新")
    page.locator('[data-testid="permit-approve"][data-step="safety"]').click()
    expect(page.get_by_test_id("permit-state")).to_have_text("待开始")
    page.get_by_test_id("permit-start").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("作业中")

    # Two hours and a minute later nobody has re-analysed: the cron sweep suspends the work.
    later = datetime.now(UTC) + timedelta(hours=2, minutes=1)
    frozen_clock(later)
    page.clock.pause_at(later - timedelta(seconds=30))
    swept = live.app.test_cli_runner().invoke(args=["anxun", "permits", "sweep"])
    assert "suspended 2," in swept.output, swept.output
    page.goto(live.url + "/#/permits")
    row = page.get_by_test_id("permit-row").filter(has_text="一级动火作业")
    expect(row).to_contain_text("未按时复检")
    desk = open_workspace(browser, live, "regulator", "#/special-work")
    missed = desk.locator('[data-testid="missed-reanalysis-row"]').filter(has_text="一级动火作业")
    expect(missed).to_contain_text("宁波澄江化工有限公司")
    expect(
        desk.locator('[data-testid="special-work-count"][data-kind="hot_work"]')
    ).to_contain_text("一级动火作业")

    row.click()
    expect(page.get_by_test_id("permit-state")).to_have_text("已暂停")
    _reading(page, "氧气", "20.7", 5)
    _reading(page, "可燃气体", "0.1", 6)
    _reading(page, "硫化氢", "1.5", 7)
    page.get_by_test_id("permit-resume").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("作业中")
    photo = fixture_photo(tmp_path / "done.jpg")
    page.get_by_test_id("permit-photo").set_input_files(str(photo))
    expect(page.get_by_test_id("permit-photos")).to_have_text("已拍 1 张")
    page.get_by_test_id("permit-site-checked").check()
    page.get_by_test_id("permit-close").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("已完工关闭")
