"""Hazard statistics (16号令 quarterly/annual return): periods, filing deadlines, hand-counted numbers."""

from datetime import date
from decimal import Decimal

import pytest

from anxun.reports.statistics import HazardFacts, compute, parse_period, state_on

D = date


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "deadline"),
    [
        # 16号令: quarterly returns by the 15th of the next quarter, annual ones by 31 January.
        ("2026Q1", D(2026, 1, 1), D(2026, 3, 31), "2026年第一季度", D(2026, 4, 15)),
        ("2026Q2", D(2026, 4, 1), D(2026, 6, 30), "2026年第二季度", D(2026, 7, 15)),
        ("2026Q3", D(2026, 7, 1), D(2026, 9, 30), "2026年第三季度", D(2026, 10, 15)),
        ("2026Q4", D(2026, 10, 1), D(2026, 12, 31), "2026年第四季度", D(2027, 1, 15)),
        ("2026", D(2026, 1, 1), D(2026, 12, 31), "2026年度", D(2027, 1, 31)),
        ("2024q1", D(2024, 1, 1), D(2024, 3, 31), "2024年第一季度", D(2024, 4, 15)),
    ],
)
def test_periods_have_bounds_label_and_filing_deadline(text, start, end, label, deadline):
    period = parse_period(text)
    assert (period.start, period.end, period.label, period.filing_deadline) == (
        start,
        end,
        label,
        deadline,
    )


def test_period_codes_are_normalised():
    assert parse_period("2024q1").code == "2024Q1"
    assert (parse_period("2026").code, parse_period("2026").quarter) == ("2026", None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026Q5", "统计期格式应为 2026Q3（季度）或 2026（年度）。"),
        ("2026Q0", "统计期格式应为 2026Q3（季度）或 2026（年度）。"),
        ("2026-Q3", "统计期格式应为 2026Q3（季度）或 2026（年度）。"),
        ("26Q3", "统计期格式应为 2026Q3（季度）或 2026（年度）。"),
        ("2026Q", "统计期格式应为 2026Q3（季度）或 2026（年度）。"),
        ("", "统计期格式应为 2026Q3（季度）或 2026（年度）。"),
        ("1999", "年份应在 2000 至 2099 之间。"),
        ("2100Q1", "年份应在 2000 至 2099 之间。"),
    ],
)
def test_bad_periods_are_refused_in_chinese(text, message):
    with pytest.raises(ValueError) as error:
        parse_period(text)
    assert str(error.value) == message


def hazard(
    key, reported_on, steps=(), *, level=None, proposed="general", deadline=None, funds=None
):
    history = ((reported_on, "reported"), *steps)
    return HazardFacts(
        key=key,
        title=f"隐患{key}",
        level=level,
        proposed_level=proposed,
        reported_on=reported_on,
        deadline=deadline,
        funds=Decimal(funds) if funds is not None else None,
        history=history,
    )


# Ten hazards around the third quarter of 2026 (see the expected numbers in each test).
HAZARDS = [
    # A: found in Q3, rectifying at the end, deadline 1 Aug passed → overdue.
    hazard(
        "A",
        D(2026, 7, 5),
        [(D(2026, 7, 6), "confirmed"), (D(2026, 7, 7), "rectifying")],
        level="general",
        deadline=D(2026, 8, 1),
        funds="1000.00",
    ),
    # B: found and closed in Q3.
    hazard(
        "B",
        D(2026, 7, 10),
        [
            (D(2026, 7, 10), "confirmed"),
            (D(2026, 7, 11), "rectifying"),
            (D(2026, 7, 20), "pending_verification"),
            (D(2026, 7, 25), "closed"),
        ],
        level="general",
        deadline=D(2026, 7, 31),
        funds="2000.50",
    ),
    # C: found in Q3 and rejected.
    hazard("C", D(2026, 8, 1), [(D(2026, 8, 2), "rejected")]),
    # D: found on 29 Sep, confirmed as major only after the quarter → still 待确认 at its end.
    hazard(
        "D",
        D(2026, 9, 29),
        [(D(2026, 10, 2), "confirmed")],
        level="major",
        proposed="major",
        deadline=D(2026, 10, 30),
    ),
    # E: major found in June, rectifying through Q3, deadline 15 Sep passed → carried, overdue.
    hazard(
        "E",
        D(2026, 6, 20),
        [
            (D(2026, 6, 21), "confirmed"),
            (D(2026, 6, 25), "confirmed"),
            (D(2026, 7, 2), "rectifying"),
        ],
        level="major",
        proposed="major",
        deadline=D(2026, 9, 15),
        funds="50000.00",
    ),
    # F: found and fixed in May: no part in Q3.
    hazard("F", D(2026, 5, 1), [(D(2026, 5, 10), "closed")], deadline=None),
    # G: found in June, closed in August → carried over and closed in the period.
    hazard(
        "G",
        D(2026, 6, 1),
        [(D(2026, 6, 2), "confirmed"), (D(2026, 6, 3), "rectifying"), (D(2026, 8, 15), "closed")],
        level="general",
        deadline=D(2026, 8, 30),
        funds="300.00",
    ),
    # H: major found in September, plan submitted, waiting for approval (state confirmed).
    hazard(
        "H",
        D(2026, 9, 1),
        [(D(2026, 9, 2), "confirmed"), (D(2026, 9, 3), "confirmed")],
        level="major",
        proposed="major",
        deadline=D(2026, 12, 31),
        funds="80000.00",
    ),
    # I: found after the quarter.
    hazard("I", D(2026, 10, 5)),
    # J: fixed on the spot the day it was found (no confirmed level: proposed general counts).
    hazard("J", D(2026, 7, 15), [(D(2026, 7, 15), "closed")]),
]


def row(**counts):
    base = dict.fromkeys(
        (
            "reported",
            "confirmed",
            "rectifying",
            "pending_verification",
            "awaiting_signoff",
            "closed",
            "rejected",
        ),
        0,
    )
    base.update(counts)
    base["total"] = sum(counts.values())
    return base


def test_quarter_after_it_ended_counts_by_state_at_quarter_end():
    numbers = compute(HAZARDS, parse_period("2026Q3"), today=D(2026, 10, 20))
    assert numbers["as_of"] == D(2026, 9, 30)
    assert numbers["by_level_state"] == {
        "general": row(rectifying=1, closed=2),  # A; B, J
        "major": row(confirmed=1),  # H (D was not yet confirmed on 30 Sep)
        "unconfirmed": row(reported=1, rejected=1),  # D; C
        "total": row(reported=1, confirmed=1, rectifying=1, closed=2, rejected=1),
    }
    assert numbers["found"] == 6  # A B C D H J
    assert numbers["rejected"] == 1  # C
    assert numbers["closed_of_found"] == 2  # B J
    assert numbers["closure_rate"] == 0.4  # 2 / (6 − 1)
    assert numbers["closed_in_period"] == 3  # B G J
    assert numbers["open_at_end"] == 4  # A D E H
    assert numbers["overdue_at_end"] == 2  # A (1 Aug), E (15 Sep)
    assert numbers["carried_over"] == 2  # E G
    assert numbers["funds_total"] == Decimal("83000.50")  # A 1000 + B 2000.50 + H 80000
    assert [
        (m["key"], m["state"], m["is_overdue"], m["is_carried_over"])
        for m in numbers["major_hazards"]
    ] == [("E", "rectifying", True, True), ("H", "confirmed", False, False)]


def test_quarter_in_progress_counts_up_to_today():
    numbers = compute(HAZARDS, parse_period("2026Q3"), today=D(2026, 9, 10))
    assert numbers["as_of"] == D(2026, 9, 10)
    assert numbers["found"] == 5  # A B C H J (D is found on 29 Sep)
    assert numbers["closure_rate"] == 0.5  # B J of 5 − 1
    assert numbers["open_at_end"] == 3  # A E H
    assert numbers["overdue_at_end"] == 1  # A; E's deadline 15 Sep is still ahead
    assert numbers["funds_total"] == Decimal("83000.50")


def test_the_deadline_day_itself_is_not_overdue():
    numbers = compute(HAZARDS, parse_period("2026Q3"), today=D(2026, 9, 15))
    assert numbers["overdue_at_end"] == 1  # A only: E is due on 15 Sep
    numbers = compute(HAZARDS, parse_period("2026Q3"), today=D(2026, 9, 16))
    assert numbers["overdue_at_end"] == 2


def test_year_counts_every_hazard_found_in_it():
    numbers = compute(HAZARDS, parse_period("2026"), today=D(2026, 10, 20))
    assert numbers["as_of"] == D(2026, 10, 20)
    assert numbers["found"] == 10
    assert numbers["closed_of_found"] == 4  # B F G J
    assert numbers["closure_rate"] == round(4 / 9, 4)
    assert numbers["carried_over"] == 0
    assert numbers["by_level_state"]["major"] == row(confirmed=2, rectifying=1)  # D H; E
    assert numbers["by_level_state"]["unconfirmed"] == row(reported=1, rejected=1)  # I; C
    # A 1000 + B 2000.50 + E 50000 + G 300 + H 80000
    assert numbers["funds_total"] == Decimal("133300.50")
    assert [m["key"] for m in numbers["major_hazards"]] == ["E", "H", "D"]


def test_closure_rate_is_none_without_a_real_hazard():
    only_rejected = [hazard("C", D(2026, 8, 1), [(D(2026, 8, 2), "rejected")])]
    numbers = compute(only_rejected, parse_period("2026Q3"), today=D(2026, 10, 1))
    assert (numbers["found"], numbers["rejected"], numbers["closure_rate"]) == (1, 1, None)
    empty = compute([], parse_period("2026Q3"), today=D(2026, 10, 1))
    assert (empty["found"], empty["closure_rate"], empty["funds_total"]) == (0, None, Decimal(0))


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (D(2026, 6, 19), None),
        (D(2026, 6, 20), "reported"),
        (D(2026, 6, 24), "confirmed"),
        (D(2026, 7, 1), "confirmed"),
        (D(2026, 7, 2), "rectifying"),
        (D(2026, 12, 31), "rectifying"),
    ],
)
def test_state_on_a_day_is_the_last_step_up_to_its_end(day, state):
    assert state_on(HAZARDS[4], day) == state
