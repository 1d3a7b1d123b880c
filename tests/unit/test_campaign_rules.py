"""Pure rules of campaigns and the daily safety commitment: stages, completion, differences,
the written checklist, the 举一反三 notice, lateness, day status and the pre-filled form."""

from datetime import date, datetime, time

import pytest

from anxun.campaigns import rules
from anxun.checklists.loader import parse_checklist
from anxun.commitments import rules as commitment

STAGES = rules.Stages(
    date(2026, 11, 24), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 10),
    date(2026, 12, 20), date(2026, 12, 31),
)  # fmt: skip


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 11, 23), None),
        (date(2026, 11, 24), "self_check"),
        (date(2026, 11, 30), "self_check"),
        (date(2026, 12, 1), "supervision"),
        (date(2026, 12, 15), None),
        (date(2026, 12, 31), "follow_up"),
        (date(2027, 1, 1), None),
    ],
)
def test_the_stage_of_a_day(today, stage):
    assert rules.current_stage(STAGES, today) == stage


def test_stage_dates_out_of_order_name_the_later_field():
    bad = rules.Stages(**{**STAGES.__dict__, "supervision_start": date(2026, 11, 20)})
    assert [f for f, _ in rules.stage_problems(bad)] == ["supervision_start"]
    assert rules.stage_problems(STAGES) == []


@pytest.mark.parametrize(
    ("done_on", "today", "expected"),
    [
        (date(2026, 11, 30), date(2026, 12, 5), "on_time"),  # the deadline day itself counts
        (date(2026, 12, 1), date(2026, 12, 5), "late"),
        (None, date(2026, 11, 30), "open"),
        (None, date(2026, 12, 1), "not_done"),
    ],
)
def test_completion_against_the_self_check_deadline(done_on, today, expected):
    assert rules.completion(done_on, date(2026, 11, 30), today) == expected


def test_differences_name_the_self_check_and_the_inspector():
    own = {"A": "pass", "B": "fail", "C": "na", "D": "pass"}
    checked = {"A": "fail", "B": "pass", "C": "pass", "D": "na", "E": "fail"}
    rows = rules.differences("supervision", own, checked)
    assert [(r["item_id"], r["label"]) for r in rows] == [
        ("A", "自查合格、督查不合格"),
        ("B", "自查不合格、督查合格"),
        ("E", "未自查、督查不合格"),
    ]
    assert rules.differences("follow_up", {"A": "pass"}, {"A": "fail"})[0]["label"] == (
        "自查合格、回头看不合格"
    )


def test_a_written_checklist_is_valid_yaml_citing_the_notice():
    text = rules.campaign_checklist_yaml(
        "campaign-1-ab12cd34",
        "冬季专项检查表",
        "dust_explosion",
        "2026-11-24",
        {"title": "冬季专项检查", "number": "镇应急〔2026〕18号", "issuer": "镇海区应急管理局"},
        ["泄爆口朝向安全区域", "锁气卸灰装置完好"],
    )
    doc, problems = parse_checklist(text)
    assert problems == []
    items = doc["sections"][0]["items"]
    assert [(i["id"], i["text"]) for i in items] == [
        ("C-01", "泄爆口朝向安全区域"),
        ("C-02", "锁气卸灰装置完好"),
    ]
    assert items[0]["basis"] == [{"doc": "NOTICE", "clause": "检查内容"}]


def test_the_analogy_notice_names_no_enterprise():
    text = rules.analogy_notice("火灾", datetime(2026, 11, 20, 9), "危险化学品", ["动火作业票审批"])
    assert text.startswith("2026年11月20日，本辖区一家危险化学品企业发生一起火灾事故。")
    assert "动火作业票审批" in text


@pytest.mark.parametrize(
    ("signed", "expected"),
    [(datetime(2026, 11, 24, 8, 59), False), (datetime(2026, 11, 24, 9, 1), True),
     (datetime(2026, 11, 25, 7, 0), True)],
)  # fmt: skip
def test_a_commitment_after_the_cutoff_is_late(signed, expected):
    assert commitment.is_late(signed, date(2026, 11, 24), time(9, 0)) is expected


@pytest.mark.parametrize(
    ("signed", "late", "now", "expected"),
    [
        (True, False, datetime(2026, 11, 24, 10), "on_time"),
        (True, True, datetime(2026, 11, 24, 10), "late"),
        (False, False, datetime(2026, 11, 24, 8), "pending"),
        (False, False, datetime(2026, 11, 24, 9, 1), "missing"),
    ],
)
def test_the_day_status(signed, late, now, expected):
    assert commitment.day_status(signed, late, now, date(2026, 11, 24), time(9, 0)) == expected


def test_the_form_carries_yesterdays_states_and_grades_the_day():
    yesterday = {
        "hazard_sources": [{"risk_object_id": 7, "status": "maintenance"}],
        "content": "昨日",
    }
    form = commitment.prefill(
        yesterday,
        [{"risk_object_id": 7, "name": "液氨罐区"}, {"risk_object_id": 8, "name": "罐区二"}],
        {"hot_work_first": 2},
        0,
    )
    assert [s["status"] for s in form["hazard_sources"]] == ["maintenance", "running"]
    assert form["special_work"]["hot_work_first"] == 2 and form["content"] == "昨日"
    assert form["risk_grade"] == "high"  # a source under maintenance
    assert commitment.prefill(None, [], {}, 1)["risk_grade"] == "major"
    assert commitment.prefill(None, [], {"height": 1}, 0)["risk_grade"] == "moderate"
    assert commitment.work_key("hot_work", "special") == "hot_work_special"
