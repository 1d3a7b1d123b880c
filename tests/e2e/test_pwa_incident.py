"""事故快报 from the PWA: filed offline by the safety officer, queued in the outbox, synced once
online, then on the regulator's incidents screen."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import first_page, login, screenshot, wait_for_worker, wait_until
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def incident_titles(live):
    from sqlalchemy import select

    from anxun.incidents.models import Incident

    return live.query(lambda s: list(s.scalars(select(Incident.title))))


def test_an_offline_quick_report_syncs_and_reaches_the_regulator(live, browser):
    context = browser()
    page = first_page(context)
    login(page, live.url, "officer-hc")
    wait_for_worker(page)
    page.goto(live.url + "/#/incident")
    page.get_by_test_id("incident-quick-form").wait_for()

    context.set_offline(True)
    page.reload()
    page.locator("#offline").wait_for()
    form = page.get_by_test_id("incident-quick-form")
    form.wait_for()
    page.get_by_test_id("incident-location").fill("二号仓库装卸区")
    page.get_by_test_id("incident-category").select_option("object_strike")
    page.get_by_test_id("incident-title").fill("离线快报：物料桶砸伤")
    page.get_by_test_id("incident-injuries").fill("1")
    page.get_by_test_id("incident-description").fill("装卸时物料桶滑落砸伤一名工人。")
    page.get_by_test_id("incident-submit").click()
    page.get_by_test_id("incident-waiting").wait_for()
    assert "待同步" in page.get_by_test_id("incident-waiting").inner_text()
    screenshot(page, "pwa-incident-queued")
    assert incident_titles(live) == []

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(lambda: incident_titles(live) == ["离线快报：物料桶砸伤"])
    page.get_by_test_id("incident-detail").wait_for(timeout=20000)
    assert page.get_by_test_id("incident-detail").get_attribute("data-late") == "false"

    desk = open_workspace(browser, live, "regulator", "#/incidents")
    row = desk.locator("tr[data-testid=incident-row]", has_text="离线快报：物料桶砸伤")
    row.wait_for()
    assert row.get_attribute("data-late") == "false"
    row.get_by_test_id("incident-link").click()
    desk.get_by_test_id("incident-timeline").wait_for()
    assert "快报" in desk.get_by_test_id("incident-timeline").inner_text()
