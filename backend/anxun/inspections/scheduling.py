"""Pure scheduling of inspection tasks: due windows, occurrence states, online operation rate."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from fractions import Fraction
from math import floor

# China local time. China has no DST, so a fixed offset is exact and needs no tz database.
CHINA_TZ = timezone(timedelta(hours=8), "UTC+08:00")
MAX_OCCURRENCES = 10_000
_DAY = timedelta(days=1)


class Unit(StrEnum):
    hour = "hour"
    shift = "shift"
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


# Units whose windows fall on single days, so the calendar's day_type applies to them.
DAY_BASED_UNITS = frozenset({Unit.hour, Unit.shift, Unit.day})


class DayType(StrEnum):
    """Which days a day-based task is due on; national workDayType 0/1/2 (mapped in the outbox)."""

    every_day = "every_day"  # 0 每天
    workdays = "workdays"  # 1 法定工作日
    non_workdays = "non_workdays"  # 2 非法定工作日


class OccurrenceState(StrEnum):
    upcoming = "upcoming"
    open = "open"
    done = "done"
    late = "late"
    missed = "missed"
    suspended = "suspended"


@dataclass(frozen=True)
class Frequency:
    """Every `every` units; checkCycle / checkCycleUnit in the national spec."""

    every: int
    unit: Unit

    def __post_init__(self) -> None:
        if isinstance(self.every, bool) or not isinstance(self.every, int) or self.every < 1:
            raise ValueError("排查周期数必须是不小于 1 的整数")
        try:
            object.__setattr__(self, "unit", Unit(self.unit))
        except ValueError:
            raise ValueError(f"未知的排查周期单位：{self.unit!r}") from None


@dataclass(frozen=True)
class Shift:
    """A work shift in local time; an end at or before the start means it ends the next day."""

    name: str
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("班次时间应为当地时间，不能带时区")

    @property
    def span(self) -> tuple[timedelta, timedelta]:
        """Start and end as offsets from the start day's local midnight (the end may pass 24 h)."""
        start = timedelta(
            hours=self.start.hour, minutes=self.start.minute, seconds=self.start.second
        )
        end = timedelta(hours=self.end.hour, minutes=self.end.minute, seconds=self.end.second)
        return start, end if end > start else end + _DAY


@dataclass(frozen=True)
class WorkCalendar:
    """Which days day-based tasks are due on, the working hours and the shifts."""

    day_type: DayType = DayType.every_day
    work_start: time | None = None
    work_end: time | None = None
    shifts: tuple[Shift, ...] = ()
    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "day_type", DayType(self.day_type))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "extra_workdays", frozenset(self.extra_workdays))
        object.__setattr__(self, "shifts", tuple(sorted(self.shifts, key=lambda s: s.span)))
        if (self.work_start is None) != (self.work_end is None):
            raise ValueError("工作开始时间和工作结束时间必须同时设置")
        if self.work_start is not None and self.work_end <= self.work_start:
            raise ValueError("工作结束时间必须晚于工作开始时间")
        if self.holidays & self.extra_workdays:
            raise ValueError("同一天不能既是法定节假日又是调休上班日")
        spans = [s.span for s in self.shifts]
        # Each shift must end before the next one starts, the last before the next day's first.
        next_starts = [start for start, _ in spans[1:]] + [spans[0][0] + _DAY] if spans else []
        if any(end > next_start for (_, end), next_start in zip(spans, next_starts, strict=True)):
            raise ValueError("班次时间不能重叠")

    def is_workday(self, d: date) -> bool:
        """Statutory working day: Monday–Friday, minus holidays, plus make-up days (调休上班)."""
        if d in self.extra_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def is_due_on(self, d: date) -> bool:
        """Whether a day-based task is due on `d` under this calendar's day_type."""
        if self.day_type is DayType.every_day:
            return True
        return self.is_workday(d) == (self.day_type is DayType.workdays)

    def count_due_days(self, first: date, stop: date) -> int:
        """Number of days in [first, stop) that `is_due_on`, computed without walking them."""
        total = max((stop - first).days, 0)
        if self.day_type is DayType.every_day or total == 0:
            return total
        workdays = (
            _count_weekdays(first, stop)
            - sum(1 for d in self.holidays if first <= d < stop and d.weekday() < 5)
            + sum(1 for d in self.extra_workdays if first <= d < stop and d.weekday() >= 5)
        )
        return workdays if self.day_type is DayType.workdays else total - workdays


@dataclass(frozen=True)
class StopPeriod:
    """A stop or overhaul (停用/检修) of the place or unit, [start, end)."""

    start: datetime
    end: datetime
    reason: str = ""

    def __post_init__(self) -> None:
        _require_aware(self.start, self.end)
        if self.end <= self.start:
            raise ValueError("停用/检修结束时间必须晚于开始时间")


@dataclass(frozen=True)
class Occurrence:
    """One due window of an inspection task, [due_start, due_end)."""

    due_start: datetime
    due_end: datetime

    def __post_init__(self) -> None:
        _require_aware(self.due_start, self.due_end)
        if self.due_end <= self.due_start:
            raise ValueError("排查任务的截止时间必须晚于开始时间")


def generate(
    anchor: datetime,
    frequency: Frequency,
    calendar: WorkCalendar,
    stops: Sequence[StopPeriod],
    window_start: datetime,
    window_end: datetime,
) -> list[Occurrence]:
    """The occurrences of a task anchored at `anchor` whose window meets [window_start, window_end).

    Windows are whole local periods counted from the anchor's period, which is the first one; every
    N days or shifts count only days the calendar makes due. A window that ends at or before the
    anchor, or lies wholly inside stop periods (停用/检修, merged when they overlap or touch), is
    left out.
    """
    _require_aware(anchor, window_start, window_end)
    if window_end <= window_start:
        raise ValueError("查询结束时间必须晚于开始时间")
    if frequency.unit is Unit.hour and calendar.work_start is None:
        raise ValueError("按小时排查的任务必须设置工作开始时间和工作结束时间")
    if frequency.unit is Unit.shift and not calendar.shifts:
        raise ValueError("按班次排查的任务必须设置班次")
    merged = _merge(stops)
    if frequency.unit in DAY_BASED_UNITS:
        candidates = _day_based(anchor, frequency, calendar, window_start, window_end)
    else:
        candidates = _periodic(anchor, frequency, window_start, window_end)
    occurrences = []
    for occ in candidates:
        if occ.due_start >= window_end:
            break
        if occ.due_end <= anchor or occ.due_end <= window_start or _covered(occ, merged):
            continue
        occurrences.append(occ)
        if len(occurrences) > MAX_OCCURRENCES:
            raise ValueError(f"生成的排查任务超过 {MAX_OCCURRENCES} 个，请缩小时间范围或降低频次")
    return occurrences


def occurrence_state(
    occ: Occurrence,
    done_at: datetime | None,
    now: datetime,
    stops: Sequence[StopPeriod] = (),
) -> OccurrenceState:
    """The state of one occurrence at `now`; a stop covering its window suspends it unless done."""
    _require_aware(now)
    if done_at is not None:
        _require_aware(done_at)
        if done_at < occ.due_start:
            raise ValueError("完成时间早于排查任务开始时间")
        return OccurrenceState.done if done_at < occ.due_end else OccurrenceState.late
    if _covered(occ, _merge(stops)):
        return OccurrenceState.suspended
    if now < occ.due_start:
        return OccurrenceState.upcoming
    return OccurrenceState.open if now < occ.due_end else OccurrenceState.missed


def online_operation_rate(states: Iterable[OccurrenceState]) -> float | None:
    """在线运行率: done on time / (done + late + missed), half-up to 4 places; None if none due."""
    counted = {OccurrenceState.done: 0, OccurrenceState.late: 0, OccurrenceState.missed: 0}
    for state in states:
        state = OccurrenceState(state)
        if state in counted:
            counted[state] += 1
    due = sum(counted.values())
    if due == 0:
        return None
    rate = Fraction(counted[OccurrenceState.done], due)
    return float(Fraction(floor(rate * 10_000 + Fraction(1, 2)), 10_000))


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            raise ValueError("时间必须是带时区的日期时间")


def _local(d: date, t: time = time(0)) -> datetime:
    return datetime.combine(d, t, tzinfo=CHINA_TZ)


def _local_date(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


def _count_weekdays(first: date, stop: date) -> int:
    weeks, extra = divmod((stop - first).days, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(extra) if (start + i) % 7 < 5)


def _merge(stops: Sequence[StopPeriod]) -> list[tuple[datetime, datetime]]:
    merged: list[list[datetime]] = []
    for stop in sorted(stops, key=lambda s: s.start):
        if merged and stop.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop.end)
        else:
            merged.append([stop.start, stop.end])
    return [(start, end) for start, end in merged]


def _covered(occ: Occurrence, merged: list[tuple[datetime, datetime]]) -> bool:
    return any(start <= occ.due_start and occ.due_end <= end for start, end in merged)


def _day_based(
    anchor: datetime,
    frequency: Frequency,
    calendar: WorkCalendar,
    window_start: datetime,
    window_end: datetime,
) -> Iterator[Occurrence]:
    first = _local_date(anchor)
    # A night shift starts the day before it covers window_start, hence one day earlier.
    day = max(first, _local_date(window_start) - _DAY)
    last = _local_date(window_end)
    index = calendar.count_due_days(first, day)  # due days before `day`, counted from the anchor
    every = frequency.every
    while day <= last:
        if calendar.is_due_on(day):
            if frequency.unit is Unit.hour:
                yield from _hour_slots(day, every, calendar.work_start, calendar.work_end)
            elif frequency.unit is Unit.day:
                if index % every == 0:
                    yield _day_window(day, calendar)
            else:
                for position, shift in enumerate(calendar.shifts):
                    if (index * len(calendar.shifts) + position) % every == 0:
                        start, end = shift.span
                        yield Occurrence(_local(day) + start, _local(day) + end)
            index += 1
        day += _DAY


def _hour_slots(day: date, hours: int, work_start: time, work_end: time) -> Iterator[Occurrence]:
    start, end = _local(day, work_start), _local(day, work_end)
    while start < end:
        yield Occurrence(start, min(start + timedelta(hours=hours), end))
        start += timedelta(hours=hours)


def _day_window(day: date, calendar: WorkCalendar) -> Occurrence:
    if calendar.work_start is None:
        return Occurrence(_local(day), _local(day + _DAY))
    return Occurrence(_local(day, calendar.work_start), _local(day, calendar.work_end))


def _period_number(unit: Unit, d: date) -> int:
    if unit is Unit.week:
        return (d.toordinal() - 1) // 7  # 0001-01-01 was a Monday
    if unit is Unit.month:
        return d.year * 12 + d.month - 1
    if unit is Unit.quarter:
        return d.year * 4 + (d.month - 1) // 3
    return d.year


def _period_start(unit: Unit, number: int) -> date:
    if unit is Unit.week:
        return date.fromordinal(number * 7 + 1)
    if unit is Unit.month:
        return date(number // 12, number % 12 + 1, 1)
    if unit is Unit.quarter:
        return date(number // 4, number % 4 * 3 + 1, 1)
    return date(number, 1, 1)


def _periodic(
    anchor: datetime, frequency: Frequency, window_start: datetime, window_end: datetime
) -> Iterator[Occurrence]:
    unit, every = frequency.unit, frequency.every
    first = _period_number(unit, _local_date(anchor))
    skipped = max(_period_number(unit, _local_date(window_start)) - first, 0)
    number = first + -(-skipped // every) * every  # first counted period meeting the window
    while True:
        start = _local(_period_start(unit, number))
        if start >= window_end:
            return
        yield Occurrence(start, _local(_period_start(unit, number + 1)))
        number += every
