"""In-app browsers and private modes: no service worker, the app still works online. The place is
found by typing its label code, as when a camera cannot scan."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    fill_with_one_failure,
    first_page,
    fixture_photo,
    login,
    screenshot,
    submit_inspection,
)

pytestmark = pytest.mark.e2e


def test_inspection_by_typed_place_code_syncs_with_service_workers_blocked(
    live, today, browser, tmp_path
):
    from anxun.inspections.models import Inspection

    photo = fixture_photo(tmp_path / "site.jpg")
    warehouse = next(p for p in today["places"] if p["name"] == "甲类仓库")
    page = first_page(browser(service_workers="block"))
    login(page, live.url, "officer-hc")

    page.goto(live.url + "/#/scan")
    page.fill("#place-code", f" {warehouse['qr_token'].lower()} ")
    screenshot(page, "11-scan-manual-code")
    page.get_by_role("button", name="查找检查点").click()
    page.locator("main h2", has_text="甲类仓库").wait_for()
    expect(page.locator("main")).to_contain_text("记录中将注明未扫码")
    screenshot(page, "12-place")
    page.locator("button.task").first.click()
    page.wait_for_selector("article.item")

    fill_with_one_failure(page, photo)
    # One tap started one draft: a second, racing draft of the task would lose the first answers.
    assert page.evaluate("async () => (await (await import('/js/db.js')).listDrafts()).length") == 1
    record_id = submit_inspection(page)
    page.locator(f'article.record[data-record-id="{record_id}"] span.state.synced').wait_for()
    assert page.evaluate("navigator.serviceWorker?.controller ?? null") is None

    stored = live.query(lambda s: s.get(Inspection, uuid.UUID(record_id)))
    assert (stored.place_id, stored.qr_scanned) == (warehouse["id"], False)

    page.goto(live.url + "/#/settings")
    page.locator("main p", has_text="离线缓存未启用").wait_for()
    screenshot(page, "13-settings-no-worker")
