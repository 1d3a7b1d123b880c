"""The national hazchem data-chain mapping against a recorded payload (tests/data/hazchem/)."""

import json
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from anxun.outbox.mappings import hazchem

RECORDED = Path(__file__).resolve().parents[1] / "data" / "hazchem" / "hazard_chain.json"
AT = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)  # 10:30 in China
HAZARD_ID = uuid.UUID("0b8f3c2e-7d6a-4c1b-9e5f-2a4d6c8e0f13")
INSPECTION_ID = uuid.UUID("5c1e9a7b-3f2d-4e8c-a6b4-d0f2e4c6a8b1")
CODE = "330210078"


def records() -> dict:
    dated = {"created_at": AT, "updated_at": AT, "actor": "anxun", "deleted": False}
    return {
        "risk_unit": hazchem.risk_unit(
            {
                "id": 7,
                "hazard_code": "330211-001",
                "department": "储运车间",
                "responsible_name": "陈海波",
                "name": "1# 液氨储罐",
                "level": "orange",
                **dated,
            },
            CODE,
        ),
        "risk_event": hazchem.risk_event(
            {"id": 11, "risk_unit_id": 7, "name": "储罐泄漏引发中毒", **dated}, CODE
        ),
        "control_measure": hazchem.control_measure(
            {
                "id": 23,
                "risk_event_id": 11,
                "data_source": "hazard_inspection",
                "description": "储罐区设置有毒气体检测报警仪",
                "classify1": "engineering",
                "classify2": "1-4",
                "classify3": "",
                "check_content": "检查有毒气体报警仪是否完好、在检定期内",
                **dated,
            },
            CODE,
        ),
        "check_task": hazchem.check_task(
            {
                "id": 5,
                "title": "罐区每2小时巡检",
                "frequency_every": 2,
                "frequency_unit": "hour",
                "anchor_at": AT,
                "work_start": time(8),
                "work_end": time(18),
                "day_type": "every_day",
                "created_at": AT,
                "actor": "anxun",
                "active": True,
            },
            CODE,
            23,
        ),
        "check_record": hazchem.check_record(
            {
                "id": INSPECTION_ID,
                "finished_at": AT,
                "failed": True,
                "device_id": "phone-1",
                "inspection_type": "patrol",
                "inspector_phone": "13805740102",
                "received_at": AT,
                "actor": "anxun",
            },
            CODE,
            5,
        ),
        "hazard": hazchem.hazard(
            {
                "id": HAZARD_ID,
                "hazard_code": "330211-001",
                "control_measure_id": 23,
                "inspection_id": INSPECTION_ID,
                "title": "有毒气体报警仪故障",
                "level": "major",
                "proposed_level": "major",
                "reported_at": AT,
                "reporter_name": "陈海波",
                "found_by": "patrol",
                "is_fixed_on_spot": False,
                "description": "报警仪显示故障代码",
                "measures": "更换报警仪探头",
                "funds": Decimal("8000.00"),
                "responsible_name": "王志强",
                "deadline": date(2026, 12, 5),
                "verifier_name": "",
                "closed_at": None,
                "state": "rectifying",
                "category": "thing",
                "updated_at": AT,
                "actor": "anxun",
            },
            CODE,
        ),
    }


def test_chain_matches_the_recorded_payload_parents_first():
    produced = [[kind, record] for kind, record in hazchem.chain(records())]
    assert produced == json.loads(RECORDED.read_text(encoding="utf-8"))


def test_code_tables():
    got = records()
    assert got["risk_unit"]["riskClass"] == 2  # orange → 较大 (park spec 1–4)
    assert got["control_measure"]["classify1"] == 1 and got["control_measure"]["dataSrc"] == 2
    assert (got["check_task"]["checkCycle"], got["check_task"]["checkCycleUnit"]) == (2, "小时")
    assert got["check_task"]["workStartTime"] == "08:00:00"
    assert got["hazard"]["dangerLevel"] == 1 and got["hazard"]["dangerState"] == 0
    assert got["hazard"]["cost"] == 0.8  # 8000 元 = 0.8 万元
    assert got["hazard"]["registTime"] == "2026-11-25 10:30:00"


def test_week_and_quarter_cycles_are_expressed_in_days_and_months():
    base = {
        "id": 1,
        "title": "t",
        "anchor_at": AT,
        "work_start": None,
        "work_end": None,
        "day_type": "workdays",
        "created_at": AT,
        "actor": "a",
        "active": True,
    }
    weekly = hazchem.check_task(
        {**base, "frequency_every": 2, "frequency_unit": "week"}, CODE, None
    )
    quarterly = hazchem.check_task(
        {**base, "frequency_every": 1, "frequency_unit": "quarter"}, CODE, None
    )
    assert (weekly["checkCycle"], weekly["checkCycleUnit"], weekly["workDayType"]) == (14, "天", 1)
    assert (quarterly["checkCycle"], quarterly["checkCycleUnit"]) == (3, "月")
    assert weekly["workStartTime"] is None


def test_closed_state_carries_the_acceptance_and_ids_are_stable():
    item = dict(records()["hazard"])
    closed = hazchem.hazard(
        {
            "id": HAZARD_ID,
            "hazard_code": "",
            "control_measure_id": None,
            "inspection_id": None,
            "title": "t",
            "level": "general",
            "proposed_level": "general",
            "reported_at": AT,
            "reporter_name": "a",
            "found_by": "direct",
            "is_fixed_on_spot": True,
            "description": "",
            "measures": None,
            "funds": None,
            "responsible_name": None,
            "deadline": None,
            "verifier_name": "周立新",
            "closed_at": AT,
            "state": "closed",
            "category": None,
            "updated_at": AT,
            "actor": "anxun",
        },
        CODE,
    )
    assert (closed["dangerState"], closed["dangerManageType"], closed["dangerSrc"]) == (9, 0, 10)
    assert closed["checkAcceptPerson"] == "周立新"
    assert closed["id"] == item["id"] == HAZARD_ID.hex
    assert hazchem.entity_id("risk_unit", 7) == hazchem.entity_id("risk_unit", 7)
    assert hazchem.entity_id("risk_unit", 7) != hazchem.entity_id("risk_event", 7)


@pytest.mark.parametrize(
    ("action", "changed_fields", "reaches"),
    [
        ("create", [], False),  # a new object has no units yet
        ("update", ["hazard_code"], True),  # the units' hazardCode changes
        ("update", ["name", "hazard_code"], True),
        ("update", ["name", "accountable_main", "description"], False),  # no national field
        ("update", [], False),
        ("delete", [], True),  # the units are deleted with it
    ],
)
def test_a_risk_object_change_reaches_the_chain_only_through_its_units(
    action, changed_fields, reaches
):
    assert hazchem.object_change_reaches_chain(action, changed_fields) is reaches


@pytest.mark.parametrize(
    ("code", "owned", "answers", "expected"),
    [
        ("risk-controls", True, [("CM-3", "pass"), ("CM-9", "fail"), ("CM-4", "na")], [9, 3, 4]),
        ("risk-controls", True, [("CM-3", "pass"), ("CM-1", "pass")], [3, 1]),  # checklist order
        ("risk-controls", True, [("CM-2", "fail"), ("CM-5", "fail")], [2, 5]),
        ("risk-controls", True, [("X-1", "fail"), ("CM-0", "fail"), ("CM-7", "pass")], [7]),
        ("risk-controls", True, [], []),
        ("risk-controls", False, [("CM-3", "fail")], []),  # a shipped checklist of that code
        ("hazardous-chemicals", True, [("CM-3", "fail")], []),  # not generated from the register
    ],
)
def test_only_the_register_checklist_checks_control_measures(code, owned, answers, expected):
    assert hazchem.checked_measures(code, owned, answers) == expected


def test_batches_go_parents_first_one_per_entity():
    unit_a, unit_b = {"id": "a"}, {"id": "b"}
    got = hazchem.batches(
        {
            "control_measure": [{"id": "m"}],
            "risk_unit": [unit_a, unit_b],
            "risk_event": [],
            "check_record": [{"id": "r"}],
        }
    )
    assert got == [
        ("risk_unit", [unit_a, unit_b]),
        ("control_measure", [{"id": "m"}]),
        ("check_record", [{"id": "r"}]),
    ]
    assert hazchem.batches({}) == []


def test_a_deleted_register_row_carries_the_deleted_flag():
    dated = {"created_at": AT, "updated_at": AT, "actor": "anxun", "deleted": True}
    event = hazchem.risk_event({"id": 11, "risk_unit_id": 7, "name": "泄漏", **dated}, CODE)
    assert (event["deleted"], event["id"]) == (1, hazchem.entity_id("risk_event", 11))
