"""Online patrol in the regulator workspace: the inspector records a finding and issues an order;
head-hc signs for it in the PWA; the workspace then shows the 签收 time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from anxun.accounts.models import User
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
    expect(order.get_by_test_id("order-self-officer")).to_contain_text("执法证号 33021120001")
    co_officer = order.get_by_test_id("order-co-officer")
    expect(co_officer.locator("option", has_text="钱思远")).to_have_count(1)
    # The issuing officer is not offered as their own partner.
    expect(co_officer.locator("option", has_text="赵振华")).to_have_count(0)
    co_officer.select_option(label="钱思远（执法证号 33021120002）")
    order.get_by_test_id("order-requirements").fill("整改完成后书面报告。")
    screenshot(page, "ws-patrol-order-form")
    order.get_by_test_id("order-issue").click()
    number = page.get_by_test_id("order-number")
    number.wait_for()
    expect(number).to_contain_text("镇应急责改〔")
    expect(page.get_by_test_id("order-ack")).to_have_text("未签收")

    phone = first_page(browser("pwa-head", service_workers="block"))
    login(phone, live.url, "head-hc")
    phone.goto(live.url + "/#/orders")
    row = phone.get_by_test_id("order-row").first
    row.wait_for()
    expect(row).to_contain_text("待签收")
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
    expect(cell).to_have_text(re.compile(r"^20"))
    screenshot(page, "ws-orders-acknowledged")


def test_agency_proposes_category_and_deadline_and_the_regulator_accepts_them(browser, live):
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
    expect(row.get_by_test_id("review-deadline")).to_have_value(proposed)
    row.get_by_test_id("review-accept").click()
    expect(row).to_contain_text("已采纳")
    cells = row.locator("td")
    expect(cells.nth(6)).to_have_text(proposed)  # 整改期限 of the hazard
    # The hazard's state by its label, never the code (issue #13).
    expect(cells.nth(7)).to_have_text("已确认")
    expect(row).not_to_contain_text("confirmed")
    screenshot(regulator, "ws-patrol-agency-finding-accepted")


def test_a_spot_check_assignment_opens_an_on_site_patrol_form(browser, live):
    page = open_workspace(browser, live, "regulator", "#/patrols?assignment=999999")
    form = page.get_by_test_id("patrol-new")
    form.wait_for()
    expect(form.get_by_test_id("patrol-mode")).to_have_value("on_site")
    expect(form.get_by_test_id("patrol-unannounced")).to_be_checked()
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


def test_a_patrol_started_from_an_enterprise_page_preselects_that_enterprise(browser, live):
    from anxun.orgs.models import Enterprise

    hc = live.query(
        lambda s: s.query(Enterprise.id).filter_by(name="宁波澄江化工有限公司").scalar()
    )
    page = open_workspace(browser, live, "regulator", f"#/enterprise/{hc}")
    page.get_by_role("link", name="网上巡查").click()
    form = page.get_by_test_id("patrol-new")
    expect(form.get_by_test_id("patrol-enterprise")).to_have_value(str(hc))
    expect(form.get_by_test_id("patrol-mode")).to_have_value("online")


def test_a_screen_still_loading_cannot_rewrite_the_route_the_user_moved_to(browser, live):
    # The home screen writes its filters into the URL when it loads; if the user has already
    # followed a link by then, the link's parameters (here a spot-check assignment) must stay.
    page = open_workspace(browser, live, "regulator", "#/patrols?assignment=7")
    hash_after = page.evaluate(
        """async () => {
            const { replaceQuery } = await import('/desk/js/routes.js');
            replaceQuery({ screen: 'overview' }, { sort: 'name', order: 'asc' });
            return location.hash;
        }"""
    )
    assert hash_after == "#/patrols?assignment=7"
    expect(page.get_by_test_id("patrol-new").get_by_test_id("patrol-mode")).to_have_value("on_site")


def test_the_bureau_admin_registers_an_officers_certificate_number(browser, live):
    officer = live.query(
        lambda s: s.query(User.id).filter_by(username="regulator").scalar()  # 赵振华
    )
    admin = open_workspace(browser, live, "regulator-admin", "#/orders")
    block = admin.get_by_test_id("officers")
    field = block.get_by_test_id(f"officer-certificate-{officer}")
    expect(field).to_have_value("33021120001")
    field.fill("33021120011")
    block.get_by_test_id(f"officer-save-{officer}").click()
    expect(admin.locator("#toast")).to_contain_text("已登记赵振华的执法证号")
    admin.reload()
    expect(
        admin.get_by_test_id("officers").get_by_test_id(f"officer-certificate-{officer}")
    ).to_have_value("33021120011")
    # An inspector sees the orders but keeps no register of certificates.
    inspector = open_workspace(browser, live, "regulator", "#/orders")
    expect(inspector.get_by_test_id("orders-table")).to_be_visible()
    expect(inspector.get_by_test_id("officers")).to_have_count(0)
