"""Pure scoring of answered checklists: pass/fail summary and JGJ 59-2011 deduction scoring."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import floor

RESULTS = ("pass", "fail", "na")
SCHEME_JGJ59 = "jgj59-2011"

# JGJ 59-2011 第4、5章 (see reference §A2): a sub-table with guarantee items scores zero when a
# guarantee item scores zero or the guarantee subtotal is below 40 of 60; with missing guarantee
# items the same 40/60 share applies to the guarantee items actually checked.
GUARANTEE_MIN_SHARE = Fraction(40, 60)
# 5.0.2 grade thresholds on the 汇总表 total.
EXCELLENT_MIN = Fraction(80)
PASS_MIN = Fraction(70)

GRADES = {
    "excellent": "优良",
    "pass": "合格",
    "fail": "不合格",
}


def _exact(value, what: str) -> Fraction:
    """Return a number as an exact Fraction (floats by their decimal text, so 0.1 stays 1/10)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"{what} is not a number: {value!r}")
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)


def _display(value: Fraction | None) -> float | None:
    """Round an exact non-negative value half-up to 2 decimal places for display."""
    if value is None:
        return None
    return float(Fraction(floor(value * 100 + Fraction(1, 2)), 100))


def _items(doc: dict) -> list[dict]:
    return [item for section in doc.get("sections", []) for item in section.get("items", [])]


def _checked_answers(doc: dict, answers: dict) -> dict[str, tuple[str, Fraction | None]]:
    """Validate answers against the checklist; return item id → (result, deduction)."""
    known = {item["id"] for item in _items(doc)}
    parsed = {}
    for item_id, answer in answers.items():
        if item_id not in known:
            raise ValueError(f"answer for unknown item {item_id!r}")
        result = answer.get("result")
        if result not in RESULTS:
            raise ValueError(f"item {item_id!r}: result must be one of {RESULTS}, got {result!r}")
        deduction = answer.get("deduction")
        if deduction is not None:
            deduction = _exact(deduction, f"item {item_id!r} deduction")
            if deduction < 0:
                raise ValueError(f"item {item_id!r}: deduction must not be negative")
        parsed[item_id] = (result, deduction)
    return parsed


def summarize(doc: dict, answers: dict) -> dict:
    """Count pass/fail/na answers, the pass rate and the failed major items, in item order."""
    parsed = _checked_answers(doc, answers)
    items = _items(doc)
    counts = {"pass": 0, "fail": 0, "na": 0, "unanswered": 0, "total": len(items)}
    major_failures = []
    for item in items:
        answer = parsed.get(item["id"])
        if answer is None:
            counts["unanswered"] += 1
            continue
        counts[answer[0]] += 1
        if answer[0] == "fail" and item.get("major", False):
            major_failures.append(item["id"])
    decided = counts["pass"] + counts["fail"]
    pass_rate = round(counts["pass"] / decided, 4) if decided else None
    return {"counts": counts, "pass_rate": pass_rate, "major_failures": major_failures}


def _score_item(item: dict, answer: tuple[str, Fraction | None] | None) -> dict:
    """Score one item: pass keeps its points, fail loses the deduction capped at its points."""
    scoring = item["scoring"]
    points = _exact(scoring["points"], f"item {item['id']!r} points")
    result = answer[0] if answer else "na"
    if result == "pass":
        deducted = Fraction(0)
    elif result == "fail":
        asked = answer[1] if answer[1] is not None else points
        deducted = min(asked, points)
    else:
        deducted = None
    return {
        "id": item["id"],
        "group": scoring["group"],
        "points": points,
        "result": result,
        "deducted": deducted,
        "earned": None if deducted is None else points - deducted,
    }


def _score_table(table: dict, scored: list[dict]) -> dict:
    """Apply the JGJ 59-2011 sub-table rules to the scored items of one table."""
    checked = [s for s in scored if s["result"] != "na"]
    guarantee = [s for s in checked if s["group"] == "guarantee"]
    general = [s for s in checked if s["group"] == "general"]
    guarantee_earned = sum((s["earned"] for s in guarantee), Fraction(0))
    guarantee_full = sum((s["points"] for s in guarantee), Fraction(0))
    general_earned = sum((s["earned"] for s in general), Fraction(0))
    general_full = sum((s["points"] for s in general), Fraction(0))
    raw = guarantee_earned + general_earned
    full = guarantee_full + general_full
    applicable = bool(checked)
    converted = raw * 100 / full if full else None

    zero_code, zero_reason = None, None
    if applicable and table.get("has_guarantee", False):
        zeroed_items = [s for s in guarantee if s["earned"] == 0]
        if zeroed_items:
            zero_code = "guarantee_item_zero"
            ids = "、".join(s["id"] for s in zeroed_items)
            zero_reason = f"保证项目 {ids} 得零分"
        # With no guarantee item checked (4.0.1 requires them) no share exists, so no zero rule.
        elif guarantee_full and guarantee_earned < GUARANTEE_MIN_SHARE * guarantee_full:
            if guarantee_full == 60:
                zero_code = "guarantee_below_40"
                zero_reason = f"保证项目小计{_display(guarantee_earned):g}分，不足40分"
            else:
                zero_code = "guarantee_share_below"
                zero_reason = (
                    f"缺项时保证项目实得{_display(guarantee_earned):g}分、"
                    f"应得{_display(guarantee_full):g}分，不足40/60"
                )
    # 5.0.2 counts any sub-table that scores zero, with or without 保证项目 (B.13 高处作业 and
    # B.19 施工机具 have none): every item deducted in full is a zero table too.
    if applicable and zero_code is None and converted == 0:
        zero_code = "table_scored_zero"
        zero_reason = "分项检查评分表实得0分"
    zeroed = zero_code is not None
    score = None if not applicable else (Fraction(0) if zeroed else converted)
    return {
        "key": table["key"],
        "title": table["title"],
        "applicable": applicable,
        "guarantee_earned": guarantee_earned,
        "guarantee_full": guarantee_full,
        "general_earned": general_earned,
        "general_full": general_full,
        "raw": raw,
        "converted": converted,
        "score": score,
        "zeroed": zeroed,
        "zero_code": zero_code,
        "zero_reason": zero_reason,
        "items": scored,
    }


def _score_row(row: dict, tables: dict[str, dict]) -> dict:
    """A summary row: the mean of its applicable tables (C) and A1 = B × C / 100."""
    scores = [tables[key]["score"] for key in row["tables"] if tables[key]["applicable"]]
    weight = _exact(row["weight"], f"summary row {row['key']!r} weight")
    score_c = sum(scores, Fraction(0)) / len(scores) if scores else None
    return {
        "key": row["key"],
        "title": row["title"],
        "weight": weight,
        "tables": list(row["tables"]),
        "applicable": bool(scores),
        "score_c": score_c,
        "a1": None if score_c is None else weight * score_c / 100,
    }


def _grade(total: Fraction | None, any_zero: bool) -> dict | None:
    """Grade per JGJ 59-2011 5.0.2."""
    if total is None:
        return None
    if any_zero or total < PASS_MIN:
        code = "fail"
    elif total >= EXCELLENT_MIN:
        code = "excellent"
    else:
        code = "pass"
    return {"code": code, "label": GRADES[code]}


def _shown(entry: dict, keys: tuple[str, ...]) -> dict:
    return {k: (_display(v) if k in keys else v) for k, v in entry.items()}


def score_jgj59(doc: dict, answers: dict) -> dict:
    """Score an answered JGJ 59-2011 checklist: sub-tables, 汇总表 rows, total and grade."""
    header = doc.get("scoring") or {}
    if header.get("scheme") != SCHEME_JGJ59:
        raise ValueError(f"checklist scoring scheme is not {SCHEME_JGJ59}")
    parsed = _checked_answers(doc, answers)
    declared = {table["key"]: table for table in header.get("tables", [])}
    per_table: dict[str, list[dict]] = {key: [] for key in declared}
    for item in _items(doc):
        scoring = item.get("scoring")
        if not scoring:
            continue
        if scoring.get("table") not in declared:
            raise ValueError(f"item {item['id']!r} names undeclared table {scoring.get('table')!r}")
        per_table[scoring["table"]].append(_score_item(item, parsed.get(item["id"])))

    tables = {key: _score_table(declared[key], per_table[key]) for key in declared}
    rows = [_score_row(row, tables) for row in header.get("summary", [])]
    present = [row for row in rows if row["applicable"]]
    earned = sum((row["a1"] for row in present), Fraction(0))
    possible = sum((row["weight"] for row in present), Fraction(0))
    total = earned * 100 / possible if possible else None
    zero_tables = [key for key, table in tables.items() if table["applicable"] and table["zeroed"]]

    table_numbers = (
        "guarantee_earned",
        "guarantee_full",
        "general_earned",
        "general_full",
        "raw",
        "converted",
        "score",
    )
    item_numbers = ("points", "deducted", "earned")
    return {
        "scheme": SCHEME_JGJ59,
        "tables": [
            {
                **_shown(table, table_numbers),
                "items": [_shown(s, item_numbers) for s in table["items"]],
            }
            for table in tables.values()
        ],
        "rows": [_shown(row, ("weight", "score_c", "a1")) for row in rows],
        "earned": _display(earned),
        "possible": _display(possible),
        "total": _display(total),
        "zero_tables": zero_tables,
        "grade": _grade(total, bool(zero_tables)),
    }
