"""The outbox under faults: a long time offline, dropped requests, a refresh that fails with 502,
a record the server refuses and one it fails to take (5xx). Time in the page runs on
Playwright's clock, so minutes pass without waiting for them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    PLACES,
    fill_with_one_failure,
    first_page,
    fixture_photo,
    login,
    open_task_at,
    submit_inspection,
    wait_for_offline_cache,
    wait_for_worker,
)
from tests.e2e.test_pwa_offline import counts, inspection_ids

pytestmark = pytest.mark.e2e


def record(page, record_id: str):
    return page.locator(f'article.record[data-record-id="{record_id}"]')


def entry(page, record_id: str) -> dict:
    """The outbox entry as the page's IndexedDB holds it."""
    return page.evaluate(
        "async (id) => (await import('/js/outbox.js')).get(id)",
        record_id,
    )


def sync_and_wait(page) -> None:
    """Start a sync (or join the running one) and wait for it to end."""
    page.evaluate("async () => { await (await import('/js/sync.js')).syncNow(); }")


def pause_clock(page) -> None:
    """From now on no timer in the page fires unless the test runs the clock forward."""
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)  # Python's clock takes seconds


def ready_for_offline(page, live) -> None:
    login(page, live.url, "officer-hc")
    wait_for_worker(page)
    page.wait_for_selector("section.place-group")
    wait_for_offline_cache(page)


def test_twenty_minutes_offline_then_a_dropped_request_is_retried_within_thirty_seconds(
    live, today, browser, tmp_path
):
    photo = fixture_photo(tmp_path / "site.jpg")
    context = browser()
    page = first_page(context)
    page.clock.install()
    ready_for_offline(page, live)

    context.set_offline(True)
    open_task_at(page, PLACES[0]["name"])
    fill_with_one_failure(page, photo)
    record_id = submit_inspection(page)
    expect(record(page, record_id).locator("span.state.pending")).to_be_visible()
    pause_clock(page)
    # Twenty minutes offline, a minute at a time: every timer of the app (retries, the 60 s
    # interval) fires and the sync it starts runs to its end.
    for _ in range(20):
        page.clock.run_for("01:00")
        sync_and_wait(page)
    assert entry(page, record_id)["attempts"] == 0
    assert counts(live) == (0, 0, 0)

    # Back online, the first request (the photo) is dropped on the way.
    sent = []

    def drop_first(route):
        sent.append(route.request.url)
        if len(sent) == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/api/v1/media", drop_first)
    context.set_offline(False)  # the "online" event starts a sync at once
    expect(record(page, record_id)).to_contain_text("上次未成功")
    assert len(sent) == 1
    waiting = entry(page, record_id)
    assert waiting["attempts"] == 0
    assert waiting["next_attempt_at"] - page.evaluate("Date.now()") <= 30_000

    page.clock.run_for(30_000)
    expect(record(page, record_id).locator("span.state.synced")).to_be_visible()
    assert len(sent) == 2
    assert inspection_ids(live) == {record_id}


def test_a_502_from_the_token_refresh_keeps_the_user_logged_in_and_the_record_syncs_later(
    live, today, browser, tmp_path
):
    from flask_jwt_extended import create_access_token

    photo = fixture_photo(tmp_path / "site.jpg")
    context = browser()
    page = first_page(context)
    login(page, live.url, "officer-hc")
    open_task_at(page, PLACES[0]["name"])
    fill_with_one_failure(page, photo)

    # The access token has expired; the refresh reaches a gateway that answers 502 once.
    user_id = page.evaluate("async () => (await import('/js/api.js')).currentSession().user.id")
    with live.app.app_context():
        expired = create_access_token(str(user_id), expires_delta=timedelta(seconds=-60))
    page.evaluate(
        """async (token) => {
            const api = await import('/js/api.js');
            await api.saveSession({ ...api.currentSession(), access_token: token });
        }""",
        expired,
    )
    refreshes = []

    def bad_gateway_once(route):
        refreshes.append(route.request.method)
        if len(refreshes) == 1:
            route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")
        else:
            route.continue_()

    context.route("**/api/v1/auth/refresh", bad_gateway_once)
    record_id = submit_inspection(page)

    expect(record(page, record_id).locator("span.state.synced")).to_be_visible()
    assert refreshes[0] == "POST" and len(refreshes) >= 2
    expect(page.locator("#username")).to_have_count(0)
    expect(page.locator("nav.tabs")).to_be_visible()
    assert inspection_ids(live) == {record_id}
    # The session kept its refresh token and holds the new access token.
    session = page.evaluate("async () => (await import('/js/api.js')).currentSession()")
    assert session["access_token"] != expired
    assert session["refresh_token"]


def test_a_refused_record_is_shown_and_kept_while_others_in_its_batch_sync_and_a_5xx_is_retried(
    live, today, browser, tmp_path
):
    photo = fixture_photo(tmp_path / "site.jpg")
    context = browser()
    page = first_page(context)
    page.clock.install()
    ready_for_offline(page, live)
    context.set_offline(True)
    made = []
    for place in PLACES[:3]:
        open_task_at(page, place["name"])
        fill_with_one_failure(page, photo)
        made.append(submit_inspection(page))
    refused, failing, plain = made

    posts = {record_id: 0 for record_id in made}
    batches = []
    refusal = {
        "type": "/problems/validation",
        "title": "请求数据有误",
        "status": 422,
        "detail": "检查记录有误，未被接收。",
        "errors": [{"field": "answers", "message": "检查项 HC-01A 缺少读数。"}],
    }
    failure = {"title": "服务器内部错误", "status": 500, "detail": "服务器繁忙。"}

    def server(route):
        """POST /sync: the real server answers every item except the refused one (422 in its
        result) and the failing one's first copy (500 in its result)."""
        items = json.loads(route.request.post_data)["items"]
        batches.append([item["id"] for item in items])
        made_up, passed = {}, []
        for index, item in enumerate(items):
            posts[item["id"]] += 1
            if item["id"] == refused:
                made_up[index] = {"status": 422, "problem": refusal}
            elif item["id"] == failing and posts[item["id"]] == 1:
                made_up[index] = {"status": 500, "problem": failure}
            else:
                passed.append(index)
        answered = []
        if passed:
            response = route.fetch(post_data=json.dumps({"items": [items[i] for i in passed]}))
            answered = response.json()["results"]
        results = [
            {"index": i, "kind": "inspection", "id": items[i]["id"], **made_up[i]} for i in made_up
        ]
        results += [{**r, "index": passed[r["index"]]} for r in answered]
        route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps({"results": sorted(results, key=lambda r: r["index"])}),
        )

    context.route("**/api/v1/sync", server)
    pause_clock(page)
    context.set_offline(False)

    # The first record queued is refused; the one after it still goes through.
    expect(record(page, plain).locator("span.state.synced")).to_be_visible()
    card = record(page, refused)
    expect(card.locator("span.state.failed")).to_have_text("被拒收")
    expect(card.locator("p.refusal")).to_have_text(
        "服务器拒收（422）：检查记录有误，未被接收。 检查项 HC-01A 缺少读数。"
    )
    # The 5xx waits for its retry, a few seconds away, then syncs.
    expect(record(page, failing)).to_contain_text("上次未成功：服务器繁忙。（将于")
    # The card shows the retry time before the sync that wrote it has set its timer: wait for that
    # sync to end (or, if it has, run one that sends nothing, as the retry is not due), so the timer
    # exists before the clock runs. Running the clock first left the timer set after it, on a
    # paused clock (a failure seen once in CI).
    sync_and_wait(page)
    assert posts[failing] == 1
    page.clock.run_for(30_000)
    expect(record(page, failing).locator("span.state.synced")).to_be_visible()
    assert posts[failing] == 2
    # The three went in one request; only the failed one was sent again.
    assert batches == [made, [failing]]
    expect(page.locator("#syncbar")).to_have_text("1 条被服务器拒收，请查看")

    # Ten more minutes, a manual sync: the refused record is not sent again, and still kept.
    page.clock.run_for("10:00")
    page.get_by_role("button", name="立即同步").click()
    sync_and_wait(page)
    assert posts[refused] == 1
    assert inspection_ids(live) == {failing, plain}
    assert entry(page, refused)["state"] == "failed"

    card.get_by_text("查看提交内容").click()
    expect(card.locator("pre.payload")).to_contain_text(refused)
    with page.expect_download() as download:
        card.get_by_role("button", name="导出").click()
    rescue = tmp_path / "refused.json"
    download.value.save_as(rescue)
    exported = json.loads(rescue.read_text(encoding="utf-8"))
    assert [e["id"] for e in exported["entries"]] == [refused]
    assert len(exported["media"]) == 1


def test_a_batch_whose_answer_is_lost_is_sent_again_and_each_record_is_stored_once(
    live, today, browser, tmp_path
):
    photo = fixture_photo(tmp_path / "site.jpg")
    context = browser()
    page = first_page(context)
    ready_for_offline(page, live)
    context.set_offline(True)
    made = []
    for place in PLACES:
        open_task_at(page, place["name"])
        fill_with_one_failure(page, photo)
        made.append(submit_inspection(page))
    expect(page.locator("#syncbar")).to_have_text("3 条待同步")

    batches = []

    def lose_first_answer(route):
        """The first batch reaches the server, which stores it; its answer never arrives."""
        batches.append([item["id"] for item in json.loads(route.request.post_data)["items"]])
        if len(batches) == 1:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/api/v1/sync", lose_first_answer)
    context.set_offline(False)
    for record_id in made:
        expect(record(page, record_id).locator("span.state.synced")).to_be_visible()
    # The same three again in a second request, answered as replays: one of each stored.
    assert batches == [made, made]
    assert counts(live) == (3, 3, 3)
    assert inspection_ids(live) == set(made)
    expect(page.locator("#syncbar")).to_be_hidden()


def test_records_queued_by_the_previous_app_version_sync_after_the_upgrade(
    live, today, browser, tmp_path
):
    """Records in the outbox from before the API's rename (answers[].media, a 随手拍's photo_ids)
    are sent under the current names: the upgrade strands none of them."""
    photo = fixture_photo(tmp_path / "site.jpg")
    context = browser()
    page = first_page(context)
    ready_for_offline(page, live)
    context.set_offline(True)
    open_task_at(page, PLACES[0]["name"])
    fill_with_one_failure(page, photo)
    inspection = submit_inspection(page)
    report = "6c1e0b8e-3f0c-4d4f-9a55-1b2c3d4e5f60"
    # Put both records back as the previous version of the app queued them.
    page.evaluate(
        """async ({inspection, report}) => {
            const db = await import('/js/db.js');
            const entry = await db.getOutboxEntry(inspection);
            const answers = entry.payload.answers.map(({ media_ids, ...a }) => ({ ...a, media: media_ids }));
            await db.putOutboxEntry({ ...entry, payload: { ...entry.payload, answers } });
            await db.putOutboxEntry({ ...entry, id: report, kind: "hazard_report", media: [],
                seq: entry.seq + 1, label: { title: "随手拍：消防通道堵塞" },
                payload: { id: report, title: "消防通道堵塞", photo_ids: [] } });
        }""",
        {"inspection": inspection, "report": report},
    )
    old = entry(page, inspection)["payload"]["answers"]
    assert any(a["media"] for a in old) and not any("media_ids" in a for a in old)

    context.set_offline(False)
    sync_and_wait(page)
    assert (entry(page, inspection)["state"], entry(page, report)["state"]) == ("synced", "synced")
    assert inspection_ids(live) == {inspection}

    from sqlalchemy import select

    from anxun.hazards.models import Hazard
    from anxun.inspections.models import InspectionAnswer

    photos = live.query(
        lambda s: [m for a in s.scalars(select(InspectionAnswer)) for m in a.media_ids or []]
    )
    assert len(photos) == 1
    titles = live.query(lambda s: {h.title for h in s.scalars(select(Hazard))})
    assert "消防通道堵塞" in titles
