"""The PWA's pure JS functions, run in the real browser with hand-computed expectations."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import launch, serve

pytestmark = pytest.mark.e2e

NUMBER_ITEM = {
    "id": "HC-01A",
    "photo_on_fail": True,
    "answer": {"type": "number", "unit": "h", "min": None, "max": 8},
}
RANGE_ITEM = {
    "id": "CS-O2",
    "answer": {"type": "number", "unit": "%vol", "min": 19.5, "max": 21},
    "photo_on_fail": False,
}
CHOICE_ITEM = {
    "id": "X-1",
    "answer": {
        "type": "choice",
        "options": [
            {"code": "ok", "label": "正常"},
            {"code": "leak", "label": "泄漏", "fails": True},
        ],
    },
}
PLAIN_ITEM = {"id": "HC-MAJ-01", "answer": {"type": "pass_fail_na"}}


def run(page, module: str, body: str, arg=None):
    """Import /js/<module> in the page and evaluate `body` with it bound to `m`."""
    return page.evaluate(
        f"async (arg) => {{ const m = await import('/js/{module}'); {body} }}", arg
    )


@pytest.fixture(scope="module")
def page(e2e_template, tmp_path_factory):
    """One page for the whole module: these tests only import modules and call functions."""
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("modules")
    with serve(e2e_template, folder) as running, sync_playwright() as playwright:
        context = launch(playwright, folder / "profile", service_workers="block")
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(running.url + "/")
        page.wait_for_selector("#username")
        yield page
        context.close()


@pytest.mark.parametrize(
    ("item", "answer", "expected"),
    [
        (NUMBER_ITEM, {"result": "pass", "value": 8}, "pass"),  # the limit itself is allowed
        (NUMBER_ITEM, {"result": "pass", "value": 8.5}, "fail"),  # over max fails by itself
        (NUMBER_ITEM, {"result": "na", "value": 12}, "na"),
        (RANGE_ITEM, {"result": "pass", "value": 19.4}, "fail"),  # below min
        (RANGE_ITEM, {"result": "pass", "value": 20.9}, "pass"),
        (CHOICE_ITEM, {"result": "pass", "value": "leak"}, "fail"),  # a `fails` option
        (CHOICE_ITEM, {"result": "pass", "value": "ok"}, "pass"),
        (PLAIN_ITEM, {"result": "fail", "value": None}, "fail"),
        (PLAIN_ITEM, None, None),
    ],
)
def test_effective_result_matches_the_server_rule(page, item, answer, expected):
    got = run(
        page,
        "inspection.js",
        "return m.effectiveResult(arg.item, arg.answer);",
        {"item": item, "answer": answer},
    )
    assert got == expected


def test_draft_problems_name_what_blocks_submission(page):
    items = [NUMBER_ITEM, RANGE_ITEM, PLAIN_ITEM, CHOICE_ITEM]
    answers = {
        "HC-01A": {"result": "pass", "value": 9, "media": []},  # out of range, no photo
        "CS-O2": {"result": "pass", "value": None},  # reading missing
        "HC-MAJ-01": {"result": "fail", "media": ["m1"]},  # complete
    }
    got = run(
        page,
        "inspection.js",
        "return m.draftProblems(arg.items, arg.answers);",
        {"items": items, "answers": answers},
    )
    assert got == {
        "HC-01A": "不合格项须拍照留证",
        "CS-O2": "请填写测量值",
        "X-1": "尚未作答",
    }


def test_payload_drops_values_of_na_and_plain_items(page):
    doc = {"sections": [{"title": "s", "items": [NUMBER_ITEM, PLAIN_ITEM]}]}
    draft = {
        "id": "7f2c1a4e-0000-4000-8000-000000000001",
        "enterprise_id": 3,
        "task_occurrence_id": 11,
        "checklist": {"code": "hazardous-chemicals", "version_hash": "a" * 64, "document": doc},
        "place": {"id": 5, "name": "罐区"},
        "qr_scanned": True,
        "inspection_type": "daily",
        "started_at": "2026-11-25T01:00:00.000Z",
        "gps": {"lat": 29.98, "lon": 121.64, "accuracy": 12},
        "answers": {
            "HC-01A": {"result": "na", "value": 12, "note": "", "media": []},
            "HC-MAJ-01": {"result": "fail", "value": "x", "note": "证书过期", "media": ["m1"]},
        },
    }
    got = run(
        page,
        "inspection.js",
        "const items = m.expectedItems(arg.doc, {}); return m.buildPayload(arg.draft, items, 'dev-1', '2026-11-25T01:20:00.000Z');",
        {"doc": doc, "draft": draft},
    )
    assert got == {
        "id": draft["id"],
        "enterprise_id": 3,
        "task_occurrence_id": 11,
        "checklist_code": "hazardous-chemicals",
        "checklist_version": "a" * 64,
        "profile": None,
        "place_id": 5,
        "qr_scanned": True,
        "inspection_type": "daily",
        "started_at": "2026-11-25T01:00:00.000Z",
        "finished_at": "2026-11-25T01:20:00.000Z",
        "gps": {"lat": 29.98, "lon": 121.64, "accuracy": 12},
        "device_id": "dev-1",
        "answers": [
            {"item_id": "HC-01A", "result": "na", "value": None, "note": "", "media": []},
            {
                "item_id": "HC-MAJ-01",
                "result": "fail",
                "value": None,
                "note": "证书过期",
                "media": ["m1"],
            },
        ],
    }


def test_expected_items_follow_plan_subset_then_profile(page):
    doc = {
        "sections": [{"title": "s", "items": [{"id": "A"}, {"id": "B"}, {"id": "C"}]}],
        "profiles": [{"code": "small", "items": ["C", "A"]}],
    }
    body = "return [m.expectedItems(arg, {item_ids: ['B']}), m.expectedItems(arg, {profile: 'small'}), m.expectedItems(arg, {})].map(l => l.map(i => i.id));"
    assert run(page, "inspection.js", body, doc) == [["B"], ["A", "C"], ["A", "B", "C"]]


def test_backoff_doubles_and_caps_at_five_minutes(page):
    got = run(page, "sync.js", "return [0, 1, 2, 5, 8, 9, 20].map(m.backoffDelay);")
    assert got == [1000, 2000, 4000, 32000, 256000, 300000, 300000]


def test_reconcile_marks_queued_synced_and_drafted_tasks(page):
    tasks = [{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}]
    entries = [
        {"kind": "inspection", "state": "pending", "payload": {"task_occurrence_id": 1}},
        {"kind": "inspection", "state": "synced", "payload": {"task_occurrence_id": 2}},
        {"kind": "transition", "state": "pending", "payload": {"hazard_id": "h"}},
    ]
    drafts = [{"id": "d3", "task_occurrence_id": 3}, {"id": "free", "task_occurrence_id": None}]
    got = run(
        page,
        "sync.js",
        "return m.reconcileTasks(arg.tasks, arg.entries, arg.drafts).map(t => [t.id, t.local, t.draftId]);",
        {"tasks": tasks, "entries": entries, "drafts": drafts},
    )
    assert got == [[1, "queued", None], [2, "synced", None], [3, "draft", "d3"], [4, None, None]]


def test_tasks_group_by_place_earliest_due_first(page):
    tasks = [
        {"id": 1, "place": {"id": 9, "name": "仓库"}, "due_end": "2026-11-25T10:00:00Z"},
        {"id": 2, "place": {"id": 4, "name": "罐区"}, "due_end": "2026-11-25T08:00:00Z"},
        {"id": 3, "place": {"id": 9, "name": "仓库"}, "due_end": "2026-11-25T07:00:00Z"},
    ]
    got = run(
        page,
        "sync.js",
        "return m.groupByPlace(arg).map(g => [g.place.name, g.tasks.map(t => t.id)]);",
        tasks,
    )
    assert got == [["仓库", [3, 1]], ["罐区", [2]]]


@pytest.mark.parametrize(
    ("size", "expected"),
    [((4000, 3000), [1600, 1200]), ((1200, 2400), [800, 1600]), ((800, 600), [800, 600])],
)
def test_photos_fit_within_1600_pixels(page, size, expected):
    got = run(
        page,
        "photo.js",
        "const r = m.fitWithin(arg[0], arg[1]); return [r.width, r.height];",
        list(size),
    )
    assert got == expected


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("K7QX2MAB", "K7QX2MAB"),
        (" k7qx-2mab \n", "k7qx-2mab"),
        ("https://anxun.example/#/p/AB12CD34", "AB12CD34"),  # what the printed labels hold
        ("http://127.0.0.1:8000/api/v1/places/by-token/ZX98YW76", "ZX98YW76"),
    ],
)
def test_scanned_text_gives_the_place_token(page, text, token):
    assert run(page, "screens/scan.js", "return m.tokenFromText(arg);", text) == token


def test_enterprises_are_the_distinct_memberships(page):
    user = {
        "memberships": [
            {
                "enterprise_id": 1,
                "organisation_name": "甲公司",
                "role": {"code": "safety_officer", "label": "安全管理人员"},
            },
            {
                "enterprise_id": 1,
                "organisation_name": "甲公司",
                "role": {"code": "inspector", "label": "排查人员"},
            },
            {
                "enterprise_id": 2,
                "organisation_name": "乙公司",
                "role": {"code": "head", "label": "主要负责人"},
            },
            {
                "enterprise_id": None,
                "regulator_id": 5,
                "role": {"code": "regulator_inspector", "label": "x"},
            },
        ]
    }
    got = run(
        page,
        "session.js",
        "return m.enterprisesOf(arg).map(e => [e.id, e.name, e.roles.map(r => r.code)]);",
        user,
    )
    assert got == [[1, "甲公司", ["safety_officer", "inspector"]], [2, "乙公司", ["head"]]]


@pytest.mark.parametrize("size", [0, 3, 55, 56, 64, 1000, 70_001])
def test_fallback_sha256_matches_the_browser_and_python(page, size):
    """The pure SHA-256 used where crypto.subtle is missing (plain-http pages)."""
    import hashlib

    data = bytes((i * 7 + 3) % 256 for i in range(size))
    body = """
        const bytes = new Uint8Array(arg);
        const native = await crypto.subtle.digest('SHA-256', bytes);
        const hex = [...new Uint8Array(native)].map((b) => b.toString(16).padStart(2, '0')).join('');
        return [m.sha256Bytes(bytes), hex];
    """
    pure, native = run(page, "photo.js", body, list(data))
    assert pure == native == hashlib.sha256(data).hexdigest()
