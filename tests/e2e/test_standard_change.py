"""A standard change end to end: a changed hazardous-chemicals checklist is loaded, the head sees
“标准变更：需重新判定” on the phone and re-grades the hazard with a reason, and the bureau's desk
shows the enterprise's remaining items."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.checklist_variants import changed_hazchem
from tests.e2e.helpers import api_login, first_page, login, screenshot
from tests.e2e.workspace_helpers import open_workspace
from tests.inspection_helpers import payload, upload_photo

pytestmark = pytest.mark.e2e

REASON = "AQ 3067—2026 将此项列为重大事故隐患，按重大隐患治理"


def _transition(client, headers, hazard_id, action, expected_state, **fields):
    body = {"action": action, "expected_state": expected_state, "client_id": str(uuid.uuid4())}
    response = client.post(
        f"/api/v1/hazards/{hazard_id}/transitions", json={**body, **fields}, headers=headers
    )
    assert response.status_code == 200, response.get_json()


def hazards_then_new_version(live) -> dict:
    """Through the API: an inspection fails the item the new version makes major (its hazard is
    then rectified as general) and the item it removes; then the new version is loaded."""
    from anxun.checklists.services import store_version
    from anxun.core import clock
    from anxun.core.auth import SYSTEM
    from anxun.core.uow import unit_of_work

    variant = changed_hazchem()
    client = live.app.test_client()
    officer = api_login(client, "officer-hc")
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).get_json()
    photo = upload_photo(client, officer)
    body = payload(detail, failures={variant.promoted: [photo], variant.removed: [photo]})
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 201, response.get_json()
    by_item = {h["item_id"]: h["id"] for h in response.get_json()["hazards"]}
    promoted = by_item[variant.promoted]
    deadline = (clock.today_local() + timedelta(days=7)).isoformat()
    _transition(
        client, officer, promoted, "confirm", "reported", level="general",
        category="thing", deadline=deadline,
    )  # fmt: skip
    rectifier = client.get("/api/v1/me", headers=api_login(client, "rectifier-hc")).get_json()
    _transition(
        client, officer, promoted, "plan", "confirmed", responsible_user_id=rectifier["id"],
        measures="按规范整改", funds=0, deadline=deadline, contingency="设置警戒区",
    )  # fmt: skip
    with live.app.app_context(), unit_of_work():
        store_version(SYSTEM, variant.text, "hazardous-chemicals.yaml")
    return {"promoted": promoted, "removed": by_item[variant.removed]}


def test_the_head_regrades_on_the_phone_and_the_bureau_sees_the_summary(live, browser):
    from anxun.hazards.models import Hazard

    ids = hazards_then_new_version(live)
    head = first_page(browser("head"))
    login(head, live.url, "head-hc")
    head.goto(live.url + f"/#/hazard/{ids['promoted']}")
    notice = head.locator("section.rejudge")
    expect(notice.locator("h2")).to_have_text("标准变更：需重新判定")
    expect(notice).to_contain_text("新版检查表将该项由一般隐患改判为重大隐患")
    form = head.locator('form.action-form[data-action="regrade"]')
    # Without a reason the form refuses.
    form.locator("#level-regrade").select_option("major")
    form.locator("button[type=submit]").click()
    expect(form.locator("p.error")).to_have_text("请填写重新定级理由（请引用新的判定依据）。")
    form.locator("#reason-regrade").fill(REASON)
    form.locator("button[type=submit]").click()
    expect(head.locator("section.queued-action")).to_have_attribute("data-state", "synced")
    screenshot(head, "standard-change-regraded")
    head.goto(live.url + "/#/hazards")
    head.goto(live.url + f"/#/hazard/{ids['promoted']}")
    expect(head.locator(".regrade-levels")).to_have_text("等级：一般隐患 → 重大隐患")
    expect(head.locator("section.rejudge")).to_have_count(0)
    level, state = live.query(
        lambda s: (lambda h: (h.level, h.state))(s.get(Hazard, uuid.UUID(ids["promoted"])))
    )
    assert (level, state) == ("major", "confirmed")

    desk = open_workspace(browser, live, "regulator", "#/standards")
    row = desk.get_by_test_id("rejudge-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("宁波澄江化工有限公司")
    # The removed item's hazard still waits; the re-graded one is done.
    expect(row).to_have_attribute("data-open", "1")
    expect(desk.get_by_test_id("standard-change")).to_contain_text("2026.9-test")
    screenshot(desk, "standard-change-desk")


ASSESS_NOTE = "已核对取值，按新分级表重新评估"
PLAN_NOTE = "已请平台管理员将排查任务改为新版检查项"


def band_table_change(live) -> dict:
    """Through the API: hc's head grades a risk event orange by the default LEC bands, then
    configures a stricter enterprise table that grades the same factors red."""
    from anxun.core.uow import unit_of_work
    from tests.factories_grading import make_risk_event, strict_lec_bands

    client = live.app.test_client()
    head = api_login(client, "head-hc")
    me = client.get("/api/v1/me", headers=head).get_json()
    hc = next(m["enterprise_id"] for m in me["memberships"] if m["enterprise_id"])
    with live.app.app_context(), unit_of_work():
        event_id = make_risk_event(hc, name="储罐区物料泄漏").id
    response = client.post(
        f"/api/v1/risk-events/{event_id}/assessments",
        json={"method": "LEC", "L": 6, "E": 2, "C": 15},
        headers=head,
    )
    assert response.status_code == 201, response.get_json()
    response = client.post(
        f"/api/v1/risk/band-tables?owner=enterprise:{hc}",
        json={"method": "LEC", "bands": strict_lec_bands(), "source": "测试"},
        headers=head,
    )
    assert response.status_code == 201, response.get_json()
    return {"event_id": event_id}


def test_the_head_acts_on_every_rejudge_item_on_the_phone(live, browser):
    from anxun.checklists.services import store_version
    from anxun.core.auth import SYSTEM
    from anxun.core.uow import unit_of_work
    from anxun.risk.models import RiskAssessment
    from anxun.standards.models import RejudgeItem
    from tests.e2e.helpers import create_place_and_plan

    listed = band_table_change(live)
    head = first_page(browser("head"))
    login(head, live.url, "head-hc")
    head.goto(live.url + "/#/hazards")
    # The notification leads to the 标准变更 screen.
    head.locator("a.notice", has_text="标准变更：").first.click()
    expect(head).to_have_url(live.url + "/#/standards")
    group = head.locator('section.rejudge-group[data-group="assessment"]')
    expect(group.locator("h2")).to_have_text("风险重新评估（1）")
    item = group.get_by_test_id("rejudge-item")
    expect(item.locator("h3")).to_have_text("储罐区物料泄漏")
    expect(item.locator(".rejudge-levels")).to_have_text(
        "原等级：较大风险（橙色） → 新标准：重大风险（红色）"
    )
    expect(item).not_to_contain_text("lec-")  # no table codes
    button = item.get_by_role("button", name="按新分级标准重新评估")
    button.click()
    expect(item.locator("p.error")).to_have_text("请填写处理情况。")
    item.locator("textarea").fill(ASSESS_NOTE)
    button.click()
    expect(group).to_have_count(0)
    expect(head.locator("p.empty")).to_have_text("目前没有需要重新判定的事项。")
    screenshot(head, "standard-change-reassessed")
    levels = live.query(
        lambda s: [
            a.level
            for a in s.query(RiskAssessment)
            .filter_by(risk_event_id=listed["event_id"])
            .order_by(RiskAssessment.id)
        ]
    )
    assert levels == ["orange", "red"]  # the old assessment is kept, the new one is red
    resolution = live.query(
        lambda s: s.query(RejudgeItem).filter_by(subject="assessment").one().resolution
    )
    assert resolution == ASSESS_NOTE

    # A checklist version that removes an item of the officer's plan: reached from the 隐患 tab.
    create_place_and_plan(live.app.test_client())
    with live.app.app_context(), unit_of_work():
        store_version(SYSTEM, changed_hazchem().text, "hazardous-chemicals.yaml")
    head.goto(live.url + "/#/hazards")
    entry = head.get_by_test_id("open-standards")
    expect(entry).to_contain_text("1 项")
    entry.click()
    group = head.locator('section.rejudge-group[data-group="plan"]')
    item = group.get_by_test_id("rejudge-item")
    expect(item.locator("h3")).to_have_text("罐区日常巡检")
    expect(item).to_contain_text("已从新版检查表删除")
    expect(item).not_to_contain_text("HC-01A")  # the item's wording, not its code
    expect(group).to_contain_text("手机端不能修改排查任务")
    item.locator("textarea").fill(PLAN_NOTE)
    # Offline the phone says the action needs the network and keeps the note.
    head.context.set_offline(True)
    item.get_by_role("button", name="记录处理情况").click()
    expect(item.locator("p.error")).to_have_text(
        "当前无法连接服务器，标准变更事项需联网办理，请联网后重试。"
    )
    head.context.set_offline(False)
    expect(item.locator("textarea")).to_have_value(PLAN_NOTE)
    item.get_by_role("button", name="记录处理情况").click()
    expect(group).to_have_count(0)
    expect(head.locator("p.empty")).to_have_text("目前没有需要重新判定的事项。")
    head.goto(live.url + "/#/hazards")
    head.goto(live.url + "/#/settings")
    expect(head.get_by_test_id("open-standards")).to_have_attribute("href", "#/standards")
    resolution = live.query(
        lambda s: s.query(RejudgeItem).filter_by(subject="plan").one().resolution
    )
    assert resolution == PLAN_NOTE

    # The bureau's desk words both changes.
    desk = open_workspace(browser, live, "regulator", "#/standards")
    changes = desk.get_by_test_id("standard-change")
    expect(changes).to_have_count(2)
    expect(changes.nth(1)).to_contain_text(
        "风险分级表“宁波澄江化工有限公司 LEC 风险分级表” 默认分级表 → 第1版（核对现行评估 1，等级改变 1）"
    )
    expect(desk.get_by_test_id("rejudge-row")).to_have_attribute("data-open", "0")
