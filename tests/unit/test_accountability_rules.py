"""包保责任 rules: the three duties, how often each must check and on which basis, and how a duty's
completion is counted (the online operation rate's rule: done on time over done + late + missed)."""

import pytest

from anxun.risk.accountability import rules as accountability


def test_the_three_duties_check_quarterly_monthly_and_weekly_citing_the_measures():
    """应急厅〔2021〕12号: 主要负责人 ≥1/quarter, 技术负责人 ≥1/month, 操作负责人 ≥1/week
    (reference/domain.md §1.2, marked [M]: the frequencies carry verify: pending)."""
    table = [
        (d.code, d.label, d.frequency_every, d.frequency_unit, d.verify)
        for d in accountability.DUTIES
    ]
    assert table == [
        ("main", "主要负责人", 1, "quarter", "pending"),
        ("technical", "技术负责人", 1, "month", "pending"),
        ("operational", "操作负责人", 1, "week", "pending"),
    ]
    basis = accountability.basis_of(accountability.DUTY_BY_CODE["technical"])
    assert basis["number"] == "应急厅〔2021〕12号"
    assert basis["clause"] == "第四条、第九条"


def test_a_plan_title_names_the_source_and_the_duty_and_fits_the_column():
    duty = accountability.DUTY_BY_CODE["operational"]
    assert accountability.plan_title("1号罐区", duty) == "包保责任排查：1号罐区（操作负责人）"
    assert len(accountability.plan_title("罐" * 300, duty)) == 200


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, {"done": 0, "late": 0, "missed": 0, "open": 0, "due": 0, "rate": None}),
        (
            {"open": 1, "upcoming": 2},
            {"done": 0, "late": 0, "missed": 0, "open": 1, "due": 0, "rate": None},
        ),
        (
            {"done": 2, "late": 1, "missed": 1},
            {"done": 2, "late": 1, "missed": 1, "open": 0, "due": 4, "rate": 0.5},
        ),
        (
            {"done": 1, "missed": 2},
            {"done": 1, "late": 0, "missed": 2, "open": 0, "due": 3, "rate": 0.3333},
        ),
    ],
)
def test_completion_counts_what_fell_due(counts, expected):
    assert accountability.completion(counts) == expected
