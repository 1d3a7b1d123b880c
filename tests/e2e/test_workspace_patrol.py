"""Online patrol in the regulator workspace: the inspector records a finding and issues an order;
head-hc signs for it in the PWA; the workspace then shows the 签收 time."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import first_page, login, screenshot
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def test_regulator_issues_an_order_and_sees_the_heads_acknowledgment(live, browser):
    page = open_workspace(browser, live, "regulator", "#/patrols")
    form = page.get_by_test_id("patrol-new")
    form.wait_for()
    form.get_by_test_id("patrol-enterprise").select_option(label="宁波澄江化工有限公司")
    form.get_by_test_id("patrol-open").click()
    page.get_by_test_id("finding-form").wait_for()

    finding = page.get_by_test_id("finding-form")
    finding.get_by_test_id("finding-title").fill("储罐区可燃气体报警器未检定")
    finding.get_by_test_id("basis-document").fill("《危险化学品企业安全风险隐患排查治理导则》")
    finding.get_by_test_id("finding-save").click()
    page.get_by_test_id("findings-table").locator("td", has_text="已采纳").wait_for()

    order = page.get_by_test_id("order-form")
    order.get_by_test_id("order-requirements").fill("整改完成后书面报告。")
    screenshot(page, "ws-patrol-order-form")
    order.get_by_test_id("order-issue").click()
    number = page.get_by_test_id("order-number")
    number.wait_for()
    assert "镇应急责改〔" in number.inner_text()
    assert page.get_by_test_id("order-ack").inner_text() == "未签收"

    phone = first_page(browser("pwa-head", service_workers="block"))
    login(phone, live.url, "head-hc")
    phone.goto(live.url + "/#/orders")
    row = phone.get_by_test_id("order-row").first
    row.wait_for()
    assert "待签收" in row.inner_text()
    row.click()
    phone.get_by_test_id("ack-note").fill("已收到，立即整改")
    phone.get_by_test_id("ack-button").click()
    phone.get_by_test_id("ack-time").wait_for()
    screenshot(phone, "pwa-order-acknowledged")

    page.evaluate("() => { location.hash = '#/orders'; }")
    cell = page.get_by_test_id("orders-table").get_by_test_id("order-ack-time").first
    cell.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=order-ack-time]').textContent !== '—'"
    )
    assert cell.inner_text().startswith("20")
    screenshot(page, "ws-orders-acknowledged")


def test_agency_proposes_category_and_deadline_and_the_regulator_accepts_them(browser, live):
    from playwright.sync_api import expect

    auditor = open_workspace(browser, live, "auditor", "#/patrols")
    form = auditor.get_by_test_id("patrol-new")
    form.wait_for()
    form.get_by_test_id("patrol-enterprise").select_option(label="宁波澄江化工有限公司")
    form.get_by_test_id("patrol-open").click()
    finding = auditor.get_by_test_id("finding-form")
    finding.wait_for()
    finding.get_by_test_id("finding-title").fill("静电接地线断开")
    finding.get_by_test_id("finding-category").select_option("thing")
    proposed = finding.get_by_test_id("finding-deadline").input_value()
    finding.get_by_test_id("basis-document").fill("《危险化学品企业安全风险隐患排查治理导则》")
    finding.get_by_test_id("finding-save").click()
    findings = auditor.get_by_test_id("findings-table")
    expect(findings).to_contain_text("待审核")
    expect(findings).to_contain_text("物的不安全状态")
    patrol_route = "#" + auditor.url.split("#", 1)[1]

    regulator = open_workspace(browser, live, "regulator", patrol_route)
    row = regulator.get_by_test_id("findings-table").locator("tbody tr").first
    expect(row).to_contain_text("物的不安全状态")
    expect(row.get_by_test_id("finding-proposed-deadline")).to_have_text(proposed)
    # The review form starts from the proposal; accepting keeps it.
    assert row.get_by_test_id("review-deadline").input_value() == proposed
    row.get_by_test_id("review-accept").click()
    expect(row).to_contain_text("已采纳")
    cells = row.locator("td")
    expect(cells.nth(6)).to_have_text(proposed)  # 整改期限 of the hazard
    screenshot(regulator, "ws-patrol-agency-finding-accepted")


def test_a_spot_check_assignment_opens_an_on_site_patrol_form(browser, live):
    from playwright.sync_api import expect

    page = open_workspace(browser, live, "regulator", "#/patrols?assignment=999999")
    form = page.get_by_test_id("patrol-new")
    form.wait_for()
    assert form.get_by_test_id("patrol-mode").input_value() == "on_site"
    assert form.get_by_test_id("patrol-unannounced").is_checked()
    expect(form).to_contain_text("关联双随机抽查任务 #999999")
    form.get_by_test_id("patrol-open").click()
    expect(form.get_by_test_id("problem")).to_contain_text("该抽查任务不属于该企业")
    # Unlinked, it is a plain unannounced on-site patrol, listed as such.
    form.get_by_test_id("patrol-assignment").uncheck()
    form.get_by_test_id("patrol-open").click()
    page.get_by_test_id("finding-form").wait_for()
    page.evaluate("() => { location.hash = '#/patrols?mode=on_site'; }")
    cell = page.get_by_test_id("patrols-table").get_by_test_id("patrol-mode-cell").first
    expect(cell).to_contain_text("现场检查")
    expect(cell).to_contain_text("四不两直")
