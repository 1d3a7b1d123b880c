"""Third-party audits in the workspace: the auditor opens a run, records a finding and signs the
report; the commissioning regulator sees the signed run, its verification and downloads the PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def test_auditor_signs_and_regulator_downloads(browser, live):
    page = open_workspace(browser, live, "auditor", "#/audits")
    page.get_by_test_id("run-form").wait_for()
    page.get_by_test_id("run-title").fill("浏览器审核")
    page.get_by_test_id("run-scope").fill("罐区")
    page.get_by_test_id("run-submit").click()
    page.get_by_test_id("finding-form").wait_for()
    page.get_by_test_id("finding-title").fill("应急物资不足")
    page.get_by_test_id("finding-basis").fill("《生产安全事故应急条例》")
    page.get_by_test_id("finding-submit").click()
    page.get_by_test_id("run-findings").get_by_text("应急物资不足").wait_for()
    # The run's state once, the finding's hazard state by its label (issue #13).
    expect(page.get_by_test_id("run-state")).to_have_text("进行中")
    expect(page.get_by_text("进行中", exact=True)).to_have_count(1)
    expect(page.get_by_test_id("run-findings")).to_contain_text("已上报")
    expect(page.get_by_test_id("run-findings")).not_to_contain_text("reported")
    page.get_by_test_id("sign-conclusion").fill("基本符合，发现一般隐患1项。")
    page.get_by_test_id("sign-submit").click()
    page.get_by_test_id("signed-box").wait_for()
    expect(page.get_by_test_id("verification")).to_have_attribute("data-ok", "true")
    expect(page.get_by_test_id("run-state")).to_have_text("已签署")

    regulator = open_workspace(browser, live, "regulator", "#/audits")
    regulator.get_by_test_id("audit-runs").get_by_text("浏览器审核").click()
    regulator.get_by_test_id("signed-box").wait_for()
    expect(regulator.get_by_test_id("verification")).to_have_attribute("data-ok", "true")
    with regulator.expect_download() as info:
        regulator.get_by_test_id("report-download").click()
    path = info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
