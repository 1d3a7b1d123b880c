"""Pure hazard statistics for the quarterly and annual return (隐患排查治理情况统计, 16号令)."""

# 《安全生产事故隐患排查治理暂行规定》(国家安监总局令第16号): an enterprise analyses its hazard
# investigation and remediation every quarter and every year, and files a written statistics form
# by the 15th of the next quarter and by 31 January of the next year, signed by its 主要负责人
# (domain.md §3.1 [C]; the article number is [M], so documents mark it 待核实).
#
# Counting rules (all dates are China local dates):
# - the period runs from `start` to `end`; facts are taken as of `as_of` = min(end, today);
# - a hazard is "found" in the period when it was reported between `start` and `as_of`;
# - its state is the one it had at the end of `as_of` (the last transition on or before that day);
# - the level rows: confirmed level (or the proposed level of a hazard fixed on the spot);
#   "unconfirmed" while the hazard was still reported or had been rejected;
# - closure rate = found and closed by `as_of` ÷ (found − rejected by `as_of`); None when the
#   divisor is 0;
# - overdue: open at `as_of` with a deadline before `as_of` (the deadline day is not late),
#   counted over every hazard of the enterprise, also those found before the period;
# - carried over: reported before `start` and still open at the end of the day before it;
# - funds: the sum of the plan funds of hazards found in the period that have a plan;
# - major hazards listed one by one: major at `as_of`, found in the period or carried over.

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from anxun.hazards.workflow import HazardState

STATES = tuple(state.value for state in HazardState)
OPEN_STATES = frozenset(STATES) - {"closed", "rejected"}
LEVELS = ("general", "major", "unconfirmed")
LEVEL_LABELS = {"general": "一般隐患", "major": "重大隐患", "unconfirmed": "待确认"}
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
FIRST_YEAR, LAST_YEAR = 2000, 2099
PERIOD_PATTERN = re.compile(r"^(\d{4})(?:[Qq]([1-4]))?$")
MSG_PERIOD = "统计期格式应为 2026Q3（季度）或 2026（年度）。"
MSG_YEAR = f"年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间。"


@dataclass(frozen=True)
class Period:
    """A statistics period: one quarter or one calendar year."""

    code: str
    year: int
    quarter: int | None
    start: date
    end: date
    label: str
    filing_deadline: date


def parse_period(text: str) -> Period:
    """ "2026Q3" → the third quarter of 2026, "2026" → the year; ValueError (Chinese) otherwise."""
    match = PERIOD_PATTERN.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(MSG_PERIOD)
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(MSG_YEAR)
    if match.group(2) is None:
        return Period(
            code=str(year),
            year=year,
            quarter=None,
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            label=f"{year}年度",
            filing_deadline=date(year + 1, 1, 31),
        )
    quarter = int(match.group(2))
    first_month = 3 * quarter - 2
    next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
    return Period(
        code=f"{year}Q{quarter}",
        year=year,
        quarter=quarter,
        start=date(year, first_month, 1),
        end=next_start - timedelta(days=1),
        label=f"{year}年第{QUARTER_NAMES[quarter]}季度",
        # "下一季度15日前": the 15th of the first month after the quarter.
        filing_deadline=next_start.replace(day=15),
    )


@dataclass(frozen=True)
class HazardFacts:
    """What the statistics need of one hazard; `history` is (local date, state entered), in order."""

    key: str
    title: str
    level: str | None
    proposed_level: str
    reported_on: date
    deadline: date | None
    funds: Decimal | None
    history: tuple[tuple[date, str], ...]


def state_on(hazard: HazardFacts, day: date) -> str | None:
    """The hazard's state at the end of `day`; None if it had not been reported yet."""
    state = None
    for moment, entered in hazard.history:
        if moment > day:
            break
        state = entered
    if state is None and hazard.reported_on <= day:
        return "reported"
    return state


def closed_on(hazard: HazardFacts) -> date | None:
    """The day the hazard was closed (销号), if it was."""
    return next((moment for moment, entered in hazard.history if entered == "closed"), None)


def level_key(hazard: HazardFacts, state: str) -> str:
    """The row of the level × state table a hazard in `state` counts in."""
    if state in ("reported", "rejected"):
        return "unconfirmed"
    return hazard.level or hazard.proposed_level


def _empty_row() -> dict[str, int]:
    return dict.fromkeys((*STATES, "total"), 0)


def compute(hazards: Iterable[HazardFacts], period: Period, today: date) -> dict:
    """The numbers of the statistics form for one enterprise and one period."""
    as_of = min(period.end, today)
    day_before = period.start - timedelta(days=1)
    table = {level: _empty_row() for level in (*LEVELS, "total")}
    found = rejected = closed_of_found = closed_in_period = 0
    open_at_end = overdue_at_end = carried_over = 0
    funds_total = Decimal("0")
    majors = []
    for hazard in hazards:
        state = state_on(hazard, as_of)
        if state is None:
            continue
        is_found = period.start <= hazard.reported_on <= as_of
        is_carried = (
            hazard.reported_on < period.start and state_on(hazard, day_before) in OPEN_STATES
        )
        is_overdue = (
            state in OPEN_STATES and hazard.deadline is not None and as_of > hazard.deadline
        )
        closed = closed_on(hazard)
        if closed is not None and period.start <= closed <= as_of:
            closed_in_period += 1
        if state in OPEN_STATES:
            open_at_end += 1
        overdue_at_end += is_overdue
        carried_over += is_carried
        level = level_key(hazard, state)
        if is_found:
            found += 1
            rejected += state == "rejected"
            closed_of_found += state == "closed"
            for row in (table[level], table["total"]):
                row[state] += 1
                row["total"] += 1
            if hazard.funds is not None:
                funds_total += hazard.funds
        if level == "major" and (is_found or is_carried):
            majors.append(
                {
                    "key": hazard.key,
                    "title": hazard.title,
                    "reported_on": hazard.reported_on,
                    "state": state,
                    "deadline": hazard.deadline,
                    "is_overdue": is_overdue,
                    "is_carried_over": is_carried,
                }
            )
    divisor = found - rejected
    majors.sort(key=lambda m: (m["reported_on"], m["key"]))
    return {
        "as_of": as_of,
        "by_level_state": table,
        "found": found,
        "rejected": rejected,
        "closed_of_found": closed_of_found,
        "closed_in_period": closed_in_period,
        "closure_rate": round(closed_of_found / divisor, 4) if divisor else None,
        "open_at_end": open_at_end,
        "overdue_at_end": overdue_at_end,
        "carried_over": carried_over,
        "funds_total": funds_total,
        "major_hazards": majors,
    }
