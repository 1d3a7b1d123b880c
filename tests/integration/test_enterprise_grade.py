"""The enterprise grade from real rows: every component, vetoes, daily snapshots and history.

The clock is frozen at 2026-03-10 12:00 China time. Default config (grading.DEFAULT_GRADE_CONFIG):
online operation rate ×30, hazard closure rate ×20, 15 − 3 per overdue hazard, 15 − 10 per open
major hazard, 10 − 2 per red unit, 5 − 1 per orange unit, 5 − 1 per major hazard source. The
daily-commitment indicator of hazardous-chemicals enterprises is set to weight 0 here (which leaves
it out); test_grade_commitment.py checks it with its default weight.
"""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.orgs.models import Enterprise
from anxun.risk.models import EnterpriseGradeSnapshot, RiskObject, RiskUnit
from tests.factories import next_uscc
from tests.factories_grading import (
    cst,
    make_assessment,
    make_enforcement,
    make_hazard,
    make_occurrence,
    make_plan,
    make_risk_event,
    make_stop,
)

NOON = datetime(2026, 3, 10, 4, tzinfo=UTC)  # 12:00 in China
TODAY = date(2026, 3, 10)


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture(autouse=True)
def without_commitment_indicator(app):
    app.config["ANXUN_GRADE_COMMITMENT_WEIGHT"] = 0


@pytest.fixture
def firm(world, db):
    """A fresh hazardous-chemicals enterprise in 镇海区 with nothing recorded yet."""
    enterprise = Enterprise(
        name="测试评级化工有限公司",
        uscc=next_uscc(),
        region_code="330211",
        size_class="small",
        industries=["hazardous_chemicals"],
    )
    db.session.add(enterprise)
    db.session.commit()
    return enterprise.id


@pytest.fixture
def regulator(login_as):
    return login_as("regulator")


def grade(client, headers, enterprise_id):
    response = client.get(f"/api/v1/enterprises/{enterprise_id}/grade", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def points(body):
    return {c["code"]: c["points"] for c in body["components"]}


EMPTY_POINTS = {
    "online_operation_rate": 0,
    "hazard_closure_rate": 20,
    "overdue_hazards": 15,
    "open_major_hazards": 15,
    "red_units": 10,
    "orange_units": 5,
    "major_hazard_sources": 5,
}


def test_an_enterprise_with_no_records_scores_70_and_is_orange(
    client, regulator, firm, frozen_clock
):
    frozen_clock(NOON)
    body = grade(client, regulator, firm)
    assert body["score"] == 70
    assert body["colour"] == {"code": "orange", "label": "橙", "reason": "得分 70，评为橙色。"}
    assert points(body) == EMPTY_POINTS
    online = body["components"][0]
    assert online["name"] == "在线运行率"
    assert (
        online["explanation"]
        == "统计期内没有到期的排查任务，在线运行率无数据（不是 0%），按规则本项不得分，得 0 分（满分 30）。"
    )
    assert body["vetoes"] == []
    overview = client.get(f"/api/v1/oversight/overview/{firm}", headers=regulator).get_json()
    assert overview["operation_rate"] is None  # no data on the facts panel either, not 100 %
    assert body["config_version"] == "anxun-enterprise-grade-1"
    assert body["formula"].startswith(
        "总分（满分 100）是各评分项得分之和：在线运行率按比例得分，满分 30 分；"
    )
    assert body["day"] == "2026-03-10"
    assert body["history"] == [{"day": "2026-03-10", "score": 70.0, "colour": "orange"}]
    effectiveness = body["operation_effectiveness"]
    # No planned task: A = 0; nothing to rectify: B = 50.
    assert (effectiveness["score"], effectiveness["a"]["value"], effectiveness["b"]["value"]) == (
        50,
        0,
        50,
    )


def test_every_component_moves_the_score_as_computed_by_hand(
    client, world, db, regulator, firm, frozen_clock
):
    frozen_clock(NOON)
    reporter = world["users"]["officer-hc"]

    # 1. Task windows that ended in the 30 full days before today (8 Feb – 9 Mar).
    plan = make_plan(firm)
    make_occurrence(plan, date(2026, 2, 7), done_at=cst(date(2026, 2, 7), 9))  # before: ignored
    make_occurrence(plan, date(2026, 2, 8), done_at=cst(date(2026, 2, 8), 9))  # done
    make_occurrence(plan, date(2026, 3, 1), done_at=cst(date(2026, 3, 1), 10))  # done
    make_occurrence(plan, date(2026, 3, 3), done_at=cst(date(2026, 3, 4), 9))  # late
    make_occurrence(plan, date(2026, 3, 5))  # missed
    # Done this morning: after the period's end, so still missed in today's grade.
    make_occurrence(plan, date(2026, 3, 9), done_at=cst(date(2026, 3, 10), 9))
    make_occurrence(plan, date(2026, 3, 6))  # suspended by the stop below: not due
    make_stop(firm, cst(date(2026, 3, 6)), cst(date(2026, 3, 7)))
    make_occurrence(plan, date(2026, 3, 10))  # today's window: not in the period
    db.session.commit()
    body = grade(client, regulator, firm)
    # 2 on time of 5 due = 40 % → 0.4 × 30 = 12.
    assert body["inputs"]["online_operation_rate"] == 0.4
    # One truth: the overview row (and so the desk's facts panel) shows the grade's own figure,
    # not the last 30 days up to this moment (which would count this morning's work).
    overview = client.get(f"/api/v1/oversight/overview/{firm}", headers=regulator).get_json()
    assert overview["operation_rate"] == 0.4
    assert body["inputs"]["occurrences"] == {
        "upcoming": 0,
        "open": 0,
        "done": 2,
        "late": 1,
        "missed": 2,
        "suspended": 1,
    }
    assert body["inputs"]["operation_period"] == ["2026-02-08", "2026-03-09"]
    assert points(body)["online_operation_rate"] == 12
    assert body["components"][0]["explanation"] == "在线运行率 40%，得 40% × 30 = 12 分。"
    assert (body["score"], body["colour"]["code"]) == (82, "yellow")

    # 2. Hazards: 6 reported in the last 365 days, 1 rejected, 2 of the other 5 closed.
    make_hazard(firm, reporter, "closed")
    make_hazard(firm, reporter, "closed")
    make_hazard(firm, reporter, "rejected")
    make_hazard(firm, reporter, "confirmed", deadline=date(2026, 3, 9))  # overdue
    make_hazard(firm, reporter, "confirmed", level="major", deadline=date(2026, 4, 30))
    due_today = make_hazard(firm, reporter, "confirmed", deadline=TODAY)  # not overdue yet
    # Reported before the period: not in the closure rate, but still open and overdue.
    make_hazard(
        firm,
        reporter,
        "confirmed",
        deadline=date(2025, 1, 1),
        reported_at=datetime(2024, 12, 1, tzinfo=UTC),
    )
    make_hazard(firm, reporter, "closed", reported_at=datetime(2025, 3, 10, 15, tzinfo=UTC))
    db.session.commit()
    body = grade(client, regulator, firm)
    inputs = body["inputs"]
    assert (inputs["hazards_reported"], inputs["hazards_rejected"], inputs["hazards_closed"]) == (
        6,
        1,
        2,
    )
    assert inputs["hazard_closure_rate"] == 0.4
    assert inputs["hazard_period"] == ["2025-03-11", "2026-03-10"]
    assert (inputs["overdue_hazards"], inputs["open_major_hazards"]) == (2, 1)
    assert points(body) == EMPTY_POINTS | {
        "online_operation_rate": 12,
        "hazard_closure_rate": 8,  # 0.4 × 20
        "overdue_hazards": 9,  # 15 − 2 × 3
        "open_major_hazards": 5,  # 15 − 10
    }
    assert body["score"] == 54
    assert body["colour"]["code"] == "red"

    # 3. Units: A is orange with an open hazard on it (raised to red); B's latest residual
    # grading is orange; C yellow; a deleted unit's red does not count.
    officer = world["users"]["officer-hc"]
    event_a = make_risk_event(firm)
    make_assessment(event_a, officer, "orange")
    make_assessment(event_a, officer, "red", kind="inherent", assessed_on=date(2026, 2, 1))
    due_today.risk_unit_id = event_a.risk_unit_id
    event_b = make_risk_event(firm)
    make_assessment(event_b, officer, "red", assessed_on=date(2025, 12, 1))
    make_assessment(event_b, officer, "orange", assessed_on=date(2026, 2, 1))
    make_assessment(make_risk_event(firm), officer, "yellow")
    gone = make_risk_event(firm)
    make_assessment(gone, officer, "red")
    db.session.get(RiskUnit, gone.risk_unit_id).deleted_at = NOON
    db.session.commit()
    body = grade(client, regulator, firm)
    assert (body["inputs"]["red_units"], body["inputs"]["orange_units"]) == (1, 1)
    assert (points(body)["red_units"], points(body)["orange_units"]) == (8, 4)
    assert body["score"] == 51

    # 4. Major hazard sources: one live, one deleted.
    make_risk_event(firm, is_major_hazard_source=True)
    deleted = make_risk_event(firm, is_major_hazard_source=True)
    unit = db.session.get(RiskUnit, deleted.risk_unit_id)
    db.session.get(RiskObject, unit.risk_object_id).deleted_at = NOON
    db.session.commit()
    body = grade(client, regulator, firm)
    assert body["inputs"]["major_hazard_sources"] == 1
    assert points(body)["major_hazard_sources"] == 4
    assert body["score"] == 50
    assert body["colour"] == {"code": "red", "label": "红", "reason": "得分 50，评为红色。"}

    # E = (A + B) × α: A = 3 completed ÷ 5 planned × 50 = 30; B = 2 ÷ 5 × 50 = 20.
    effectiveness = body["operation_effectiveness"]
    assert effectiveness["inputs"] == {
        "planned_tasks": 5,
        "completed_tasks": 3,
        "baobao_deduction": 0,
        "hazards_to_rectify": 5,
        "hazards_accepted": 2,
        "too_few_hazards_deduction": 0,
        "veto": False,
    }
    assert effectiveness["score"] == 50
    assert effectiveness["explanation"] == "E = (30 + 20) × 1 = 50。"
    # One snapshot for the day, refreshed by each change and audited each time it changed.
    assert count(db, EnterpriseGradeSnapshot) == 1
    snapshot = db.session.scalar(select(EnterpriseGradeSnapshot))
    assert (float(snapshot.score), snapshot.colour, snapshot.day) == (50.0, "red", TODAY)
    assert count(db, AuditEntry, AuditEntry.action == "record_enterprise_grade") == 4


def test_the_same_inputs_give_the_same_grade_and_one_snapshot(
    client, db, regulator, firm, frozen_clock
):
    frozen_clock(NOON)
    plan = make_plan(firm)
    make_occurrence(plan, date(2026, 3, 9), done_at=cst(date(2026, 3, 9), 9))
    # Recorded before its window opened (a device clock running fast): counted as on time.
    make_occurrence(plan, date(2026, 3, 8), done_at=cst(date(2026, 3, 8), 7))
    make_occurrence(plan, TODAY)
    db.session.commit()
    first = grade(client, regulator, firm)
    second = grade(client, regulator, firm)
    # Later the same day today's window has ended, but the day's figures stay as they were.
    frozen_clock(datetime(2026, 3, 10, 13, tzinfo=UTC))  # 21:00 in China
    third = grade(client, regulator, firm)
    assert first == second == third
    assert first["score"] == 100
    assert first["inputs"]["occurrences"]["done"] == 2
    assert count(db, EnterpriseGradeSnapshot) == 1
    assert count(db, AuditEntry, AuditEntry.action == "record_enterprise_grade") == 1


@pytest.mark.parametrize(
    ("kind", "decided_on", "ends_on", "vetoed"),
    [
        ("suspension", date(2026, 3, 1), None, True),  # no end recorded: still suspended
        ("suspension", date(2026, 3, 1), date(2026, 3, 10), True),  # ends today
        ("suspension", date(2026, 3, 1), date(2026, 3, 9), False),  # ended yesterday
        ("suspension", date(2026, 3, 11), None, False),  # decided tomorrow
        ("interview", date(2025, 3, 10), None, True),  # 365 days ago
        ("interview", date(2025, 3, 9), None, False),  # 366 days ago
        ("interview", TODAY, None, True),
    ],
)
def test_an_enforcement_record_in_effect_is_a_veto(
    client, world, db, regulator, firm, frozen_clock, kind, decided_on, ends_on, vetoed
):
    frozen_clock(NOON)
    make_enforcement(
        firm,
        world["regulator"],
        world["users"]["regulator"],
        kind,
        decided_on,
        ends_on=ends_on,
        reference_no="镇应急责改〔2026〕7号",
    )
    db.session.commit()
    body = grade(client, regulator, firm)
    assert body["score"] == 70
    effectiveness = body["operation_effectiveness"]
    if vetoed:
        label = {"suspension": "停产整顿", "interview": "约谈"}[kind]
        assert body["colour"] == {
            "code": "red",
            "label": "红",
            "reason": f"存在否决项（{label}），直接评为红色（按得分 70 应为橙色）。",
        }
        assert body["vetoes"] == [
            {
                "kind": kind,
                "label": label,
                "date": decided_on.isoformat(),
                "explanation": f"{decided_on.isoformat()} {label}，属否决项。",
            }
        ]
        assert body["inputs"]["vetoes"][0]["reference_no"] == "镇应急责改〔2026〕7号"
        assert (effectiveness["alpha"], effectiveness["score"]) == (0, 0)
    else:
        assert body["colour"]["code"] == "orange"
        assert body["vetoes"] == []
        assert (effectiveness["alpha"], effectiveness["score"]) == (1, 50)


def test_history_keeps_one_grade_per_day(client, world, db, regulator, firm, frozen_clock):
    reporter = world["users"]["officer-hc"]
    frozen_clock(datetime(2026, 3, 8, 4, tzinfo=UTC))
    grade(client, regulator, firm)

    frozen_clock(datetime(2026, 3, 9, 4, tzinfo=UTC))
    major = make_hazard(
        firm,
        reporter,
        "confirmed",
        level="major",
        deadline=date(2026, 4, 30),
        reported_at=datetime(2026, 3, 9, 1, tzinfo=UTC),
    )
    db.session.commit()
    # 0 of 1 closed → 0 of 20; one open major hazard → 5 of 15: 70 − 20 − 10 = 40.
    assert grade(client, regulator, firm)["score"] == 40

    frozen_clock(NOON)
    major.state = "closed"
    db.session.commit()
    body = grade(client, regulator, firm)
    expected = [
        {"day": "2026-03-08", "score": 70.0, "colour": "orange"},
        {"day": "2026-03-09", "score": 40.0, "colour": "red"},
        {"day": "2026-03-10", "score": 70.0, "colour": "orange"},
    ]
    assert body["history"] == expected
    recent = client.get(f"/api/v1/enterprises/{firm}/grade/history?days=2", headers=regulator)
    assert recent.get_json() == expected[1:]
    assert count(db, EnterpriseGradeSnapshot) == 3
    bad = client.get(f"/api/v1/enterprises/{firm}/grade/history?days=0", headers=regulator)
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("head-hc", 200),
        ("officer-hc", 200),
        ("regulator", 200),
        ("auditor", 200),
        ("admin", 200),
        ("head-con", 404),
        ("regulator-con", 404),
    ],
)
def test_the_grade_is_readable_by_whoever_may_read_the_enterprise(
    client, world, login_as, username, status
):
    hc = world["enterprise"]["hc"]
    response = client.get(f"/api/v1/enterprises/{hc}/grade", headers=login_as(username))
    assert response.status_code == status
    history = client.get(f"/api/v1/enterprises/{hc}/grade/history", headers=login_as(username))
    assert history.status_code == status


def test_the_snapshot_command_grades_every_enterprise_once_a_day(app, world, db, frozen_clock):
    frozen_clock(NOON)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["anxun", "grades", "snapshot"])
    assert first.exit_code == 0, first.output
    assert "4 enterprise grade(s) for 2026-03-10: 4 new, 0 updated, 0 unchanged." in first.output
    again = runner.invoke(args=["anxun", "grades", "snapshot"])
    assert "4 enterprise grade(s) for 2026-03-10: 0 new, 0 updated, 4 unchanged." in again.output
    assert count(db, EnterpriseGradeSnapshot) == 4
    assert count(db, EnterpriseGradeSnapshot, EnterpriseGradeSnapshot.day == TODAY) == 4
