"""查阅 in the PWA: the enterprise head sees who of which agency read its data, and what."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import api_login, first_page, login, screenshot

pytestmark = pytest.mark.e2e


def test_the_head_sees_an_auditors_read_with_name_agency_and_path(live, browser):
    from anxun.accounts.models import User
    from anxun.orgs.models import Agency, Enterprise

    client = live.app.test_client()
    hc = live.query(
        lambda s: s.query(Enterprise.id).filter(Enterprise.name == "宁波澄江化工有限公司").scalar()
    )
    # The enterprise record itself: a read that returns a row of hc (the demo has no hazards yet).
    path = f"/api/v1/enterprises/{hc}"
    assert client.get(path, headers=api_login(client, "auditor")).status_code == 200
    auditor_name = live.query(
        lambda s: s.query(User.display_name).filter(User.username == "auditor").scalar()
    )
    agency_name = live.query(lambda s: s.query(Agency.name).scalar())

    page = first_page(browser("head"))
    login(page, live.url, "head-hc")
    page.locator('nav.tabs a[data-tab="settings"]').click()
    page.get_by_test_id("open-reads").click()
    row = page.get_by_test_id("read-row")
    row.first.wait_for()
    expect(row).to_have_count(1)
    text = row.inner_text()
    assert auditor_name in text
    assert agency_name in text
    assert f"GET {path}" in text
    screenshot(page, "pwa-reads")
