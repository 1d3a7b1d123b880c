"""整改指令书 in the PWA: unacknowledged orders first with a badge; 签收 is online only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, first_page, login, screenshot

pytestmark = pytest.mark.e2e


def seed_orders(live) -> dict:
    """Two orders to hc, the older one already acknowledged by the head."""
    from anxun.core import clock
    from anxun.extensions import db
    from anxun.oversight.patrols import services
    from tests.factories_hazards import actor

    with live.app.app_context():
        made = []
        for text in ("完善动火作业管理制度", "补充可燃气体报警器检定"):
            made.append(
                services.issue_order(
                    actor("regulator"),
                    {
                        "enterprise_id": actor("head-hc").enterprise_ids.pop(),
                        "co_officer_user_id": actor("regulator-admin").user_id,
                        "deadline": clock.today_local() + timedelta(days=10),
                        "basis": [
                            {"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}
                        ],
                        "items": [{"text": text}],
                    },
                )
            )
        services.acknowledge_order(actor("head-hc"), made[0], {"expected_state": "issued"})
        db.session.commit()
        numbers = {"signed": made[0].number, "waiting": made[1].number, "id": made[1].id}
        db.session.remove()
    return numbers


def test_head_sees_waiting_orders_first_and_cannot_sign_offline(live, browser):
    numbers = seed_orders(live)
    context = browser("pwa-orders", service_workers="block")
    page = first_page(context)
    login(page, live.url, "head-hc")
    page.goto(live.url + "/#/orders")
    rows = page.get_by_test_id("order-row")
    rows.first.wait_for()
    expect(page.get_by_test_id("orders-waiting")).to_have_text("1 份待签收")
    expect(rows.nth(0)).to_contain_text(numbers["waiting"])
    expect(rows.nth(0)).to_contain_text("待签收")
    expect(rows.nth(1)).to_contain_text("已签收")
    screenshot(page, "pwa-orders-list")

    rows.nth(0).click()
    button = page.get_by_test_id("ack-button")
    button.wait_for()
    expect(page.get_by_test_id("order-pdf")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("order-pdf").click()
    assert download.value.suggested_filename == f"{numbers['waiting']}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")
    context.set_offline(True)
    page.wait_for_function("() => document.querySelector('[data-testid=ack-button]').disabled")
    expect(page.get_by_test_id("ack-message")).to_contain_text("签收需要联网")
    context.set_offline(False)
    page.wait_for_function("() => !document.querySelector('[data-testid=ack-button]').disabled")
    button.click()
    page.get_by_test_id("ack-time").wait_for()


def test_only_the_head_gets_the_sign_button(live, browser):
    numbers = seed_orders(live)
    page = first_page(browser("pwa-officer", service_workers="block"))
    login(page, live.url, "officer-hc")
    page.goto(live.url + f"/#/orders/{numbers['id']}")
    page.get_by_text("请企业主要负责人签收该指令书。").wait_for()
    expect(page.get_by_test_id("ack-button")).to_have_count(0)


def test_a_rectifier_has_no_order_or_incident_tabs(live, browser):
    page = first_page(browser("pwa-rectifier", service_workers="block"))
    login(page, live.url, "rectifier-hc")
    page.locator('nav.tabs a[data-tab="tasks"]').wait_for()
    visible = page.locator("nav.tabs a").evaluate_all(
        "(links) => links.filter((a) => a.offsetParent !== null).map((a) => a.dataset.tab)"
    )
    # 作业票 stays: a rectifier may be a permit's guardian.
    assert visible == ["tasks", "scan", "hazards", "records", "permits", "settings"]
    page.locator('nav.tabs a[data-tab="settings"]').click()
    page.get_by_role("heading", name="设置").wait_for()
    expect(page.get_by_test_id("open-reads")).to_have_count(0)


def test_a_regulator_on_the_phone_is_sent_to_the_workspace_that_exists(live, browser):
    page = first_page(browser("pwa-regulator", service_workers="block"))
    page.goto(live.url + "/")
    page.fill("#username", "regulator")
    page.fill("#password", PASSWORD)
    page.click("form.login button[type=submit]")
    expect(page.get_by_role("heading", name="无法使用移动端")).to_be_visible()
    page.get_by_role("link", name="打开监管工作台").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()
    assert page.url.endswith("/desk/")
