"""The phone loop that closes (#17): a small enterprise's head, alone on the phone, checks a place
that has no task, and drives the failed item's hazard through confirm → 五定 → rectify → verify
→ 销号; a 随手拍 made offline reaches the server exactly once."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    GEO,
    api_login,
    first_page,
    fixture_photo,
    login,
    screenshot,
    wait_for_worker,
)

pytestmark = pytest.mark.e2e
# Waits that include a round trip to the server (sync, a fresh hazard view) on a busy machine.
SERVER = 20000


def dust_place(live) -> dict:
    """A place of the small dust enterprise, with no plan (so no task today), near the phone."""
    client = live.app.test_client()
    head = api_login(client, "head-dust")
    me = client.get("/api/v1/me", headers=head).get_json()
    enterprise_id = next(m["enterprise_id"] for m in me["memberships"] if m["enterprise_id"])
    response = client.post(
        f"/api/v1/enterprises/{enterprise_id}/places",
        json={
            "name": "抛光除尘区",
            "kind": "area",
            "latitude": GEO["latitude"],
            "longitude": GEO["longitude"],
        },
        headers=head,
    )
    assert response.status_code == 201, response.get_json()
    return {"place": response.get_json(), "head_id": me["id"]}


def hazards_of(live, **where):
    from sqlalchemy import select

    from anxun.hazards.models import Hazard

    def read(session):
        query = select(Hazard).filter_by(**where)
        return [(str(h.id), h.state, h.source, h.title) for h in session.scalars(query)]

    return live.query(read)


def submit_form(page, action):
    """Submit the open form of `action` and wait until the server has it (已同步)."""
    form = page.locator(f'form.action-form[data-action="{action}"]')
    form.locator("button[type=submit]").click()
    expect(page.locator("section.queued-action")).to_have_attribute(
        "data-state", "synced", timeout=SERVER
    )


def watermark_of_unsent_photo(page) -> list[str]:
    """The watermark lines of the photo the open form holds (still only on the phone)."""
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("anxun");
            open.onsuccess = () => {
                const all = open.result.transaction("media").objectStore("media").getAll();
                all.onsuccess = () => {
                    open.result.close();
                    const newest = all.result.sort((a, b) => b.taken_at.localeCompare(a.taken_at))[0];
                    resolve(newest ? newest.watermark : []);
                };
            };
        })"""
    )


def test_a_small_enterprise_head_closes_a_hazard_alone_on_the_phone(live, browser, tmp_path):
    from anxun.core import clock

    photo = fixture_photo(tmp_path / "site.jpg")
    setup = dust_place(live)
    place = setup["place"]
    page = first_page(browser())
    login(page, live.url, "head-dust")

    # A scanned place without a task today: an ad-hoc check of the enterprise's checklist.
    page.goto(live.url + f"/#/p/{place['qr_token']}")
    expect(page.locator("section.ad-hoc")).to_contain_text("该检查点今天没有任务", timeout=SERVER)
    page.get_by_role("button", name="开始临时检查").click()
    page.locator('button.ad-hoc-checklist[data-code="dust-explosion"]').click()
    page.locator('button.ad-hoc-choice[data-profile="small_micro"]').click()
    items = page.locator("article.item")
    expect(items).to_have_count(22, timeout=SERVER)
    for item in items.all():
        item.get_by_role("button", name="合格", exact=True).click()
    failed = page.locator('article.item[data-item-id="DUST-01"]')
    failed.get_by_role("button", name="不合格", exact=True).click()
    failed.locator("input[type=file]").set_input_files(str(photo))
    failed.locator(".photos img").wait_for()
    # Told before submitting what the regulator will see: 22 items in well under 66 seconds.
    expect(page.locator('div.plausibility li[data-flag="too_fast"]')).to_contain_text("22 项检查")
    page.get_by_role("button", name="提交检查记录").click()
    record = page.locator("article.record.highlight")
    expect(record).to_have_attribute("data-state", "synced", timeout=SERVER)
    # … and after: the server's own flag on the record.
    expect(record.locator('li[data-flag="too_fast"]')).to_be_visible()

    # 已生成隐患 1 条 opens the hazards this record raised.
    record.locator("a.raised-hazards").click()
    rows = page.locator("section[data-group=inspection] a[data-hazard-id]")
    expect(rows).to_have_count(1, timeout=SERVER)
    hazard_id = rows.first.get_attribute("data-hazard-id")
    rows.first.click()

    # Confirm: level, category, deadline.
    deadline = (clock.today_local() + timedelta(days=3)).isoformat()
    confirm = page.locator('form.action-form[data-action="confirm"]')
    confirm.wait_for(timeout=SERVER)
    expect(confirm.locator("#level-confirm")).to_have_value("general")
    confirm.locator("#category-confirm").select_option("thing")
    confirm.locator("#deadline-confirm").fill(deadline)
    submit_form(page, "confirm")

    # 五定: the head names himself responsible (the enterprise's people are offered).
    plan = page.locator('form.action-form[data-action="plan"]')
    plan.wait_for(timeout=SERVER)
    responsible = plan.locator("#responsible-plan")
    expect(responsible.locator(f'option[value="{setup["head_id"]}"]')).to_have_count(
        1, timeout=SERVER
    )
    responsible.select_option(str(setup["head_id"]))
    plan.locator("#measures-plan").fill("清理除尘管道积尘，加装清扫口")
    plan.locator("#funds-plan").fill("1200")
    expect(plan.locator("#deadline-plan")).to_have_value(deadline)
    plan.locator("#contingency-plan").fill("清理完成前停用抛光线")
    submit_form(page, "plan")

    # Rectify with an after-photo: its watermark carries GPS and the photographer.
    rectify = page.locator('form.action-form[data-action="submit_rectification"]')
    rectify.wait_for(timeout=SERVER)
    rectify.locator("input[type=file]").set_input_files(str(photo))
    rectify.locator(".photos img").wait_for()
    lines = watermark_of_unsent_photo(page)
    assert any(line.startswith("GPS 29.98") for line in lines), lines
    assert any(line.startswith("拍摄人：") for line in lines), lines
    assert "检查点：抛光除尘区" in lines
    rectify.locator("#note-submit_rectification").fill("管道积尘已清理，清扫口已加装")
    submit_form(page, "submit_rectification")

    # Verify: before and after side by side; a photo opens at full size.
    verify = page.locator('form.action-form[data-action="verify_pass"]')
    verify.wait_for(timeout=SERVER)
    compare = page.locator("section.before-after")
    expect(compare.locator("button.photo-thumb")).to_have_count(2, timeout=SERVER)
    compare.locator("button.photo-thumb").last.click()
    full = page.locator(".photo-viewer img.full-photo")
    expect(full).to_be_visible(timeout=SERVER)
    # Visible comes before decoded: wait until the full photo has loaded, then read its width.
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=full.element_handle(), timeout=SERVER
    )
    assert full.evaluate("img => img.naturalWidth") == 1600
    screenshot(page, "13-photo-full-size")
    page.get_by_role("button", name="关闭").click()
    expect(page.locator(".photo-viewer")).to_have_count(0)
    submit_form(page, "verify_pass")
    expect(page.locator("dd", has_text="已销号")).to_be_visible(timeout=SERVER)
    screenshot(page, "14-closed-alone")
    assert hazards_of(live, id=uuid.UUID(hazard_id))[0][1] == "closed"

    # 全部 lists it; nothing waits on the head any more.
    page.goto(live.url + "/#/hazards?tab=all")
    expect(
        page.locator(f'section[data-group=all] a[data-hazard-id="{hazard_id}"]')
    ).to_contain_text("已销号", timeout=SERVER)
    expect(page.locator('#tabs a[data-tab="hazards"] .badge')).to_have_count(0, timeout=SERVER)
    expect(page.locator("main#view")).not_to_contain_text("暂不支持")


def test_a_direct_report_made_offline_syncs_exactly_once(live, browser, tmp_path):
    photo = fixture_photo(tmp_path / "site.jpg")
    context = browser()
    page = first_page(context)
    login(page, live.url, "officer-hc")
    wait_for_worker(page)

    context.set_offline(True)
    page.goto(live.url + "/#/hazards")
    page.locator("#offline").wait_for()
    page.get_by_role("link", name="随手拍").click()
    form = page.locator("form.direct-report")
    form.locator("button[type=submit]").click()
    expect(form.locator("p.error")).to_have_text("请填写隐患名称。")
    form.locator("#report-title").fill("消防通道堆放货物")
    form.locator("#report-description").fill("仓库东侧通道被纸箱堵塞")
    form.locator("#report-level").select_option("general")
    form.locator("input[type=file]").set_input_files(str(photo))
    form.locator(".photos img").wait_for()
    form.locator("button[type=submit]").click()
    record = page.locator("article.record", has_text="随手拍：消防通道堆放货物")
    expect(record).to_have_attribute("data-state", "pending")
    assert hazards_of(live, title="消防通道堆放货物") == []

    context.set_offline(False)
    expect(record).to_have_attribute("data-state", "synced", timeout=SERVER)
    page.get_by_role("button", name="立即同步").click()
    # "synced" is shown only after the server's 2xx, which it sends after committing.
    reports = hazards_of(live, title="消防通道堆放货物")
    assert len(reports) == 1
    hazard_id, state, source, _ = reports[0]
    assert (state, source) == ("reported", "direct")
    assert record.get_attribute("data-record-id") == hazard_id

    # The officer finds it under 我上报的, and the hazard opens from the record.
    page.goto(live.url + "/#/hazards?tab=reported")
    expect(
        page.locator(f'section[data-group=reported] a[data-hazard-id="{hazard_id}"]')
    ).to_be_visible(timeout=SERVER)
    page.goto(live.url + "/#/records")
    page.locator("article.record", has_text="随手拍").get_by_role("link", name="查看该隐患").click()
    expect(page.locator("section.card h2").first).to_have_text("消防通道堆放货物", timeout=SERVER)
    assert len(hazards_of(live, title="消防通道堆放货物")) == 1
