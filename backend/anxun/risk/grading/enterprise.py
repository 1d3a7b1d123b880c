"""Pure enterprise grade (regulator view): weighted components, vetoes and colour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from fractions import Fraction
from types import MappingProxyType

from anxun.risk.grading.exact import (
    FactorError,
    exact_value,
    is_finite_number,
    json_number,
    number_text,
    round_cent,
)
from anxun.risk.grading.levels import LEVELS


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
    value = exact_value(weight)
    if not 0 <= value < 100:
        raise ValueError(
            f"每日安全承诺指标的权重应在 0 到 100 之间（不含 100），实为 {number_text(value)}"
        )
    if value == 0:
        return config
    factor = (100 - value) / 100
    components = tuple(
        replace(c, weight=exact_value(c.weight) * factor, per_unit=exact_value(c.per_unit) * factor)
        for c in config.components
    )
    return replace(
        config,
        version=f"{config.version}+c{number_text(value)}",
        components=(*components, replace(COMMITMENT_COMPONENT, weight=value)),
        note=(
            f"本企业须每日作安全承诺，每日安全承诺按时率占 {number_text(value)} 分，"
            f"其余各项的满分和每项扣分均乘以 {number_text(factor * 100)}%。"
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
        if exact_value(component.weight) < 0 or exact_value(component.per_unit) < 0:
            problems.append(f"评分项 {component.code} 的分值不能为负")
        if not 0 <= exact_value(component.missing_share) <= 1:
            problems.append(f"评分项 {component.code} 的缺省得分比例应在 0 到 1 之间")
    codes = [component.code for component in config.components]
    if len(set(codes)) != len(codes):
        problems.append("评分项重复")
    total = sum((exact_value(component.weight) for component in config.components), Fraction(0))
    if total != 100:
        problems.append(f"各评分项权重之和应为 100，实为 {number_text(total)}")
    cuts = [
        exact_value(config.red_below),
        exact_value(config.orange_below),
        exact_value(config.yellow_below),
    ]
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
            and (not is_finite_number(value) or not 0 <= value <= 1)
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
    weight = exact_value(component.weight)
    if component.kind == "rate":
        if value is None:
            points = weight * exact_value(component.missing_share)
            explanation = f"{component.missing_note}，得 {number_text(points)} 分（满分 {number_text(weight)}）。"
        else:
            rate = exact_value(value)
            points = rate * weight
            explanation = (
                f"{component.label} {number_text(rate * 100)}%，"
                f"得 {number_text(rate * 100)}% × {number_text(weight)} = {number_text(points)} 分。"
            )
        deduction = weight - points
    else:
        per_unit = exact_value(component.per_unit)
        asked = per_unit * value
        deduction = min(asked, weight)
        points = weight - deduction
        explanation = f"{component.label} {value} {component.unit}，每{component.unit}扣 {number_text(per_unit)} 分"
        if asked > weight:
            explanation += f"，应扣 {number_text(asked)} 分，以满分 {number_text(weight)} 分为限"
        else:
            explanation += f"，扣 {number_text(deduction)} 分"
        explanation += f"，得 {number_text(points)} 分（满分 {number_text(weight)}）。"
    return {
        "code": component.code,
        "label": component.label,
        "input": value,
        "weight": json_number(weight),
        "points": points,
        "deduction": deduction,
        "explanation": explanation,
    }


def colour_for_score(score, config: GradeConfig = DEFAULT_GRADE_CONFIG) -> dict:
    """The enterprise colour for a score by the config's cut-offs (红 < 60 ≤ 橙 < 75 ≤ 黄 < 90 ≤ 蓝)."""
    value = exact_value(score)
    if value < exact_value(config.red_below):
        code = "red"
    elif value < exact_value(config.orange_below):
        code = "orange"
    elif value < exact_value(config.yellow_below):
        code = "yellow"
    else:
        code = "blue"
    return {"code": code, "label": LEVELS[code][1]}


def _grade_formula(config: GradeConfig) -> str:
    """The scoring rule in plain sentences, for people reading the grade."""
    parts = []
    for component in config.components:
        weight = number_text(exact_value(component.weight))
        if component.kind == "rate":
            parts.append(f"{component.label}按比例得分，满分 {weight} 分")
        else:
            parts.append(
                f"{component.label}每{component.unit}扣 {number_text(exact_value(component.per_unit))} 分，"
                f"本项满分 {weight} 分、扣完为止"
            )
    red, orange, yellow = (
        number_text(exact_value(cut))
        for cut in (config.red_below, config.orange_below, config.yellow_below)
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
    score = round_cent(sum((component["points"] for component in components), Fraction(0)))
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
                f"存在否决项（{listed}），直接评为红色（按得分 {number_text(score)} 应为"
                f"{by_score['label']}色）。"
            ),
        }
    else:
        colour = {**by_score, "reason": f"得分 {number_text(score)}，评为{by_score['label']}色。"}
    return {
        "score": json_number(score),
        "colour": colour,
        "components": [
            {
                **component,
                "points": json_number(component["points"]),
                "deduction": json_number(component["deduction"]),
            }
            for component in components
        ],
        "vetoes": vetoes,
        "formula": _grade_formula(config),
        "basis": GRADE_BASIS,
        "config_version": config.version,
    }
