"""Offline first: the service worker serves the app, records wait in IndexedDB and sync once."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    PLACES,
    card,
    fill_with_one_failure,
    first_page,
    fixture_photo,
    login,
    open_task_at,
    screenshot,
    submit_inspection,
    wait_for_offline_cache,
    wait_for_saved_draft,
    wait_for_worker,
)
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def counts(live):
    from sqlalchemy import func, select

    from anxun.hazards.models import Hazard
    from anxun.inspections.models import Inspection, Media

    def read(session):
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Inspection, Hazard, Media)
        )

    return live.query(read)


def inspection_ids(live):
    from sqlalchemy import select

    from anxun.inspections.models import Inspection

    return live.query(lambda s: {str(i) for i in s.scalars(select(Inspection.id))})


def test_three_offline_inspections_sync_exactly_once_after_an_aborted_upload(
    live, today, browser, tmp_path
):
    photo = fixture_photo(tmp_path / "site.jpg")
    context = browser()
    page = first_page(context)
    login(page, live.url, "officer-hc")
    wait_for_worker(page)
    page.wait_for_selector("section.place-group")
    wait_for_offline_cache(page)

    context.set_offline(True)
    page.reload()
    page.locator("#offline").wait_for()
    page.locator("section.place-group").first.wait_for()
    expect(page.locator("p[role=status]").first).to_contain_text("离线数据")
    screenshot(page, "05-offline-tasks")

    # The first upload reaches the server but its answer is lost on the way back.
    uploads = []

    def lose_first_answer(route):
        uploads.append(route.request.method)
        if len(uploads) == 1:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    made = []
    for place in PLACES:
        open_task_at(page, place["name"])
        fill_with_one_failure(page, photo)
        made.append(submit_inspection(page))
        page.locator(f'article.record[data-record-id="{made[-1]}"] span.state.pending').wait_for()
    expect(page.locator("#syncbar")).to_have_text("3 条待同步")
    screenshot(page, "06-offline-records")
    assert counts(live) == (0, 0, 0)

    # Routed requests bypass the offline emulation, so the route goes in only now.
    context.route("**/api/v1/media", lose_first_answer)
    context.set_offline(False)
    for record_id in made:
        page.locator(f'article.record[data-record-id="{record_id}"] span.state.synced').wait_for(
            timeout=30000
        )
    # "synced" is shown only after the server's 2xx, which it sends after committing.
    assert counts(live) == (3, 3, 3)
    assert inspection_ids(live) == set(made)
    # One aborted upload and its retry, then one upload per other photo: four in all.
    assert len(uploads) == 4
    page.locator("#syncbar").wait_for(state="hidden")
    screenshot(page, "07-synced-after-offline")
    # Nothing more is sent later: still exactly three of each.
    page.get_by_role("button", name="立即同步").click()
    # Wait on the sync runs themselves: the one the button started, then one more forced run.
    page.evaluate(
        """async () => {
            const sync = await import("/js/sync.js");
            await sync.syncNow({ force: true });
            await sync.syncNow({ force: true });
        }"""
    )
    assert counts(live) == (3, 3, 3)
    assert len(uploads) == 4

    # The journey's end: at the desk, the regulator finds the three hazards and inspections.
    from anxun.orgs.models import Enterprise

    hc = live.query(
        lambda s: s.query(Enterprise.id).filter_by(name="宁波澄江化工有限公司").scalar()
    )
    desk = open_workspace(browser, live, "regulator", f"#/enterprise/{hc}")
    desk.get_by_test_id("inspection-list").locator("> *").nth(2).wait_for()
    expect(desk.get_by_test_id("kpi-open")).to_have_attribute("data-value", "3")
    desk.get_by_test_id("tab-hazards").click()
    desk.get_by_test_id("hazard-row").nth(2).wait_for()
    expect(desk.get_by_test_id("hazard-row")).to_have_count(3)
    screenshot(desk, "08-regulator-sees-the-hazards")


def test_without_server_the_cached_app_still_opens(live, today, browser):
    context = browser()
    page = first_page(context)
    login(page, live.url, "officer-hc")
    wait_for_worker(page)
    page.wait_for_selector("section.place-group")
    context.set_offline(True)
    page.reload()
    page.locator("#offline").wait_for()
    problem = page.evaluate("fetch('/api/v1/notifications?x=1').then(r => r.status)")
    assert problem == 503  # the worker's offline answer for data it never cached


def test_the_phones_worker_leaves_the_desk_and_the_public_pages_to_the_network(
    live, today, browser
):
    """The worker's scope is the whole origin: a navigation to /desk/ or a public page on a browser
    that once opened the phone must get that page, not the phone's cached shell."""
    context = browser()
    page = first_page(context)
    login(page, live.url, "officer-hc")
    wait_for_worker(page)
    page.goto(f"{live.url}/desk/")
    expect(page).to_have_title("安巡 · 工作台")
    expect(page.get_by_test_id("nav")).to_be_attached()
    # The worker controls the desk page too, but leaves its requests alone: offline, a fetch fails
    # instead of getting the phone's cached copy or its offline answer.
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    probe = "fetch('/api/v1/health').then(r => 'answered ' + r.status, () => 'no answer')"
    assert page.evaluate(probe) == "no answer"
    context.set_offline(False)
    page.goto(f"{live.url}/public/major-hazards")
    expect(page).to_have_title("重大事故隐患挂牌督办公示")
    page.goto(f"{live.url}/")
    expect(page).to_have_title("安巡 · 双重预防自查")


def test_draft_survives_reload_and_unsynced_record_survives_a_browser_restart(
    live, today, browser, tmp_path
):
    photo = fixture_photo(tmp_path / "site.jpg")
    context = browser("phone")
    page = first_page(context)
    login(page, live.url, "officer-hc")
    wait_for_worker(page)
    open_task_at(page, PLACES[1]["name"])
    card(page, "HC-MAJ-01").get_by_role("button", name="合格", exact=True).click()
    card(page, "HC-01A").locator("input.reading").fill("7.5")
    card(page, "HC-01A").locator("textarea.note").fill("已核对作业票")
    wait_for_saved_draft(page, "HC-01A", raw="7.5", note="已核对作业票")

    page.reload()
    page.wait_for_selector("article.item")
    expect(
        card(page, "HC-MAJ-01").get_by_role("button", name="合格", exact=True)
    ).to_have_attribute("aria-pressed", "true")
    expect(card(page, "HC-01A").locator("input.reading")).to_have_value("7.5")
    expect(card(page, "HC-01A").locator("textarea.note")).to_have_value("已核对作业票")
    expect(page.locator(".progress-bar")).to_have_text("已答 2 / 4")
    # The task list says it is in progress.
    page.goto(live.url + "/#/tasks")
    page.locator("section.place-group", has_text=PLACES[1]["name"]).locator(
        "span.badge.warn", has_text="进行中"
    ).wait_for()

    open_task_at(page, PLACES[1]["name"])
    context.set_offline(True)
    fill_with_one_failure(page, photo)
    record_id = submit_inspection(page)
    page.locator(f'article.record[data-record-id="{record_id}"] span.state.pending').wait_for()
    context.close()

    reopened = browser("phone")
    reopened.set_offline(True)
    page = first_page(reopened)
    page.goto(live.url + "/#/records")
    page.locator(f'article.record[data-record-id="{record_id}"] span.state.pending').wait_for()
    assert counts(live) == (0, 0, 0)

    # Logging out warns while records are unsynced; the rescue file holds the record and photo.
    page.goto(live.url + "/#/settings")
    page.get_by_role("button", name="退出登录").click()
    page.locator(".dialog", has_text="1 条记录尚未同步").wait_for()
    screenshot(page, "14-logout-warning")
    page.get_by_role("button", name="先不退出").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="导出待同步记录").click()
    rescue = tmp_path / "rescue.json"
    download.value.save_as(rescue)
    exported = json.loads(rescue.read_text(encoding="utf-8"))
    assert [e["id"] for e in exported["entries"]] == [record_id]
    assert len(exported["media"]) == 1
    assert exported["media"][0]["data"].startswith("data:image/jpeg;base64,")

    reopened.set_offline(False)
    page.goto(live.url + "/#/records")
    page.locator(f'article.record[data-record-id="{record_id}"] span.state.synced').wait_for(
        timeout=30000
    )
    assert inspection_ids(live) == {record_id}

    # The same file imported on another device replays harmlessly: still one inspection.
    other = first_page(browser("tablet"))
    login(other, live.url, "officer-hc")
    other.goto(live.url + "/#/settings")
    other.set_input_files("#import-file", str(rescue))
    other.locator("p[role=status]", has_text="已导入 1 条记录").wait_for()
    other.goto(live.url + "/#/records")
    other.locator(f'article.record[data-record-id="{record_id}"] span.state.synced').wait_for()
    assert counts(live) == (1, 1, 1)
