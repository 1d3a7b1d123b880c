"""Pure overview indicators: overdue, escalation, staleness, sorting, totals, daily trends."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anxun.oversight.dashboard import indicators as ind

NOW = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state", "deadline", "day", "expected"),
    [
        ("confirmed", date(2026, 11, 24), date(2026, 11, 25), True),
        (
            "rectifying",
            date(2026, 11, 25),
            date(2026, 11, 25),
            False,
        ),  # the deadline day is in time
        ("confirmed", date(2026, 11, 26), date(2026, 11, 25), False),
        ("reported", None, date(2026, 11, 25), False),  # no deadline yet
        ("closed", date(2026, 11, 1), date(2026, 11, 25), False),
        ("rejected", date(2026, 11, 1), date(2026, 11, 25), False),
        ("awaiting_signoff", date(2026, 11, 1), date(2026, 11, 25), True),
    ],
)
def test_overdue_means_open_and_past_the_deadline_day(state, deadline, day, expected):
    assert ind.is_overdue(state, deadline, day) is expected


@pytest.mark.parametrize(
    ("state", "issued_ago", "acknowledged", "escalated_at", "expected"),
    [
        ("issued", timedelta(days=1), False, None, False),
        ("issued", timedelta(days=3), False, None, False),  # exactly 3 days: not "more than"
        ("issued", timedelta(days=3, seconds=1), False, None, True),
        ("issued", timedelta(hours=1), False, NOW, True),  # marked escalated by the job
        ("acknowledged", timedelta(days=9), True, None, False),
        ("acknowledged", timedelta(days=9), True, NOW, False),  # acknowledged late: settled
        ("followed_up", timedelta(days=20), True, None, False),
    ],
)
def test_order_escalates_after_ack_days_unless_acknowledged(
    state, issued_ago, acknowledged, escalated_at, expected
):
    issued_at = NOW - issued_ago
    acknowledged_at = issued_at + timedelta(hours=1) if acknowledged else None
    assert ind.is_escalated(state, issued_at, acknowledged_at, escalated_at, NOW, 3) is expected
    # The SQL form: issued before the cut-off.
    if state == "issued" and escalated_at is None:
        assert (issued_at < ind.escalation_cutoff(NOW, 3)) is expected


@pytest.mark.parametrize(
    ("last", "days", "expected"),
    [
        (None, 7, True),
        (NOW - timedelta(days=8), 7, True),
        (NOW - timedelta(days=7), 7, False),
        (NOW - timedelta(hours=2), 1, False),
    ],
)
def test_stale_means_no_inspection_within_the_days(last, days, expected):
    assert ind.is_stale(last, NOW, days) is expected


def test_local_day_is_beijing_time():
    assert ind.local_day(datetime(2026, 11, 24, 16, 0, tzinfo=UTC)) == date(2026, 11, 25)
    assert ind.local_day(datetime(2026, 11, 24, 15, 59, tzinfo=UTC)) == date(2026, 11, 24)


def test_grade_distribution_has_every_colour_and_none():
    assert ind.grade_distribution(["red", None, "blue", "red", "purple"]) == {
        "red": 2,
        "orange": 0,
        "yellow": 0,
        "blue": 1,
        "none": 2,
    }


def row(id_, **values):
    base = {
        "id": id_,
        "name": f"企业{id_}",
        "grade": None,
        "operation_rate": None,
        "last_inspection_at": None,
    }
    base.update({k: 0 for k in ind.TOTAL_COLUMNS})
    base.update(values)
    return base


ROWS = [
    row(1, name="B公司", grade="yellow", open_hazards=2, operation_rate=0.5),
    row(2, name="a公司", grade="red", open_hazards=5),
    row(3, name="C公司", open_hazards=2, operation_rate=0.9, last_inspection_at=NOW),
    row(4, name="D公司", grade="blue", operation_rate=1.0),
]


@pytest.mark.parametrize(
    ("key", "descending", "expected"),
    [
        ("name", False, [2, 1, 3, 4]),  # case-insensitive
        ("open_hazards", True, [2, 1, 3, 4]),  # ties by id
        ("open_hazards", False, [4, 1, 3, 2]),
        ("grade", True, [2, 1, 4, 3]),  # red, yellow, blue, ungraded last
        ("grade", False, [4, 1, 2, 3]),  # ungraded still last
        ("operation_rate", False, [1, 3, 4, 2]),  # no rate last
        ("last_inspection_at", True, [3, 1, 2, 4]),  # never inspected last, by id
    ],
)
def test_sort_rows_keeps_missing_values_last(key, descending, expected):
    assert [r["id"] for r in ind.sort_rows(ROWS, key, descending)] == expected


def test_totals_sum_the_rows_and_average_known_rates():
    result = ind.totals(ROWS)
    assert result["enterprises"] == 4
    assert result["open_hazards"] == 9
    assert result["average_operation_rate"] == 0.8  # (0.5 + 0.9 + 1.0) / 3
    assert result["grades"] == {"red": 1, "orange": 0, "yellow": 1, "blue": 1, "none": 1}
    assert ind.totals([])["average_operation_rate"] is None


def facts(reported, closed=None, deadline=None, state="confirmed"):
    return ind.HazardFacts(
        reported_on=date(2026, 11, reported),
        closed_on=date(2026, 11, closed) if closed else None,
        deadline=date(2026, 11, deadline) if deadline else None,
        state=state,
    )


def test_daily_series_counts_reported_closed_overdue_and_inspections():
    hazards = [
        facts(20, deadline=21),  # overdue from 22 Nov on
        facts(20, closed=23, deadline=21, state="closed"),  # overdue 22 Nov only
        facts(22, deadline=22),  # overdue from 23 Nov
        facts(21, state="rejected", deadline=21),  # reported, never overdue
        facts(19, closed=21, deadline=25, state="closed"),  # closed in time
    ]
    inspections = [date(2026, 11, 21), date(2026, 11, 21), date(2026, 11, 23)]
    series = ind.daily_series(hazards, inspections, date(2026, 11, 20), date(2026, 11, 23))
    assert [
        (
            s["day"].day,
            s["hazards_reported"],
            s["hazards_closed"],
            s["overdue_open"],
            s["inspections"],
        )
        for s in series
    ] == [
        (20, 2, 0, 0, 0),
        (21, 1, 1, 0, 2),
        (22, 1, 0, 2, 0),
        (23, 0, 1, 2, 1),
    ]


@pytest.mark.parametrize(
    ("hazard", "day", "expected"),
    [
        (facts(20), 19, False),  # not yet reported
        (facts(20), 20, True),
        (facts(20, closed=22, state="closed"), 21, True),
        (facts(20, closed=22, state="closed"), 22, False),  # closed during the day
        (facts(20, state="rejected"), 21, False),
    ],
)
def test_open_at_end_of_day(hazard, day, expected):
    assert ind.open_at_end_of(hazard, date(2026, 11, day)) is expected


def _reference_overdue(hazards, day):
    """The definition, day by day: deadline before the day and open at its end."""
    return sum(
        1
        for h in hazards
        if h.deadline is not None and h.deadline < day and ind.open_at_end_of(h, day)
    )


_DAY0 = date(2026, 11, 1)
_offsets = st.integers(min_value=-40, max_value=40)
_facts = st.builds(
    lambda reported, closed_after, deadline, state: ind.HazardFacts(
        reported_on=_DAY0 + timedelta(days=reported),
        closed_on=None if closed_after is None else _DAY0 + timedelta(days=reported + closed_after),
        deadline=None if deadline is None else _DAY0 + timedelta(days=deadline),
        state=state,
    ),
    _offsets,
    st.none() | st.integers(min_value=0, max_value=30),
    st.none() | _offsets,
    st.sampled_from(["reported", "confirmed", "rectifying", "closed", "rejected"]),
)


@given(
    hazards=st.lists(_facts, max_size=30),
    first=_offsets,
    length=st.integers(min_value=-2, max_value=35),
)
def test_daily_overdue_counts_equal_the_day_by_day_definition(hazards, first, length):
    """daily_series counts overdue-and-open hazards in one pass over runs of days; every day's
    count equals the definition applied to that day (issue #18: for 30 days and 70,000 hazards the
    pass takes about 90 ms, day by day about 250 ms)."""
    start = _DAY0 + timedelta(days=first)
    end = start + timedelta(days=length)
    series = ind.daily_series(hazards, [], start, end)
    assert [row["day"] for row in series] == ind.day_range(start, end)
    assert [row["overdue_open"] for row in series] == [
        _reference_overdue(hazards, row["day"]) for row in series
    ]


_weighted = st.lists(st.tuples(_facts, st.integers(min_value=1, max_value=4)), max_size=20)


@given(
    weighted=_weighted,
    inspections=st.lists(_offsets, max_size=20),
    first=_offsets,
    length=st.integers(min_value=-2, max_value=35),
)
def test_a_fact_counting_k_hazards_is_k_copies_of_it(weighted, inspections, first, length):
    """The trend query counts hazards sharing their facts, and inspections per day, in SQL:
    the series of the counts is the series of the rows they count."""
    start = _DAY0 + timedelta(days=first)
    end = start + timedelta(days=length)
    counted = [replace(fact, count=k) for fact, k in weighted]
    copies = [fact for fact, k in weighted for _ in range(k)]
    days = [_DAY0 + timedelta(days=n) for n in inspections]
    per_day = Counter(days)
    assert ind.daily_series(counted, per_day, start, end) == ind.daily_series(
        copies, days, start, end
    )
    assert [row["overdue_open"] for row in ind.daily_series(counted, {}, start, end)] == [
        _reference_overdue(copies, day) for day in ind.day_range(start, end)
    ]
