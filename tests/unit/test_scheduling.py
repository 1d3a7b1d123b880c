"""Inspection task scheduling: local due windows, occurrence states, online operation rate."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anxun.inspections.scheduling import (
    MAX_OCCURRENCES,
    DayType,
    Frequency,
    Occurrence,
    OccurrenceState,
    Shift,
    StopPeriod,
    Unit,
    WorkCalendar,
    generate,
    occurrence_state,
    online_operation_rate,
)

CST = timezone(timedelta(hours=8))
EVERY_DAY = WorkCalendar()
OFFICE_HOURS = WorkCalendar(work_start=time(8), work_end=time(18))

# Holiday data in the shape the caller passes in, modelled on the 2025 National Day and
# Mid-Autumn break (国办发明电〔2024〕12号): off 10-01…10-08, make-up workdays Sun 09-28, Sat 10-11.
NATIONAL_DAY_2025 = frozenset(date(2025, 10, d) for d in range(1, 9))
MAKE_UP_2025 = frozenset({date(2025, 9, 28), date(2025, 10, 11)})


def at(text: str) -> datetime:
    """A China local time from 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def spans(occurrences: list[Occurrence]) -> list[str]:
    """Occurrences as 'start~end' in local time, for readable comparisons."""
    return [
        f"{o.due_start.astimezone(CST):%Y-%m-%d %H:%M}~{o.due_end.astimezone(CST):%Y-%m-%d %H:%M}"
        for o in occurrences
    ]


def days(*isodates: str) -> list[str]:
    """Whole local days as spans."""
    out = []
    for text in isodates:
        d = date.fromisoformat(text)
        out.append(f"{d} 00:00~{d + timedelta(days=1)} 00:00")
    return out


def run(anchor, every, unit, start, end, calendar=EVERY_DAY, stops=()):
    occurrences = generate(at(anchor), Frequency(every, unit), calendar, stops, at(start), at(end))
    return spans(occurrences)


# --- days ------------------------------------------------------------------------------------


def test_daily_windows_are_whole_local_days():
    assert run("2026-03-02", 1, Unit.day, "2026-03-02", "2026-03-05") == days(
        "2026-03-02", "2026-03-03", "2026-03-04"
    )


def test_a_local_day_is_utc_16_00_to_16_00_with_no_dst():
    occurrences = generate(
        datetime(2026, 11, 1, tzinfo=UTC),
        Frequency(1, Unit.day),
        EVERY_DAY,
        (),
        datetime(2026, 11, 24, 20, tzinfo=UTC),  # 2026-11-25 04:00 local
        datetime(2026, 11, 25, 8, tzinfo=UTC),  # 2026-11-25 16:00 local
    )
    assert [(o.due_start, o.due_end) for o in occurrences] == [
        (datetime(2026, 11, 24, 16, tzinfo=UTC), datetime(2026, 11, 25, 16, tzinfo=UTC))
    ]


def test_daily_window_uses_work_hours_when_set():
    calendar = WorkCalendar(work_start=time(8, 30), work_end=time(17, 30))
    assert run("2026-03-02", 1, Unit.day, "2026-03-02", "2026-03-04", calendar) == [
        "2026-03-02 08:30~2026-03-02 17:30",
        "2026-03-03 08:30~2026-03-03 17:30",
    ]


def test_every_three_days_counts_from_the_anchor_day_not_the_window():
    # Anchor 03-01: due 03-01, 03-04, 03-07, 03-10, 03-13, 03-16, 03-19, …
    assert run("2026-03-01 15:00", 3, Unit.day, "2026-03-10", "2026-03-20") == days(
        "2026-03-10", "2026-03-13", "2026-03-16", "2026-03-19"
    )


@pytest.mark.parametrize(
    ("anchor", "calendar", "expected_first"),
    [
        # The anchor's own day is the first period and still open at 15:00.
        ("2026-03-02 15:00", EVERY_DAY, "2026-03-02 00:00~2026-03-03 00:00"),
        # With work hours 08–12 the anchor day's window ended before the anchor: nothing before it.
        (
            "2026-03-02 15:00",
            WorkCalendar(work_start=time(8), work_end=time(12)),
            "2026-03-03 08:00~2026-03-03 12:00",
        ),
    ],
)
def test_nothing_ends_before_the_anchor(anchor, calendar, expected_first):
    assert run(anchor, 1, Unit.day, "2026-03-01", "2026-03-04", calendar)[0] == expected_first


def test_window_entirely_before_the_anchor_is_empty():
    assert run("2026-03-10", 1, Unit.day, "2026-03-01", "2026-03-05") == []


def test_only_windows_meeting_the_query_window_are_returned():
    # [03-02 12:00, 03-04 00:00) meets 03-02 and 03-03; 03-04 starts exactly at the end.
    assert run("2026-03-01", 1, Unit.day, "2026-03-02 12:00", "2026-03-04") == days(
        "2026-03-02", "2026-03-03"
    )


# --- hours (§3.4: operators' field patrol at most 2 h apart) ----------------------------------


@pytest.mark.parametrize(
    ("every", "expected"),
    [
        (
            2,
            [
                "2026-03-02 08:00~2026-03-02 10:00",
                "2026-03-02 10:00~2026-03-02 12:00",
                "2026-03-02 12:00~2026-03-02 14:00",
                "2026-03-02 14:00~2026-03-02 16:00",
                "2026-03-02 16:00~2026-03-02 18:00",
            ],
        ),
        (
            3,
            [
                "2026-03-02 08:00~2026-03-02 11:00",
                "2026-03-02 11:00~2026-03-02 14:00",
                "2026-03-02 14:00~2026-03-02 17:00",
                "2026-03-02 17:00~2026-03-02 18:00",  # clipped at work_end
            ],
        ),
        (12, ["2026-03-02 08:00~2026-03-02 18:00"]),
    ],
)
def test_hourly_slots_run_from_work_start_and_clip_at_work_end(every, expected):
    assert run("2026-03-02", every, Unit.hour, "2026-03-02", "2026-03-03", OFFICE_HOURS) == expected


@pytest.mark.parametrize(
    ("anchor", "first"),
    [
        ("2026-03-02 09:30", "2026-03-02 08:00~2026-03-02 10:00"),  # still open at the anchor
        ("2026-03-02 10:00", "2026-03-02 10:00~2026-03-02 12:00"),  # 08–10 ended at the anchor
    ],
)
def test_hourly_slot_open_at_the_anchor_is_kept(anchor, first):
    assert run(anchor, 2, Unit.hour, "2026-03-02", "2026-03-03", OFFICE_HOURS)[0] == first


def test_hourly_on_workdays_skips_the_weekend():
    calendar = WorkCalendar(DayType.workdays, time(8), time(12))
    # Fri 03-06 … Mon 03-09: Saturday and Sunday have no slots.
    assert run("2026-03-01", 2, Unit.hour, "2026-03-06", "2026-03-10", calendar) == [
        "2026-03-06 08:00~2026-03-06 10:00",
        "2026-03-06 10:00~2026-03-06 12:00",
        "2026-03-09 08:00~2026-03-09 10:00",
        "2026-03-09 10:00~2026-03-09 12:00",
    ]


def test_hourly_without_work_hours_is_refused():
    with pytest.raises(ValueError, match="按小时排查的任务必须设置工作开始时间和工作结束时间"):
        run("2026-03-02", 2, Unit.hour, "2026-03-02", "2026-03-03")


# --- shifts -------------------------------------------------------------------------------------

TWO_SHIFTS = WorkCalendar(
    shifts=(Shift("夜班", time(20), time(8)), Shift("白班", time(8), time(20)))
)


def test_one_window_per_shift_and_the_night_shift_ends_next_morning():
    assert run("2026-03-02", 1, Unit.shift, "2026-03-02", "2026-03-04", TWO_SHIFTS) == [
        "2026-03-02 08:00~2026-03-02 20:00",
        "2026-03-02 20:00~2026-03-03 08:00",
        "2026-03-03 08:00~2026-03-03 20:00",
        "2026-03-03 20:00~2026-03-04 08:00",
    ]


def test_night_shift_belongs_to_the_day_it_starts():
    calendar = WorkCalendar(DayType.workdays, shifts=(Shift("夜班", time(22), time(6)),))
    # Thursday's night shift ends at the window start. Friday's runs into Saturday and is due;
    # Sunday's would run into Monday but Sunday is not a workday.
    assert run("2026-03-01", 1, Unit.shift, "2026-03-06 06:00", "2026-03-10", calendar) == [
        "2026-03-06 22:00~2026-03-07 06:00",
        "2026-03-09 22:00~2026-03-10 06:00",
    ]


def test_night_shift_that_started_the_previous_day_meets_an_early_window():
    calendar = WorkCalendar(shifts=(Shift("夜班", time(22), time(6)),))
    assert run("2026-03-01", 1, Unit.shift, "2026-03-03 02:00", "2026-03-03 04:00", calendar) == [
        "2026-03-02 22:00~2026-03-03 06:00"
    ]


def test_every_second_shift_counts_shifts_across_days():
    calendar = WorkCalendar(
        shifts=(
            Shift("甲班", time(0), time(8)),
            Shift("乙班", time(8), time(16)),
            Shift("丙班", time(16), time(0)),
        )
    )
    # Shifts numbered from the anchor day: 0 甲, 1 乙, 2 丙, 3 甲, 4 乙, 5 丙, 6 甲 …
    assert run("2026-03-02", 2, Unit.shift, "2026-03-02", "2026-03-05", calendar) == [
        "2026-03-02 00:00~2026-03-02 08:00",
        "2026-03-02 16:00~2026-03-03 00:00",
        "2026-03-03 08:00~2026-03-03 16:00",
        "2026-03-04 00:00~2026-03-04 08:00",
        "2026-03-04 16:00~2026-03-05 00:00",
    ]


def test_shift_frequency_needs_shifts():
    with pytest.raises(ValueError, match="按班次排查的任务必须设置班次"):
        run("2026-03-02", 1, Unit.shift, "2026-03-02", "2026-03-03")


@pytest.mark.parametrize(
    "shifts",
    [
        (Shift("白班", time(8), time(20)), Shift("中班", time(16), time(0))),
        (Shift("白班", time(8), time(20)), Shift("夜班", time(20), time(9))),  # into next day's
    ],
)
def test_overlapping_shifts_are_refused(shifts):
    with pytest.raises(ValueError, match="班次时间不能重叠"):
        WorkCalendar(shifts=shifts)


# --- work calendar: holidays, make-up days, non-workdays ----------------------------------------

HOLIDAY_CALENDAR = {"holidays": NATIONAL_DAY_2025, "extra_workdays": MAKE_UP_2025}


@pytest.mark.parametrize(
    ("day", "is_workday"),
    [
        ("2025-09-26", True),  # Friday
        ("2025-09-27", False),  # Saturday
        ("2025-09-28", True),  # Sunday, make-up workday
        ("2025-10-01", False),  # Wednesday, holiday
        ("2025-10-08", False),  # Wednesday, holiday
        ("2025-10-09", True),  # Thursday
        ("2025-10-11", True),  # Saturday, make-up workday
        ("2025-10-12", False),  # Sunday
    ],
)
def test_is_workday(day, is_workday):
    assert WorkCalendar(**HOLIDAY_CALENDAR).is_workday(date.fromisoformat(day)) is is_workday


@pytest.mark.parametrize(
    ("day_type", "expected"),
    [
        (
            DayType.workdays,
            days(
                "2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-11"
            ),
        ),
        (
            DayType.non_workdays,
            days("2025-09-27", *(f"2025-10-0{d}" for d in range(1, 9)), "2025-10-12"),
        ),
    ],
)
def test_daily_task_follows_holidays_and_make_up_days(day_type, expected):
    calendar = WorkCalendar(day_type, **HOLIDAY_CALENDAR)
    assert run("2025-09-01", 1, Unit.day, "2025-09-27", "2025-10-13", calendar) == expected


def test_every_second_workday_counts_workdays_since_the_anchor():
    calendar = WorkCalendar(DayType.workdays, **HOLIDAY_CALENDAR)
    # Workdays from Mon 09-22: 22(0) 23 24(2) 25 26(4) 28 29(6) 30 | 10-09(8) 10-10 10-11(10).
    assert run("2025-09-22", 2, Unit.day, "2025-10-09", "2025-10-13", calendar) == days(
        "2025-10-09", "2025-10-11"
    )


def test_day_type_does_not_apply_to_weekly_tasks():
    calendar = WorkCalendar(DayType.workdays, **HOLIDAY_CALENDAR)
    # The week of 09-29 is mostly holiday, yet a weekly check is still due in it.
    assert run("2025-09-29", 1, Unit.week, "2025-09-29", "2025-10-06", calendar) == [
        "2025-09-29 00:00~2025-10-06 00:00"
    ]


# --- weeks, months, quarters, years (§3.4: workshop weekly, plant monthly, seasonal quarterly) ---


@pytest.mark.parametrize(
    ("anchor", "every", "unit", "start", "end", "expected"),
    [
        # Weeks run Monday 00:00 to Monday 00:00; anchor Wed 03-04 is in the week of Mon 03-02.
        (
            "2026-03-04 10:00",
            1,
            Unit.week,
            "2026-03-01",
            "2026-03-16",
            ["2026-03-02 00:00~2026-03-09 00:00", "2026-03-09 00:00~2026-03-16 00:00"],
        ),
        # Every 2 weeks from the anchor's week: 03-02, 03-16, 03-30, 04-13 …
        (
            "2026-03-04",
            2,
            Unit.week,
            "2026-03-20",
            "2026-04-10",
            ["2026-03-16 00:00~2026-03-23 00:00", "2026-03-30 00:00~2026-04-06 00:00"],
        ),
        # A window starting in an off week (03-23) begins with the next counted week.
        (
            "2026-03-04",
            2,
            Unit.week,
            "2026-03-25",
            "2026-04-14",
            ["2026-03-30 00:00~2026-04-06 00:00", "2026-04-13 00:00~2026-04-20 00:00"],
        ),
        # Anchor on Jan 31, monthly: February is the whole of February.
        (
            "2026-01-31 09:00",
            1,
            Unit.month,
            "2026-01-01",
            "2026-04-01",
            [
                "2026-01-01 00:00~2026-02-01 00:00",
                "2026-02-01 00:00~2026-03-01 00:00",
                "2026-03-01 00:00~2026-04-01 00:00",
            ],
        ),
        # Every 2 months from November crosses the year: Nov, Jan, Mar.
        (
            "2025-11-15",
            2,
            Unit.month,
            "2025-11-01",
            "2026-04-01",
            [
                "2025-11-01 00:00~2025-12-01 00:00",
                "2026-01-01 00:00~2026-02-01 00:00",
                "2026-03-01 00:00~2026-04-01 00:00",
            ],
        ),
        # Same task queried from an off month (December): January comes first.
        (
            "2025-11-15",
            2,
            Unit.month,
            "2025-12-15",
            "2026-03-01",
            ["2026-01-01 00:00~2026-02-01 00:00"],
        ),
        # Calendar quarters start in Jan/Apr/Jul/Oct; the last one ends at the new year.
        (
            "2026-02-15",
            1,
            Unit.quarter,
            "2026-01-01",
            "2027-01-01",
            [
                "2026-01-01 00:00~2026-04-01 00:00",
                "2026-04-01 00:00~2026-07-01 00:00",
                "2026-07-01 00:00~2026-10-01 00:00",
                "2026-10-01 00:00~2027-01-01 00:00",
            ],
        ),
        # Every 2 quarters (§3.4: comprehensive 排查 at least every 6 months) from Q2.
        (
            "2026-05-10",
            2,
            Unit.quarter,
            "2026-01-01",
            "2028-01-01",
            [
                "2026-04-01 00:00~2026-07-01 00:00",
                "2026-10-01 00:00~2027-01-01 00:00",
                "2027-04-01 00:00~2027-07-01 00:00",
                "2027-10-01 00:00~2028-01-01 00:00",
            ],
        ),
        # Yearly: 2025 lies before the anchor.
        (
            "2026-06-01",
            1,
            Unit.year,
            "2025-01-01",
            "2028-01-01",
            ["2026-01-01 00:00~2027-01-01 00:00", "2027-01-01 00:00~2028-01-01 00:00"],
        ),
        # Every 3 years (§3.4: HAZOP about every 3 years).
        (
            "2026-06-01",
            3,
            Unit.year,
            "2026-01-01",
            "2032-01-01",  # 2032 starts exactly at the end
            ["2026-01-01 00:00~2027-01-01 00:00", "2029-01-01 00:00~2030-01-01 00:00"],
        ),
    ],
)
def test_calendar_periods(anchor, every, unit, start, end, expected):
    assert run(anchor, every, unit, start, end) == expected


def test_period_windows_are_local_midnights():
    (occ,) = generate(
        at("2026-01-15"),
        Frequency(1, Unit.month),
        EVERY_DAY,
        (),
        at("2026-02-10"),
        at("2026-02-11"),
    )
    assert occ.due_start == datetime(2026, 1, 31, 16, tzinfo=UTC)
    assert occ.due_end == datetime(2026, 2, 28, 16, tzinfo=UTC)


# --- stop periods (停用/检修) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stops", "expected"),
    [
        # A stop covering 03-03 entirely removes it.
        ([("2026-03-03", "2026-03-04")], days("2026-03-02", "2026-03-04")),
        # A stop from 03-02 12:00 to 03-04 12:00 only covers 03-03 fully.
        ([("2026-03-02 12:00", "2026-03-04 12:00")], days("2026-03-02", "2026-03-04")),
        # Partly covered days stay due.
        (
            [("2026-03-03 06:00", "2026-03-03 18:00")],
            days("2026-03-02", "2026-03-03", "2026-03-04"),
        ),
        # Two adjacent stops together cover 03-03 (and 03-04).
        (
            [("2026-03-03", "2026-03-03 12:00"), ("2026-03-03 12:00", "2026-03-05")],
            days("2026-03-02"),
        ),
        # Overlapping stops given out of order also merge.
        (
            [("2026-03-03 10:00", "2026-03-04"), ("2026-03-02 23:00", "2026-03-03 11:00")],
            days("2026-03-02", "2026-03-04"),
        ),
        # A one-minute gap between two stops leaves 03-03 due.
        (
            [("2026-03-03", "2026-03-03 12:00"), ("2026-03-03 12:01", "2026-03-04")],
            days("2026-03-02", "2026-03-03", "2026-03-04"),
        ),
    ],
)
def test_stop_periods_remove_only_wholly_covered_windows(stops, expected):
    stop_periods = [StopPeriod(at(a), at(b), "检修") for a, b in stops]
    assert (
        run("2026-03-01", 1, Unit.day, "2026-03-02", "2026-03-05", stops=stop_periods) == expected
    )


# --- runaway guard and validation ---------------------------------------------------------------


def test_runaway_guard_allows_the_limit_and_refuses_one_more():
    anchor = at("2000-01-01")
    frequency = Frequency(1, Unit.day)
    limit_end = anchor + timedelta(days=MAX_OCCURRENCES)
    assert MAX_OCCURRENCES == 10_000
    assert len(generate(anchor, frequency, EVERY_DAY, (), anchor, limit_end)) == 10_000
    with pytest.raises(ValueError, match="超过 10000 个"):
        generate(anchor, frequency, EVERY_DAY, (), anchor, limit_end + timedelta(days=1))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Frequency(0, Unit.day), "排查周期数必须是不小于 1 的整数"),
        (lambda: Frequency(True, Unit.day), "排查周期数必须是不小于 1 的整数"),
        (lambda: Frequency(1, "fortnight"), "未知的排查周期单位"),
        (lambda: WorkCalendar(work_start=time(8)), "必须同时设置"),
        (lambda: WorkCalendar(work_start=time(18), work_end=time(8)), "工作结束时间必须晚于"),
        (lambda: WorkCalendar(work_start=time(8), work_end=time(8)), "工作结束时间必须晚于"),
        (
            lambda: WorkCalendar(holidays={date(2025, 10, 1)}, extra_workdays={date(2025, 10, 1)}),
            "既是法定节假日又是调休上班日",
        ),
        (lambda: StopPeriod(at("2026-03-03"), at("2026-03-03")), "停用/检修结束时间必须晚于"),
        (lambda: StopPeriod(datetime(2026, 3, 3), at("2026-03-04")), "带时区"),
        (lambda: Occurrence(at("2026-03-03"), at("2026-03-02")), "截止时间必须晚于"),
        (
            lambda: generate(
                datetime(2026, 3, 1),
                Frequency(1, Unit.day),
                EVERY_DAY,
                (),
                at("2026-03-02"),
                at("2026-03-03"),
            ),
            "带时区",
        ),
        (
            lambda: generate(
                at("2026-03-01"),
                Frequency(1, Unit.day),
                EVERY_DAY,
                (),
                at("2026-03-02"),
                datetime(2026, 3, 3),
            ),
            "带时区",
        ),
        (
            lambda: run("2026-03-01", 1, Unit.day, "2026-03-03", "2026-03-03"),
            "查询结束时间必须晚于",
        ),
        (
            lambda: run("2026-03-01", 1, Unit.day, "2026-03-04", "2026-03-03"),
            "查询结束时间必须晚于",
        ),
    ],
)
def test_invalid_input_is_refused_in_chinese(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# --- occurrence states --------------------------------------------------------------------------

OCC = Occurrence(at("2026-03-02 08:00"), at("2026-03-02 10:00"))


@pytest.mark.parametrize(
    ("done_at", "now", "state"),
    [
        (None, "2026-03-02 07:59", OccurrenceState.upcoming),
        (None, "2026-03-02 08:00", OccurrenceState.open),  # due_start is inside
        (None, "2026-03-02 09:59", OccurrenceState.open),
        (None, "2026-03-02 10:00", OccurrenceState.missed),  # due_end is outside
        ("2026-03-02 08:00", "2026-03-02 08:00", OccurrenceState.done),
        ("2026-03-02 09:59", "2026-03-03 00:00", OccurrenceState.done),
        ("2026-03-02 10:00", "2026-03-02 10:00", OccurrenceState.late),
        ("2026-03-05 12:00", "2026-03-06 00:00", OccurrenceState.late),
    ],
)
def test_occurrence_state_at_the_boundaries(done_at, now, state):
    assert occurrence_state(OCC, done_at and at(done_at), at(now)) is state


def test_done_before_the_window_opens_is_invalid():
    with pytest.raises(ValueError, match="完成时间早于排查任务开始时间"):
        occurrence_state(OCC, at("2026-03-02 07:59"), at("2026-03-02 09:00"))


def test_a_stop_added_later_suspends_an_unfinished_occurrence_but_not_a_done_one():
    stops = [
        StopPeriod(at("2026-03-02 06:00"), at("2026-03-02 09:00"), "停车检修"),
        StopPeriod(at("2026-03-02 09:00"), at("2026-03-02 12:00")),
    ]
    now = at("2026-03-02 11:00")
    assert occurrence_state(OCC, None, now, stops) is OccurrenceState.suspended
    assert occurrence_state(OCC, at("2026-03-02 08:30"), now, stops) is OccurrenceState.done
    partial = [StopPeriod(at("2026-03-02 06:00"), at("2026-03-02 09:00"))]
    assert occurrence_state(OCC, None, now, partial) is OccurrenceState.missed


# --- online operation rate (在线运行率) ----------------------------------------------------------

S = OccurrenceState


@pytest.mark.parametrize(
    ("states", "rate"),
    [
        ([], None),
        ([S.open, S.upcoming, S.suspended], None),
        ([S.done, S.done, S.done], 1.0),
        ([S.missed, S.late], 0.0),
        # 3 on time of 5 due; open, upcoming and suspended do not count.
        ([S.done] * 3 + [S.late, S.missed] + [S.open, S.open, S.upcoming, S.suspended], 0.6),
        ([S.done, S.done, S.missed], 0.6667),
        ([S.done, S.missed, S.missed], 0.3333),
        # 1/32 = 0.03125 rounds half up to 0.0313.
        ([S.done] + [S.missed] * 31, 0.0313),
    ],
)
def test_online_operation_rate(states, rate):
    assert online_operation_rate(states) == rate


# --- property: windows are sorted and never overlap ---------------------------------------------

SHIFT_SETS = [
    (),
    (Shift("白班", time(8), time(20)), Shift("夜班", time(20), time(8))),
    (Shift("夜班", time(22), time(6)),),
    (Shift("甲", time(0), time(8)), Shift("乙", time(8), time(16)), Shift("丙", time(16), time(0))),
]


@given(
    unit=st.sampled_from(list(Unit)),
    every=st.integers(1, 5),
    day_type=st.sampled_from(list(DayType)),
    shift_set=st.integers(1, len(SHIFT_SETS) - 1),
    work_hours=st.sampled_from([None, (time(8), time(18)), (time(0), time(23, 30))]),
    anchor=st.datetimes(datetime(2024, 1, 1), datetime(2027, 1, 1), timezones=st.just(UTC)),
    offset_hours=st.integers(-24 * 400, 24 * 400),
    length_hours=st.integers(1, 24 * 120),
)
def test_windows_are_sorted_non_overlapping_and_meet_the_query(
    unit, every, day_type, shift_set, work_hours, anchor, offset_hours, length_hours
):
    if unit is Unit.hour and work_hours is None:
        work_hours = (time(8), time(18))
    start_end = {"work_start": work_hours[0], "work_end": work_hours[1]} if work_hours else {}
    calendar = WorkCalendar(day_type, shifts=SHIFT_SETS[shift_set], **start_end, **HOLIDAY_CALENDAR)
    window_start = anchor + timedelta(hours=offset_hours)
    window_end = window_start + timedelta(hours=length_hours)
    occurrences = generate(anchor, Frequency(every, unit), calendar, (), window_start, window_end)
    for occ in occurrences:
        assert occ.due_start < occ.due_end
        assert occ.due_end > anchor
        assert occ.due_start < window_end and occ.due_end > window_start
    for earlier, later in zip(occurrences, occurrences[1:], strict=False):
        assert earlier.due_end <= later.due_start
