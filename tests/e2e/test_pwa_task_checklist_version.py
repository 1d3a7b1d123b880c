"""An inspection started from a task fills in the checklist version the task names, also when a
newer version was published after the phone loaded its tasks (here while it was offline); an ad-hoc check
fills in the latest version."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    api_login,
    card,
    first_page,
    login,
    submit_inspection,
    wait_for_async_state,
    wait_for_worker,
)

pytestmark = pytest.mark.e2e

OWN = """\
code: cj-tank-walk
title: 澄江化工罐区巡回检查表
industry: hazardous_chemicals
version: "1"
applies_to: [daily]
basis:
  - {code: QB-02, title: 本公司罐区巡回检查制度, status: in_force}
sections:
  - id: tank
    title: 罐区
    items:
      - id: CJ-T01
        text: 储罐液位计读数清晰、显示正常
        method: look
        category: thing
        basis: [{doc: QB-02, clause: 第三条}]
      - id: CJ-T02
        text: 防火堤内无积水、无杂物
        method: look
        category: environment
        basis: [{doc: QB-02, clause: 第四条}]
"""
# The second version adds an item and rewords the first.
ADDED = """\
      - id: CJ-T03
        text: 呼吸阀、阻火器完好
        method: look
        category: thing
        basis: [{doc: QB-02, clause: 第五条}]
"""
NEW = (
    OWN.replace('version: "1"', 'version: "2"').replace(
        "储罐液位计读数清晰、显示正常", "储罐液位计及高低液位报警完好"
    )
    + ADDED
)
PLACES = ["1号罐组", "2号罐组"]
# Whether the phone's worker has kept today's task list for offline use.
CACHED_TASKS = """async () => {
    for (const name of await caches.keys()) {
        const requests = await (await caches.open(name)).keys();
        if (requests.some((r) => r.url.includes("/api/v1/tasks?") && r.url.includes("due=today"))) {
            return true;
        }
    }
    return false;
}"""
# The phone learns a checklist's latest version: kept in IndexedDB and in the worker's copy of the
# latest-version request, where the phone looks for the latest copy offline.
LEARN_LATEST = """async ([key, body]) => {
    const db = await import("/js/db.js");
    await db.setMeta(key, body);
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const url = new URL(request.url);
            if (url.pathname === `/api/v1/checklists/${body.code}` && !url.searchParams.has("version")) {
                const headers = {"Content-Type": "application/json"};
                await cache.put(request, new Response(JSON.stringify(body), {headers}));
            }
        }
    }
}"""
# Whether the phone keeps the checklist version of this hash in IndexedDB (for offline starts).
KEPT_VERSION = """(hash) => new Promise((resolve) => {
    const request = indexedDB.open("anxun");
    request.onerror = () => resolve(false);
    request.onsuccess = () => {
        const db = request.result;
        const get = db.transaction("meta").objectStore("meta").get(`checklist-version:${hash}`);
        get.onerror = () => { db.close(); resolve(false); };
        get.onsuccess = () => { db.close(); resolve(Boolean(get.result)); };
    };
})"""


def upload(client, headers, text: str) -> str:
    response = client.post(
        "/api/v1/checklists",
        data=text.encode(),
        content_type="application/yaml",
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["version_hash"]


def plan_for_own_checklist(client, officer) -> None:
    """Two places on a daily plan of the whole uploaded checklist, assigned to the officer."""
    me = client.get("/api/v1/me", headers=officer).get_json()
    enterprise_id = next(m["enterprise_id"] for m in me["memberships"] if m["enterprise_id"])
    place_ids = []
    for name in PLACES:
        response = client.post(
            f"/api/v1/enterprises/{enterprise_id}/places",
            json={"name": name, "kind": "equipment"},
            headers=officer,
        )
        assert response.status_code == 201, response.get_json()
        place_ids.append(response.get_json()["id"])
    response = client.post(
        f"/api/v1/enterprises/{enterprise_id}/plans",
        json={
            "title": "罐区巡回检查",
            "checklist_code": "cj-tank-walk",
            "inspection_type": "daily",
            "frequency_every": 1,
            "frequency_unit": "day",
            "work_start": "00:00:00",
            "work_end": "23:59:00",
            "place_ids": place_ids,
            "assignee_user_id": me["id"],
        },
        headers=officer,
    )
    assert response.status_code == 201, response.get_json()


def submitted_version(live, inspection_id: str) -> str | None:
    import uuid

    from anxun.checklists.models import ChecklistVersion
    from anxun.inspections.models import Inspection

    def read(session):
        inspection = session.get(Inspection, uuid.UUID(inspection_id))
        return inspection and session.get(ChecklistVersion, inspection.checklist_version_id)

    version = live.query(read)
    return version.version_hash if version else None


def answer_all_and_submit(page, item_ids: list[str]) -> str:
    for item_id in item_ids:
        card(page, item_id).get_by_role("button", name="合格", exact=True).click()
    inspection_id = submit_inspection(page)
    record = page.locator(f'article.record[data-record-id="{inspection_id}"]')
    record.locator("span.state.synced").wait_for()
    return inspection_id


def test_a_task_opened_after_a_new_version_fills_in_and_submits_the_version_it_names(live, browser):
    client = live.app.test_client()
    officer = api_login(client, "officer-hc")
    old = upload(client, officer, OWN)
    plan_for_own_checklist(client, officer)

    page = first_page(browser())
    login(page, live.url, "officer-hc")
    wait_for_worker(page)
    expect(page.locator("section.place-group")).to_have_count(2)
    # The task list has named the old version, the phone has kept it under its hash, and the
    # worker keeps a copy of today's list for offline use.
    wait_for_async_state(page, KEPT_VERSION, old)
    wait_for_async_state(page, CACHED_TASKS)
    # A new version is published while the phone, out of signal, shows the tasks it read, and the
    # phone already holds the new version as its latest copy of the checklist (as an ad-hoc check
    # would have fetched it): the task still opens with the version it names, from the copy kept
    # under that hash, and is submitted under it. (Offline, no refresh of the task list can pick up
    # the new version meanwhile: the phone refreshes on its own events, e.g. when its worker takes
    # control.)
    page.context.set_offline(True)
    new = upload(client, officer, NEW)
    assert new != old
    enterprise_id = next(
        m["enterprise_id"]
        for m in client.get("/api/v1/me", headers=officer).get_json()["memberships"]
        if m["enterprise_id"]
    )
    latest = client.get(
        f"/api/v1/checklists/cj-tank-walk?enterprise_id={enterprise_id}", headers=officer
    ).get_json()
    assert latest["version_hash"] == new
    page.evaluate(LEARN_LATEST, [f"checklist:{enterprise_id}:cj-tank-walk", latest])
    page.goto(live.url + "/#/tasks")
    first = page.locator("section.place-group", has_text=PLACES[0])
    first.locator("button.task").first.click()
    expect(page.locator("article.item")).to_have_count(2)
    expect(card(page, "CJ-T03")).to_have_count(0)  # added in the new version
    expect(card(page, "CJ-T01")).to_contain_text("储罐液位计读数清晰、显示正常")
    for item_id in ["CJ-T01", "CJ-T02"]:
        card(page, item_id).get_by_role("button", name="合格", exact=True).click()
    offline_id = submit_inspection(page)
    page.context.set_offline(False)
    record = page.locator(f'article.record[data-record-id="{offline_id}"]')
    record.locator("span.state.synced").wait_for()
    assert submitted_version(live, offline_id) == old

    # Online again, the task list names the newest version (the server names the current one
    # whenever tasks are read); the second task is fetched by that hash and submitted under it.
    page.goto(live.url + "/#/tasks")
    wait_for_async_state(page, KEPT_VERSION, new)
    second = page.locator("section.place-group", has_text=PLACES[1])
    second.locator("button.task").first.click()
    expect(page.locator("article.item")).to_have_count(3)
    expect(card(page, "CJ-T01")).to_contain_text("储罐液位计及高低液位报警完好")
    inspection_id = answer_all_and_submit(page, ["CJ-T01", "CJ-T02", "CJ-T03"])
    assert submitted_version(live, inspection_id) == new
