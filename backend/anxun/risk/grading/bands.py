"""Pure band tables: score intervals graded to the four levels, their checks and lookup."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

from anxun.risk.grading.exact import exact_value, number_text
from anxun.risk.grading.levels import LEVEL_RANK, LEVELS, PENDING
from anxun.risk.grading.methods import METHODS, reachable_scores


@dataclass(frozen=True)
class Band:
    """A score interval graded to a level; a bound of None is unbounded."""

    level: str
    label: str
    lower: int | float | Decimal | Fraction | None
    lower_inclusive: bool
    upper: int | float | Decimal | Fraction | None
    upper_inclusive: bool
    description: str = ""


@dataclass(frozen=True)
class BandTable:
    """The bands of one method; provinces or enterprises configure their own table."""

    code: str
    version: str
    method: str
    bands: tuple[Band, ...]
    source: str = ""
    verify: str | None = None


LEC_BANDS = BandTable(
    code="lec-default",
    version="1",
    method="LEC",
    bands=(
        Band("red", "极其危险", 320, False, None, False, "D > 320：极其危险，重大风险（一级）"),
        Band(
            "orange", "高度危险", 160, False, 320, True, "160 < D ≤ 320：高度危险，较大风险（二级）"
        ),
        Band(
            "yellow", "显著危险", 70, False, 160, True, "70 < D ≤ 160：显著危险，一般风险（三级）"
        ),
        Band("blue", "一般危险", 20, False, 70, True, "20 < D ≤ 70：一般危险，低风险（四级）"),
        Band("blue", "稍有危险", None, False, 20, True, "D ≤ 20：稍有危险，低风险（五级）"),
    ),
    source="domain.md §2.2（常用默认分级，各省标准可能不同）",
)


# domain.md §2.3 gives 20–25 / 15–16 / 9–12 / 4–8 / 1–3 over the reachable products; the bands
# below close the holes between them (e.g. 13, 14 cannot occur) so they are contiguous.
LS_BANDS = BandTable(
    code="ls-default",
    version="1",
    method="LS",
    bands=(
        Band("red", "重大风险", 20, True, 25, True, "R = 20–25：重大风险"),
        Band("orange", "较大风险", 15, True, 20, False, "R = 15–16：较大风险"),
        Band("yellow", "一般风险", 9, True, 15, False, "R = 9–12：一般风险"),
        Band("blue", "低风险", 4, True, 9, False, "R = 4–8：低风险"),
        Band("blue", "稍有危险", 1, True, 4, False, "R = 1–3：稍有危险，低风险"),
    ),
    source="domain.md §2.3",
    verify=PENDING,
)


# domain.md §2.4 gives >180 / 90–150 / 50–80 / 20–48 / ≤18. Enumerating M×E×S shows the
# reachable products between 18 and 200 are 18, 20 … 48, 50 … 80, 90, 100, 120, 144, 150, 180:
# 180 (= 3×6×10) is the one product the reference leaves in no band, so it is put in 二级
# (90 ≤ R ≤ 180); the other holes contain no product and are closed to make the bands contiguous.
MES_BANDS = BandTable(
    code="mes-default",
    version="1",
    method="MES",
    bands=(
        Band("red", "一级", 180, False, None, False, "R > 180：一级，重大风险"),
        Band("orange", "二级", 90, True, 180, True, "90 ≤ R ≤ 180：二级，较大风险"),
        Band("yellow", "三级", 50, True, 90, False, "50 ≤ R < 90：三级，一般风险"),
        Band("blue", "四级", 20, True, 50, False, "20 ≤ R < 50：四级，低风险"),
        Band("blue", "五级", None, False, 20, False, "R < 20：五级，低风险"),
    ),
    source="domain.md §2.4（伤害类）",
    verify=PENDING,
)


DEFAULT_BANDS = {table.method: table for table in (LEC_BANDS, LS_BANDS, MES_BANDS)}


Interval = tuple[Fraction | None, bool, Fraction | None, bool]


def band_interval(band: Band) -> Interval:
    lower = None if band.lower is None else exact_value(band.lower)
    upper = None if band.upper is None else exact_value(band.upper)
    return lower, band.lower_inclusive, upper, band.upper_inclusive


def _contains(interval: Interval, value: Fraction) -> bool:
    lower, lower_inclusive, upper, upper_inclusive = interval
    above = lower is None or value > lower or (lower_inclusive and value == lower)
    below = upper is None or value < upper or (upper_inclusive and value == upper)
    return above and below


def _is_empty(interval: Interval) -> bool:
    lower, lower_inclusive, upper, upper_inclusive = interval
    if lower is None or upper is None:
        return False
    return lower > upper or (lower == upper and not (lower_inclusive and upper_inclusive))


def _overlap(a: Interval, b: Interval) -> bool:
    """True when two intervals share at least one real number."""
    lowers = [(a[0], a[1]), (b[0], b[1])]
    uppers = [(a[2], a[3]), (b[2], b[3])]
    bounded_lowers = [bound for bound in lowers if bound[0] is not None]
    bounded_uppers = [bound for bound in uppers if bound[0] is not None]
    if not bounded_lowers or not bounded_uppers:
        return True
    lower = max(bound[0] for bound in bounded_lowers)
    lower_inclusive = all(inc for value, inc in bounded_lowers if value == lower)
    upper = min(bound[0] for bound in bounded_uppers)
    upper_inclusive = all(inc for value, inc in bounded_uppers if value == upper)
    return lower < upper or (lower == upper and lower_inclusive and upper_inclusive)


def _interval_text(interval: Interval, symbol: str) -> str:
    lower, lower_inclusive, upper, upper_inclusive = interval
    parts = []
    if lower is not None:
        parts.append(f"{number_text(lower)} {'≤' if lower_inclusive else '<'}")
    parts.append(symbol)
    if upper is not None:
        parts.append(f"{'≤' if upper_inclusive else '<'} {number_text(upper)}")
    return " ".join(parts) if len(parts) > 1 else f"任意 {symbol}"


def validate_band_table(table: BandTable) -> None:
    """Raise ValueError (zh-CN) on an unknown method or level, an empty band, overlapping bands,
    a reachable score in no band, or a higher band with a less severe level."""
    method = METHODS.get(table.method)
    if method is None:
        raise ValueError(
            f"风险分级表 {table.code} 的评价方法 {table.method} 未知，应为 LEC、LS、MES 之一。"
        )
    if not table.bands:
        raise ValueError(f"风险分级表 {table.code} 没有任何分级区间。")
    symbol = method.score_symbol
    problems = []
    intervals: list[tuple[int, Band, Interval]] = []
    for n, band in enumerate(table.bands, 1):
        if band.level not in LEVELS:
            problems.append(
                f"第 {n} 个区间的风险等级 {band.level} 未知，应为 red、orange、yellow、blue 之一"
            )
        try:
            interval = band_interval(band)
        except ValueError:
            problems.append(f"第 {n} 个区间的上下限应为数字或留空")
            continue
        if _is_empty(interval):
            problems.append(f"第 {n} 个区间（{_interval_text(interval, symbol)}）为空")
            continue
        intervals.append((n, band, interval))
    for (i, _, a), (j, _, b) in combinations(intervals, 2):
        if _overlap(a, b):
            problems.append(f"第 {i} 个区间与第 {j} 个区间重叠")
    gaps = [
        score
        for score in reachable_scores(method.code)
        if not any(_contains(interval, score) for _, _, interval in intervals)
    ]
    if gaps:
        shown = "、".join(number_text(score) for score in gaps[:10])
        more = f" 等 {len(gaps)} 个值" if len(gaps) > 10 else ""
        problems.append(f"以下可能出现的 {symbol} 值不在任何区间内：{shown}{more}")
    ordered = sorted(
        (entry for entry in intervals if entry[1].level in LEVELS),
        key=lambda entry: (entry[2][0] is not None, entry[2][0] or 0, not entry[2][1]),
    )
    for (i, low, _), (j, high, _) in zip(ordered, ordered[1:], strict=False):
        if LEVEL_RANK[high.level] < LEVEL_RANK[low.level]:
            problems.append(f"第 {j} 个区间分值更高，风险等级却低于第 {i} 个区间")
    if problems:
        raise ValueError(f"风险分级表 {table.code} 有误：" + "；".join(problems) + "。")


def band_for(score, table: BandTable) -> Band:
    """The band of `table` containing `score`; ValueError when none does."""
    value = exact_value(score)
    for band in table.bands:
        if _contains(band_interval(band), value):
            return band
    raise ValueError(f"分值 {number_text(value)} 不在风险分级表 {table.code} 的任何区间内。")
