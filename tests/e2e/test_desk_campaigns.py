"""专项整治 on the bureau desk: the admin previews the targets, saves a draft, launches it and
sees the figures (0 of 1 done, the enterprise listed as a laggard), then draws the 督导 sample."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def test_bureau_launches_a_campaign_and_views_its_figures(live, browser):
    page = open_workspace(browser, live, "regulator-admin", "#/campaigns")
    expect(page.get_by_test_id("campaigns-table")).to_be_visible()
    page.get_by_test_id("campaign-title").fill("粉尘涉爆专项整治")
    page.get_by_test_id("campaign-preview-button").click()
    expect(page.get_by_test_id("campaign-preview")).to_have_text("符合条件的企业：1 家")
    page.get_by_test_id("campaign-save").click()
    launch = page.get_by_test_id("campaign-launch")
    expect(launch).to_be_visible()
    launch.click()
    expect(page.get_by_test_id("campaign-completion")).to_contain_text("0/1")
    expect(page.get_by_test_id("campaign-laggards")).to_contain_text("宁波恒锐金属制品有限公司")
    page.get_by_role("button", name="抽取检查对象").click()
    expect(page.get_by_test_id("campaign-samples")).to_contain_text("未检查")
    page.get_by_role("link", name="专项整治").first.click()
    expect(page.get_by_test_id("campaign-link")).to_have_text("粉尘涉爆专项整治")
