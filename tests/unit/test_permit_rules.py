"""GB 30871—2022 permit rules, one case per rule naming its clause, and the lifecycle table."""

from datetime import UTC, datetime, timedelta

import pytest

from anxun.permits import rules, workflow
from anxun.permits.workflow import S

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "grade", "hours", "clause", "verify"),
    [
        ("hot_work", "special", 8, "5.1.1～5.1.5", None),  # 特级、一级 ≤8 h
        ("hot_work", "first", 8, "5.1.1～5.1.5", None),
        ("hot_work", "second", 72, "5.1.1～5.1.5", None),  # 二级 ≤72 h
        ("confined_space", "none", 24, "6.10", None),  # ≤24 h
        ("height", "I", 7 * 24, "8.2", "pending"),  # 最长 7 天
        ("temporary_power", "none", 15 * 24, "10.8", None),  # 一般 ≤15 天
        ("lifting", "first", 24, "9", "pending"),
        ("blinding", "none", 24, "4", "pending"),
        ("excavation", "none", 24, "4", "pending"),
        ("road_closure", "none", 24, "4", "pending"),
    ],
)
def test_validity_window_per_kind_and_grade_cites_its_clause(kind, grade, hours, clause, verify):
    rule = rules.rule_for(kind, grade)
    assert rule.validity == timedelta(hours=hours)
    assert rule.validity_basis.clause == clause
    assert rule.validity_basis.as_dict()["verify"] == verify
    assert rules.window_problem(rule, T0, T0 + timedelta(hours=hours)) is None
    problem = rules.window_problem(rule, T0, T0 + timedelta(hours=hours, minutes=1))
    assert problem is not None and f"GB 30871—2022 {clause}" in problem


@pytest.mark.parametrize(
    ("kind", "grade", "steps"),
    [
        ("hot_work", "special", ["unit", "safety", "head"]),
        ("hot_work", "first", ["unit", "safety"]),
        ("hot_work", "second", ["unit"]),
        ("confined_space", "none", ["unit"]),
        ("height", "IV", ["unit", "safety"]),
        ("lifting", "first", ["unit", "safety", "head"]),
        ("lifting", "third", ["unit"]),
    ],
)
def test_approval_chain_by_grade_is_marked_unverified(kind, grade, steps):
    """The approvers by level are not in our reference's reading of GB 30871—2022: pending."""
    rule = rules.rule_for(kind, grade)
    assert [s.code for s in rule.approvals] == steps
    assert rule.approvals_basis.verify == "pending"


def test_hot_work_analysis_at_most_30_minutes_before_the_work_per_5_3_1():
    rule = rules.rule_for("hot_work", "first")
    assert rule.analysis_basis.clause == "5.3.1" and rule.analysis_basis.verify == ""
    assert rules.analysis_is_fresh(rule.analysis_max_age, T0, T0 + timedelta(minutes=30))
    assert not rules.analysis_is_fresh(rule.analysis_max_age, T0, T0 + timedelta(minutes=31))
    assert not rules.analysis_is_fresh(rule.analysis_max_age, T0 + timedelta(minutes=1), T0)


def test_confined_space_analysis_within_30_minutes_per_6_3_a():
    rule = rules.rule_for("confined_space")
    assert rule.analysis_max_age == timedelta(minutes=30)
    assert rule.analysis_basis.clause == "6.3 a)"
    assert rule.gases == ("oxygen", "combustible", "toxic") and rule.gases_basis.clause == "6.4"


def test_confined_space_readings_every_2_hours_per_6_5_also_for_hot_work_inside():
    space = rules.rule_for("confined_space")
    assert rules.reanalysis_interval(space, False) == (timedelta(hours=2), rules.Basis("6.5"))
    hot = rules.rule_for("hot_work", "first")
    assert rules.reanalysis_interval(hot, False) is None
    assert rules.reanalysis_interval(hot, True)[0] == timedelta(hours=2)
    assert rules.required_gases(hot, False) == ("combustible",)
    assert rules.required_gases(hot, True) == ("oxygen", "combustible", "toxic")


def test_special_hot_work_is_monitored_throughout_per_5_3_1_interval_pending():
    interval, basis = rules.reanalysis_interval(rules.rule_for("hot_work", "special"), False)
    assert interval == timedelta(minutes=30) and basis.clause == "5.3.1"
    assert basis.verify == "pending"


@pytest.mark.parametrize(
    ("value", "ok"), [(19.5, True), (21.0, True), (19.4, False), (21.1, False), (18.2, False)]
)
def test_oxygen_19_5_to_21_percent_per_6_4_a(value, ok):
    judgement = rules.judge_reading("oxygen", value, "%vol")
    assert judgement.is_within_limit is ok
    assert judgement.basis.citation == "GB 30871—2022 6.4 a)"


@pytest.mark.parametrize(
    ("lel", "value", "unit", "ok"),
    [
        (5.0, 0.5, "%vol", True),  # LEL ≥4 %: ≤0.5 % vol
        (5.0, 0.51, "%vol", False),
        (4.0, 0.5, "%vol", True),
        (2.5, 0.2, "%vol", True),  # LEL <4 % (e.g. 2.5 %): ≤0.2 % vol
        (2.5, 0.21, "%vol", False),
        (5.0, 10, "%LEL", True),  # 10 % LEL of methane = 0.5 % vol
        (5.0, 12, "%LEL", False),  # 0.6 % vol
    ],
)
def test_combustible_by_volume_fraction_per_5_3_2(lel, value, unit, ok):
    judgement = rules.judge_reading("combustible", value, unit, lel_percent=lel)
    assert judgement.is_within_limit is ok
    assert judgement.basis.clause == "5.3.2"


@pytest.mark.parametrize(
    ("substance", "value", "unit", "ok"),
    [
        ("h2s", 10.0, "mg/m3", True),  # MAC 10 mg/m³
        ("h2s", 10.1, "mg/m3", False),
        ("h2s", 7.0, "ppm", True),  # 7 ppm ≈ 9.92 mg/m³
        ("h2s", 7.2, "ppm", False),  # ≈ 10.2 mg/m³
        ("co", 30.0, "mg/m3", True),  # PC-STEL 30
        ("cl2", 1.1, "mg/m3", False),
    ],
)
def test_toxic_by_gbz_2_1_limit_per_6_4_b_pending(substance, value, unit, ok):
    judgement = rules.judge_reading("toxic", value, unit, substance=substance)
    assert judgement.is_within_limit is ok
    assert judgement.basis.verify == "pending"


def test_a_reading_in_a_unit_the_gas_cannot_have_is_refused():
    with pytest.raises(ValueError):
        rules.judge_reading("oxygen", 20, "ppm")
    with pytest.raises(ValueError):
        rules.judge_reading("combustible", 0.1, "%vol")  # no LEL given


@pytest.mark.parametrize(
    ("tonnes", "grade"), [(101, "first"), (100, "second"), (40, "second"), (39.9, "third")]
)
def test_lifting_grade_by_load_per_9_1(tonnes, grade):
    assert rules.lifting_grade(tonnes) == grade
    assert rules.LIFTING_GRADE_BASIS.clause == "9.1"


@pytest.mark.parametrize(
    ("metres", "grade"), [(2, "I"), (5, "I"), (5.1, "II"), (15.1, "III"), (31, "IV")]
)
def test_height_grade_by_height_per_8_1_pending(metres, grade):
    assert rules.height_grade(metres) == grade
    assert rules.HEIGHT_GRADE_BASIS.verify == "pending"


def test_blinding_with_hot_work_or_a_second_blinding_at_one_place_is_forbidden_per_7():
    reason, basis = rules.forbidden_with("blinding", "hot_work")
    assert "30 m 内不得有动火作业" in reason and basis.clause == "7"
    assert rules.forbidden_with("hot_work", "blinding") == (reason, basis)
    assert "两处及以上" in rules.forbidden_with("blinding", "blinding")[0]
    assert rules.forbidden_with("hot_work", "confined_space") is None
    assert rules.forbidden_with("hot_work", "hot_work") is None


def test_measure_checklists_are_data_with_a_content_hash_version():
    hot = rules.rule_for("hot_work", "first")
    assert [m.code for m in hot.measures][:2] == ["HW-01", "HW-02"]
    assert hot.checklist_version == rules.rule_for("hot_work", "second").checklist_version
    assert hot.checklist_version != rules.rule_for("confined_space").checklist_version
    assert rules.rule_for("confined_space").measures_basis.clause.endswith("附录A 表A.2")


def test_every_kind_and_grade_has_a_rule_and_unknown_pairs_are_refused():
    assert len(rules.all_rules()) == 16
    assert {r.kind for r in rules.all_rules()} == set(rules.KIND_LABELS)
    with pytest.raises(ValueError):
        rules.rule_for("hot_work", "none")
    with pytest.raises(ValueError):
        rules.rule_for("confined_space", "first")


ALLOWED = set(workflow.TRANSITIONS)
ACTIONS = {action for _, action in ALLOWED}


@pytest.mark.parametrize("state", list(S))
def test_the_transition_table_allows_exactly_its_moves(state):
    for action in ACTIONS:
        target = workflow.next_state(state, action)
        if (state, action) in ALLOWED:
            assert target == workflow.TRANSITIONS[(state, action)]
        else:
            assert target is None
    if state in workflow.FINAL:
        assert all(workflow.next_state(state, a) is None for a in ACTIONS)


def test_active_work_cannot_be_cancelled_only_suspended_or_closed():
    assert workflow.next_state("active", "cancel") is None
    assert workflow.next_state("active", "suspend") == S.suspended
    assert workflow.next_state("suspended", "cancel") == S.cancelled
    assert workflow.next_state("approved", "close") is None
