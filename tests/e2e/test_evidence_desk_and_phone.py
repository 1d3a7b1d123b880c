"""Remote evidence requests (远程核查) across desk and phone: a bureau asks on a patrol of 宁波澄江化工
for photos of 液氨罐区 within hours; officer-hc sees the request at the top of the task list with
a countdown and answers it with photos taken through the app's camera input, offline first; the
desk shows the answer with photos, time, distance and flags. A second request runs out (page clock
and frozen server clock), shows as missing on the desk and becomes a finding in one action."""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    api_login,
    first_page,
    fixture_photo,
    login,
    screenshot,
    wait_for_worker,
)
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e

HC = "宁波澄江化工有限公司"
# 液氨罐区 about 25 m from where the phone stands (helpers.GEO: 29.98215, 121.64118).
TANK_FARM = {"name": "液氨罐区", "kind": "area", "latitude": 29.9823, "longitude": 121.6410}
ASK = "拍摄 V-101 阻火器和气体检测仪显示屏"


def add_tank_farm(live) -> int:
    client = live.app.test_client()
    officer = api_login(client, "officer-hc")
    me = client.get("/api/v1/me", headers=officer).get_json()
    enterprise_id = next(m["enterprise_id"] for m in me["memberships"] if m["enterprise_id"])
    response = client.post(
        f"/api/v1/enterprises/{enterprise_id}/places", json=TANK_FARM, headers=officer
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def open_patrol(browser, live):
    """The regulator opens an online patrol of 宁波澄江化工 on the desk."""
    page = open_workspace(browser, live, "regulator", "#/patrols")
    form = page.get_by_test_id("patrol-new")
    form.get_by_test_id("patrol-enterprise").select_option(label=HC)
    form.get_by_test_id("patrol-open").click()
    page.get_by_test_id("finding-form").wait_for()
    return page


def ask(page, place_id: int, hours: int, text: str = ASK, items: str = ""):
    """Send a request from the patrol's 远程核查 block; returns its card."""
    block = page.locator("section.evidence")
    target = block.get_by_test_id("evidence-target")
    expect(target.locator(f'option[value="place:{place_id}"]')).to_have_count(1)
    target.select_option(f"place:{place_id}")
    block.get_by_test_id("evidence-hours").fill(str(hours))
    block.get_by_test_id("evidence-text").fill(text)
    if items:
        block.get_by_test_id("evidence-items").fill(items)
    expect(block.get_by_test_id("evidence-role")).to_have_value("safety_officer")
    block.get_by_test_id("evidence-submit").click()
    card = block.get_by_test_id("evidence-request").filter(has_text=text)
    expect(card).to_contain_text("待回应")
    expect(card).to_contain_text("回应人 安全管理人员")
    return card


def answers(live) -> list:
    from anxun.evidence.models import EvidenceAnswer

    return live.query(lambda s: s.query(EvidenceAnswer).all())


def test_a_request_answered_on_the_phone_shows_photos_distance_and_flags_on_the_desk(
    live, browser, tmp_path
):
    place_id = add_tank_farm(live)
    desk = open_patrol(browser, live)
    asked = ask(desk, place_id, hours=2, items="HC-D-05")
    # The item is named by its wording in the enterprise's checklist, the code in brackets.
    expect(asked.get_by_test_id("evidence-items-shown")).to_contain_text(
        "装置现场无跑冒滴漏，工艺参数在岗位工艺卡片规定的范围内（HC-D-05）"
    )
    screenshot(desk, "ws-evidence-asked")

    context = browser("pwa-officer")
    phone = first_page(context)
    login(phone, live.url, "officer-hc")
    wait_for_worker(phone)
    listed = phone.get_by_test_id("evidence-list")
    card = listed.locator("a.task.evidence")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("远程核查：液氨罐区")
    expect(card).to_contain_text("待回应")
    expect(card.locator(".countdown")).to_have_text(re.compile(r"^还剩 (1 小时 5\d|2 小时 00) 分$"))
    # The request sits above the tasks and the scan button.
    assert listed.evaluate(
        "(node) => !!(node.compareDocumentPosition(document.querySelector('a.scan-cta')) & 4)"
    )
    screenshot(phone, "pwa-evidence-in-tasks")

    card.click()
    expect(phone.get_by_test_id("evidence-countdown")).to_contain_text("还剩")
    expect(phone.get_by_role("list", name="要展示的检查项")).to_contain_text(
        "装置现场无跑冒滴漏，工艺参数在岗位工艺卡片规定的范围内"
    )
    expect(phone.locator("p[role=status]").filter(has_text="已定位")).to_be_visible()
    # A shot taken now through the camera input, and an old picture (a day-old file time, as a
    # gallery pick would have): the second is flagged.
    fresh = fixture_photo(tmp_path / "now.jpg")
    old = fixture_photo(tmp_path / "old.jpg")
    day_ago = time.time() - 86400
    os.utime(old, (day_ago, day_ago))
    form = phone.locator("form.card")
    form.locator("input[type=file][capture=environment]").set_input_files(str(fresh))
    expect(form.locator(".photos img")).to_have_count(1)
    form.locator("input[type=file][capture=environment]").set_input_files(str(old))
    expect(form.locator(".photos img")).to_have_count(2)
    form.locator("textarea").fill("阻火器完好，检测仪读数 0")

    # Offline first: the answer waits in the outbox and the card says so.
    context.set_offline(True)
    phone.get_by_test_id("evidence-submit").click()
    queued = phone.get_by_test_id("evidence-list").locator("a.task.evidence")
    expect(queued).to_contain_text("已回应 · 待同步")
    assert answers(live) == []

    context.set_offline(False)  # the "online" event sends it
    expect(phone.get_by_test_id("evidence-list")).to_be_hidden()
    phone.goto(live.url + "/#/records")
    record = phone.locator("article.record", has_text="远程核查回应：液氨罐区")
    expect(record.locator("span.state.synced")).to_be_visible()
    stored = answers(live)
    assert len(stored) == 1 and len(stored[0].photos) == 2
    assert stored[0].distance_metres < 50
    # The record's receipt keeps the server's receipt time of the answer (not the request's).
    synced = phone.evaluate(
        "async (id) => (await import('/js/outbox.js')).get(id)", str(stored[0].id)
    )
    received = datetime.fromisoformat(synced["receipt"]["received_at"])
    assert received == stored[0].received_at.replace(tzinfo=UTC)

    desk.reload()
    card = desk.get_by_test_id("evidence-request").filter(has_text=ASK)
    expect(card).to_contain_text("已回应")
    answer = card.get_by_test_id("evidence-answer")
    expect(answer).to_contain_text("阻火器完好，检测仪读数 0")
    expect(answer).to_contain_text("回应于 20")
    expect(answer.get_by_test_id("evidence-distance")).to_have_text(
        re.compile(r"^距地点约 \d\d? 米$")
    )
    photos = answer.get_by_test_id("evidence-photo")
    expect(photos).to_have_count(2)
    expect(photos.nth(0)).to_have_attribute("data-state", "loaded")
    expect(photos.nth(1)).to_have_attribute("data-state", "loaded")
    flags = answer.get_by_test_id("evidence-flags").locator("li")
    expect(flags).to_have_count(1)
    expect(flags.first).to_have_attribute("data-code", "photo_before_request")
    expect(flags.first).to_have_text("第 2 张照片拍摄于核查要求发出之前。")
    expect(card.get_by_test_id("evidence-late")).to_have_count(0)
    screenshot(desk, "ws-evidence-answered")

    # Leaving the patrol screen frees the photos' object URLs.
    url = photos.nth(0).get_attribute("src")
    assert url.startswith("blob:")
    readable = "(url) => fetch(url).then(() => true, () => false)"
    assert desk.evaluate(readable, url) is True
    desk.evaluate("() => { location.hash = '#/orders'; }")
    desk.wait_for_selector('section.screen[data-screen="orders"]')
    assert desk.evaluate(readable, url) is False


def test_a_request_that_runs_out_shows_as_missing_and_becomes_a_finding(
    live, browser, frozen_clock
):
    place_id = add_tank_farm(live)
    desk = open_patrol(browser, live)
    ask(desk, place_id, hours=1, text="拍摄液氨罐区围堰排水阀")

    phone = first_page(browser("pwa-officer", service_workers="block"))
    phone.clock.install()
    login(phone, live.url, "officer-hc")
    card = phone.get_by_test_id("evidence-list").locator("a.task.evidence")
    expect(card.locator(".countdown")).to_have_text(re.compile(r"^还剩 (5\d 分钟|1 小时 00 分)$"))
    expect(card.locator(".countdown")).not_to_have_class(re.compile(r"\blate\b"))
    # An hour and two minutes later on the phone: the list's minute tick turns the countdown red.
    phone.clock.fast_forward("01:02:00")
    expect(card.locator(".countdown")).to_have_text(re.compile(r"^已逾期 \d+ 分钟$"))
    expect(card.locator(".countdown")).to_have_class(re.compile(r"\blate\b"))
    expect(card).to_contain_text("已逾期")
    screenshot(phone, "pwa-evidence-overdue")

    # And on the server: the window has run out with no answer.
    frozen_clock(datetime.now(UTC) + timedelta(hours=1, minutes=2))
    desk.reload()
    request = desk.get_by_test_id("evidence-request").filter(has_text="拍摄液氨罐区围堰排水阀")
    expect(request.get_by_test_id("evidence-missing")).to_have_text("逾期未回应")
    expect(request.locator(".badge")).to_have_text(["逾期未回应"])
    shortfalls = desk.get_by_test_id("evidence-shortfalls")
    expect(shortfalls).to_contain_text("远程核查逾期 1 项（计入巡查发现）")
    expect(shortfalls.locator("li")).to_contain_text("液氨罐区：拍摄液氨罐区围堰排水阀")

    request.get_by_test_id("evidence-to-finding").click()
    findings = desk.get_by_test_id("findings-table")
    expect(findings).to_contain_text("远程核查逾期未回应（期限 1 小时）：液氨罐区")
    expect(findings).to_contain_text("已采纳")
    request = desk.get_by_test_id("evidence-request").filter(has_text="拍摄液氨罐区围堰排水阀")
    expect(request).to_contain_text("已转为巡查发现")
    expect(request.get_by_test_id("evidence-to-finding")).to_be_disabled()
    expect(desk.get_by_test_id("evidence-shortfalls")).to_contain_text("已转为发现")

    # The order in one action too: the second officer is another of the bureau's, not the issuer.
    co_officer = request.get_by_test_id("evidence-co-officer")
    expect(co_officer.locator("option", has_text="钱思远")).to_have_count(1)
    expect(co_officer.locator("option", has_text="赵振华")).to_have_count(0)
    co_officer.select_option(label="钱思远")
    request.get_by_test_id("evidence-to-order").click()
    request = desk.get_by_test_id("evidence-request").filter(has_text="拍摄液氨罐区围堰排水阀")
    expect(request).to_contain_text("已下达指令书 #")
    expect(request.get_by_test_id("evidence-to-order")).to_be_disabled()
    expect(desk.get_by_test_id("evidence-shortfalls")).to_contain_text("已下达指令书 #")
    screenshot(desk, "ws-evidence-missing-finding")
