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
            {"item_id": "HC-01A", "result": "na", "value": None, "note": "", "media_ids": []},
            {
                "item_id": "HC-MAJ-01",
                "result": "fail",
                "value": None,
                "note": "证书过期",
                "media_ids": ["m1"],
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


def test_backoff_doubles_and_caps_at_thirty_seconds(page):
    got = run(page, "sync.js", "return [-1, 0, 1, 2, 4, 5, 11, 20].map(m.backoffDelay);")
    assert got == [1000, 1000, 2000, 4000, 16000, 30000, 30000, 30000]


def outbox_entry(entry_id, kind="inspection", state="pending", next_at=0, **extra):
    payload = extra.pop("payload", {})
    return {
        "id": entry_id,
        "kind": kind,
        "state": state,
        "next_attempt_at": next_at,
        "payload": payload,
        **extra,
    }


def test_a_waiting_or_refused_record_holds_back_only_the_records_that_depend_on_it(page):
    now = 1_000_000
    entries = [
        outbox_entry("i1", state="failed"),  # refused
        outbox_entry("t1", "transition", next_at=now + 5000, payload={"hazard_id": "7"}),
        outbox_entry("i2"),
        outbox_entry("t2", "transition", payload={"hazard_id": "7"}),  # behind t1
        outbox_entry("t3", "transition", payload={"hazard_id": "8"}),
        outbox_entry("inc", "incident", state="synced"),
        outbox_entry("r1", "incident_report", next_at=now - 1, payload={"incident_id": "inc"}),
        outbox_entry("x", "incident", state="failed"),
        outbox_entry("r2", "incident_report", payload={"incident_id": "x"}),  # behind refused x
        outbox_entry("i3", next_at=now + 9000, last_status=0),  # got no answer last time
    ]
    body = """const due = (wake) => m.dueEntries(arg.entries, arg.now, wake).map((e) => e.id);
        return [due(null), due('network'), due('all'), m.heads(arg.entries).map((e) => e.id),
                m.nextDueAt(arg.entries)];"""
    got = run(page, "sync.js", body, {"entries": entries, "now": now})
    assert got == [
        ["i2", "t3", "r1"],
        ["i2", "t3", "r1", "i3"],
        ["t1", "i2", "t3", "r1", "i3"],
        ["i1", "t1", "i2", "t3", "r1", "x", "i3"],
        0,
    ]


def test_due_records_go_to_sync_in_batches_of_twenty_and_other_kinds_one_by_one(page):
    due = [outbox_entry(f"i{n}") for n in range(1, 24)]
    due[3] = outbox_entry("t1", "transition", payload={"hazard_id": "h1"})
    due[5] = outbox_entry("inc", "incident")
    due[21] = outbox_entry("rep", "hazard_report")
    body = """const plan = m.planRound(arg);
        return [plan.batches.map((b) => b.map((e) => e.id)), plan.singles.map((e) => e.id),
                m.planRound([]).batches.length, m.BATCH_SIZE, m.UPLOAD_LIMIT];"""
    batches, singles, empty, size, limit = run(page, "sync.js", body, due)
    expected = [e["id"] for e in due if e["id"] not in ("inc", "rep")]
    assert batches == [expected[:20], expected[20:]]
    assert len(batches[1]) == 1  # 23 records, two of them sent on their own
    assert singles == ["inc", "rep"]
    assert (empty, size, limit) == (0, 20, 3)


def test_a_sync_item_carries_what_the_single_endpoint_would_get(page):
    entries = [
        outbox_entry("i1", payload={"id": "i1", "answers": [{"item_id": "A"}]}),
        outbox_entry(
            "t1",
            "transition",
            payload={"hazard_id": "h-7", "action": "confirm", "expected_state": "reported"},
        ),
    ]
    body = "return arg.map((e) => m.syncItem(e, '2026-12-07T05:00:00Z'));"
    assert run(page, "sync.js", body, entries) == [
        {
            "kind": "inspection",
            "id": "i1",
            "body": {"id": "i1", "answers": [{"item_id": "A"}], "sent_at": "2026-12-07T05:00:00Z"},
        },
        {
            "kind": "transition",
            "id": "t1",
            "hazard_id": "h-7",
            "body": {"action": "confirm", "expected_state": "reported"},
        },
    ]


def test_records_queued_by_an_older_app_are_sent_under_the_current_names(page):
    """An upgrade never strands a queued record: the names the API used before (docs/api.md)
    are renamed when the record is sent; current records and other kinds go as they are."""
    old = {
        "inspection": {
            "id": "i1",
            "answers": [
                {"item_id": "A", "result": "fail", "media": ["m1"]},
                {"item_id": "B", "result": "pass", "media": []},
                {"item_id": "C", "result": "pass"},
            ],
        },
        "transition": {
            "hazard_id": "h-7",
            "action": "submit_plan",
            "after_photos": ["m2"],
            "governance_plan": "m3",
        },
        "hazard_report": {"id": "r1", "title": "通道堵塞", "photo_ids": ["m4"]},
        "permit_measure": {"permit_id": 9, "code": "M1", "photo_ids": ["m5"]},
        "incident": {"id": "x1", "photo_ids": ["kept"]},
    }
    body = "return Object.fromEntries(Object.entries(arg).map(([k, p]) => [k, m.upgradeLegacyPayload(k, p)]));"
    assert run(page, "sync.js", body, old) == {
        "inspection": {
            "id": "i1",
            "answers": [
                {"item_id": "A", "result": "fail", "media_ids": ["m1"]},
                {"item_id": "B", "result": "pass", "media_ids": []},
                {"item_id": "C", "result": "pass"},
            ],
        },
        "transition": {
            "hazard_id": "h-7",
            "action": "submit_plan",
            "after_media_ids": ["m2"],
            "governance_plan_id": "m3",
        },
        "hazard_report": {"id": "r1", "title": "通道堵塞", "media_ids": ["m4"]},
        "permit_measure": {"permit_id": 9, "code": "M1", "media_ids": ["m5"]},
        "incident": {"id": "x1", "photo_ids": ["kept"]},
    }
    current = {k: run(page, "sync.js", body, old)[k] for k in old}
    assert run(page, "sync.js", body, current) == current
    # The batch item of an old inspection carries the current name too.
    entry = {"id": "i1", "kind": "inspection", "payload": old["inspection"]}
    item = run(page, "sync.js", "return m.syncItem(arg, '2026-12-07T05:00:00Z');", entry)
    assert item["body"]["answers"][0]["media_ids"] == ["m1"]
    assert "media" not in item["body"]["answers"][0]


def test_each_record_takes_its_own_answer_from_the_batch(page):
    entries = [outbox_entry(n) for n in ("a", "b", "c", "d", "e")]
    refusal = {"type": "/problems/validation", "status": 422, "detail": "有误"}
    response = {
        "results": [
            {"index": 0, "id": "a", "status": 201, "body": {"receipt": {"id": "a"}}},
            {"index": 1, "id": "b", "status": 200, "body": {"receipt": {"id": "b"}}},
            {"index": 2, "id": "c", "status": 422, "problem": refusal},
            {"index": 3, "id": "d", "status": 500},
            # "e" is missing from the answer
        ]
    }
    body = "return m.itemResults(arg.entries, arg.response);"
    got = run(page, "sync.js", body, {"entries": entries, "response": response})
    assert got[0] == {"ok": True, "status": 201, "data": {"receipt": {"id": "a"}}}
    assert got[1]["ok"] is True and got[1]["status"] == 200
    assert got[2] == {"ok": False, "status": 422, "problem": refusal}
    assert got[3]["ok"] is False and got[3]["status"] == 500
    assert got[3]["problem"]["title"] == "服务器返回 500"
    assert got[4]["ok"] is False and got[4]["status"] == 0  # no answer: retried, backoff kept
    # An answer under another record's id is not taken for this one.
    swapped = {"results": [{"index": 0, "id": "b", "status": 201, "body": {}}]}
    got = run(page, "sync.js", body, {"entries": entries[:1], "response": swapped})
    assert got[0]["status"] == 0


def test_uploads_run_at_most_three_at_a_time_and_results_keep_their_order(page):
    body = """let running = 0, most = 0;
        const started = [];
        const results = await m.mapLimit(arg, 3, async (n, i) => {
          running += 1; most = Math.max(most, running); started.push(i);
          // Later items finish first: a resolved promise per unit of n.
          for (let k = 0; k < n; k += 1) await Promise.resolve();
          running -= 1;
          return n * 10;
        });
        return [results, most, started.length, await m.mapLimit([], 3, async () => 1)];"""
    results, most, started, empty = run(page, "sync.js", body, [9, 7, 5, 3, 1, 2, 4])
    assert results == [90, 70, 50, 30, 10, 20, 40]
    assert most == 3
    assert started == 7
    assert empty == []


def test_a_burst_of_outbox_changes_redraws_twice_not_once_per_change(page):
    body = """let runs = 0, release;
        const gate = new Promise((r) => (release = r));
        const redraw = m.coalesced(async () => { runs += 1; if (runs === 1) await gate; });
        const first = redraw();
        for (let k = 0; k < 20; k += 1) redraw();  // twenty changes while the first draw runs
        release();
        await first;
        const afterBurst = runs;
        await redraw();  // a later change draws again
        return [afterBurst, runs];"""
    assert run(page, "ui.js", body) == [2, 3]


def test_refresh_failures_other_than_401_are_retried_and_other_4xx_are_refusals(page):
    body = """return arg.map((r) => m.isRetryable(r));"""
    results = [
        {"status": 0},
        {"status": 408},
        {"status": 429},
        {"status": 500},
        {"status": 502},
        {"status": 400},
        {"status": 409},
        {"status": 413},
        {"status": 422},
        {"status": 422, "retryable": True},
    ]
    got = run(page, "api.js", body, results)
    assert got == [True, True, True, True, True, False, False, False, False, True]


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


# ---- the phone's hazard loop (#17) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # 22 items in 30 s: fewer than 3 s each (inspections/plausibility.py).
        (
            {"finishedAt": "2026-12-07T02:00:30Z", "answered": 22},
            [["too_fast", "用时 30 秒完成 22 项检查，少于合理最短用时 66 秒。"]],
        ),
        ({"finishedAt": "2026-12-07T02:00:30Z", "answered": 10}, []),
        # 0.01° of latitude is 1 112 m (mean Earth radius); the tolerance is 200 m or 2× accuracy.
        (
            {
                "finishedAt": "2026-12-07T02:10:00Z",
                "answered": 4,
                "gps": {"lat": 29.99, "lon": 121.64, "accuracy": 12},
                "placeCoordinates": [29.98, 121.64],
            },
            [["gps_far", "定位距检查点约 1112 米，超出 200 米。"]],
        ),
        (
            {
                "finishedAt": "2026-12-07T02:10:00Z",
                "answered": 4,
                "gps": {"lat": 29.99, "lon": 121.64, "accuracy": 600},
                "placeCoordinates": [29.98, 121.64],
            },
            [],
        ),
    ],
)
def test_plausibility_warnings_match_the_server_flags(page, facts, expected):
    body = """return m.plausibilityWarnings({startedAt: "2026-12-07T02:00:00Z", ...arg})
        .map((f) => [f.code, f.message]);"""
    assert run(page, "inspection.js", body, facts) == expected


@pytest.mark.parametrize(
    ("text", "ok"),
    [("1200", True), (" 12.5 ", True), ("0", True), ("12.345", False), ("-1", False), ("", False)],
)
def test_funds_are_plain_amounts_with_two_places_at_most(page, text, ok):
    assert run(page, "screens/hazard_forms.js", "return m.isAmount(arg);", text) is ok


def test_hazard_tabs_follow_the_roles(page):
    body = """const keys = (roles) => m.hazardTabs(roles, 5, 9).map((t) => [t.key, t.sections.map((s) => s.key)]);
        const verify = m.hazardTabs(["head"], 5, 9).find((t) => t.key === "verify").sections[0];
        return {rectifier: keys(["rectifier"]), head: keys(["head"]),
                officer: keys(["safety_officer", "inspector"]),
                mineVerifiable: [verify.keep({rectified_by_user_id: 9}), verify.keep({rectified_by_user_id: 4})]};"""
    tabs = run(page, "hazard_queues.js", body)
    assert tabs["rectifier"] == [["todo", ["mine"]], ["reported", ["reported"]]]
    assert tabs["head"] == [
        ["todo", ["confirm", "plan", "approve", "mine"]],
        ["verify", ["verify"]],
        ["reported", ["reported"]],
        ["all", ["all"]],
    ]
    assert tabs["officer"][0] == ["todo", ["confirm", "plan", "mine"]]
    assert tabs["mineVerifiable"] == [False, True]


def test_a_direct_report_needs_a_title_and_a_photo(page):
    body = """const base = {id: "u1", enterpriseId: 3, title: " 通道堵塞 ", description: "",
                          placeId: "", photoIds: ["p1"], level: "major"};
        return [m.reportPayload({...base, title: "  "}), m.reportPayload({...base, photoIds: []}),
                m.reportPayload(base), m.reportPayload({...base, placeId: "7"}).place_id];"""
    untitled, unphotographed, body_, place_id = run(page, "screens/report.js", body)
    assert (untitled, unphotographed) == ("请填写隐患名称。", "请拍摄至少一张现场照片。")
    assert body_ == {
        "id": "u1",
        "enterprise_id": 3,
        "title": "通道堵塞",
        "description": "",
        "media_ids": ["p1"],
        "proposed_level": "major",
    }
    assert place_id == 7


def test_the_watermark_names_the_photographer(page):
    body = """return m.watermarkLines({takenAt: new Date(2026, 11, 7, 9, 5, 3), enterpriseName: "宁波恒锐",
        placeName: "抛光除尘区", gps: {lat: 29.98215, lon: 121.64118, accuracy: 12}, takerName: "王建国"});"""
    assert run(page, "photo.js", body) == [
        "2026-12-07 09:05:03",
        "宁波恒锐",
        "检查点：抛光除尘区",
        "GPS 29.982150, 121.641180 ±12米",
        "拍摄人：王建国",
    ]


def test_a_permit_s_offline_steps_go_one_after_another_and_singly(page):
    """Measures and readings of one permit wait behind each other (the server needs the measures
    first); another permit's step does not wait; none goes through the /sync batch."""
    entries = [
        outbox_entry("m1", "permit_measure", payload={"permit_id": "P", "code": "HW-01"}),
        outbox_entry("r1", "permit_reading", payload={"permit_id": "P", "gas": "oxygen"}),
        outbox_entry("q1", "permit_measure", payload={"permit_id": "Q", "code": "CS-01"}),
    ]
    body = """const plan = m.planRound(m.dueEntries(arg, 0));
        return [m.heads(arg).map((e) => e.id), plan.batches.length, plan.singles.map((e) => e.id)];"""
    assert run(page, "sync.js", body, entries) == [["m1", "q1"], 0, ["m1", "q1"]]


def test_a_permit_shows_its_steps_still_in_the_outbox(page):
    entries = [
        outbox_entry(
            "m1", "permit_measure", payload={"permit_id": "P", "code": "HW-01", "is_met": True}
        ),
        outbox_entry(
            "m2",
            "permit_measure",
            "failed",
            payload={"permit_id": "P", "code": "HW-02", "is_met": False},
        ),
        outbox_entry("m3", "permit_measure", "synced", payload={"permit_id": "P", "code": "HW-03"}),
        outbox_entry(
            "r1", "permit_reading", payload={"permit_id": "P", "gas": "oxygen", "value": 20.6}
        ),
        outbox_entry("q1", "permit_measure", payload={"permit_id": "Q", "code": "HW-04"}),
    ]
    got = run(page, "screens/permits.js", "return m.pendingSteps(arg, 'P');", entries)
    assert got == {
        "measures": {
            "HW-01": {"is_met": True, "state": "待同步"},
            "HW-02": {"is_met": False, "state": "被拒收"},
        },
        "readings": [{"permit_id": "P", "gas": "oxygen", "value": 20.6, "state": "待同步"}],
    }


def test_only_work_under_way_shows_when_its_re_analysis_is_due(page):
    body = """return [
        m.reanalysisText({ state: { code: 'active' }, reanalysis_due_at: '2026-12-07T03:00:00Z' }),
        m.reanalysisText({ state: { code: 'approved' }, reanalysis_due_at: '2026-12-07T03:00:00Z' }),
        m.reanalysisText({ state: { code: 'active' }, reanalysis_due_at: null })];"""
    active, approved, none = run(page, "screens/permits.js", body)
    assert active.startswith("须在 ") and active.endswith(" 前复检") and "11:00" in active
    assert approved == none == ""


def test_the_shared_element_builder_takes_both_apps_conventions(page):
    body = """
        const clicks = [];
        const a = m.h("button.big.pass", {onclick: () => clicks.push("a"), "aria-pressed": "true",
                                          class: "wide", type: "button"}, "合格", null, ["!", false]);
        const b = m.h("div", {class: ["problem", false, "shown"], text: "保存", on: {click: () => clicks.push("b")},
                              dataset: {testid: "save"}, style: {color: "rgb(1, 2, 3)"}, form: "f1",
                              hidden: true, value: 0});
        a.click(); b.click();
        return [a.className, a.textContent, a.getAttribute("aria-pressed"), a.type,
                b.className, b.textContent, b.dataset.testid, b.style.color, b.getAttribute("form"),
                b.hidden, clicks];"""
    got = run(page, "../shared/dom.js", body)
    assert got == [
        "big pass wide",
        "合格!",
        "true",
        "button",
        "problem shown",
        "保存",
        "save",
        "rgb(1, 2, 3)",
        "f1",
        True,
        ["a", "b"],
    ]


def test_a_problem_reads_as_one_sentence_with_its_field_messages(page):
    body = """return [
        m.problemText({status: 422, problem: {title: "输入有误", detail: "请检查以下字段。",
            errors: [{field: "a", message: "甲"}, {field: "b", message: "乙"}, {field: "c", message: ""},
                     {field: "d", message: "丁"}, {field: "e", message: "戊"}]}}),
        m.problemText({status: 500, problem: {}}),
        m.problemParts({title: "冲突", status: 409}).title,
        m.problemParts(null).title,
        m.problemText({status: 422, problem: {title: "提交的数据有误", detail: "只有监护人可以开始。",
            errors: [{field: "actor", message: "只有监护人可以开始。"}]}}),
        m.problemParts({detail: "请检查。", errors: [{field: "actor", message: "请检查。"},
            {field: "readings", message: "缺少氧气分析数据。"}]}).errors,
    ];"""
    got = run(page, "../shared/problems.js", body)
    assert got == [
        "请检查以下字段。 甲 乙 丁",
        "请求失败（500）",
        "冲突",
        "请求失败",
        "只有监护人可以开始。",
        [{"field": "readings", "message": "缺少氧气分析数据。"}],
    ]


def test_the_desk_names_a_field_by_its_form_label_never_by_its_api_code(page):
    body = """
        const form = document.createElement("form");
        form.innerHTML = `<label>整改期限 <input name="deadline"></label>
            <label>隐患等级：<select name="level"><option>一般隐患</option></select></label>
            <input name="note" aria-label="说明"><div class="out"></div>`;
        document.body.append(form);
        m.showProblem(form.querySelector(".out"), {title: "提交的数据有误", detail: "请核对。",
            errors: [{field: "deadline", message: "整改期限不能早于今天。"},
                     {field: "level", message: "请选择。"}, {field: "note", message: "太长。"},
                     {field: "answers[HC-1].media_ids", message: "须拍照。"},
                     {field: "actor", message: "只有本人可以操作。"}]});
        const items = [...form.querySelectorAll(".out li")].map((li) => li.textContent);
        form.remove();
        return items;"""
    got = run(page, "../desk/js/ui.js", body)
    assert got == [
        "整改期限：整改期限不能早于今天。",
        "隐患等级：请选择。",
        "说明：太长。",
        "须拍照。",
        "只有本人可以操作。",
    ]


def test_the_shared_client_refreshes_once_and_only_a_refused_refresh_ends_the_session(page):
    """Two requests meet an expired token: one refresh serves both. A 502 from the refresh keeps the
    session (the answer says so); a 401 from it ends the session, once per request that needed it."""
    refreshes = []

    def probe(route):
        auth = route.request.headers.get("authorization", "")
        if auth == "Bearer fresh":
            route.fulfill(status=200, content_type="application/json", body='{"seen": "fresh"}')
        else:
            route.fulfill(
                status=401, content_type="application/problem+json", body='{"title": "x"}'
            )

    def refresh(route):
        refreshes.append(route.request.headers.get("authorization"))
        if len(refreshes) == 1:
            route.fulfill(status=502, content_type="text/plain", body="bad gateway")
        elif len(refreshes) == 2:
            body = '{"access_token": "fresh", "refresh_token": "r2"}'
            route.fulfill(status=200, content_type="application/json", body=body)
        else:
            route.fulfill(
                status=401, content_type="application/problem+json", body='{"title": "x"}'
            )

    page.route("**/api/v1/toolkit-probe", probe)
    page.route("**/api/v1/auth/refresh", refresh)
    try:
        body = """
            let tokens = {access: "stale", refresh: "r1"};
            const expired = [];
            const client = m.createClient({
                tokens: () => tokens,
                saveTokens: async (access, refresh) => { tokens = {access, refresh: refresh || tokens.refresh}; },
                onExpired: () => expired.push(1),
            });
            const first = await Promise.all([client.request("toolkit-probe"), client.request("toolkit-probe")]);
            const second = await client.request("toolkit-probe");
            const kept = {...tokens};
            tokens = {access: "stale-again", refresh: "r2"};
            const third = await client.request("toolkit-probe");
            return [first.map((r) => [r.status, r.problem.type, r.retryable]),
                    [second.status, second.data], kept,
                    [third.status, third.problem.title], expired.length];"""
        got = run(page, "../shared/http.js", body)
    finally:
        page.unroute("**/api/v1/toolkit-probe")
        page.unroute("**/api/v1/auth/refresh")
    assert got[0] == [[502, "/problems/refresh-unavailable", True]] * 2
    assert got[1] == [200, {"seen": "fresh"}]
    assert got[2] == {"access": "fresh", "refresh": "r2"}
    assert got[3] == [401, "登录已过期"]
    assert got[4] == 1
    assert refreshes == ["Bearer r1", "Bearer r1", "Bearer r2"]
