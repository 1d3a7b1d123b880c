"""Places and their QR labels, inspection plans, stop periods, the task list and the online
operation rate over HTTP (China local dates; the clock is frozen on Tuesday 2026-03-10 10:00)."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.inspections.models import InspectionPlan, Place, StopPeriod, TaskOccurrence
from tests.conftest import DEMO_PASSWORD
from tests.factories_planning import (
    OFFICE_HOURS,
    local,
    make_inspection,
    make_place,
    place_payload,
    plan_payload,
)

NOW = local("2026-03-10 10:00")
TOKEN = re.compile(r"^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$")


@pytest.fixture(autouse=True)
def _tuesday_morning(frozen_clock):
    frozen_clock(NOW.astimezone(UTC))
    return frozen_clock


@pytest.fixture
def hc(world):
    return world["enterprise"]["hc"]


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


def rows(db) -> dict:
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Place, InspectionPlan, StopPeriod, TaskOccurrence, AuditEntry)
    }


def errors_of(response) -> dict:
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


def post_place(client, headers, hc, **fields):
    response = client.post(
        f"/api/v1/enterprises/{hc}/places", json=place_payload(**fields), headers=headers
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def post_plan(client, headers, hc, **fields):
    response = client.post(
        f"/api/v1/enterprises/{hc}/plans", json=plan_payload(**fields), headers=headers
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def tasks(client, headers, query="due=today"):
    response = client.get(f"/api/v1/tasks?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


# ---- places ------------------------------------------------------------------------------


def test_officer_registers_a_place_with_a_label_code_and_reads_it_back(client, officer, hc, db):
    body = post_place(
        client, officer, hc, name="1号罐区", kind="area", latitude=29.98, longitude=121.64
    )
    assert body["kind"] == {"code": "area", "label": "区域"}
    assert TOKEN.match(body["qr_token"])
    assert body["is_active"] is True
    assert client.get(f"/api/v1/places/{body['id']}", headers=officer).get_json() == body
    listed = client.get(f"/api/v1/enterprises/{hc}/places", headers=officer).get_json()
    assert [p["name"] for p in listed["items"]] == ["1号罐区"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "create_place"))
    assert entry.entity_id == str(body["id"])
    assert entry.change["qr_token"] == body["qr_token"]


PLACE_ERRORS = [
    ({"name": "1号罐区"}, {"name": "本企业已有同名地点。"}),
    ({"kind": "tank"}, {"kind": "取值应为以下之一：unit, area, equipment。"}),
    ({"latitude": 30.0}, {"longitude": "经度和纬度须同时填写。"}),
    ({"parent_id": "con"}, {"parent_id": "上级地点不存在。"}),
    ({"name": "   "}, {"name": "名称不能为空。"}),
]


@pytest.mark.parametrize(("fields", "expected"), PLACE_ERRORS, ids=lambda v: str(v))
def test_bad_place_input_is_a_chinese_field_error_and_writes_nothing(
    client, officer, hc, world, db, fields, expected
):
    post_place(client, officer, hc, name="1号罐区")
    if fields.get("parent_id") == "con":
        fields = {"parent_id": make_place(world["enterprise"]["con"]).id}
        db.session.commit()
    before = rows(db)
    response = client.post(
        f"/api/v1/enterprises/{hc}/places", json=place_payload(**fields), headers=officer
    )
    assert errors_of(response) == expected
    assert rows(db) == before


def test_a_place_is_corrected_and_deactivated(client, officer, hc):
    place = post_place(client, officer, hc, name="泵房")
    changed = client.patch(
        f"/api/v1/places/{place['id']}",
        json={"description": "循环水泵房", "kind": "unit"},
        headers=officer,
    )
    assert changed.status_code == 200
    assert changed.get_json()["kind"]["code"] == "unit"
    assert changed.get_json()["description"] == "循环水泵房"
    off = client.patch(f"/api/v1/places/{place['id']}", json={"is_active": False}, headers=officer)
    assert off.get_json()["is_active"] is False
    lookup = client.get(f"/api/v1/places/by-token/{place['qr_token']}", headers=officer)
    assert lookup.status_code == 404
    active = client.get(f"/api/v1/enterprises/{hc}/places?is_active=true", headers=officer)
    assert active.get_json()["items"] == []


def test_a_place_cannot_be_its_own_parent(client, officer, hc, db):
    place = post_place(client, officer, hc)
    before = rows(db)
    response = client.patch(
        f"/api/v1/places/{place['id']}", json={"parent_id": place["id"]}, headers=officer
    )
    assert errors_of(response) == {"parent_id": "上级地点不能是该地点本身或其下级地点。"}
    assert rows(db) == before


# ---- label lookup and printing -------------------------------------------------------------


def test_a_typed_label_code_finds_the_place_and_todays_tasks(client, officer, hc, world, db):
    place = post_place(client, officer, hc, name="1号罐区")
    plan = post_plan(client, officer, hc, place_ids=[place["id"]])
    typed = f"{place['qr_token'][:4].lower()}-{place['qr_token'][4:].lower()}"
    response = client.get(f"/api/v1/places/by-token/{typed}", headers=officer)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["place"]["id"] == place["id"]
    assert body["enterprise_name"] == "宁波澄江化工有限公司"
    assert [(t["plan_id"], t["state"]["code"]) for t in body["tasks"]] == [(plan["id"], "open")]
    assert at(body["tasks"][0]["due_start"]) == local("2026-03-10")

    unknown = client.get("/api/v1/places/by-token/ZZZZ9999", headers=officer)
    assert unknown.status_code == 404
    assert unknown.content_type == "application/problem+json"

    elsewhere = make_place(world["enterprise"]["con"], qr_token="CONPLC22")
    db.session.commit()
    assert client.get("/api/v1/places/by-token/CONPLC22", headers=officer).status_code == 404
    assert elsewhere.enterprise_id == world["enterprise"]["con"]


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_the_label_sheet_is_a_pdf_with_cjk_fonts_names_and_codes(client, officer, hc, tmp_path):
    places = [post_place(client, officer, hc, name=f"{n}号罐区", kind="area") for n in (1, 2, 3)]
    response = client.get(f"/api/v1/enterprises/{hc}/places/labels.pdf", headers=officer)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(response.data)
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    assert any("CJK" in line and " yes " in line for line in fonts)
    text = run("pdftotext", str(pdf), "-")
    assert "宁波澄江化工有限公司" in text
    for place in places:
        assert place["name"] in text
        assert place["qr_token"] in text

    one = client.get(
        f"/api/v1/enterprises/{hc}/places/labels.pdf?place_id={places[1]['id']}", headers=officer
    )
    pdf.write_bytes(one.data)
    text = run("pdftotext", str(pdf), "-")
    assert places[1]["qr_token"] in text
    assert places[0]["qr_token"] not in text and places[2]["qr_token"] not in text


def test_label_qr_codes_name_the_configured_address_not_the_request_host(
    app, client, officer, hc, monkeypatch
):
    import segno

    place = post_place(client, officer, hc, name="液氨罐区", kind="area")
    encoded = []
    real_make = segno.make
    monkeypatch.setattr(
        segno, "make", lambda content, **kw: encoded.append(content) or real_make(content, **kw)
    )
    app.config["ANXUN_PUBLIC_BASE_URL"] = "https://anxun.example.cn/"
    response = client.get(
        f"/api/v1/enterprises/{hc}/places/labels.pdf",
        headers={**officer, "Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    assert response.status_code == 200
    assert encoded == [f"https://anxun.example.cn/#/p/{place['qr_token']}"]


def test_labels_of_unknown_places_are_refused(client, officer, hc):
    response = client.get(
        f"/api/v1/enterprises/{hc}/places/labels.pdf?place_id=999999", headers=officer
    )
    assert errors_of(response) == {"place_id": "所选地点不存在或已停用。"}


# ---- inspection plans ----------------------------------------------------------------------


def test_a_plan_is_created_read_listed_and_changed(client, officer, hc, world):
    first = post_place(client, officer, hc, name="1号罐区")
    second = post_place(client, officer, hc, name="2号罐区")
    plan = post_plan(client, officer, hc, place_ids=[second["id"], first["id"]])
    assert plan["inspection_type"] == {"code": "daily", "label": "日常排查"}
    assert plan["frequency_unit"] == {"code": "day", "label": "天"}
    assert plan["day_type"] == {"code": "every_day", "label": "每天"}
    assert plan["profile"] == "small_micro"
    assert [p["id"] for p in plan["places"]] == [first["id"], second["id"]]
    assert at(plan["anchor_at"]) == NOW
    assert client.get(f"/api/v1/plans/{plan['id']}", headers=officer).get_json() == plan
    listed = client.get(f"/api/v1/enterprises/{hc}/plans", headers=officer).get_json()
    assert [p["id"] for p in listed["items"]] == [plan["id"]]

    officer_id = world["users"]["officer-hc"]
    changed = client.patch(
        f"/api/v1/plans/{plan['id']}",
        json={
            "title": "1号罐区日常排查",
            "assignee_user_id": officer_id,
            "place_ids": [first["id"]],
        },
        headers=officer,
    ).get_json()
    assert changed["title"] == "1号罐区日常排查"
    assert (changed["assignee_user_id"], changed["assignee_role"]) == (officer_id, None)
    assert [p["id"] for p in changed["places"]] == [first["id"]]


def test_a_plan_may_name_chosen_check_items_and_an_hourly_frequency(client, officer, hc):
    plan = post_plan(
        client,
        officer,
        hc,
        profile=None,
        item_ids=["HC-01", "HC-02A"],
        frequency_every=2,
        frequency_unit="hour",
        inspection_type="patrol",
        **OFFICE_HOURS,
    )
    assert plan["item_ids"] == ["HC-01", "HC-02A"]
    assert (plan["work_start"], plan["work_end"]) == ("08:00:00", "12:00:00")
    assert plan["places"] == []


PLAN_ERRORS = [
    ({"checklist_code": "no-such"}, {"checklist_code": "未找到该检查表，或本企业不能使用。"}),
    ({"profile": "tiny"}, {"profile": "检查表中没有该简版。"}),
    ({"title": "  "}, {"title": "标题不能为空。"}),
    (
        {"profile": None, "item_ids": ["HC-01", "XX-99"]},
        {"item_ids": "检查表中没有这些检查项：XX-99。"},
    ),
    ({"item_ids": ["HC-01"]}, {"item_ids": "简版和指定检查项只能选择一种。"}),
    (
        {"assignee_role": None, "assignee_user_id": "head-con"},
        {"assignee_user_id": "排查人员须是本企业在职人员。"},
    ),
    (
        {"assignee_user_id": "officer-hc"},
        {"assignee_user_id": "请指定排查人员或排查角色（二选一）。"},
    ),
    (
        {"assignee_role": "auditor"},
        {"assignee_role": "取值应为以下之一：head, safety_officer, inspector, rectifier。"},
    ),
    (
        {"inspection_type": "yearly"},
        {
            "inspection_type": "取值应为以下之一：patrol, daily, weekly, monthly, seasonal, holiday, comprehensive, special, responsibility。"
        },
    ),  # noqa: E501
    ({"frequency_every": 0}, {"frequency_every": "应大于等于 1 且小于等于 1000。"}),
    (
        {"frequency_unit": "hour"},
        {"work_start": "按小时排查的任务必须设置工作开始时间和工作结束时间"},
    ),
    ({"frequency_unit": "shift"}, {"shifts": "按班次排查的任务必须设置班次"}),
    (
        {"work_start": "12:00", "work_end": "08:00"},
        {"work_end": "工作结束时间必须晚于工作开始时间"},
    ),
    (
        {
            "frequency_unit": "shift",
            "shifts": [
                {"name": "白班", "start": "08:00", "end": "20:00"},
                {"name": "夜班", "start": "19:00", "end": "08:00"},
            ],
        },
        {"shifts": "班次时间不能重叠"},
    ),
    (
        {"work_start": "8点", "work_end": "17:00+08:00"},
        {"work_start": "应为当地时间（HH:MM）。", "work_end": "应为当地时间（HH:MM）。"},
    ),
    ({"place_ids": "con"}, {"place_ids": "地点不存在或不属于本企业。"}),
    ({"anchor_at": "2026-03-09T23:00:00+08:00"}, {"anchor_at": "开始时间不能早于今天。"}),
]


@pytest.mark.parametrize(("fields", "expected"), PLAN_ERRORS, ids=lambda v: str(v)[:40])
def test_bad_plan_input_is_a_chinese_field_error_and_writes_nothing(
    client, officer, hc, world, db, fields, expected
):
    fields = dict(fields)
    for key in ("assignee_user_id",):
        if isinstance(fields.get(key), str):
            fields[key] = world["users"][fields[key]]
    if fields.get("place_ids") == "con":
        fields["place_ids"] = [make_place(world["enterprise"]["con"]).id]
        db.session.commit()
    before = rows(db)
    response = client.post(
        f"/api/v1/enterprises/{hc}/plans", json=plan_payload(**fields), headers=officer
    )
    assert errors_of(response) == expected
    assert rows(db) == before


def test_a_plan_update_with_bad_input_changes_nothing(client, officer, hc, world, db):
    plan = post_plan(client, officer, hc)
    before = rows(db)
    response = client.patch(
        f"/api/v1/plans/{plan['id']}",
        json={
            "title": "改名",
            "frequency_unit": "shift",
            "assignee_user_id": world["users"]["head-con"],
        },
        headers=officer,
    )
    assert errors_of(response) == {
        "assignee_user_id": "排查人员须是本企业在职人员。",
        "shifts": "按班次排查的任务必须设置班次",
    }
    assert rows(db) == before
    assert client.get(f"/api/v1/plans/{plan['id']}", headers=officer).get_json() == plan


# ---- stop periods --------------------------------------------------------------------------


def test_a_stop_period_is_recorded_and_suppresses_the_covered_window(client, officer, hc):
    first = post_place(client, officer, hc, name="1号罐区")
    second = post_place(client, officer, hc, name="2号罐区")
    post_plan(client, officer, hc, place_ids=[first["id"], second["id"]])
    response = client.post(
        f"/api/v1/enterprises/{hc}/stop-periods",
        json={
            "place_id": second["id"],
            "start_at": "2026-03-11T00:00:00+08:00",
            "end_at": "2026-03-12T00:00:00+08:00",
            "reason": "2号罐区清罐检修",
        },
        headers=officer,
    )
    assert response.status_code == 201, response.get_json()
    listed = client.get(f"/api/v1/enterprises/{hc}/stop-periods", headers=officer).get_json()
    assert [s["reason"] for s in listed["items"]] == ["2号罐区清罐检修"]

    week = tasks(client, officer, "due=week")
    per_place = {
        name: [
            at(t["due_start"]).astimezone(local("2026-03-10").tzinfo).day
            for t in week
            if t["place"]["name"] == name
        ]
        for name in ("1号罐区", "2号罐区")
    }
    assert per_place == {
        "1号罐区": [10, 11, 12, 13, 14, 15, 16],
        "2号罐区": [10, 12, 13, 14, 15, 16],
    }


STOP_ERRORS = [
    (
        {"start_at": "2026-03-12T00:00:00+08:00", "end_at": "2026-03-11T00:00:00+08:00"},
        {"end_at": "结束时间必须晚于开始时间。"},
    ),
    (
        {"start_at": "2026-03-09T08:00:00+08:00", "end_at": "2026-03-11T00:00:00+08:00"},
        {"start_at": "开始时间不能早于今天。"},
    ),
    ({"place_id": "con"}, {"place_id": "地点不存在或不属于本企业。"}),
    ({"reason": ""}, {"reason": "长度应在 1 到 200 之间。"}),
]


@pytest.mark.parametrize(("fields", "expected"), STOP_ERRORS, ids=lambda v: str(v)[:40])
def test_bad_stop_periods_are_refused_and_write_nothing(
    client, officer, hc, world, db, fields, expected
):
    body = {
        "start_at": "2026-03-11T00:00:00+08:00",
        "end_at": "2026-03-12T00:00:00+08:00",
        "reason": "全厂停车检修",
        **fields,
    }
    if body.get("place_id") == "con":
        body["place_id"] = make_place(world["enterprise"]["con"]).id
        db.session.commit()
    before = rows(db)
    response = client.post(f"/api/v1/enterprises/{hc}/stop-periods", json=body, headers=officer)
    assert errors_of(response) == expected
    assert rows(db) == before


# ---- the task list -------------------------------------------------------------------------


def test_todays_tasks_for_the_officer_sorted_by_place_then_due_start(
    client, login_as, officer, hc, world
):
    first = post_place(client, officer, hc, name="1号罐区")
    second = post_place(client, officer, hc, name="2号罐区")
    daily = post_plan(client, officer, hc, place_ids=[second["id"], first["id"]])
    hourly = post_plan(
        client,
        officer,
        hc,
        title="罐区巡检",
        place_ids=[first["id"]],
        frequency_every=2,
        frequency_unit="hour",
        inspection_type="patrol",
        assignee_role=None,
        assignee_user_id=world["users"]["officer-hc"],
        **OFFICE_HOURS,
    )
    rectifier_plan = post_plan(client, officer, hc, title="整改复查", assignee_role="rectifier")

    items = tasks(client, officer)
    # 10:00 on 03-10: the 08–10 slot ended at the anchor, so the hourly plan starts at 10–12.
    assert [
        (t["place"]["name"], t["plan_id"], at(t["due_start"]), at(t["due_end"]), t["state"]["code"])
        for t in items
    ] == [
        ("1号罐区", daily["id"], local("2026-03-10"), local("2026-03-11"), "open"),
        ("1号罐区", hourly["id"], local("2026-03-10 10:00"), local("2026-03-10 12:00"), "open"),
        ("2号罐区", daily["id"], local("2026-03-10"), local("2026-03-11"), "open"),
    ]
    first_task = items[0]
    assert first_task["plan_title"] == "罐区日常排查"
    assert first_task["checklist_code"] == "hazardous-chemicals"
    assert first_task["profile"] == "small_micro"
    assert first_task["place"] == {
        "id": first["id"],
        "name": "1号罐区",
        "qr_token": first["qr_token"],
    }

    rectifier = tasks(client, login_as("rectifier-hc"))
    assert [(t["plan_id"], t["place"]) for t in rectifier] == [(rectifier_plan["id"], None)]
    assert tasks(client, login_as("head-hc")) == []
    everyone = tasks(client, login_as("head-hc"), "due=today&assignee=all")
    assert len(everyone) == 4 and everyone[-1]["place"] is None
    only_second = tasks(client, officer, f"due=today&place_id={second['id']}")
    assert [t["place"]["id"] for t in only_second] == [second["id"]]


def test_a_task_names_the_checklist_version_an_inspection_from_it_submits(client, officer, hc, db):
    from anxun.checklists.models import ChecklistVersion
    from tests.inspection_helpers import payload

    place = post_place(client, officer, hc, name="1号罐区")
    post_plan(client, officer, hc, place_ids=[place["id"]])
    [task] = tasks(client, officer)
    newest = db.session.scalars(
        select(ChecklistVersion)
        .where(ChecklistVersion.code == task["checklist_code"])
        .order_by(ChecklistVersion.id.desc())
    ).first()
    assert task["checklist_version"] == newest.version_hash
    assert [t["checklist_version"] for t in calendar(client, officer, hc)] == [newest.version_hash]

    code, version = task["checklist_code"], task["checklist_version"]
    detail = client.get(f"/api/v1/checklists/{code}?version={version}", headers=officer).json
    profile = next(p for p in detail["document"]["profiles"] if p["code"] == task["profile"])
    body = payload(
        detail,
        items=profile["items"],
        checklist_version=version,
        task_occurrence_id=task["id"],
        place_id=place["id"],
        inspection_type=task["inspection_type"]["code"],
        started_at=local("2026-03-10 09:30").isoformat(),
        finished_at=local("2026-03-10 09:55").isoformat(),
    )
    submitted = client.post("/api/v1/inspections", json=body, headers=officer)
    assert submitted.status_code == 201, submitted.get_json()
    [done] = tasks(client, officer)
    assert (done["state"]["code"], done["inspection_id"]) == ("done", body["id"])


def test_a_task_read_before_a_new_checklist_version_still_gets_and_submits_the_one_it_named(
    client, officer, hc, db
):
    """A phone that read its tasks before a new version was published fetches the version the
    task named, by its full hash, and submits under it (the task list names the new one since)."""
    from anxun.checklists.services import store_version
    from anxun.core.auth import SYSTEM
    from anxun.core.uow import unit_of_work
    from tests.checklist_variants import changed_hazchem
    from tests.inspection_helpers import items_of, payload

    place = post_place(client, officer, hc, name="1号罐区")
    post_plan(client, officer, hc, place_ids=[place["id"]])
    [task] = tasks(client, officer)
    named = task["checklist_version"]
    variant = changed_hazchem()
    with unit_of_work():
        store_version(SYSTEM, variant.text, "hazardous-chemicals.yaml")
    [now] = tasks(client, officer)
    assert now["checklist_version"] != named

    code = task["checklist_code"]
    detail = client.get(f"/api/v1/checklists/{code}?version={named}", headers=officer).json
    assert detail["version_hash"] == named
    assert variant.removed in [i["id"] for i in items_of(detail["document"])]
    profile = next(p for p in detail["document"]["profiles"] if p["code"] == task["profile"])
    body = payload(
        detail,
        items=profile["items"],
        task_occurrence_id=task["id"],
        place_id=place["id"],
        inspection_type=task["inspection_type"]["code"],
        started_at=local("2026-03-10 09:30").isoformat(),
        finished_at=local("2026-03-10 09:55").isoformat(),
    )
    submitted = client.post("/api/v1/inspections", json=body, headers=officer)
    assert submitted.status_code == 201, submitted.get_json()
    shown = client.get(f"/api/v1/inspections/{body['id']}", headers=officer).json
    assert shown["checklist_version"] == named


def calendar(client, headers, hc):
    query = "from=2026-03-10&to=2026-03-10"
    response = client.get(f"/api/v1/enterprises/{hc}/task-calendar?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_a_missed_occurrence_is_missed_the_next_day_and_listed_as_overdue(
    client, officer, hc, _tuesday_morning
):
    place = post_place(client, officer, hc, name="1号罐区")
    plan = post_plan(client, officer, hc, place_ids=[place["id"]])
    assert [t["state"]["code"] for t in tasks(client, officer)] == ["open"]

    _tuesday_morning(local("2026-03-11 09:00").astimezone(UTC))
    today = tasks(client, officer)
    assert [(at(t["due_start"]), t["state"]["code"]) for t in today] == [
        (local("2026-03-11"), "open")
    ]
    overdue = tasks(client, officer, "due=overdue")
    assert [(t["plan_id"], at(t["due_start"]), t["state"]["code"]) for t in overdue] == [
        (plan["id"], local("2026-03-10"), "missed")
    ]

    # A week later only the windows that ended in the last 7 days are overdue: 03-11 … 03-17.
    _tuesday_morning(local("2026-03-18 09:00").astimezone(UTC))
    overdue = tasks(client, officer, "due=overdue")
    assert [at(t["due_start"]).astimezone(local("2026-03-10").tzinfo).day for t in overdue] == [
        11,
        12,
        13,
        14,
        15,
        16,
        17,
    ]


def test_a_role_assignment_reaches_every_holder_of_the_role(client, officer, hc, world, db):
    from anxun.accounts.services import create_user
    from anxun.core.auth import SYSTEM, Grant

    create_user(
        SYSTEM,
        {"username": "inspector2-hc", "display_name": "李巡查", "password": DEMO_PASSWORD},
        [Grant("inspector", enterprise_id=hc)],
    )
    db.session.commit()
    login = client.post(
        "/api/v1/auth/login", json={"username": "inspector2-hc", "password": DEMO_PASSWORD}
    )
    second = {"Authorization": f"Bearer {login.get_json()['access_token']}"}

    by_role = post_plan(client, officer, hc, title="按角色", assignee_role="inspector")
    by_person = post_plan(
        client,
        officer,
        hc,
        title="指定人员",
        assignee_role=None,
        assignee_user_id=world["users"]["officer-hc"],
    )
    assert [t["plan_id"] for t in tasks(client, officer)] == [by_role["id"], by_person["id"]]
    assert [t["plan_id"] for t in tasks(client, second)] == [by_role["id"]]


def test_other_enterprises_staff_see_nothing(client, login_as, officer, hc):
    place = post_place(client, officer, hc)
    plan = post_plan(client, officer, hc, place_ids=[place["id"]])
    other = login_as("head-con")
    for url in (
        f"/api/v1/tasks?enterprise_id={hc}",
        f"/api/v1/places/{place['id']}",
        f"/api/v1/plans/{plan['id']}",
        f"/api/v1/enterprises/{hc}/places",
        f"/api/v1/enterprises/{hc}/plans",
        f"/api/v1/enterprises/{hc}/stop-periods",
        f"/api/v1/places/by-token/{place['qr_token']}",
        f"/api/v1/enterprises/{hc}/operation-rate?from=2026-03-01&to=2026-03-10",
    ):
        response = client.get(url, headers=other)
        assert response.status_code == 404, url
        assert response.content_type == "application/problem+json"
    assert tasks(client, other, "due=week") == []


def test_only_planners_list_everyones_tasks(client, login_as):
    refused = client.get("/api/v1/tasks?assignee=all", headers=login_as("rectifier-hc"))
    assert refused.status_code == 403
    unnamed = client.get("/api/v1/tasks?assignee=all", headers=login_as("admin"))
    assert errors_of(unnamed) == {"enterprise_id": "查看全部人员的任务时请指定企业。"}


# ---- online operation rate -----------------------------------------------------------------


def test_the_operation_rate_counts_windows_done_in_time_over_windows_due(
    client, officer, login_as, hc, world, db, _tuesday_morning
):
    place = post_place(client, officer, hc, name="1号罐区")
    plan = post_plan(client, officer, hc, place_ids=[place["id"]])
    _tuesday_morning(local("2026-03-13 09:00").astimezone(UTC))
    url = f"/api/v1/enterprises/{hc}/operation-rate?from=2026-03-10&to=2026-03-12"
    regulator = login_as("regulator")
    assert client.get(url, headers=regulator).get_json() == {
        "rate": 0.0,
        "done": 0,
        "late": 0,
        "missed": 3,
        "counted": 3,
        "period": {"from": "2026-03-10", "to": "2026-03-12"},
        "lowered_by": [
            {
                "plan_id": plan["id"],
                "plan_title": plan["title"],
                "place": {"id": place["id"], "name": "1号罐区", "qr_token": place["qr_token"]},
                "missed": 3,
                "late": 0,
            }
        ],
    }

    from anxun.inspections import planning

    occurrence = db.session.scalar(
        select(TaskOccurrence).order_by(TaskOccurrence.due_start).limit(1)
    )
    inspection = make_inspection(hc, world["users"]["officer-hc"], local("2026-03-10 16:00"))
    planning.complete_occurrence(occurrence.id, inspection, hc)
    db.session.commit()
    body = client.get(url, headers=regulator).get_json()
    assert (body["rate"], body["done"], body["missed"], body["counted"]) == (0.3333, 1, 2, 3)
    assert [(e["plan_id"], e["missed"]) for e in body["lowered_by"]] == [(plan["id"], 2)]

    future = client.get(
        f"/api/v1/enterprises/{hc}/operation-rate?from=2026-04-01&to=2026-04-30", headers=officer
    ).get_json()
    assert (future["rate"], future["counted"]) == (None, 0)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("from=2026-03-10&to=2026-03-01", {"to": "结束日期不能早于开始日期。"}),
        ("from=2025-01-01&to=2026-03-01", {"to": "统计区间不能超过 366 天。"}),
        ("to=2026-03-01", {"from": "此项为必填项。"}),
    ],
)
def test_the_operation_rate_period_is_validated(client, officer, hc, query, expected):
    response = client.get(f"/api/v1/enterprises/{hc}/operation-rate?{query}", headers=officer)
    assert errors_of(response) == expected


def test_the_task_list_window_follows_china_time(client, officer, hc, _tuesday_morning):
    """At 23:30 UTC on 03-10 it is already 03-11 in China: today's window is 03-11's."""
    place = post_place(client, officer, hc)
    post_plan(client, officer, hc, place_ids=[place["id"]])
    _tuesday_morning(datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    assert [at(t["due_start"]) for t in tasks(client, officer)] == [local("2026-03-11")]
