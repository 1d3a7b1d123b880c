"""事故快报 from the PWA: filed offline by the safety officer (the categories kept on the device
from one online visit), queued in the outbox, synced once online, then on the regulator's incidents
screen, escalated by a follow-up with more casualties and found through the filters."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import api_login, first_page, login, screenshot, wait_for_worker
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def incident_titles(live):
    from sqlalchemy import select

    from anxun.incidents.models import Incident

    return live.query(lambda s: list(s.scalars(select(Incident.title))))


def incident_ids():
    from sqlalchemy import select

    from anxun.incidents.models import Incident

    return select(Incident.id, Incident.enterprise_id)


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
    # The categories came from the server on the online visit and are kept in IndexedDB.
    kept = page.evaluate(
        "import('/js/db.js').then((db) => db.getReferenceList('incident-categories'))"
    )
    assert len(kept) == 20 and kept[0] == {"code": "object_strike", "label": "物体打击"}
    expect(page.get_by_test_id("incident-category").locator("option")).to_have_count(21)
    page.get_by_test_id("incident-location").fill("二号仓库装卸区")
    page.get_by_test_id("incident-category").select_option("object_strike")
    page.get_by_test_id("incident-title").fill("离线快报：物料桶砸伤")
    page.get_by_test_id("incident-injuries").fill("1")
    page.get_by_test_id("incident-description").fill("装卸时物料桶滑落砸伤一名工人。")
    page.get_by_test_id("incident-submit").click()
    page.get_by_test_id("incident-waiting").wait_for()
    expect(page.get_by_test_id("incident-waiting")).to_contain_text("待同步")
    screenshot(page, "pwa-incident-queued")
    assert incident_titles(live) == []

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # The detail shows the server's answer (sent after its commit): the report is stored by then.
    page.get_by_test_id("incident-detail").wait_for(timeout=20000)
    assert incident_titles(live) == ["离线快报：物料桶砸伤"]
    expect(page.get_by_test_id("incident-detail")).to_have_attribute("data-late", "false")

    # A follow-up reports a second injured worker: the incident is escalated (补报).
    incident_id, enterprise_id = live.query(lambda s: tuple(s.execute(incident_ids()).one()))
    client = live.app.test_client()
    follow_up = client.post(
        f"/api/v1/incidents/{incident_id}/reports",
        json={
            "id": str(uuid.uuid4()),
            "deaths": 0,
            "injuries": 2,
            "missing": 0,
            "description": "又发现一名工人受伤。",
        },
        headers=api_login(client, "head-hc"),
    )
    assert follow_up.status_code == 201, follow_up.get_json()

    desk = open_workspace(browser, live, "regulator", "#/incidents")
    row = desk.locator("tr[data-testid=incident-row]", has_text="离线快报：物料桶砸伤")
    row.wait_for()
    expect(row).to_have_attribute("data-late", "false")
    expect(row).to_have_attribute("data-escalated", "true")
    expect(row.get_by_test_id("incident-enterprise-link")).to_have_attribute(
        "href", f"#/enterprise/{enterprise_id}"
    )
    desk.get_by_test_id("filter-escalated").check()
    row.wait_for()
    desk.get_by_test_id("filter-late").check()
    desk.get_by_text("没有符合筛选条件的事故报告").wait_for()
    expect(desk).to_have_url(re.compile(r"late=true"))
    desk.get_by_test_id("filter-late").uncheck()
    row.wait_for()
    row.get_by_test_id("incident-link").click()
    desk.get_by_test_id("incident-timeline").wait_for()
    expect(desk.get_by_test_id("incident-timeline")).to_contain_text("快报")
    expect(desk.get_by_test_id("incident-escalations")).to_contain_text("受伤 1→2 人")
    screenshot(desk, "workspace-incident-escalated")
