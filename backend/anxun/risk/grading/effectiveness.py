"""Pure operation effectiveness (运行成效) of the dual prevention mechanism."""

from __future__ import annotations

from fractions import Fraction

from anxun.risk.grading.exact import (
    FactorError,
    exact_value,
    is_finite_number,
    json_number,
    number_text,
)
from anxun.risk.grading.levels import PENDING

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
        if not is_finite_number(args[name]) or args[name] < 0:
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
        expression = f"{name} = {done} ÷ {due} × 50 − {number_text(deduction)}"
    else:
        share = Fraction(empty_share)
        expression = f"{empty_note}，{name} = {empty_share} × 50 − {number_text(deduction)}"
    raw = share * 50 - deduction
    value = max(raw, Fraction(0))
    expression += f" = {number_text(raw)}" + ("，按 0 计" if raw < 0 else "")
    return value, {
        "value": json_number(value),
        "percent": json_number(share * 100),
        "deduction": json_number(deduction),
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
        exact_value(baobao_deduction),
        0,
        "本期无计划任务，完成率按 0 计",
    )
    b, part_b = _effectiveness_part(
        "B",
        hazards_accepted,
        hazards_to_rectify,
        exact_value(too_few_hazards_deduction),
        1,
        "本期无应整改隐患，验收率按 100% 计",
    )
    alpha = 0 if veto else 1
    score = (a + b) * alpha
    explanation = f"E = ({number_text(a)} + {number_text(b)}) × {alpha} = {number_text(score)}"
    if veto:
        explanation += "（存在否决项，α = 0）"
    return {
        "score": json_number(score),
        "a": part_a,
        "b": part_b,
        "alpha": alpha,
        "formula": EFFECTIVENESS_FORMULA,
        "explanation": explanation + "。",
        "source": "domain.md §1.6：省/园区“运行效果评估模型”，扣分标准与否决项清单待核实",
        "verify": PENDING,
    }
