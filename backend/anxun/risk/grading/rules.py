"""Pure risk grading: LEC, LS and MES scores, band tables, control levels and enterprise grades."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from itertools import combinations, product
from types import MappingProxyType

PENDING = "pending"

# 安委办〔2016〕11号: four levels shown as four colours (domain.md §2.1).
LEVELS = {
    "red": ("重大", "红"),
    "orange": ("较大", "橙"),
    "yellow": ("一般", "黄"),
    "blue": ("低", "蓝"),
}
LEVEL_RANK = {"blue": 0, "yellow": 1, "orange": 2, "red": 3}

CONTROL_LEVELS = {"company": "公司级", "workshop": "车间级", "team": "班组级", "post": "岗位级"}


class FactorError(ValueError):
    """Bad input to a risk rule; `errors` is a list of {field, message} with zh-CN messages."""

    def __init__(self, errors: list[dict]):
        super().__init__("；".join(error["message"] for error in errors))
        self.errors = errors


# --- exact numbers -------------------------------------------------------------------------------


def _is_number(value) -> bool:
    """True for a finite int or float; bools and strings are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not isinstance(value, float) or math.isfinite(value)


def _exact(value) -> Fraction:
    """The exact value of a number; floats by their decimal text, so 0.1 stays 1/10."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    return Fraction(value)


def _rounded(value: Fraction) -> Fraction:
    """Round half-up to 0.01."""
    return Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)


def _num(value: Fraction | None) -> int | float | None:
    """A JSON-friendly number rounded to 0.01: an int when whole, else a float."""
    if value is None:
        return None
    rounded = _rounded(value)
    return int(rounded) if rounded.denominator == 1 else float(rounded)


def _fmt(value: Fraction) -> str:
    return str(_num(value))


# --- methods and factor tables -------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    """One factor of a method: its symbol, name and allowed values (decimal text, description)."""

    symbol: str
    name: str
    levels: tuple[tuple[str, str], ...]
    verify: str | None = None

    @property
    def values(self) -> tuple[Fraction, ...]:
        return tuple(Fraction(text) for text, _ in self.levels)

    @property
    def allowed_text(self) -> str:
        return "、".join(text for text, _ in self.levels)


@dataclass(frozen=True)
class Method:
    """A grading method: the score is the product of its factors."""

    code: str
    name: str
    score_symbol: str
    factors: tuple[Factor, ...]
    source: str

    @property
    def formula(self) -> str:
        return f"{self.score_symbol} = " + "×".join(f.symbol for f in self.factors)


LEC = Method(
    code="LEC",
    name="作业条件危险性评价法（LEC）",
    score_symbol="D",
    factors=(
        Factor(
            "L",
            "事故发生的可能性",
            (
                ("10", "完全可以预料"),
                ("6", "相当可能"),
                ("3", "可能，但不经常"),
                ("1", "可能性小，完全意外"),
                ("0.5", "很不可能，可以设想"),
                ("0.2", "极不可能"),
                ("0.1", "实际不可能"),
            ),
        ),
        Factor(
            "E",
            "暴露于危险环境的频繁程度",
            (
                ("10", "连续暴露"),
                ("6", "每天工作时间内暴露"),
                ("3", "每周一次或偶然暴露"),
                ("2", "每月一次暴露"),
                ("1", "每年几次暴露"),
                ("0.5", "非常罕见地暴露"),
            ),
        ),
        Factor(
            "C",
            "发生事故可能造成的后果",
            (
                ("100", "大灾难，许多人死亡"),
                ("40", "灾难，数人死亡"),
                ("15", "非常严重，一人死亡"),
                ("7", "严重，重伤"),
                ("3", "重大，致残"),
                ("1", "引人注目，需要救护"),
            ),
        ),
    ),
    source="domain.md §2.2",
)

# domain.md §2.3 confirms only the end points (5 and 1) of each scale; the texts for 4–2 follow
# common practice and are recalled, so both scales are marked pending.
LS = Method(
    code="LS",
    name="风险矩阵法（LS）",
    score_symbol="R",
    factors=(
        Factor(
            "L",
            "事故发生的可能性",
            (
                ("5", "无防范、监测、控制措施或危害无法察觉，正常情况下经常发生"),
                ("4", "危害不易发现，无监测，或控制措施未有效执行"),
                ("3", "无保护措施或未严格按操作规程执行，或曾发生类似事件"),
                ("2", "危害发生能及时发现并定期监测，或控制措施能有效执行，偶尔发生"),
                ("1", "有充分、有效的防范、控制、监测、保护措施，极不可能发生"),
            ),
            verify=PENDING,
        ),
        Factor(
            "S",
            "事故后果的严重性",
            (
                ("5", "违反法律法规；造成死亡；重大财产损失；多套装置停工；重大国际影响"),
                ("4", "潜在违反法规；丧失劳动能力；较大财产损失；装置停工；行业或省内影响"),
                ("3", "不符合上级或行业规定；截肢、骨折等伤害；一定财产损失；部分停工；地区影响"),
                ("2", "不符合企业规定；轻微受伤；较小财产损失；设备停工；企业及周边影响"),
                ("1", "完全符合；无伤亡；无损失；无影响"),
            ),
            verify=PENDING,
        ),
    ),
    source="domain.md §2.3",
)

MES = Method(
    code="MES",
    name="MES 评价法",
    score_symbol="R",
    factors=(
        Factor(
            "M",
            "控制措施的状态",
            (
                ("5", "无控制措施"),
                ("3", "有减轻后果的应急措施，如报警系统、个体防护用品"),
                ("1", "有有效的预防措施"),
            ),
        ),
        Factor(
            "E",
            "人体暴露或危险状态出现的频繁程度",
            (
                ("10", "连续暴露或常态"),
                ("6", "每天工作时间内暴露"),
                ("3", "每周一次或偶然暴露"),
                ("2", "每月一次暴露"),
                ("1", "每年几次暴露"),
                ("0.5", "更少地暴露"),
            ),
        ),
        Factor(
            "S",
            "事故的可能后果（人身伤害）",
            (
                ("10", "多人死亡"),
                ("8", "一人死亡或多人永久失能"),
                ("4", "一人永久失能"),
                ("2", "需医院治疗，缺工"),
                ("1", "轻微，仅需急救"),
            ),
            verify=PENDING,
        ),
    ),
    source="domain.md §2.4",
)

METHODS = {method.code: method for method in (LEC, LS, MES)}


@cache
def reachable_scores(method_code: str) -> tuple[Fraction, ...]:
    """Every score the method's factor tables can produce, ascending."""
    method = METHODS[method_code]
    products = {math.prod(combo, start=Fraction(1)) for combo in product(*_factor_values(method))}
    return tuple(sorted(products))


def _factor_values(method: Method) -> list[tuple[Fraction, ...]]:
    return [factor.values for factor in method.factors]


# --- band tables ---------------------------------------------------------------------------------


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


def _interval(band: Band) -> Interval:
    lower = None if band.lower is None else _exact(band.lower)
    upper = None if band.upper is None else _exact(band.upper)
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
        parts.append(f"{_fmt(lower)} {'≤' if lower_inclusive else '<'}")
    parts.append(symbol)
    if upper is not None:
        parts.append(f"{'≤' if upper_inclusive else '<'} {_fmt(upper)}")
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
            interval = _interval(band)
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
        shown = "、".join(_fmt(score) for score in gaps[:10])
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
    value = _exact(score)
    for band in table.bands:
        if _contains(_interval(band), value):
            return band
    raise ValueError(f"分值 {_fmt(value)} 不在风险分级表 {table.code} 的任何区间内。")


# --- control levels ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ControlMap:
    """Risk level → control level (管控层级); enterprises may configure their own."""

    code: str
    version: str
    mapping: Mapping[str, str]
    source: str = ""
    verify: str | None = None


# domain.md §2.5 [M]: 重大 → 公司级; 较大 → 公司级 (or 车间级); 一般 → 车间级; 低 → 班组级 (or 岗位级).
DEFAULT_CONTROL_MAP = ControlMap(
    code="control-default",
    version="1",
    mapping=MappingProxyType(
        {"red": "company", "orange": "company", "yellow": "workshop", "blue": "team"}
    ),
    source="domain.md §2.5",
    verify=PENDING,
)


def validate_control_map(control_map: ControlMap) -> None:
    """Raise ValueError (zh-CN) unless every risk level maps to a known control level."""
    problems = []
    for level, (label, _) in LEVELS.items():
        target = control_map.mapping.get(level)
        if target is None:
            problems.append(f"缺少{label}风险（{level}）的管控层级")
        elif target not in CONTROL_LEVELS:
            problems.append(
                f"{label}风险的管控层级 {target} 未知，应为 company、workshop、team、post 之一"
            )
    unknown = sorted(set(control_map.mapping) - set(LEVELS))
    if unknown:
        problems.append(f"风险等级 {'、'.join(map(str, unknown))} 未知")
    if problems:
        raise ValueError(f"管控层级配置 {control_map.code} 有误：" + "；".join(problems) + "。")


def _control_map(control_map: ControlMap | Mapping | None) -> ControlMap:
    if control_map is None:
        return DEFAULT_CONTROL_MAP
    if not isinstance(control_map, ControlMap):
        control_map = ControlMap(code="custom", version="", mapping=dict(control_map))
    validate_control_map(control_map)
    return control_map


# --- evaluation ----------------------------------------------------------------------------------


def _checked_factors(method: Method, factors) -> dict[str, Fraction]:
    if not isinstance(factors, Mapping):
        raise FactorError([{"field": "factors", "message": "评价因子应为“因子: 取值”形式的对象。"}])
    errors, values = [], {}
    for factor in method.factors:
        if factor.symbol not in factors:
            errors.append(
                {
                    "field": factor.symbol,
                    "message": f"请填写 {factor.symbol}（{factor.name}）的取值。",
                }
            )
            continue
        raw = factors[factor.symbol]
        value = _exact(raw) if _is_number(raw) else None
        if value not in factor.values:
            message = f"{factor.symbol} 的取值应为 {factor.allowed_text} 之一。"
            errors.append({"field": factor.symbol, "message": message})
            continue
        values[factor.symbol] = value
    symbols = {factor.symbol for factor in method.factors}
    for key in sorted({str(key) for key in factors} - symbols):
        errors.append({"field": key, "message": f"{key} 不是 {method.code} 法的评价因子。"})
    if errors:
        raise FactorError(errors)
    return values


def _explanation(method: Method, values: dict, score: Fraction, band: Band) -> str:
    lower, lower_inclusive, upper, upper_inclusive = _interval(band)
    shown = _fmt(score)
    text = f"{method.formula} = " + "×".join(_fmt(values[f.symbol]) for f in method.factors)
    text += f" = {shown}"
    if lower is None and upper is not None:
        text += f" {'≤' if upper_inclusive else '<'} {_fmt(upper)}"
    elif upper is None and lower is not None:
        text += f" {'≥' if lower_inclusive else '>'} {_fmt(lower)}"
    elif lower is not None:
        text += (
            f"，{_fmt(lower)} {'≤' if lower_inclusive else '<'} {shown} "
            f"{'≤' if upper_inclusive else '<'} {_fmt(upper)}"
        )
    label, colour = LEVELS[band.level]
    return f"{text}，属{label}风险（{colour}色）"


def evaluate(
    method: str,
    factors: Mapping,
    bands: BandTable | None = None,
    control_map: ControlMap | Mapping | None = None,
) -> dict:
    """Score one risk with LEC, LS or MES, grade it by the band table, assign a control level."""
    spec = METHODS.get(method) if isinstance(method, str) else None
    if spec is None:
        raise FactorError([{"field": "method", "message": "评价方法应为 LEC、LS、MES 之一。"}])
    values = _checked_factors(spec, factors)
    table = DEFAULT_BANDS[spec.code] if bands is None else bands
    if table.method != spec.code:
        raise ValueError(
            f"风险分级表 {table.code} 适用于 {table.method} 法，不能用于 {spec.code} 法。"
        )
    validate_band_table(table)
    controls = _control_map(control_map)
    score = math.prod(values.values(), start=Fraction(1))
    band = band_for(score, table)
    lower, lower_inclusive, upper, upper_inclusive = _interval(band)
    label, colour = LEVELS[band.level]
    control = controls.mapping[band.level]
    return {
        "method": spec.code,
        "factors": {symbol: _num(value) for symbol, value in values.items()},
        "score": _num(score),
        "level": {"code": band.level, "label": label, "colour": colour},
        "band": {
            "label": band.label,
            "lower": _num(lower),
            "lower_inclusive": lower_inclusive,
            "upper": _num(upper),
            "upper_inclusive": upper_inclusive,
            "description": band.description,
        },
        "control_level": {
            "code": control,
            "label": CONTROL_LEVELS[control],
            "verify": controls.verify,
        },
        "explanation": _explanation(spec, values, score, band),
        "band_table": {"code": table.code, "version": table.version, "verify": table.verify},
    }


def describe_method(code: str) -> dict:
    """A JSON-friendly description of a method: factor tables and default bands, for pickers."""
    method = METHODS[code]
    table = DEFAULT_BANDS[code]
    return {
        "code": method.code,
        "name": method.name,
        "formula": method.formula,
        "source": method.source,
        "factors": [
            {
                "symbol": factor.symbol,
                "name": factor.name,
                "verify": factor.verify,
                "values": [
                    {"value": _num(Fraction(text)), "description": description}
                    for text, description in factor.levels
                ],
            }
            for factor in method.factors
        ],
        "bands": {
            "code": table.code,
            "version": table.version,
            "verify": table.verify,
            "bands": [
                {
                    "level": band.level,
                    "label": band.label,
                    "lower": _num(_interval(band)[0]),
                    "lower_inclusive": band.lower_inclusive,
                    "upper": _num(_interval(band)[2]),
                    "upper_inclusive": band.upper_inclusive,
                    "description": band.description,
                }
                for band in table.bands
            ],
        },
    }


# --- enterprise grade (regulator view) -----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GradeInputs:
    """Facts about one enterprise; rates are shares 0..1, None when there is nothing to measure."""

    open_major_hazards: int
    overdue_hazards: int
    online_operation_rate: float | None
    hazard_closure_rate: float | None
    red_units: int
    orange_units: int
    major_hazard_sources: int
    vetoes: tuple[Mapping, ...] | list[Mapping] = ()
    # Share of the period's days with an on-time daily safety commitment (安全承诺); only read by
    # a config that has the commitment component (enterprises that must commit).
    commitment_rate: float | None = None


RATE_INPUTS = ("online_operation_rate", "hazard_closure_rate", "commitment_rate")
COUNT_INPUTS = (
    "open_major_hazards",
    "overdue_hazards",
    "red_units",
    "orange_units",
    "major_hazard_sources",
)


@dataclass(frozen=True)
class GradeComponent:
    """One scored input. A rate earns rate × weight; a count loses per_unit per unit, down to 0."""

    code: str
    label: str
    kind: str
    weight: int | float | Fraction
    per_unit: int | float | Fraction = 0
    unit: str = "项"
    missing_share: int | float | Fraction = 0
    missing_note: str = ""


@dataclass(frozen=True)
class GradeConfig:
    """Weights, colour cut-offs and veto kinds for the enterprise grade."""

    version: str
    components: tuple[GradeComponent, ...]
    red_below: int | float | Fraction = 60
    orange_below: int | float | Fraction = 75
    yellow_below: int | float | Fraction = 90
    veto_kinds: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({"interview": "约谈", "suspension": "停产整顿"})
    )
    note: str = ""


# The colour cut-offs are those of the 2018 危险化学品生产储存企业安全风险评估诊断分级指南 (domain.md
# §2.6 [C]); the components and weights are Anxun's own default, to be tuned per regulator. Missing
# rates: no due inspection tasks means the system is not running (0 points); no hazard to rectify
# means nothing is left open (full points; a "too few hazards" signal belongs elsewhere).
DEFAULT_GRADE_CONFIG = GradeConfig(
    version="anxun-enterprise-grade-1",
    components=(
        GradeComponent(
            "online_operation_rate",
            "在线运行率",
            "rate",
            30,
            missing_share=0,
            missing_note="统计期内没有到期的排查任务，在线运行率无数据（不是 0%），按规则本项不得分",
        ),
        GradeComponent(
            "hazard_closure_rate",
            "隐患整改闭环率",
            "rate",
            20,
            missing_share=1,
            missing_note="本期无应整改隐患，按满分计",
        ),
        GradeComponent("overdue_hazards", "超期未整改隐患", "count", 15, per_unit=3, unit="项"),
        GradeComponent(
            "open_major_hazards", "未销号重大事故隐患", "count", 15, per_unit=10, unit="项"
        ),
        GradeComponent("red_units", "重大风险（红色）单元", "count", 10, per_unit=2, unit="个"),
        GradeComponent("orange_units", "较大风险（橙色）单元", "count", 5, per_unit=1, unit="个"),
        GradeComponent("major_hazard_sources", "重大危险源", "count", 5, per_unit=1, unit="个"),
    ),
)
GRADE_BASIS = (
    "颜色分界取自《危险化学品生产储存企业安全风险评估诊断分级指南（试行）》（应急管理部 2018）；"
    "各项权重为本系统默认配置，可由监管部门调整。"
)


COMMITMENT_COMPONENT = GradeComponent(
    "commitment_rate",
    "每日安全承诺按时率",
    "rate",
    0,
    missing_share=1,
    missing_note="统计期内没有应承诺的日子（企业登记前的日子不计），按满分计",
)


def with_commitment(config: GradeConfig, weight) -> GradeConfig:
    """The grade of an enterprise that must announce a daily safety commitment (hazardous
    chemicals): the commitment indicator takes `weight` points and every other component, its
    full marks and its per-unit deduction alike, is multiplied by (100 − weight) / 100, so the
    total stays 100 and each other component keeps its share. Weight 0 leaves `config` as is."""
    value = _exact(weight)
    if not 0 <= value < 100:
        raise ValueError(
            f"每日安全承诺指标的权重应在 0 到 100 之间（不含 100），实为 {_fmt(value)}"
        )
    if value == 0:
        return config
    factor = (100 - value) / 100
    components = tuple(
        replace(c, weight=_exact(c.weight) * factor, per_unit=_exact(c.per_unit) * factor)
        for c in config.components
    )
    return replace(
        config,
        version=f"{config.version}+c{_fmt(value)}",
        components=(*components, replace(COMMITMENT_COMPONENT, weight=value)),
        note=(
            f"本企业须每日作安全承诺，每日安全承诺按时率占 {_fmt(value)} 分，"
            f"其余各项的满分和每项扣分均乘以 {_fmt(factor * 100)}%。"
        ),
    )


def validate_grade_config(config: GradeConfig) -> None:
    """Raise ValueError unless components name known inputs, weights total 100 and cut-offs rise."""
    problems = []
    for component in config.components:
        expected = "rate" if component.code in RATE_INPUTS else "count"
        if component.code not in RATE_INPUTS + COUNT_INPUTS:
            problems.append(f"评分项 {component.code} 未知")
        elif component.kind != expected:
            problems.append(f"评分项 {component.code} 的类型应为 {expected}")
        if _exact(component.weight) < 0 or _exact(component.per_unit) < 0:
            problems.append(f"评分项 {component.code} 的分值不能为负")
        if not 0 <= _exact(component.missing_share) <= 1:
            problems.append(f"评分项 {component.code} 的缺省得分比例应在 0 到 1 之间")
    codes = [component.code for component in config.components]
    if len(set(codes)) != len(codes):
        problems.append("评分项重复")
    total = sum((_exact(component.weight) for component in config.components), Fraction(0))
    if total != 100:
        problems.append(f"各评分项权重之和应为 100，实为 {_fmt(total)}")
    cuts = [_exact(config.red_below), _exact(config.orange_below), _exact(config.yellow_below)]
    if not 0 < cuts[0] < cuts[1] < cuts[2] <= 100:
        problems.append("颜色分界应满足 0 < 红 < 橙 < 黄 ≤ 100")
    if problems:
        raise ValueError(f"企业风险分级配置 {config.version} 有误：" + "；".join(problems) + "。")


def _checked_grade_inputs(inputs: GradeInputs, config: GradeConfig) -> None:
    errors = []
    labels = {component.code: component.label for component in config.components}
    for name in (f.name for f in fields(GradeInputs)):
        value = getattr(inputs, name)
        label = labels.get(name, name)
        if name in COUNT_INPUTS and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            errors.append({"field": name, "message": f"{label}数量应为非负整数。"})
        elif (
            name in RATE_INPUTS
            and value is not None
            and (not _is_number(value) or not 0 <= value <= 1)
        ):
            errors.append({"field": name, "message": f"{label}应为 0 到 1 之间的数，或留空。"})
    if isinstance(inputs.vetoes, str | bytes | Mapping) or not isinstance(
        inputs.vetoes, tuple | list
    ):
        errors.append({"field": "vetoes", "message": "否决项应为列表。"})
    else:
        kinds = "、".join(f"{kind}（{label}）" for kind, label in config.veto_kinds.items())
        for n, veto in enumerate(inputs.vetoes):
            if not isinstance(veto, Mapping) or veto.get("kind") not in config.veto_kinds:
                message = f"第 {n + 1} 个否决项的类型应为 {kinds}之一。"
                errors.append({"field": f"vetoes[{n}].kind", "message": message})
            elif not isinstance(veto.get("date"), str | date | None):
                message = f"第 {n + 1} 个否决项的日期应为日期或留空。"
                errors.append({"field": f"vetoes[{n}].date", "message": message})
    if errors:
        raise FactorError(errors)


def _grade_component(component: GradeComponent, value) -> dict:
    weight = _exact(component.weight)
    if component.kind == "rate":
        if value is None:
            points = weight * _exact(component.missing_share)
            explanation = f"{component.missing_note}，得 {_fmt(points)} 分（满分 {_fmt(weight)}）。"
        else:
            rate = _exact(value)
            points = rate * weight
            explanation = (
                f"{component.label} {_fmt(rate * 100)}%，"
                f"得 {_fmt(rate * 100)}% × {_fmt(weight)} = {_fmt(points)} 分。"
            )
        deduction = weight - points
    else:
        per_unit = _exact(component.per_unit)
        asked = per_unit * value
        deduction = min(asked, weight)
        points = weight - deduction
        explanation = (
            f"{component.label} {value} {component.unit}，每{component.unit}扣 {_fmt(per_unit)} 分"
        )
        if asked > weight:
            explanation += f"，应扣 {_fmt(asked)} 分，以满分 {_fmt(weight)} 分为限"
        else:
            explanation += f"，扣 {_fmt(deduction)} 分"
        explanation += f"，得 {_fmt(points)} 分（满分 {_fmt(weight)}）。"
    return {
        "code": component.code,
        "label": component.label,
        "input": value,
        "weight": _num(weight),
        "points": points,
        "deduction": deduction,
        "explanation": explanation,
    }


def colour_for_score(score, config: GradeConfig = DEFAULT_GRADE_CONFIG) -> dict:
    """The enterprise colour for a score by the config's cut-offs (红 < 60 ≤ 橙 < 75 ≤ 黄 < 90 ≤ 蓝)."""
    value = _exact(score)
    if value < _exact(config.red_below):
        code = "red"
    elif value < _exact(config.orange_below):
        code = "orange"
    elif value < _exact(config.yellow_below):
        code = "yellow"
    else:
        code = "blue"
    return {"code": code, "label": LEVELS[code][1]}


def _grade_formula(config: GradeConfig) -> str:
    """The scoring rule in plain sentences, for people reading the grade."""
    parts = []
    for component in config.components:
        weight = _fmt(_exact(component.weight))
        if component.kind == "rate":
            parts.append(f"{component.label}按比例得分，满分 {weight} 分")
        else:
            parts.append(
                f"{component.label}每{component.unit}扣 {_fmt(_exact(component.per_unit))} 分，"
                f"本项满分 {weight} 分、扣完为止"
            )
    red, orange, yellow = (
        _fmt(_exact(cut)) for cut in (config.red_below, config.orange_below, config.yellow_below)
    )
    vetoes = "、".join(config.veto_kinds.values())
    return (
        "总分（满分 100）是各评分项得分之和："
        + "；".join(parts)
        + f"。总分四舍五入保留两位小数后定色：低于 {red} 分为红，{red} 分至不足 {orange} 分为橙，"
        + f"{orange} 分至不足 {yellow} 分为黄，{yellow} 分及以上为蓝；"
        + f"有{vetoes}任一否决项的，直接评为红色。"
        + config.note
    )


def enterprise_grade(inputs: GradeInputs, config: GradeConfig = DEFAULT_GRADE_CONFIG) -> dict:
    """Score an enterprise 0–100 from named components and colour it; any veto forces red."""
    validate_grade_config(config)
    _checked_grade_inputs(inputs, config)
    components = [
        _grade_component(component, getattr(inputs, component.code))
        for component in config.components
    ]
    # The colour follows the published (rounded) score so the number and colour never disagree.
    score = _rounded(sum((component["points"] for component in components), Fraction(0)))
    by_score = colour_for_score(score, config)
    vetoes = []
    for veto in inputs.vetoes:
        when = veto.get("date")
        when = when.isoformat() if isinstance(when, date) else when
        label = config.veto_kinds[veto["kind"]]
        vetoes.append(
            {
                "kind": veto["kind"],
                "label": label,
                "date": when,
                "explanation": f"{when + ' ' if when else ''}{label}，属否决项。",
            }
        )
    if vetoes:
        listed = "、".join(veto["label"] for veto in vetoes)
        colour = {
            "code": "red",
            "label": LEVELS["red"][1],
            "reason": (
                f"存在否决项（{listed}），直接评为红色（按得分 {_fmt(score)} 应为"
                f"{by_score['label']}色）。"
            ),
        }
    else:
        colour = {**by_score, "reason": f"得分 {_fmt(score)}，评为{by_score['label']}色。"}
    return {
        "score": _num(score),
        "colour": colour,
        "components": [
            {
                **component,
                "points": _num(component["points"]),
                "deduction": _num(component["deduction"]),
            }
            for component in components
        ],
        "vetoes": vetoes,
        "formula": _grade_formula(config),
        "basis": GRADE_BASIS,
        "config_version": config.version,
    }


# --- operation effectiveness (运行成效) ----------------------------------------------------------

EFFECTIVENESS_FORMULA = (
    "E = (A + B) × α；A = 已完成任务数 ÷ 计划完成任务数 × 50 − 包保责任履职不到位扣分；"
    "B = 已验收隐患数 ÷ 应整改隐患数 × 50 − 隐患数量过少扣分；A、B 最低为 0；"
    "存在否决项时 α = 0，否则 α = 1。"
)


def _checked_effectiveness(args: dict) -> None:
    counts = {
        "planned_tasks": "计划完成任务数",
        "completed_tasks": "已完成任务数",
        "hazards_to_rectify": "应整改隐患数",
        "hazards_accepted": "已验收隐患数",
    }
    deductions = {
        "baobao_deduction": "包保责任履职不到位扣分",
        "too_few_hazards_deduction": "隐患数量过少扣分",
    }
    errors = []
    for name, label in counts.items():
        value = args[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.append({"field": name, "message": f"{label}应为非负整数。"})
    for name, label in deductions.items():
        if not _is_number(args[name]) or args[name] < 0:
            errors.append({"field": name, "message": f"{label}应为非负数。"})
    if not isinstance(args["veto"], bool):
        errors.append({"field": "veto", "message": "是否存在否决项应为 true 或 false。"})
    if not errors and args["completed_tasks"] > args["planned_tasks"]:
        errors.append(
            {"field": "completed_tasks", "message": "已完成任务数不能大于计划完成任务数。"}
        )
    if not errors and args["hazards_accepted"] > args["hazards_to_rectify"]:
        errors.append(
            {"field": "hazards_accepted", "message": "已验收隐患数不能大于应整改隐患数。"}
        )
    if errors:
        raise FactorError(errors)


def _effectiveness_part(
    name: str, done: int, due: int, deduction: Fraction, empty_share: int, empty_note: str
) -> tuple[Fraction, dict]:
    if due:
        share = Fraction(done, due)
        expression = f"{name} = {done} ÷ {due} × 50 − {_fmt(deduction)}"
    else:
        share = Fraction(empty_share)
        expression = f"{empty_note}，{name} = {empty_share} × 50 − {_fmt(deduction)}"
    raw = share * 50 - deduction
    value = max(raw, Fraction(0))
    expression += f" = {_fmt(raw)}" + ("，按 0 计" if raw < 0 else "")
    return value, {
        "value": _num(value),
        "percent": _num(share * 100),
        "deduction": _num(deduction),
        "explanation": expression + "。",
    }


def operation_effectiveness(
    planned_tasks: int,
    completed_tasks: int,
    baobao_deduction: float,
    hazards_to_rectify: int,
    hazards_accepted: int,
    too_few_hazards_deduction: float,
    veto: bool,
) -> dict:
    """E = (A + B) × α per the park model in domain.md §1.6 [M], with A and B floored at 0.

    Zero denominators: no planned task counts as 0 % completion (a mechanism with no tasks is not
    running); no hazard to rectify counts as 100 % accepted (nothing is left open; reporting too few
    hazards is penalised by its own deduction)."""
    _checked_effectiveness(
        {
            "planned_tasks": planned_tasks,
            "completed_tasks": completed_tasks,
            "baobao_deduction": baobao_deduction,
            "hazards_to_rectify": hazards_to_rectify,
            "hazards_accepted": hazards_accepted,
            "too_few_hazards_deduction": too_few_hazards_deduction,
            "veto": veto,
        }
    )
    a, part_a = _effectiveness_part(
        "A",
        completed_tasks,
        planned_tasks,
        _exact(baobao_deduction),
        0,
        "本期无计划任务，完成率按 0 计",
    )
    b, part_b = _effectiveness_part(
        "B",
        hazards_accepted,
        hazards_to_rectify,
        _exact(too_few_hazards_deduction),
        1,
        "本期无应整改隐患，验收率按 100% 计",
    )
    alpha = 0 if veto else 1
    score = (a + b) * alpha
    explanation = f"E = ({_fmt(a)} + {_fmt(b)}) × {alpha} = {_fmt(score)}"
    if veto:
        explanation += "（存在否决项，α = 0）"
    return {
        "score": _num(score),
        "a": part_a,
        "b": part_b,
        "alpha": alpha,
        "formula": EFFECTIVENESS_FORMULA,
        "explanation": explanation + "。",
        "source": "domain.md §1.6：省/园区“运行效果评估模型”，扣分标准与否决项清单待核实",
        "verify": PENDING,
    }
