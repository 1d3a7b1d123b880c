"""The daily safety commitment as an indicator of the enterprise grade (risk/grading/enterprise.with_commitment),
hand-computed: with weight W the indicator earns rate × W and every other component, full marks
and per-unit deduction alike, is multiplied by (100 − W) / 100."""

from __future__ import annotations

from fractions import Fraction

import pytest

from anxun.risk.grading.enterprise import (
    DEFAULT_GRADE_CONFIG,
    GradeInputs,
    enterprise_grade,
    validate_grade_config,
    with_commitment,
)
from anxun.risk.grading.exact import FactorError


def inputs(**overrides) -> GradeInputs:
    values = {
        "open_major_hazards": 0,
        "overdue_hazards": 0,
        "online_operation_rate": 1,
        "hazard_closure_rate": 1,
        "red_units": 0,
        "orange_units": 0,
        "major_hazard_sources": 0,
        "commitment_rate": 1,
    }
    return GradeInputs(**{**values, **overrides})


def test_weight_10_shrinks_the_other_components_to_90_percent_and_keeps_the_total_at_100():
    config = with_commitment(DEFAULT_GRADE_CONFIG, 10)
    validate_grade_config(config)
    weights = {c.code: Fraction(c.weight) for c in config.components}
    assert weights == {
        "online_operation_rate": 27,
        "hazard_closure_rate": 18,
        "overdue_hazards": Fraction(27, 2),
        "open_major_hazards": Fraction(27, 2),
        "red_units": 9,
        "orange_units": Fraction(9, 2),
        "major_hazard_sources": Fraction(9, 2),
        "commitment_rate": 10,
    }
    assert sum(weights.values()) == 100
    per_unit = {c.code: Fraction(c.per_unit) for c in config.components}
    assert per_unit["overdue_hazards"] == Fraction(27, 10)  # 3 × 90 %
    assert per_unit["open_major_hazards"] == 9  # 10 × 90 %
    assert config.version == "anxun-enterprise-grade-1+c10"


def test_weight_0_leaves_the_grade_as_it_was():
    assert with_commitment(DEFAULT_GRADE_CONFIG, 0) is DEFAULT_GRADE_CONFIG


@pytest.mark.parametrize("weight", [-1, 100, 150])
def test_a_weight_outside_0_to_99_is_refused(weight):
    with pytest.raises(ValueError, match="每日安全承诺指标的权重"):
        with_commitment(DEFAULT_GRADE_CONFIG, weight)


@pytest.mark.parametrize(
    ("overrides", "score", "colour", "commitment_points"),
    [
        # Everything perfect, committed on time 24 of 30 days: 90 + 0.8 × 10 = 98, blue.
        ({"commitment_rate": 0.8}, 98, "blue", 8),
        # Never on time: 90 + 0 = 90, still blue at the 90 cut-off.
        ({"commitment_rate": 0}, 90, "blue", 0),
        # No records at all (no task due: 0 of 27; nothing to rectify: 18; counts full: 45) and no
        # day to commit yet (full 10): 73, orange, where the base config gives 70.
        (
            {"online_operation_rate": None, "hazard_closure_rate": None, "commitment_rate": None},
            73,
            "orange",
            10,
        ),
        # Two overdue hazards lose 2 × 2.7 = 5.4 of 13.5; half the days on time earn 5:
        # 27 + 18 + 8.1 + 13.5 + 9 + 4.5 + 4.5 + 5 = 89.6, yellow.
        ({"overdue_hazards": 2, "commitment_rate": 0.5}, 89.6, "yellow", 5),
    ],
)
def test_the_commitment_rate_counts_with_its_weight(overrides, score, colour, commitment_points):
    grade = enterprise_grade(inputs(**overrides), with_commitment(DEFAULT_GRADE_CONFIG, 10))
    assert (grade["score"], grade["colour"]["code"]) == (score, colour)
    component = grade["components"][-1]
    assert (component["code"], component["label"], component["weight"]) == (
        "commitment_rate",
        "每日安全承诺按时率",
        10,
    )
    assert component["points"] == commitment_points
    assert grade["formula"].endswith(
        "本企业须每日作安全承诺，每日安全承诺按时率占 10 分，其余各项的满分和每项扣分均乘以 90%。"
    )


def test_the_explanation_of_the_commitment_component():
    grade = enterprise_grade(inputs(commitment_rate=0.8), with_commitment(DEFAULT_GRADE_CONFIG, 10))
    assert grade["components"][-1]["explanation"] == "每日安全承诺按时率 80%，得 80% × 10 = 8 分。"
    missing = enterprise_grade(
        inputs(commitment_rate=None), with_commitment(DEFAULT_GRADE_CONFIG, 10)
    )
    assert missing["components"][-1]["explanation"] == (
        "统计期内没有应承诺的日子（企业登记前的日子不计），按满分计，得 10 分（满分 10）。"
    )


def test_without_the_component_the_commitment_rate_is_not_scored():
    base = enterprise_grade(inputs(commitment_rate=0))
    assert base["score"] == 100
    assert "commitment_rate" not in {c["code"] for c in base["components"]}


def test_a_commitment_rate_outside_0_to_1_is_refused_with_its_label():
    with pytest.raises(FactorError) as excinfo:
        enterprise_grade(inputs(commitment_rate=1.5), with_commitment(DEFAULT_GRADE_CONFIG, 10))
    assert excinfo.value.errors == [
        {"field": "commitment_rate", "message": "每日安全承诺按时率应为 0 到 1 之间的数，或留空。"}
    ]
