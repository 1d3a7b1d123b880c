"""Pure rule: hot work at night, on a rest day (公休日) or a holiday is raised one grade.

GB 30871—2022 asks that hot work on holidays, rest days, at night or in other special
circumstances be managed one level up (升级管理). Our reference (checklists-hazchem-dust.md
HC-01, ✔) reads the rule within 5.1.1～5.1.5; the exact clause number is not checked, hence
`verify: pending`. The standard does not define the night hours; the calendar (data) does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from anxun.permits.rules import GRADE_LABELS, Basis

UPGRADE_BASIS = Basis("5.1.1", "pending")
# 二级 → 一级 → 特级; 特级 is the top and stays.
RAISED = {"second": "first", "first": "special", "special": "special"}
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class SpecialDays:
    """Night hours (local), whether Saturday and Sunday are rest days, holidays and make-up days."""

    night_start: time | None = None
    night_end: time | None = None
    weekends: bool = True
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: frozenset[date] = field(default_factory=frozenset)

    def rest_day(self, day: date) -> str | None:
        """Why `day` is a rest day (its holiday's name, 星期六/星期日), or None for a working day."""
        if day in self.holidays:
            return f"节假日（{self.holidays[day]}）"
        if self.weekends and day.weekday() >= 5 and day not in self.workdays:
            return f"公休日（星期{WEEKDAYS[day.weekday()]}）"
        return None


def parse(data: dict) -> SpecialDays:
    """The calendar from its data (YAML mapping); ValueError naming the bad entry."""
    night = data.get("night")
    start = end = None
    if night:
        start, end = time.fromisoformat(night["start"]), time.fromisoformat(night["end"])
        if start == end:
            raise ValueError("night: start equals end")
    holidays = {}
    for entry in data.get("holidays") or []:
        first = date.fromisoformat(str(entry["from"]))
        last = date.fromisoformat(str(entry.get("to") or entry["from"]))
        if last < first:
            raise ValueError(f"holiday {entry['name']}: to before from")
        for offset in range((last - first).days + 1):
            holidays[first + timedelta(days=offset)] = str(entry["name"])
    workdays = frozenset(date.fromisoformat(str(d)) for d in data.get("workdays") or [])
    if workdays & set(holidays):
        raise ValueError("a day is both a holiday and a make-up working day")
    return SpecialDays(start, end, bool(data.get("weekends", True)), holidays, workdays)


def _night_spans(days: SpecialDays, first: date, last: date):
    if days.night_start is None:
        return
    for offset in range(-1, (last - first).days + 1):
        day = first + timedelta(days=offset)
        start = datetime.combine(day, days.night_start, CHINA_TZ)
        end_day = day + timedelta(days=1) if days.night_end <= days.night_start else day
        yield start, datetime.combine(end_day, days.night_end, CHINA_TZ)


def special_reasons(days: SpecialDays, valid_from: datetime, valid_to: datetime) -> list[str]:
    """What makes the window special: night hours it overlaps, rest days and holidays it touches."""
    start, end = valid_from.astimezone(CHINA_TZ), valid_to.astimezone(CHINA_TZ)
    reasons = []
    if any(s < end and start < e for s, e in _night_spans(days, start.date(), end.date())):
        reasons.append(f"夜间（{days.night_start:%H:%M}—{days.night_end:%H:%M}）")
    last = (end - timedelta(microseconds=1)).date()
    for offset in range((last - start.date()).days + 1):
        day = start.date() + timedelta(days=offset)
        why = days.rest_day(day)
        if why:
            reasons.append(why)
    return list(dict.fromkeys(reasons))


@dataclass(frozen=True)
class Upgrade:
    """The grade a hot-work permit is managed at, and why (zh-CN, empty when not raised)."""

    grade: str
    note: str


def hot_work_grade(
    days: SpecialDays, grade: str, valid_from: datetime, valid_to: datetime
) -> Upgrade:
    """The requested hot-work grade raised one level when the window is special (特级 stays)."""
    reasons = special_reasons(days, valid_from, valid_to)
    if not reasons:
        return Upgrade(grade, "")
    raised = RAISED[grade]
    why = "、".join(reasons)
    if raised == grade:
        note = f"作业时间含{why}，特级动火已是最高级别，按特级管理（{UPGRADE_BASIS.citation}）。"
    else:
        note = (
            f"作业时间含{why}，{GRADE_LABELS[grade]}动火升级为{GRADE_LABELS[raised]}动火管理"
            f"（{UPGRADE_BASIS.citation}，条款待核）。"
        )
    return Upgrade(raised, note)
